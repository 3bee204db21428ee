/**
 * Two ways to wait for a distributed lock (lesson 10), side by side, counting how many
 * waiters each release wakes. Every contender creates an ephemeral sequential znode under
 * the lock directory; the lowest one holds the lock.
 *
 *  - herd: every waiter watches the directory's children, so every change wakes every
 *    waiter, and all of them re-read the children to learn that only one may go on (the
 *    "herd effect" the ZooKeeper recipes warn about);
 *  - recipe: each waiter watches only the znode just before its own (exists with a watch),
 *    so a release wakes exactly one waiter.
 *
 * A holder whose session dies loses its ephemeral znode, so the next waiter takes over.
 */
import { ZkError } from '../../client/index.js';
import type { ScenarioClient } from '../clients.js';

export type LockStyle = 'herd' | 'recipe';

interface Contender {
  client: ScenarioClient;
  node: string;
  wakeups: number;
  evaluating: Promise<void> | null;
  again: boolean;
  /** Released or its session ended: it no longer waits, and its watches no longer count. */
  gone: boolean;
}

export class LockDemo {
  readonly contenders: Contender[] = [];
  holder: string | null = null;
  readonly holders: { at: number; holder: string | null }[] = [];
  /** Evaluations in progress: the demo is settled when none is. */
  private busy = 0;

  constructor(
    readonly style: LockStyle,
    readonly dir: string,
    private readonly now: () => number,
    private readonly onChange: () => void,
  ) {}

  get totalWakeups(): number {
    return this.contenders.reduce((n, c) => n + c.wakeups, 0);
  }

  get settled(): boolean {
    return this.busy === 0;
  }

  wakeupsOf(name: string): number {
    return this.contenders.find((c) => c.client.name === name)?.wakeups ?? 0;
  }

  /** Adds a contender: it creates its sequential node and starts waiting (or holds the lock). */
  async join(client: ScenarioClient): Promise<string> {
    await client.zk.mkdirp(this.dir);
    const node = await client.zk.create(`${this.dir}/lock-`, client.name, { mode: 3 /* EPHEMERAL_SEQUENTIAL */ });
    const c: Contender = { client, node, wakeups: 0, evaluating: null, again: false, gone: false };
    this.contenders.push(c);
    await this.evaluate(c);
    return node;
  }

  /** The holder lets go (deletes its znode). */
  async release(): Promise<string> {
    const c = this.contenders.find((x) => x.client.name === this.holder);
    if (!c) throw new Error('nobody holds the lock');
    c.gone = true;
    await c.client.zk.delete(c.node);
    return c.client.name;
  }

  /** A watch fired for `c` (session events — type -1 — when a session ends are not wake-ups). */
  private wake(c: Contender, type: number): void {
    if (c.gone || type === -1) return;
    c.wakeups++;
    void this.evaluate(c);
  }

  /** Re-checks one contender's position; serialized per contender. */
  private evaluate(c: Contender): Promise<void> {
    if (c.evaluating) {
      c.again = true;
      return c.evaluating;
    }
    this.busy++;
    c.evaluating = this.check(c)
      .catch((e) => {
        if (!(e instanceof ZkError)) throw e;
      })
      .finally(() => {
        c.evaluating = null;
        this.busy--;
        if (c.again) {
          c.again = false;
          void this.evaluate(c);
        } else this.onChange();
      });
    return c.evaluating;
  }

  private async check(c: Contender): Promise<void> {
    const zk = c.client.zk;
    if (!['connected', 'connected-read-only'].includes(c.client.state)) return;
    const own = c.node.slice(this.dir.length + 1);
    const children = this.style === 'herd' ? await zk.getChildren(this.dir, { watch: (e) => this.wake(c, e.type) }) : await zk.getChildren(this.dir);
    const sorted = children.filter((n) => n.startsWith('lock-')).sort();
    const mine = sorted.indexOf(own);
    if (mine < 0) {
      if (this.holder === c.client.name) this.setHolder(null);
      return; // our node is gone (session ended or released)
    }
    if (mine === 0) {
      this.setHolder(c.client.name);
      return;
    }
    if (this.style === 'recipe') {
      const predecessor = `${this.dir}/${sorted[mine - 1]}`;
      const stat = await zk.exists(predecessor, { watch: (e) => this.wake(c, e.type) });
      if (stat === null) c.again = true; // it went away between the two reads: look again
    }
  }

  private setHolder(name: string | null): void {
    if (this.holder === name) return;
    this.holder = name;
    this.holders.push({ at: this.now(), holder: name });
  }

  /** Called when a contender's session ended: it no longer takes part. */
  forget(name: string): void {
    for (const c of this.contenders) if (c.client.name === name) c.gone = true;
    if (this.holder === name) this.setHolder(null);
  }
}
