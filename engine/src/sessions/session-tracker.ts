/**
 * The session tracker of the member that owns global session expiry (standalone, or the
 * leader; zab.md §5): which sessions exist, their timeouts, when each expires (expiry
 * buckets of tickTime width) and which are closing. Pure, with an injected clock.
 *
 *   const t = new SessionTracker({ tickTime: 2000, clock: () => monotonicNowMs });
 *   t.addSession(id, timeout)      // when its createSession is prepared
 *   t.touchSession(id)             // every packet from the client (§13.2); false = dead/closing
 *   t.expire()                     // sessions now due: marked closing; submit a closeSession each
 *   t.setClosing(id)               // a client close was submitted: no touch revives it
 *   t.removeSession(id)            // its closeSession was applied
 *   t.checkSession(id)             // 0 | UnknownSession | SessionExpired (Prep's checkSession hook)
 *
 * Every time-dependent method also takes an explicit `now` (ms on the same clock) for
 * callers that already hold one; it defaults to the injected clock.
 *
 * A closing session is never touched back to life; it stays known (so checkSession says
 * SessionExpired) until removed. After an election the new leader calls
 * `recreate(db.sessions())`: every session gets a full fresh timeout.
 */
import { Err } from '../jute/index.js';
import { ExpiryBuckets } from './expiry-buckets.js';

export interface SessionTrackerOptions {
  tickTime: number;
  /** Monotonic milliseconds: the default `now` of every method. */
  clock: () => number;
}

export interface TrackedSession {
  id: bigint;
  timeout: number;
  closing: boolean;
}

export class SessionTracker {
  private readonly sessions = new Map<bigint, TrackedSession>();
  private readonly buckets: ExpiryBuckets<bigint>;
  private readonly clock: () => number;

  constructor(options: SessionTrackerOptions) {
    this.clock = options.clock;
    this.buckets = new ExpiryBuckets(options.tickTime, this.clock());
  }

  /** Starts tracking a session (or refreshes it if known and not closing). */
  addSession(id: bigint, timeout: number, now: number = this.clock()): void {
    const s = this.sessions.get(id);
    if (s === undefined) this.sessions.set(id, { id, timeout, closing: false });
    else if (s.closing) return;
    else s.timeout = timeout;
    this.buckets.update(id, timeout, now);
  }

  /**
   * Pushes the session's expiry to now + timeout (optionally renegotiated). Returns false
   * — and changes nothing — when the session is unknown or closing.
   */
  touchSession(id: bigint, timeout?: number, now: number = this.clock()): boolean {
    const s = this.sessions.get(id);
    if (s === undefined || s.closing) return false;
    if (timeout !== undefined) s.timeout = timeout;
    this.buckets.update(id, s.timeout, now);
    return true;
  }

  /** Marks a session closing: it will not be touched or expired again. */
  setClosing(id: bigint): void {
    const s = this.sessions.get(id);
    if (s === undefined) return;
    s.closing = true;
    this.buckets.remove(id);
  }

  removeSession(id: bigint): void {
    this.sessions.delete(id);
    this.buckets.remove(id);
  }

  /** ZooKeeper's checkSession: 0, UnknownSession (not tracked) or SessionExpired (closing). */
  checkSession(id: bigint): number {
    const s = this.sessions.get(id);
    if (s === undefined) return Err.UnknownSession;
    return s.closing ? Err.SessionExpired : 0;
  }

  isAlive(id: bigint): boolean {
    return this.checkSession(id) === 0;
  }

  /** Sessions whose bucket is due at the clock's now: they are marked closing and returned. */
  expire(now: number = this.clock()): TrackedSession[] {
    const out: TrackedSession[] = [];
    for (const id of this.buckets.poll(now)) {
      const s = this.sessions.get(id);
      if (s === undefined || s.closing) continue;
      s.closing = true;
      out.push({ ...s });
    }
    return out;
  }

  /** When `expire()` can next return something (ms on the injected clock), or null. */
  nextExpiry(): number | null {
    return this.buckets.nextDeadline();
  }

  /** The bucket time a live session expires at, if any. */
  expiresAt(id: bigint): number | undefined {
    return this.buckets.deadline(id);
  }

  /** Replaces the tracked set with `sessions`, each with a full fresh timeout (a new leader, zab.md §5). */
  recreate(sessions: Iterable<{ id: bigint; timeout: number }>, now: number = this.clock()): void {
    for (const id of [...this.sessions.keys()]) this.removeSession(id);
    for (const s of sessions) this.addSession(s.id, s.timeout, now);
  }

  get(id: bigint): TrackedSession | undefined {
    const s = this.sessions.get(id);
    return s && { ...s };
  }

  all(): TrackedSession[] {
    return [...this.sessions.values()].map((s) => ({ ...s }));
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Expiry buckets in time order (`dump` 4lw: "SessionTracker dump:"). */
  bucketSnapshot(): { expiresAt: number; sessions: bigint[] }[] {
    return this.buckets.snapshot().map((b) => ({ expiresAt: b.expiresAt, sessions: b.keys }));
  }
}
