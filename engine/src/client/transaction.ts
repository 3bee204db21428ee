/**
 * A builder for multi (wire-protocol.md §14): collect ops, then commit them atomically.
 *
 *   await zk.transaction()
 *     .check('/config', 3)
 *     .setData('/config', 'v4', 3)
 *     .create('/config/history-', 'v3', { mode: CreateMode.PERSISTENT_SEQUENTIAL })
 *     .commit();
 */
import type { ACL } from '../jute/records.js';
import type { CreateMode } from '../jute/constants.js';
import type { Data, Op, OpResult } from './types.js';

export class Transaction {
  private readonly list: Op[] = [];

  constructor(private readonly run: (ops: readonly Op[]) => Promise<OpResult[]>) {}

  create(path: string, data: Data = '', options: { mode?: CreateMode; acl?: ACL[]; ttl?: number } = {}): this {
    this.list.push({ type: 'create', path, data, ...options });
    return this;
  }

  delete(path: string, version = -1): this {
    this.list.push({ type: 'delete', path, version });
    return this;
  }

  setData(path: string, data: Data, version = -1): this {
    this.list.push({ type: 'setData', path, data, version });
    return this;
  }

  /** Fails the transaction unless the node's version is `version`. */
  check(path: string, version: number): this {
    this.list.push({ type: 'check', path, version });
    return this;
  }

  /** The ops collected so far. */
  get ops(): readonly Op[] {
    return this.list;
  }

  /** Sends the ops as one multi; rejects with ZkMultiError if any fails (then none applied). */
  commit(): Promise<OpResult[]> {
    return this.run(this.list.slice());
  }
}
