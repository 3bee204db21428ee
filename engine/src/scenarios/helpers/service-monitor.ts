/**
 * A fail-over monitor as applications build it (lesson 4): application servers register
 * ephemeral znodes under a directory; the monitor reads the children with a watch, and
 * every time the watch fires it reads them again (re-arming it) and reports who left and
 * who came back. A server whose session expires disappears within its session timeout
 * (wire-protocol.md §13.2), so that is how fast the monitor notices a crash.
 */
import type { ScenarioClient } from '../clients.js';

export interface MembershipChange {
  at: number;
  item: string;
  event: 'up' | 'down';
}

export class ServiceMonitor {
  readonly changes: MembershipChange[] = [];
  current = new Set<string>();
  /** Child-watch notifications received (each one re-armed the watch). */
  notifications = 0;
  private stopped = false;
  private refreshing: Promise<void> | null = null;
  private again = false;
  private readonly off: () => void;

  constructor(
    readonly client: ScenarioClient,
    readonly dir: string,
    private readonly now: () => number,
    private readonly onChange: () => void,
  ) {
    // A read that failed while disconnected registered no watch: read again once connected.
    this.off = client.onState((s) => {
      if (s === 'connected') this.kick();
    });
  }

  async start(): Promise<void> {
    await this.refresh(true);
  }

  stop(): void {
    this.stopped = true;
    this.off();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = this.refresh(false)
      .catch(() => undefined)
      .finally(() => {
        this.refreshing = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async refresh(initial: boolean): Promise<void> {
    const names = await this.client.zk.getChildren(this.dir, {
      watch: (e) => {
        if (e.type === -1) return; // the session ended: no more notifications
        this.notifications++;
        this.kick();
      },
    });
    const next = new Set(names);
    const at = this.now();
    if (!initial) {
      for (const item of [...this.current].sort()) if (!next.has(item)) this.changes.push({ at, item, event: 'down' });
      for (const item of [...next].sort()) if (!this.current.has(item)) this.changes.push({ at, item, event: 'up' });
    }
    this.current = next;
    this.onChange();
  }

  /** The first change of `item` to `event` at or after `since`. */
  find(item: string, event: 'up' | 'down', since = 0): MembershipChange | undefined {
    return this.changes.find((c) => c.item === item && c.event === event && c.at >= since);
  }
}
