/**
 * A read/write lock (the ZooKeeper "shared locks" recipe): readers create `read-…` and
 * writers `write-…` sequential-ephemeral nodes in one directory. A reader proceeds when no
 * writer is queued ahead of it and waits only for the nearest writer before it; a writer
 * proceeds when it is first and waits only for the node right before it. Readers share,
 * writers exclude everyone, and arrival order is respected (no writer starvation).
 */
import type { Data, ZkClient } from '../client/index.js';
import { SequentialLock, mutexRule, type BlockingRule } from './lock.js';

const READ = 'read-';
const WRITE = 'write-';

/** A reader waits for the last writer queued before it. */
export const readRule: BlockingRule = (sorted, mine) => {
  for (let i = mine - 1; i >= 0; i--) if (sorted[i].startsWith(WRITE)) return sorted[i];
  return null;
};

/** A writer waits for whoever is right before it. */
export const writeRule: BlockingRule = mutexRule;

export class ReadWriteLock {
  constructor(
    private readonly zk: ZkClient,
    readonly dir: string,
    private readonly options: { data?: Data } = {},
  ) {}

  /** A new shared (read) lock handle on this directory. */
  readLock(): SequentialLock {
    return new SequentialLock(this.zk, this.dir, READ, readRule, this.options.data);
  }

  /** A new exclusive (write) lock handle on this directory. */
  writeLock(): SequentialLock {
    return new SequentialLock(this.zk, this.dir, WRITE, writeRule, this.options.data);
  }
}
