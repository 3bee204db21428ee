/**
 * Exports a whole lab to one file (export-file.ts): its configuration, each member's
 * durable state with a consistent copy of its SQLite file, and the data tree of the most
 * up-to-date member, rebuilt from that copy exactly as the member itself recovers
 * (snapshot + log replay), so Stat, ACLs and raw ephemeral owners are exact. Works while
 * members run (copies are taken with VACUUM INTO inside one read transaction) and while
 * they are down.
 *
 * Import (`importClusterDir`) creates a new lab directory of the same shape with fresh
 * ports and puts each member's file back, so the new members recover the same state.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteStore, recoverStore } from '../storage/index.js';
import { ZkDatabase } from '../tree/zk-database.js';
import type { ExportManifest, MemberId } from './api.js';
import { EXPORT_FORMAT, EXPORT_VERSION, readExportFile, writeExportFile, ExportFileError, type ExportMemberRow, type ExportNodeRow } from './export-file.js';
import { type LabConfig } from './lab-config.js';
import { createLabDir, memberDataDir } from './lab-layout.js';
import { aclToJson, hex64, statToJson } from './tree-json.js';

/** The member's one SQLite file (storage's combined layout; the lab never splits dataLogDir). */
export const MEMBER_DB_FILE = 'zoolab.db';

export interface ClusterExportSource {
  dir: string;
  config: LabConfig;
  /** The current leader, if any: its tree is the reference. */
  leader: MemberId | null;
}

