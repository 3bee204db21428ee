/**
 * Expiry buckets of `interval` width (ZooKeeper's ExpiryQueue; wire-protocol.md §13.2,
 * zab.md §5): an element's deadline is rounded UP to the next interval boundary, so
 * everything due in one interval expires together, and a touch just moves the element
 * to a later bucket. Times are passed in: this file reads no clock.
 */

export class ExpiryBuckets<K> {
  private readonly deadlineOf = new Map<K, number>();
  private readonly buckets = new Map<number, Set<K>>();
  private nextExpiration: number;

  constructor(
    readonly interval: number,
    now: number,
  ) {
    if (!(interval > 0)) throw new RangeError(`expiry interval must be positive, got ${interval}`);
    this.nextExpiration = this.roundUp(now);
  }

  /** The first interval boundary strictly after `time`. */
  roundUp(time: number): number {
    return (Math.floor(time / this.interval) + 1) * this.interval;
  }

  /** (Re)schedules `key` to expire `timeout` ms after `now`; returns its bucket time. */
  update(key: K, timeout: number, now: number): number {
    const deadline = this.roundUp(now + timeout);
    const prev = this.deadlineOf.get(key);
    if (prev === deadline) return deadline;
    let bucket = this.buckets.get(deadline);
    if (bucket === undefined) this.buckets.set(deadline, (bucket = new Set()));
    bucket.add(key);
    this.deadlineOf.set(key, deadline);
    if (prev !== undefined) this.removeFromBucket(key, prev);
    return deadline;
  }

  remove(key: K): boolean {
    const prev = this.deadlineOf.get(key);
    if (prev === undefined) return false;
    this.deadlineOf.delete(key);
    this.removeFromBucket(key, prev);
    return true;
  }

  deadline(key: K): number | undefined {
    return this.deadlineOf.get(key);
  }

  /** Removes and returns every element whose bucket time is ≤ `now`, oldest bucket first. */
  poll(now: number): K[] {
    const out: K[] = [];
    while (this.nextExpiration <= now) {
      const bucket = this.buckets.get(this.nextExpiration);
      if (bucket !== undefined) {
        this.buckets.delete(this.nextExpiration);
        for (const k of bucket) {
          this.deadlineOf.delete(k);
          out.push(k);
        }
      }
      this.nextExpiration += this.interval;
      if (this.deadlineOf.size === 0) {
        // Nothing left: jump straight to the bucket after `now` instead of stepping through empty ones.
        this.nextExpiration = Math.max(this.nextExpiration, this.roundUp(now));
      }
    }
    return out;
  }

  /** When the next poll can return something (the earliest non-empty bucket), or null when empty. */
  nextDeadline(): number | null {
    let min: number | null = null;
    for (const t of this.buckets.keys()) if (min === null || t < min) min = t;
    return min === null ? null : Math.max(min, this.nextExpiration);
  }

  /** Buckets in time order (the `dump` 4lw). */
  snapshot(): { expiresAt: number; keys: K[] }[] {
    return [...this.buckets.entries()].sort((a, b) => a[0] - b[0]).map(([expiresAt, keys]) => ({ expiresAt, keys: [...keys] }));
  }

  get size(): number {
    return this.deadlineOf.size;
  }

  private removeFromBucket(key: K, time: number): void {
    const bucket = this.buckets.get(time);
    if (bucket === undefined) return;
    bucket.delete(key);
    if (bucket.size === 0) this.buckets.delete(time);
  }
}
