/**
 * Durations the protocol waits for, given in ZooKeeper's units (zab.md §10) and converted
 * once into the core's ticks. The core never reads a clock: the driver calls `tick()` every
 * `resolutionMs` milliseconds (the simulator does so in virtual time), and every deadline
 * is a count of those ticks.
 */

export interface QuorumTimingConfig {
  /** How often the driver calls `tick()`, in ms. Every duration below is rounded up to it. */
  resolutionMs: number;
  /** ZooKeeper's tickTime in ms. */
  tickTime: number;
  /** In units of tickTime (zab.md §3.5). */
  initLimit: number;
  syncLimit: number;
  /** FLE's wait for a better vote after a quorum agrees (zab.md §2.5). */
  finalizeWaitMs: number;
  /** FLE's re-send backoff bounds (zab.md §2.6). */
  minNotificationIntervalMs: number;
  maxNotificationIntervalMs: number;
  /** How long a member stays LOOKING before it serves read-only clients (zab.md §6). */
  readOnlyGraceMs: number;
}

/** ZooKeeper's defaults with the lab's "snappy" tickTime of 250 ms (zab.md §10). */
export function defaultTimingConfig(tickTime = 250): QuorumTimingConfig {
  return {
    resolutionMs: Math.max(1, Math.min(50, Math.floor(tickTime / 5))),
    tickTime,
    initLimit: 10,
    syncLimit: 5,
    finalizeWaitMs: 200,
    minNotificationIntervalMs: 200,
    maxNotificationIntervalMs: 5000,
    readOnlyGraceMs: Math.max(2000, tickTime),
  };
}

/** The same durations in core ticks; every value is at least 1. */
export interface Ticks {
  resolutionMs: number;
  /** One ZooKeeper tick (tickTime). */
  zkTick: number;
  /** Leader PING period: tickTime / 2 (zab.md §4.4). */
  ping: number;
  init: number;
  sync: number;
  finalizeWait: number;
  minNotification: number;
  maxNotification: number;
  readOnlyGrace: number;
}

export function toTicks(c: QuorumTimingConfig): Ticks {
  if (!(c.resolutionMs > 0)) throw new Error(`resolutionMs must be positive, got ${c.resolutionMs}`);
  if (!(c.tickTime > 0)) throw new Error(`tickTime must be positive, got ${c.tickTime}`);
  if (!(c.initLimit >= 1) || !(c.syncLimit >= 1)) throw new Error('initLimit and syncLimit must be at least 1');
  const t = (ms: number): number => Math.max(1, Math.ceil(ms / c.resolutionMs));
  return {
    resolutionMs: c.resolutionMs,
    zkTick: t(c.tickTime),
    ping: t(c.tickTime / 2),
    init: t(c.tickTime * c.initLimit),
    sync: t(c.tickTime * c.syncLimit),
    finalizeWait: t(c.finalizeWaitMs),
    minNotification: t(c.minNotificationIntervalMs),
    maxNotification: t(Math.max(c.maxNotificationIntervalMs, c.minNotificationIntervalMs)),
    readOnlyGrace: t(c.readOnlyGraceMs),
  };
}

/** A session timeout in ms as core ticks (rounded up). */
export function msToTicks(ms: number, resolutionMs: number): number {
  return Math.max(1, Math.ceil(ms / resolutionMs));
}

/**
 * How many ticks the driver owes the core at a given moment of a monotonic clock: one per
 * `resolutionMs` elapsed since `originMs`, minus those already given. A process that was
 * paused (SIGSTOP) or starved gets every tick it missed at once, so its timeouts follow
 * real elapsed time as ZooKeeper's do; a timer that fires a little early gets none.
 */
export class TickClock {
  private given = 0;

  constructor(
    private readonly resolutionMs: number,
    private readonly originMs: number,
    /** Most ticks handed out at once (bounds the catch-up loop after a very long pause). */
    private readonly maxBurst = 100_000,
  ) {}

  due(nowMs: number): number {
    const elapsed = Math.floor((nowMs - this.originMs) / this.resolutionMs);
    const due = elapsed - this.given;
    if (due <= 0) return 0;
    this.given = elapsed;
    return Math.min(due, this.maxBurst);
  }
}
