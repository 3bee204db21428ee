/**
 * A manual clock for client unit tests: timers run only when the test advances time, so
 * ping, timeout and expiry logic is tested without waiting.
 */
import type { ClientClock } from '../../engine/src/client/index.js';

/** Lets in-memory streams, nextTicks and promise chains run to quiescence. */
export async function settle(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export class FakeClock implements ClientClock {
  private t = 1_000_000;
  private nextId = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers pending, for assertions. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing due timers in order and letting I/O settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      let first: [number, { at: number; fn: () => void }] | null = null;
      for (const entry of this.timers) if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry;
      if (!first) break;
      this.timers.delete(first[0]);
      this.t = Math.max(this.t, first[1].at);
      first[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}
