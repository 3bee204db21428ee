/**
 * lab.sqlite: the lab's own file — its configuration, saved link faults and the merged
 * event log — so a session can be reviewed after the lab is down. Opened by one
 * supervisor at a time (the control channel makes sure of that).
 *
 * Pragmas: WAL so `events --follow` readers never block the writer; synchronous=NORMAL
 * because losing the last few events on power loss is acceptable for a lab log (members'
 * own files carry the data that matters).
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LabEvent, LinkEnd, LinkSettings } from './api.js';
import { LAB_FORMAT, LAB_FORMAT_VERSION, type LabConfig } from './lab-config.js';

export const LAB_FILE = 'lab.sqlite';
const SCHEMA_VERSION = 1;

export class LabStoreError extends Error {
  override name = 'LabStoreError';
}

export function labFilePath(dir: string): string {
  return join(dir, LAB_FILE);
}

export function isLabDir(dir: string): boolean {
  return existsSync(labFilePath(dir));
}

export class LabStore {
  private readonly db: Database.Database;
  private readonly insertEvent: Database.Statement<[number, number, string]>;

  private constructor(db: Database.Database) {
    this.db = db;
    this.insertEvent = db.prepare('INSERT INTO events (seq, at, body) VALUES (?, ?, ?)');
  }

  /** Creates lab.sqlite with `config`; refuses if the directory already holds a lab. */
  static create(dir: string, config: LabConfig): LabStore {
    const file = labFilePath(dir);
    if (existsSync(file)) throw new LabStoreError(`${dir} already holds a lab (${LAB_FILE} exists)`);
    const db = new Database(file);
    setPragmas(db);
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE links (from_end TEXT NOT NULL, to_end TEXT NOT NULL, settings TEXT NOT NULL, PRIMARY KEY (from_end, to_end));
    `);
    const store = new LabStore(db);
    db.transaction(() => {
      store.setMeta('format', LAB_FORMAT);
      store.setMeta('schemaVersion', String(SCHEMA_VERSION));
      store.setMeta('config', JSON.stringify(config));
    })();
    return store;
  }

  /** Opens an existing lab; a file that is not a lab, or a newer one, is refused. */
  static open(dir: string, options: { readonly?: boolean } = {}): LabStore {
    const file = labFilePath(dir);
    if (!existsSync(file)) throw new LabStoreError(`${dir} is not a lab directory (no ${LAB_FILE}); create one with zk-lab up`);
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: true });
      if (!options.readonly) setPragmas(db);
      const format = db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get();
      if (format !== LAB_FORMAT) throw new Error('missing format marker');
    } catch (e) {
      throw new LabStoreError(`${file} is not a ZooLab lab file: ${(e as Error).message}`);
    }
    const version = Number(db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").pluck().get());
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new LabStoreError(`${file} was written by a newer ZooLab (schema ${version}, this one reads ${SCHEMA_VERSION})`);
    }
    return new LabStore(db);
  }

  config(): LabConfig {
    const text = this.getMeta('config');
    if (!text) throw new LabStoreError('lab file has no configuration');
    const config = JSON.parse(text) as LabConfig;
    if (config.format !== LAB_FORMAT || config.version > LAB_FORMAT_VERSION) {
      throw new LabStoreError(`unsupported lab configuration (format ${config.format} v${config.version})`);
    }
    return config;
  }

  setConfig(config: LabConfig): void {
    this.setMeta('config', JSON.stringify(config));
  }

  getMeta(key: string): string | null {
    const v = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
    return typeof v === 'string' ? v : null;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Appends events in one transaction (the event log batches them). */
  appendEvents(events: readonly LabEvent[]): void {
    if (events.length === 0) return;
    this.db.transaction(() => {
      for (const e of events) this.insertEvent.run(e.seq, e.at, JSON.stringify(e.body));
    })();
  }

  /** Events with seq > afterSeq, oldest first. */
  readEvents(afterSeq: number, limit: number): LabEvent[] {
    const rows = this.db
      .prepare('SELECT seq, at, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(afterSeq, limit) as { seq: number; at: number; body: string }[];
    return rows.map((r) => ({ seq: r.seq, at: r.at, body: JSON.parse(r.body) }));
  }

  lastSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM events').pluck().get() as number) ?? 0;
  }

  firstSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MIN(seq), 0) FROM events').pluck().get() as number) ?? 0;
  }

  /** Keeps the newest `keep` events (the log is bounded). Returns how many were removed. */
  trimEvents(keep: number): number {
    const last = this.lastSeq();
    return this.db.prepare('DELETE FROM events WHERE seq <= ?').run(last - keep).changes;
  }

  saveLinks(links: { from: LinkEnd; to: LinkEnd; settings: LinkSettings }[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM links').run();
      const insert = this.db.prepare('INSERT INTO links (from_end, to_end, settings) VALUES (?, ?, ?)');
      for (const l of links) insert.run(String(l.from), String(l.to), JSON.stringify(l.settings));
    })();
  }

  loadLinks(): { from: LinkEnd; to: LinkEnd; settings: LinkSettings }[] {
    const rows = this.db.prepare('SELECT from_end, to_end, settings FROM links').all() as { from_end: string; to_end: string; settings: string }[];
    const end = (s: string): LinkEnd => (s === 'client' ? 'client' : Number(s));
    return rows.map((r) => ({ from: end(r.from_end), to: end(r.to_end), settings: JSON.parse(r.settings) as LinkSettings }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function setPragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A second reader (zk-lab events on a stopped lab) may briefly hold a lock.
  db.pragma('busy_timeout = 2000');
}
