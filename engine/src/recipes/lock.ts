/**
 * Distributed locks on sequential-ephemeral nodes (the ZooKeeper recipe): each contender
 * creates `<dir>/<prefix><uuid>-<seq>`; the lowest sequence holds the lock. A waiter
 * watches only the node it is queued behind, so a release wakes exactly one client (no
 * herd effect). The ephemeral node makes a crashed holder's lock go away with its session.
 *
 * `SequentialLock` is the shared engine; `DistributedLock` is the mutex, and
 * rw-lock.ts builds the read/write lock from the same engine with other blocking rules.
 */
import { EventEmitter } from 'node:events';
import { Err, ZkError, joinPath, type Data, type SessionState, type ZkClient } from '../client/index.js';
import { bySequence, createProtectedSequential, deadlineOf, ensurePath, retrying, waitForWatch } from './common.js';

/** Given the contenders sorted by sequence and our index, the node we must wait for, or null if we hold the lock. */
export type BlockingRule = (sorted: readonly string[], mine: number) => string | null;

/** The mutex rule: wait for the node right before ours. */
export const mutexRule: BlockingRule = (sorted, mine) => (mine === 0 ? null : sorted[mine - 1]);

export interface AcquireOptions {
  /** Give up after this long: the contender node is removed and RecipeTimeoutError thrown. */
  timeoutMs?: number;
}

export interface LockEvents {
  /** The lock was acquired. */
  acquired: [];
  /** The session ended while the lock was held: it is no longer ours. */
  lost: [];
}

export class SequentialLock extends EventEmitter<LockEvents> {
  private node: string | null = null;
  private held = false;
  private readonly onState = (state: SessionState) => {
    if (this.held && (state === 'expired' || state === 'closed' || state === 'auth-failed')) {
      this.held = false;
      this.node = null;
      this.emit('lost');
    }
  };

  constructor(
    protected readonly zk: ZkClient,
    /** The directory holding the contender nodes. */
    readonly dir: string,
    private readonly prefix: string,
    private readonly rule: BlockingRule,
    /** Stored in the contender node (e.g. who holds it, for humans and the lab). */
    private readonly data: Data = '',
  ) {
    super();
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Our contender node's path while acquiring or holding. */
  get nodePath(): string | null {
    return this.node === null ? null : joinPath(this.dir, this.node);
  }

  /** Waits until the lock is ours. Rejects on timeout or if the session ends. */
  async acquire(options: AcquireOptions = {}): Promise<void> {
    if (this.node !== null) throw new Error(`lock ${this.dir} is already held or being acquired by this object`);
    const deadline = deadlineOf(options.timeoutMs);
    await ensurePath(this.zk, this.dir);
    this.node = await createProtectedSequential(this.zk, this.dir, this.prefix, this.data);
    try {
      await this.waitForTurn(deadline);
    } catch (e) {
      await this.removeNode();
      throw e;
    }
    this.held = true;
    this.zk.on('state', this.onState);
    this.emit('acquired');
  }

  /** Takes the lock only if nobody is ahead; never waits. */
  async tryAcquire(): Promise<boolean> {
    try {
      await this.acquire({ timeoutMs: 0 });
      return true;
    } catch (e) {
      if (ZkError.is(e, 'OperationTimeout')) return false;
      throw e;
    }
  }

  /** Gives the lock up (deletes our node; the next waiter wakes). */
  async release(): Promise<void> {
    this.zk.off('state', this.onState);
    this.held = false;
    await this.removeNode();
  }

  private async removeNode(): Promise<void> {
    const path = this.nodePath;
    this.node = null;
    if (path === null) return;
    try {
      await retrying(this.zk, () => this.zk.delete(path));
    } catch (e) {
      // Gone already (deleted with an expired session), or the session is over: nothing left to undo.
      if (!ZkError.is(e, 'NoNode') && !ZkError.is(e, 'SessionExpired')) throw e;
    }
  }

  private async waitForTurn(deadline: number | null): Promise<void> {
    for (;;) {
      const sorted = bySequence(await retrying(this.zk, () => this.zk.getChildren(this.dir)));
      const mine = sorted.indexOf(this.node!);
      if (mine < 0) throw new ZkError(Err.SessionExpired, this.nodePath ?? this.dir); // our ephemeral vanished
      const blocker = this.rule(sorted, mine);
      if (blocker === null) return;
      const blockerPath = joinPath(this.dir, blocker);
      await waitForWatch(
        async (watcher) => (await retrying(this.zk, () => this.zk.exists(blockerPath, { watch: watcher }))) !== null,
        deadline,
        this.nodePath!,
      );
    }
  }
}

/**
 * A mutual-exclusion lock.
 *
 *   const lock = new DistributedLock(zk, '/locks/printer');
 *   await lock.acquire({ timeoutMs: 5000 });
 *   try { ... } finally { await lock.release(); }
 */
export class DistributedLock extends SequentialLock {
  constructor(zk: ZkClient, dir: string, options: { data?: Data } = {}) {
    super(zk, dir, 'lock-', mutexRule, options.data);
  }
}
