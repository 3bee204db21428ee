/**
 * Keeps a replica set's state znode current (lesson 5). Database members register
 * ephemeral znodes under `membersDir` whose data is their role (`primary`, `secondary`,
 * `arbiter`); the keeper watches the children and each member's data, and rewrites
 * `stateNode` as JSON whenever anything changes: `{"primary": "db-1", "secondaries": [...],
 * "arbiters": [...]}` (primary null while there is none). Each rewrite re-reads everything
 * and re-arms every watch, the usual answer to one-shot watches (wire-protocol.md §12.3).
 */
import type { ScenarioClient } from '../clients.js';
import { ZkError } from '../../client/index.js';

export interface ReplicaState {
  primary: string | null;
  secondaries: string[];
  arbiters: string[];
}

export class ReplicaKeeper {
  readonly history: { at: number; state: ReplicaState }[] = [];
  private stopped = false;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly off: () => void;

  constructor(
    readonly client: ScenarioClient,
    readonly membersDir: string,
    readonly stateNode: string,
    private readonly now: () => number,
    private readonly onChange: () => void,
  ) {
    this.off = client.onState((s) => {
      if (s === 'connected') this.kick();
    });
  }

  async start(): Promise<void> {
    await this.client.zk.mkdirp(this.membersDir);
    await this.update();
  }

  stop(): void {
    this.stopped = true;
    this.off();
  }

  get state(): ReplicaState | null {
    return this.history.at(-1)?.state ?? null;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.update()
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async update(): Promise<void> {
    const zk = this.client.zk;
    const watch = () => this.kick();
    const names = (await zk.getChildren(this.membersDir, { watch })).sort();
    const state: ReplicaState = { primary: null, secondaries: [], arbiters: [] };
    for (const name of names) {
      let role: string;
      try {
        role = ((await zk.getData(`${this.membersDir}/${name}`, { watch })).data ?? Buffer.alloc(0)).toString('utf8');
      } catch (e) {
        if (ZkError.is(e, 'NoNode')) continue; // left meanwhile; the child watch brings us back
        throw e;
      }
      if (role === 'primary' && state.primary === null) state.primary = name;
      else if (role === 'arbiter') state.arbiters.push(name);
      else state.secondaries.push(name);
    }
    const json = JSON.stringify(state);
    if (JSON.stringify(this.state) === json) return;
    try {
      await zk.setData(this.stateNode, json);
    } catch (e) {
      if (!ZkError.is(e, 'NoNode')) throw e;
      await zk.create(this.stateNode, json);
    }
    this.history.push({ at: this.now(), state });
    this.onChange();
  }
}
