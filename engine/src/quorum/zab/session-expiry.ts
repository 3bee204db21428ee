/**
 * The leader's global session tracker (zab.md §5, LeaderSessionTracker over
 * SessionTrackerImpl): expiry buckets one ZooKeeper tick wide, touches move a session to
 * a later bucket, the owner (the member holding the client's connection) guards against
 * stale connections writing (SESSIONMOVED). Time is in core ticks.
 */

interface Tracked {
  timeoutTicks: number;
  deadline: number;
  /** Member sid holding the connection; null until known (after an election). */
  owner: number | null;
  closing: boolean;
}

export class SessionExpiry {
  private readonly sessions = new Map<bigint, Tracked>();
  private readonly buckets = new Map<number, Set<bigint>>();

  constructor(private readonly bucketTicks: number) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Deadline rounded up to the next bucket boundary (ExpiryQueue.roundToNextInterval). */
  private deadlineFor(now: number, timeoutTicks: number): number {
    const t = now + timeoutTicks;
    return (Math.floor(t / this.bucketTicks) + 1) * this.bucketTicks;
  }

  private place(id: bigint, s: Tracked, deadline: number): void {
    if (s.deadline === deadline) return;
    this.buckets.get(s.deadline)?.delete(id);
    s.deadline = deadline;
    let b = this.buckets.get(deadline);
    if (!b) this.buckets.set(deadline, (b = new Set()));
    b.add(id);
  }

  add(id: bigint, timeoutTicks: number, now: number, owner: number | null): void {
    const s: Tracked = { timeoutTicks, deadline: -1, owner, closing: false };
    this.remove(id);
    this.sessions.set(id, s);
    this.place(id, s, this.deadlineFor(now, timeoutTicks));
  }

  has(id: bigint): boolean {
    return this.sessions.has(id);
  }

  isClosing(id: bigint): boolean {
    return this.sessions.get(id)?.closing ?? false;
  }

  /** Extends a live session; false if unknown or closing (zab.md §5 touchSession). */
  touch(id: bigint, now: number): boolean {
    const s = this.sessions.get(id);
    if (!s || s.closing) return false;
    this.place(id, s, this.deadlineFor(now, s.timeoutTicks));
    return true;
  }

  owner(id: bigint): number | null | undefined {
    return this.sessions.get(id)?.owner;
  }

  setOwner(id: bigint, owner: number): void {
    const s = this.sessions.get(id);
    if (s) s.owner = owner;
  }

  setClosing(id: bigint): void {
    const s = this.sessions.get(id);
    if (s) s.closing = true;
  }

  remove(id: bigint): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.buckets.get(s.deadline)?.delete(id);
    this.sessions.delete(id);
  }

  /** Sessions whose deadline passed, oldest bucket first; each is marked closing once. */
  expire(now: number): bigint[] {
    const due = [...this.buckets.keys()].filter((d) => d <= now).sort((a, b) => a - b);
    const out: bigint[] = [];
    for (const d of due) {
      for (const id of this.buckets.get(d)!) {
        const s = this.sessions.get(id)!;
        if (!s.closing) {
          s.closing = true;
          out.push(id);
        }
      }
      this.buckets.delete(d);
    }
    return out;
  }
}
