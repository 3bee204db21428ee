/**
 * The cluster export file: one self-describing SQLite file.
 *
 *   meta(key, value)     format = 'zoolab-cluster-export', version, manifest (JSON), checksum
 *   members(id, kind, accepted_epoch, current_epoch, last_zxid, first_log_zxid, db)
 *                        each member's durable state and its whole SQLite file (a consistent
 *                        copy taken with VACUUM INTO), or NULL when it had none
 *   nodes(path, data, stat, acl, owner)
 *                        the data tree of the most up-to-date member: data bytes, Stat
 *                        (JSON, zxids as hex), ACL (JSON) and the raw ephemeral owner (hex:
 *                        a session id, or the container/TTL marker)
 *
 * `checksum` is SHA-256 over the manifest and every member and node row in a fixed order,
 * so a flipped byte anywhere is caught; a truncated file fails SQLite's own checks first.
 * A file is written under a temporary name and renamed into place: readers never see half
 * of one. Reading validates everything before anything else happens (pair assertions,
 * style.md B4).
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import type { ExportManifest, MemberId, MemberKind } from './api.js';

export const EXPORT_FORMAT = 'zoolab-cluster-export';
export const EXPORT_VERSION = 1;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface ExportMemberRow {
  id: MemberId;
  kind: MemberKind;
  acceptedEpoch: number | null;
  currentEpoch: number | null;
  lastZxid: string | null;
  firstLogZxid: string | null;
  /** The member's SQLite file, or null when it had none (never started, wiped). */
  db: Buffer | null;
}

export interface ExportNodeRow {
  path: string;
  data: Buffer | null;
  /** StatJson as text. */
  stat: string;
  /** AclJson[] as text. */
  acl: string;
  /** Raw owner as hex (0x0 persistent; session id; container/TTL marker). */
  owner: string;
}

export interface ExportContents {
  manifest: ExportManifest;
  members: ExportMemberRow[];
  nodes: ExportNodeRow[];
}

export class ExportFileError extends Error {
  override name = 'ExportFileError';
  readonly code = 'bad-export';
}

