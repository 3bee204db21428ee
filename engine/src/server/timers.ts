/**
 * Time as the member's background work sees it (session expiry ticks, the container
 * reaper, autopurge, periodic reports). Injected so tests run on manual time.
 */
export interface Timers {
  /** Wall-clock ms (txn times). */
  now(): number;
  /** Monotonic ms on roughly the wall clock's scale (session expiry, timeouts). */
  monotonic(): number;
  /** Calls `fn` every `ms`; returns a function that stops it. */
  every(ms: number, fn: () => void): () => void;
}

export const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  monotonic: () => performance.timeOrigin + performance.now(),
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};

/** Manual time for tests: `advance(ms)` fires due callbacks in time order. */
export class ManualTimers implements Timers {
  private time: number;
  private readonly jobs = new Set<{ at: number; every: number; fn: () => void }>();

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  monotonic(): number {
    return this.time;
  }

  every(ms: number, fn: () => void): () => void {
    const job = { at: this.time + ms, every: ms, fn };
    this.jobs.add(job);
    return () => void this.jobs.delete(job);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: { at: number; every: number; fn: () => void } | null = null;
      for (const j of this.jobs) if (j.at <= end && (next === null || j.at < next.at)) next = j;
      if (next === null) break;
      this.time = next.at;
      next.at += next.every;
      next.fn();
    }
    this.time = end;
  }
}
