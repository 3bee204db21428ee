/**
 * Leader election (the ZooKeeper recipe): every candidate creates a sequential-ephemeral
 * `<path>/n_<uuid>-<seq>` holding its id; the lowest sequence leads. A follower watches
 * only the candidate right before it, so a leader's failure wakes one client, which then
 * checks whether it is now first. Leadership ends with the session (the node is
 * ephemeral) or with resign().
 *
 *   const election = new LeaderElection(zk, '/election/app', 'worker-1');
 *   election.on('elected', () => startWork());
 *   election.on('revoked', () => stopWork());
 *   await election.start();
 *
 * observeLeader() reports who leads, for anyone (candidates or not) who needs to know.
 */
import { EventEmitter } from 'node:events';
import { ZkError, joinPath, type LiveWatch, type SessionState, type ZkClient } from '../client/index.js';
import { bySequence, createProtectedSequential, ensurePath, retrying, waitForWatch } from './common.js';

const PREFIX = 'n_';

export interface LeaderElectionEvents {
  /** This candidate became the leader. */
  elected: [];
  /** This candidate was the leader and no longer is (resigned, or its session ended). */
  revoked: [];
  /** This candidate left the election (resigned or its session ended). */
  closed: [];
  /** An unexpected failure stopped this candidate. */
  error: [error: unknown];
}

export class LeaderElection extends EventEmitter<LeaderElectionEvents> {
  private node: string | null = null;
  private leader = false;
  private stopped = false;
  private electedWaiters: Array<() => void> = [];
  private readonly onState = (state: SessionState) => {
    if (state === 'expired' || state === 'closed' || state === 'auth-failed') this.finish();
  };

  constructor(
    private readonly zk: ZkClient,
    readonly path: string,
    /** Stored in the candidate node: what observers see as the leader's id. */
    readonly id: string,
  ) {
    super();
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** The candidate node's path once started. */
  get nodePath(): string | null {
    return this.node === null ? null : joinPath(this.path, this.node);
  }

  /** Joins the election. Resolves once the candidate node exists; leadership is announced by 'elected'. */
  async start(): Promise<void> {
    if (this.node !== null || this.stopped) throw new Error('this LeaderElection has already been started');
    await ensurePath(this.zk, this.path);
    this.node = await createProtectedSequential(this.zk, this.path, PREFIX, this.id);
    this.zk.on('state', this.onState);
    void this.run();
  }

  /** Resolves when this candidate is the leader. */
  whenElected(): Promise<void> {
    if (this.leader) return Promise.resolve();
    return new Promise((resolve) => this.electedWaiters.push(resolve));
  }

  /** Leaves the election (deleting the candidate node lets the next candidate lead). */
  async resign(): Promise<void> {
    const path = this.nodePath;
    this.finish();
    if (path === null) return;
    try {
      await retrying(this.zk, () => this.zk.delete(path));
    } catch (e) {
      if (!ZkError.is(e, 'NoNode') && !ZkError.is(e, 'SessionExpired')) throw e;
    }
  }

  private finish(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.zk.off('state', this.onState);
    const wasLeader = this.leader;
    this.leader = false;
    this.node = null;
    if (wasLeader) this.emit('revoked');
    this.emit('closed');
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped) {
        const sorted = bySequence(await retrying(this.zk, () => this.zk.getChildren(this.path)));
        if (this.stopped) return;
        const mine = sorted.indexOf(this.node!);
        if (mine < 0) {
          // Our ephemeral is gone: the session ended under us.
          this.finish();
          return;
        }
        if (mine === 0) {
          this.leader = true;
          this.emit('elected');
          for (const w of this.electedWaiters.splice(0)) w();
          return; // leadership lasts until resign() or the session ends
        }
        const before = joinPath(this.path, sorted[mine - 1]);
        await waitForWatch(async (w) => (await retrying(this.zk, () => this.zk.exists(before, { watch: w }))) !== null, null, before);
      }
    } catch (e) {
      if (this.stopped) return;
      if (ZkError.is(e, 'SessionExpired') || ZkError.is(e, 'AuthFailed')) this.finish();
      else {
        this.emit('error', e);
        this.finish();
      }
    }
  }
}

/**
 * Reports the current leader's id (null when there is none) every time it changes. Uses a
 * re-arming children watch on the election path, so it is for observers, not for the
 * candidates' own waiting (which watch only their predecessor).
 */
export function observeLeader(zk: ZkClient, path: string, listener: (leaderId: string | null) => void): LiveWatch {
  let last: string | null | undefined;
  let generation = 0;
  return zk.watchChildren(path, (children) => {
    const mine = ++generation;
    const candidates = children === null ? [] : bySequence(children.filter((c) => c.startsWith(PREFIX)));
    const report = (id: string | null) => {
      if (mine !== generation || id === last) return;
      last = id;
      listener(id);
    };
    if (candidates.length === 0) return report(null);
    zk.getData(joinPath(path, candidates[0])).then(
      (d) => report(d.data?.toString('utf8') ?? ''),
      // The leader vanished between the two reads: the children watch reports the next one.
      () => undefined,
    );
  });
}
