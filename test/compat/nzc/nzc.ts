/**
 * node-zookeeper-client (npm, v1.1.3) loaded as the untyped CommonJS package it is,
 * with a narrow typed view of the parts the compatibility suite uses and promise
 * wrappers around its callbacks. The package is a real client we did not write: it
 * sends the 44-byte "old client" handshake, starts xids at 0 and replays SetWatches
 * (opcode 101) after reconnecting (wire-protocol.md §4.1).
 */
import { createRequire } from 'node:module';

export interface NzcStat {
  czxid: Buffer;
  mzxid: Buffer;
  ctime: Buffer;
  mtime: Buffer;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: Buffer;
  dataLength: number;
  numChildren: number;
  pzxid: Buffer;
}

export interface NzcId {
  scheme: string;
  id: string;
}
export interface NzcACL {
  permission: number;
  id: NzcId;
}
export interface NzcEvent {
  type: number;
  name: string;
  path: string;
}
export interface NzcState {
  name: string;
  code: number;
}
export interface NzcError extends Error {
  code: number;
  name: string;
  path?: string;
}
type Cb<T extends unknown[]> = (error: NzcError | null, ...rest: T) => void;
type Watcher = (e: NzcEvent) => void;

export interface NzcTransaction {
  create(path: string, data?: Buffer | null, acls?: NzcACL[], mode?: number): NzcTransaction;
  setData(path: string, data: Buffer | null, version?: number): NzcTransaction;
  check(path: string, version?: number): NzcTransaction;
  remove(path: string, version?: number): NzcTransaction;
  commit(cb: Cb<[{ type: number; err?: number; path?: string; stat?: NzcStat }[]]>): void;
}

export interface NzcClient {
  connect(): void;
  close(): void;
  on(event: 'state', l: (s: NzcState) => void): void;
  once(event: 'connected' | 'disconnected' | 'expired' | 'authenticationFailed', l: () => void): void;
  getState(): NzcState;
  getSessionId(): Buffer;
  getSessionPassword(): Buffer;
  getSessionTimeout(): number;
  addAuthInfo(scheme: string, auth: Buffer): void;
  create(path: string, data: Buffer | null, acls: NzcACL[], mode: number, cb: Cb<[string]>): void;
  remove(path: string, version: number, cb: Cb<[]>): void;
  removeRecursive(path: string, version: number, cb: Cb<[]>): void;
  exists(path: string, watcher: Watcher | undefined, cb: Cb<[NzcStat | null]>): void;
  getChildren(path: string, watcher: Watcher | undefined, cb: Cb<[string[], NzcStat]>): void;
  listSubTreeBFS(path: string, cb: Cb<[string[]]>): void;
  getData(path: string, watcher: Watcher | undefined, cb: Cb<[Buffer | null, NzcStat]>): void;
  setData(path: string, data: Buffer | null, version: number, cb: Cb<[NzcStat]>): void;
  getACL(path: string, cb: Cb<[NzcACL[], NzcStat]>): void;
  setACL(path: string, acls: NzcACL[], version: number, cb: Cb<[NzcStat]>): void;
  mkdirp(path: string, data: Buffer | null, acls: NzcACL[], mode: number, cb: Cb<[string]>): void;
  transaction(): NzcTransaction;
}

interface NzcModule {
  createClient(connectionString: string, options?: { sessionTimeout?: number; spinDelay?: number; retries?: number }): NzcClient;
  ACL: (new (perms: number, id: NzcId) => NzcACL) & { OPEN_ACL_UNSAFE: NzcACL[]; CREATOR_ALL_ACL: NzcACL[]; READ_ACL_UNSAFE: NzcACL[] };
  Id: new (scheme: string, id: string) => NzcId;
  Permission: { READ: number; WRITE: number; CREATE: number; DELETE: number; ADMIN: number; ALL: number };
  CreateMode: { PERSISTENT: number; PERSISTENT_SEQUENTIAL: number; EPHEMERAL: number; EPHEMERAL_SEQUENTIAL: number };
  State: Record<'DISCONNECTED' | 'SYNC_CONNECTED' | 'AUTH_FAILED' | 'EXPIRED', NzcState>;
  Event: Record<'NODE_CREATED' | 'NODE_DELETED' | 'NODE_DATA_CHANGED' | 'NODE_CHILDREN_CHANGED', number>;
  Exception: Record<string, number>;
}

export const nzc = createRequire(import.meta.url)('node-zookeeper-client') as NzcModule;

/** A bound on waiting for something the server should cause promptly: a failure, not a hang. */
const EVENT_WAIT_MS = 10_000;

/** Promise wrappers: each resolves with the callback's values or rejects with its error. */
export function p0(f: (cb: Cb<[]>) => void): Promise<void> {
  return new Promise((resolve, reject) => f((e) => (e ? reject(e) : resolve())));
}
export function p1<A>(f: (cb: Cb<[A]>) => void): Promise<A> {
  return new Promise((resolve, reject) => f((e, a) => (e ? reject(e) : resolve(a))));
}
export function p2<A, B>(f: (cb: Cb<[A, B]>) => void): Promise<[A, B]> {
  return new Promise((resolve, reject) => f((e, a, b) => (e ? reject(e) : resolve([a, b]))));
}

/** Resolves with the error code a failing call produced (rejects if it succeeded). */
export async function errorCode(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    const code = (e as NzcError).code;
    if (typeof code === 'number') return code;
    throw e;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** Connects a client and waits for SyncConnected. */
export function connectClient(connectString: string, opts: { sessionTimeout?: number; spinDelay?: number } = {}): Promise<NzcClient> {
  const c = nzc.createClient(connectString, { sessionTimeout: 30_000, spinDelay: 50, ...opts });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      c.close();
      reject(new Error(`node-zookeeper-client could not connect to ${connectString}`));
    }, 10_000);
    c.once('connected', () => {
      clearTimeout(timer);
      resolve(c);
    });
    c.connect();
  });
}

/** Waits until the client reaches a state (by name), e.g. 'EXPIRED'. */
export function stateReached(c: NzcClient, name: string, timeoutMs = EVENT_WAIT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (c.getState().name === name) return resolve();
    const timer = setTimeout(() => reject(new Error(`the client did not reach state ${name} within ${timeoutMs} ms (it is ${c.getState().name})`)), timeoutMs);
    c.on('state', (s) => {
      if (s.name !== name) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A watcher whose events can be awaited one by one. */
export class EventQueue {
  readonly events: NzcEvent[] = [];
  private waiters: ((e: NzcEvent) => void)[] = [];
  readonly watcher: Watcher = (e) => {
    const w = this.waiters.shift();
    if (w) w(e);
    else this.events.push(e);
  };
  /** The next event; fails (instead of hanging the test) if none comes within `timeoutMs`. */
  next(timeoutMs = EVENT_WAIT_MS): Promise<NzcEvent> {
    const e = this.events.shift();
    if (e) return Promise.resolve(e);
    return new Promise((resolve, reject) => {
      const waiter = (ev: NzcEvent) => {
        clearTimeout(timer);
        resolve(ev);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no watch event arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

/** A jute long as nzc hands it over (an 8-byte buffer), as a bigint. */
export const long = (b: Buffer): bigint => b.readBigInt64BE(0);
