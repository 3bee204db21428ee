/**
 * Time for the lab's network and process code, injected so unit tests drive it by hand
 * (no sleeps as synchronisation). Production uses `realTimers`.
 */
export interface LabTimers {
  /** Milliseconds, monotonic enough for scheduling (wall clock in production). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

let nextHandleId = 1;

/** Node's timers; handles are unref'd so a pending delay never keeps a process alive. */
export const realTimers: LabTimers = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    const handle = { id: nextHandleId++, timer: t };
    return handle;
  },
  clearTimeout(handle) {
    const t = (handle as { timer?: ReturnType<typeof setTimeout> }).timer;
    if (t) clearTimeout(t);
  },
};

/** A seeded PRNG (mulberry32): loss and jitter are reproducible from the lab's seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
