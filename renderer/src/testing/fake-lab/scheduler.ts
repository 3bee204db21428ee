/**
 * Time for the fake lab: real timers in the demo page, a manual clock in tests (no
 * sleeps: tests advance time explicitly and everything due runs in order).
 */
export interface Scheduler {
  now(): number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

export class ManualScheduler implements Scheduler {
  private time: number;
  private queue: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): () => void {
    const item = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.queue.push(item);
    return () => {
      this.queue = this.queue.filter((q) => q !== item);
    };
  }

  /** Moves the clock forward, running everything that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }

  /** Runs everything already due and what that schedules, up to `limitMs` ahead. */
  runAll(limitMs = 60_000): void {
    this.advance(limitMs);
  }

  get pending(): number {
    return this.queue.length;
  }
}
