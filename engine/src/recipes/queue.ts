/**
 * A distributed FIFO queue (the ZooKeeper recipe): producers add persistent-sequential
 * children `<path>/qn-<seq>`; a consumer takes the lowest one by deleting it, and only the
 * client whose delete succeeds gets the item, so every item is consumed exactly once even
 * with many consumers. Items are persistent: they survive the producer's and the
 * consumers' sessions.
 */
import { CreateMode, ZkError, joinPath, type Data, type Watcher, type ZkClient } from '../client/index.js';
import { bySequence, deadlineOf, ensurePath, retrying, waitForWatch } from './common.js';

const PREFIX = 'qn-';

export interface QueueItem {
  /** The item's node name (its position: sequence numbers grow in arrival order). */
  name: string;
  data: Buffer | null;
}

export class DistributedQueue {
  private ensured = false;

  constructor(
    private readonly zk: ZkClient,
    readonly path: string,
  ) {}

  /** Appends an item; resolves with its node name. */
  async offer(data: Data): Promise<string> {
    await this.ensure();
    const path = await this.zk.create(joinPath(this.path, PREFIX), data, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    return path.slice(path.lastIndexOf('/') + 1);
  }

  /** Removes and returns the head, or null if the queue is empty. */
  async poll(): Promise<QueueItem | null> {
    await this.ensure();
    return this.takeFrom(await this.items());
  }

  /** Returns the head without removing it, or null. */
  async peek(): Promise<QueueItem | null> {
    await this.ensure();
    for (const name of await this.items()) {
      try {
        const { data } = await retrying(this.zk, () => this.zk.getData(joinPath(this.path, name)));
        return { name, data };
      } catch (e) {
        if (!ZkError.is(e, 'NoNode')) throw e;
      }
    }
    return null;
  }

  /** Removes and returns the head, waiting for one if the queue is empty. */
  async take(options: { timeoutMs?: number } = {}): Promise<QueueItem> {
    const deadline = deadlineOf(options.timeoutMs);
    await this.ensure();
    for (;;) {
      let names: string[] = [];
      await waitForWatch(
        async (w) => {
          names = await this.items(w);
          return names.length === 0;
        },
        deadline,
        this.path,
      );
      const item = await this.takeFrom(names.length > 0 ? names : await this.items());
      if (item) return item;
    }
  }

  /** Number of items queued right now. */
  async size(): Promise<number> {
    await this.ensure();
    return (await this.items()).length;
  }

  private async items(watch?: Watcher): Promise<string[]> {
    const children = await retrying(this.zk, () => this.zk.getChildren(this.path, watch ? { watch } : {}));
    return bySequence(children.filter((c) => c.startsWith(PREFIX)));
  }

  /**
   * Tries the items in order: read, then delete. Losing the delete race (NoNode) means
   * another consumer got that one; move on. A ConnectionLoss on the delete leaves us not
   * knowing whether we took it, so the read value is returned only when the delete
   * certainly succeeded — after a reconnect we check whether the node is gone and
   * conservatively treat an absent node as taken by someone else.
   */
  private async takeFrom(names: readonly string[]): Promise<QueueItem | null> {
    for (const name of names) {
      const path = joinPath(this.path, name);
      let data: Buffer | null;
      try {
        data = (await retrying(this.zk, () => this.zk.getData(path))).data;
      } catch (e) {
        if (ZkError.is(e, 'NoNode')) continue;
        throw e;
      }
      try {
        await this.zk.delete(path);
        return { name, data };
      } catch (e) {
        if (ZkError.is(e, 'NoNode')) continue;
        if (!ZkError.is(e, 'ConnectionLoss')) throw e;
        await this.zk.waitForConnected();
        // Whether our delete happened is unknown: try again; NoNode then means it is gone either way.
        try {
          await this.zk.delete(path);
          return { name, data };
        } catch (again) {
          if (ZkError.is(again, 'NoNode')) continue;
          throw again;
        }
      }
    }
    return null;
  }

  private async ensure(): Promise<void> {
    if (this.ensured) return;
    await ensurePath(this.zk, this.path);
    this.ensured = true;
  }
}
