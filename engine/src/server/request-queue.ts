/**
 * One connection's requests between arrival and reply: the per-session FIFO rules
 * (wire-protocol.md §1, §12.3, §17; ZooKeeper's CommitProcessor header states the same):
 *
 * 1. Replies leave in the order the requests arrived. The Java client and
 *    node-zookeeper-client drop the connection when a reply's xid is not the oldest one
 *    they are waiting for.
 * 2. A local request (a read, a watch registration, ping, auth…) runs only once every
 *    earlier request of the connection has been answered, so a read issued after a write
 *    on the same session sees that write.
 * 3. Ordered requests (writes, sync) are handed to the replication at once, in arrival
 *    order; they complete in that order (the seam's contract) and a completed one is
 *    answered when it reaches the head, never earlier.
 * 4. Watch notifications are written when the txn that fired them is applied: before
 *    the reply of that txn (its completion is processed after the watches fire) and
 *    before any later reply.
 *
 * The queue holds no I/O: `drain` hands each request that may now be answered, in order,
 * to a callback, which runs it (local) or encodes its stored outcome (ordered).
 */
export const enum Pending {
  /** Runs against the local database when it reaches the head. */
  Local = 0,
  /** Went to the replication; done once its txn was applied (or the sync released). */
  Ordered = 1,
}

export interface PendingRequest<O = unknown> {
  kind: Pending;
  xid: number;
  op: number;
  /** The request record's bytes after the header (local requests decode them when run). */
  body: Buffer;
  /** Monotonic ms at arrival, for latency figures. */
  receivedAt: number;
  /** Ordered requests: set when the outcome is known. */
  done: boolean;
  outcome: O | null;
}

export class RequestQueue<O = unknown> {
  private items: (PendingRequest<O> | undefined)[] = [];
  private head = 0;

  /** Requests received and not yet answered. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** True when a local request may run right away (nothing earlier is pending, rule 2). */
  get idle(): boolean {
    return this.items.length === this.head;
  }

  push(req: PendingRequest<O>): void {
    this.items.push(req);
  }

  /**
   * Records the outcome of the oldest ordered request still waiting (rule 3). Returns that
   * request, or null when none waits (e.g. the txn came from another connection of the
   * same session). `matches` lets the caller check the cxid it expects.
   */
  complete(outcome: O, matches: (req: PendingRequest<O>) => boolean): PendingRequest<O> | null {
    for (let i = this.head; i < this.items.length; i++) {
      const req = this.items[i]!;
      if (req.kind !== Pending.Ordered || req.done) continue;
      if (!matches(req)) return null;
      req.done = true;
      req.outcome = outcome;
      return req;
    }
    return null;
  }

  /**
   * Answers, in order, every request that can be answered now: local ones at the head run,
   * done ordered ones are replied to; stops at the first ordered request still waiting.
   * `answer` may return false to stop (e.g. the connection was closed by the answer).
   */
  drain(answer: (req: PendingRequest<O>) => boolean | void): void {
    while (this.head < this.items.length) {
      const req = this.items[this.head]!;
      if (req.kind === Pending.Ordered && !req.done) break;
      this.items[this.head++] = undefined;
      if (answer(req) === false) break;
    }
    this.compact();
  }

  /** Drops everything (the connection closed); returns what was pending. */
  clear(): PendingRequest<O>[] {
    const rest = this.items.slice(this.head) as PendingRequest<O>[];
    this.items = [];
    this.head = 0;
    return rest;
  }

  /** The oldest pending request, if any. */
  peek(): PendingRequest<O> | undefined {
    return this.items[this.head];
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