export async function exportCluster(source: ClusterExportSource, fileArg: string, now: number): Promise<{ file: string; sizeBytes: number; manifest: ExportManifest }> {
  const file = resolve(fileArg);
  if (existsSync(file)) throw new ExportFileError(`${file} already exists; choose a new file name`);
  const work = mkdtempSync(join(tmpdir(), 'zoolab-export-'));
  try {
    const members: ExportMemberRow[] = source.config.members.map((m) => copyMember(source.dir, m.id, m.kind, work));
    const withData = members.filter((m) => m.db !== null);
    if (withData.length === 0) throw new ExportFileError('no member has any data yet; start the lab before exporting it');
    const reference =
      withData.find((m) => m.id === source.leader) ??
      [...withData].sort((a, b) => Number(BigInt(b.lastZxid ?? '0x0') - BigInt(a.lastZxid ?? '0x0')) || a.id - b.id)[0]!;
    const db = await recoverCopy(join(work, `${reference.id}.db`), join(work, 'reference'));
    const nodes = walkTree(db);
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      createdAt: now,
      lab: {
        name: source.config.name,
        members: source.config.members.filter((m) => m.kind === 'participant').length,
        observers: source.config.members.filter((m) => m.kind === 'observer').length,
        tickTimeMs: source.config.tickTimeMs,
        initLimit: source.config.initLimit,
        syncLimit: source.config.syncLimit,
      },
      members: members.map((m) => ({
        id: m.id,
        kind: m.kind,
        acceptedEpoch: m.acceptedEpoch,
        currentEpoch: m.currentEpoch,
        lastZxid: m.lastZxid,
        firstLogZxid: m.firstLogZxid,
      })),
      znodes: nodes.length,
      digest: '0x' + db.digestHex().replace(/^0x/, ''),
    };
    const sizeBytes = writeExportFile(file, { manifest, members, nodes });
    return { file, sizeBytes, manifest };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A consistent copy of one member's file plus its durable state, or a row without data. */
function copyMember(dir: string, id: MemberId, kind: ExportMemberRow['kind'], work: string): ExportMemberRow {
  const src = join(memberDataDir(dir, id), MEMBER_DB_FILE);
  const empty: ExportMemberRow = { id, kind, acceptedEpoch: null, currentEpoch: null, lastZxid: null, firstLogZxid: null, db: null };
  if (!existsSync(src)) return empty;
  const copy = join(work, `${id}.db`);
  const source = new Database(src, { readonly: true, fileMustExist: true });
  try {
    // One read transaction: the copy is a committed state even while the member writes.
    source.exec(`VACUUM INTO '${copy.replace(/'/g, "''")}'`);
  } finally {
    source.close();
  }
  const db = new Database(copy, { readonly: true });
  db.defaultSafeIntegers(true);
  try {
    const durable = new Map((db.prepare('SELECT name, value FROM durable_state').all() as { name: string; value: bigint }[]).map((r) => [r.name, Number(r.value)]));
    const log = db.prepare('SELECT MIN(zxid) AS first, MAX(zxid) AS last FROM txn_log').get() as { first: bigint | null; last: bigint | null };
    const snap = db.prepare('SELECT MAX(zxid) AS zxid FROM snapshots WHERE complete = 1').get() as { zxid: bigint | null };
    const last = [log.last, snap.zxid].filter((z): z is bigint => z !== null).reduce((a, b) => (a > b ? a : b), 0n);
    return {
      id,
      kind,
      acceptedEpoch: durable.get('acceptedEpoch') ?? 0,
      currentEpoch: durable.get('currentEpoch') ?? 0,
      lastZxid: hex64(last),
      firstLogZxid: log.first === null ? null : hex64(log.first),
      db: readFileSync(copy),
    };
  } finally {
    db.close();
  }
}

/** Rebuilds a member's database from a copy of its file, the way the member does at start. */
async function recoverCopy(copy: string, scratchDir: string): Promise<ZkDatabase> {
  mkdirSync(scratchDir, { recursive: true });
  copyFileSync(copy, join(scratchDir, MEMBER_DB_FILE));
  const store = await openSqliteStore({ dataDir: scratchDir });
  try {
    const recovered = await recoverStore(store, {
      empty: () => new ZkDatabase(),
      deserialize: (bytes) => ZkDatabase.deserialize(bytes),
      apply: (db, entry) => void db.apply(entry),
    });
    return recovered.db;
  } finally {
    await store.close();
  }
}

/** Every node, parents before children, with its exact Stat, ACL and raw owner. */
export function walkTree(db: ZkDatabase): ExportNodeRow[] {
  const out: ExportNodeRow[] = [];
  const stack = ['/'];
  while (stack.length > 0) {
    const path = stack.pop()!;
    const node = db.tree.getData(path);
    const info = db.tree.nodeInfo(path);
    if (!node || !info) continue;
    out.push({ path, data: node.data, stat: JSON.stringify(statToJson(node.stat)), acl: JSON.stringify(aclToJson(node.acl)), owner: hex64(info.owner) });
    const children = db.tree.getChildren(path)?.children ?? [];
    for (const c of children.sort().reverse()) stack.push(path === '/' ? `/${c}` : `${path}/${c}`);
  }
  return out;
}

/**
 * Creates a lab in `dirArg` holding an exported cluster: the same members (ids, kinds,
 * timings) on fresh ports, each with its exported SQLite file. The file is validated
 * first; on any failure the half-made directory is removed, so nothing changes.
 */
export async function importClusterDir(fileArg: string, dirArg: string, now: number, seed: number): Promise<LabConfig> {
  const contents = readExportFile(resolve(fileArg));
  const dir = resolve(dirArg);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new ExportFileError(`${dir} exists and is not empty; import into a new directory`);
  const lab = contents.manifest.lab;
  const existed = existsSync(dir);
  try {
    const config = await createLabDir(
      dir,
      { members: lab.members, observers: lab.observers, tickTimeMs: lab.tickTimeMs, initLimit: lab.initLimit, syncLimit: lab.syncLimit, name: `${lab.name} (imported)` },
      now,
      seed,
    );
    const ids = config.members.map((m) => `${m.id}:${m.kind}`).join(',');
    const exported = contents.members.map((m) => `${m.id}:${m.kind}`).join(',');
    if (ids !== exported) throw new ExportFileError(`the export's members (${exported}) do not match a new lab's layout (${ids})`);
    for (const m of contents.members) {
      if (m.db) writeFileSync(join(memberDataDir(dir, m.id), MEMBER_DB_FILE), m.db);
    }
    return config;
  } catch (e) {
    if (existed) for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
    else rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