function checksumOf(c: ExportContents): string {
  const h = createHash('sha256');
  const field = (v: string | Buffer | null) => {
    if (v === null) return void h.update('N');
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    h.update(`L${b.length}:`);
    h.update(b);
  };
  field(JSON.stringify(c.manifest));
  for (const m of [...c.members].sort((a, b) => a.id - b.id)) {
    field(String(m.id));
    field(m.kind);
    field(m.acceptedEpoch === null ? null : String(m.acceptedEpoch));
    field(m.currentEpoch === null ? null : String(m.currentEpoch));
    field(m.lastZxid);
    field(m.firstLogZxid);
    field(m.db);
  }
  for (const n of [...c.nodes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    field(n.path);
    field(n.data);
    field(n.stat);
    field(n.acl);
    field(n.owner);
  }
  return h.digest('hex');
}

/** Writes an export atomically (temporary name, then rename). Refuses to overwrite an existing file. */
export function writeExportFile(file: string, contents: ExportContents): number {
  if (existsSync(file)) throw new ExportFileError(`${file} already exists; choose a new file name`);
  const partial = `${file}.partial-${randomBytes(4).toString('hex')}`;
  try {
    const db = new Database(partial);
    db.pragma('journal_mode = DELETE');
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE members (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, accepted_epoch INTEGER, current_epoch INTEGER,
                            last_zxid TEXT, first_log_zxid TEXT, db BLOB);
      CREATE TABLE nodes (path TEXT PRIMARY KEY, data BLOB, stat TEXT NOT NULL, acl TEXT NOT NULL, owner TEXT NOT NULL);
    `);
    db.transaction(() => {
      const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      meta.run('format', EXPORT_FORMAT);
      meta.run('version', String(EXPORT_VERSION));
      meta.run('manifest', JSON.stringify(contents.manifest));
      meta.run('checksum', checksumOf(contents));
      const member = db.prepare('INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const m of contents.members) member.run(m.id, m.kind, m.acceptedEpoch, m.currentEpoch, m.lastZxid, m.firstLogZxid, m.db);
      const node = db.prepare('INSERT INTO nodes VALUES (?, ?, ?, ?, ?)');
      for (const n of contents.nodes) node.run(n.path, n.data, n.stat, n.acl, n.owner);
    })();
    db.close();
    // Read back before publishing it (a pair assertion: what we wrote is what we meant).
    readExportFile(partial);
    renameSync(partial, file);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
  return statSync(file).size;
}

/**
 * Reads and fully validates an export. A missing, foreign, newer, truncated or corrupt
 * file throws ExportFileError with a message saying which; nothing else is touched.
 */
export function readExportFile(file: string): ExportContents {
  if (!existsSync(file)) throw new ExportFileError(`${file} does not exist`);
  const size = statSync(file).size;
  if (size < 512) throw new ExportFileError(`${file} is not a ZooLab export (only ${size} bytes; truncated or not an export)`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new ExportFileError(`${file} cannot be opened as a ZooLab export: ${(e as Error).message}`);
  }
  try {
    let format: unknown;
    try {
      format = db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get();
    } catch (e) {
      throw new ExportFileError(`${file} is not a ZooLab export (${describeSqliteError(e)})`);
    }
    if (format !== EXPORT_FORMAT) throw new ExportFileError(`${file} is not a ZooLab cluster export (format marker ${JSON.stringify(format ?? null)})`);
    const integrity = safely(file, () => db.pragma('integrity_check', { simple: true }));
    if (integrity !== 'ok') throw new ExportFileError(`${file} is corrupt (SQLite integrity check: ${String(integrity).slice(0, 200)})`);
    const meta = new Map(safely(file, () => db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const version = Number(meta.get('version'));
    if (!Number.isInteger(version) || version < 1) throw new ExportFileError(`${file} has no valid format version`);
    if (version > EXPORT_VERSION) throw new ExportFileError(`${file} was written by a newer ZooLab (export version ${version}; this one reads ${EXPORT_VERSION})`);
    let manifest: ExportManifest;
    try {
      manifest = JSON.parse(meta.get('manifest') ?? '') as ExportManifest;
    } catch {
      throw new ExportFileError(`${file} is corrupt: its manifest is not valid JSON`);
    }
    const members = safely(file, () =>
      (db.prepare('SELECT * FROM members ORDER BY id').all() as Record<string, unknown>[]).map(
        (r): ExportMemberRow => ({
          id: Number(r.id),
          kind: r.kind as MemberKind,
          acceptedEpoch: r.accepted_epoch === null ? null : Number(r.accepted_epoch),
          currentEpoch: r.current_epoch === null ? null : Number(r.current_epoch),
          lastZxid: (r.last_zxid as string | null) ?? null,
          firstLogZxid: (r.first_log_zxid as string | null) ?? null,
          db: (r.db as Buffer | null) ?? null,
        }),
      ),
    );
    const nodes = safely(file, () => db.prepare('SELECT path, data, stat, acl, owner FROM nodes ORDER BY path').all() as ExportNodeRow[]);
    const contents: ExportContents = { manifest, members, nodes };
    if (checksumOf(contents) !== meta.get('checksum')) throw new ExportFileError(`${file} is corrupt: its checksum does not match its contents`);
    checkShape(file, contents);
    return contents;
  } finally {
    db.close();
  }
}

function checkShape(file: string, c: ExportContents): void {
  const m = c.manifest;
  if (m.format !== EXPORT_FORMAT || !m.lab || !Array.isArray(m.members)) throw new ExportFileError(`${file} has an invalid manifest`);
  if (c.members.length !== m.members.length || c.members.length === 0) throw new ExportFileError(`${file} lists ${m.members.length} members but holds ${c.members.length}`);
  for (const row of c.members) {
    if (row.kind !== 'participant' && row.kind !== 'observer') throw new ExportFileError(`${file}: member ${row.id} has an unknown kind ${JSON.stringify(row.kind)}`);
    if (row.db !== null && !row.db.subarray(0, 16).equals(SQLITE_HEADER)) throw new ExportFileError(`${file}: member ${row.id}'s data is not a SQLite file`);
  }
  if (!c.nodes.some((n) => n.path === '/')) throw new ExportFileError(`${file} holds no root node`);
}

function safely<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ExportFileError) throw e;
    throw new ExportFileError(`${file} is corrupt or truncated (${describeSqliteError(e)})`);
  }
}

function describeSqliteError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return `${err.code ?? 'error'}: ${err.message ?? String(e)}`;
}
