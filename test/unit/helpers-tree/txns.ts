/**
 * Test fixture: applies hand-written transactions to a ZkDatabase with increasing zxids
 * and a manual clock, so tree tests read like the operations they check.
 */
import { OpCode, Perms, type ACL } from '../../../engine/src/jute/index.js';
import { ZkDatabase, type ApplyResult, type Txn } from '../../../engine/src/tree/index.js';

export const OPEN: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];

export class TxnDriver {
  zxid: bigint;
  time = 1_700_000_000_000;

  constructor(readonly db: ZkDatabase = new ZkDatabase()) {
    this.zxid = db.lastZxid;
  }

  apply(txn: Txn, sessionId = 0n): ApplyResult {
    this.zxid += 1n;
    return this.db.apply({ zxid: this.zxid, sessionId, cxid: 0, time: this.time, txn });
  }

  create(path: string, data: string | null = '', opts: { acl?: ACL[]; owner?: bigint } = {}): ApplyResult {
    return this.apply(createTxn(path, data, opts));
  }

  delete(path: string): ApplyResult {
    return this.apply({ op: OpCode.delete, path });
  }

  setData(path: string, data: string | null): ApplyResult {
    const version = (this.db.tree.stat(path)?.version ?? 0) + 1;
    return this.apply({ op: OpCode.setData, path, data: data === null ? null : Buffer.from(data), version });
  }

  setAcl(path: string, acl: ACL[]): ApplyResult {
    const version = (this.db.tree.stat(path)?.aversion ?? 0) + 1;
    return this.apply({ op: OpCode.setACL, path, acl, version });
  }

  openSession(id: bigint, timeout = 30000): ApplyResult {
    return this.apply({ op: OpCode.createSession, timeout, passwd: Buffer.alloc(16, 7) }, id);
  }

  closeSession(id: bigint): ApplyResult {
    return this.apply({ op: OpCode.closeSession }, id);
  }
}

export function createTxn(path: string, data: string | null = '', opts: { acl?: ACL[]; owner?: bigint } = {}): Txn {
  return {
    op: OpCode.create,
    path,
    data: data === null ? null : Buffer.from(data),
    acl: opts.acl ?? OPEN,
    ephemeralOwner: opts.owner ?? 0n,
  };
}

/** Every znode with its full Stat, data and ACL, sorted by path: two trees are equal iff their dumps are. */
export function dumpTree(db: ZkDatabase): string {
  const lines: string[] = [];
  const walk = (path: string): void => {
    const d = db.tree.getData(path)!;
    lines.push(
      JSON.stringify({ path, data: d.data === null ? null : d.data.toString('hex'), acl: d.acl, stat: d.stat }, (_, v) =>
        typeof v === 'bigint' ? v.toString() : v,
      ),
    );
    const kids = db.tree.getChildren(path)!.children.sort();
    for (const k of kids) walk(path === '/' ? `/${k}` : `${path}/${k}`);
  };
  walk('/');
  const sessions = [...db.sessions()].map((s) => `${s.id}:${s.timeout}:${s.passwd.toString('hex')}`).sort();
  return [...lines, ...sessions, `lastZxid=${db.lastZxid}`].join('\n');
}
