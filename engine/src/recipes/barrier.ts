/**
 * A double barrier (the ZooKeeper recipe): `size` participants enter together and leave
 * together. Each participant is an ephemeral node under the barrier path; the one that
 * completes the group creates `<path>/ready`, which releases everyone waiting in enter().
 * leave() removes the participant and waits until all others have left; the last one out
 * removes `ready` so the path can be used again. A participant whose session ends leaves
 * automatically (its node is ephemeral), so a crash cannot block the others' leave().
 */
import { randomUUID } from 'node:crypto';
import { CreateMode, ZkError, joinPath, type Watcher, type ZkClient } from '../client/index.js';
import { deadlineOf, ensurePath, retrying, waitForWatch } from './common.js';

const READY = 'ready';

export class DoubleBarrier {
  private readonly node: string;

  constructor(
    private readonly zk: ZkClient,
    readonly path: string,
    readonly size: number,
    /** The participant's name (its node under the path). */
    readonly id: string = randomUUID(),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`barrier size must be a positive integer, got ${size}`);
    if (id === READY || id.includes('/')) throw new RangeError(`invalid participant id "${id}"`);
    this.node = joinPath(path, id);
  }

  /** Waits until `size` participants have entered. */
  async enter(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = deadlineOf(options.timeoutMs);
    const ready = joinPath(this.path, READY);
    await ensurePath(this.zk, this.path);
    try {
      await retrying(this.zk, () => this.zk.create(this.node, '', { mode: CreateMode.EPHEMERAL }));
    } catch (e) {
      if (!ZkError.is(e, 'NodeExists')) throw e;
    }
    try {
      for (;;) {
        let armed = false;
        await waitForWatch(
          async (w) => {
            // Watch `ready` first, then count: whoever completes the group creates it, and the watch catches that.
            if ((await retrying(this.zk, () => this.zk.exists(ready, { watch: w }))) !== null) return false;
            const count = (await this.participants()).length;
            if (count >= this.size) {
              await this.zk.create(ready, '').catch((e: unknown) => {
                if (!ZkError.is(e, 'NodeExists')) throw e;
              });
              return false;
            }
            armed = true;
            return true;
          },
          deadline,
          ready,
        );
        if (!armed || (await retrying(this.zk, () => this.zk.exists(ready))) !== null) return;
      }
    } catch (e) {
      await this.removeSelf().catch(() => {});
      throw e;
    }
  }

  /** Leaves and waits until every other participant has left too. */
  async leave(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = deadlineOf(options.timeoutMs);
    await this.removeSelf();
    for (;;) {
      let remaining = 0;
      await waitForWatch(
        async (w) => {
          remaining = (await this.participants(w)).length;
          return remaining > 0;
        },
        deadline,
        this.path,
      );
      if (remaining === 0) break;
    }
    await this.zk.delete(joinPath(this.path, READY)).catch((e: unknown) => {
      if (!ZkError.is(e, 'NoNode')) throw e;
    });
  }

  private async participants(watch?: Watcher): Promise<string[]> {
    const children = await retrying(this.zk, () => this.zk.getChildren(this.path, watch ? { watch } : {}));
    return children.filter((c) => c !== READY);
  }

  private async removeSelf(): Promise<void> {
    try {
      await retrying(this.zk, () => this.zk.delete(this.node));
    } catch (e) {
      if (!ZkError.is(e, 'NoNode')) throw e;
    }
  }
}
