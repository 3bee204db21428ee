/**
 * The merged event stream: lab actions, process changes and members' protocol events, in
 * one order, each with a lab-wide sequence number. Kept in memory (a bounded ring for live
 * readers) and in lab.sqlite (batched, bounded) for review. Listeners never block it: a
 * listener that throws is dropped and counted (hashicorp/raft observer.go).
 */
import type { EventPage, LabEvent, LabEventBody } from './api.js';
import type { LabStore } from './lab-store.js';
import type { LabTimers, TimerHandle } from './timers.js';

export interface EventLogOptions {
  store: LabStore | null;
  timers: LabTimers;
  /** Events kept in memory (default 10 000). */
  ringSize?: number;
  /** Events kept in lab.sqlite (default 500 000). */
  keepStored?: number;
  /** Flush batch delay in ms (default 100). */
  flushDelayMs?: number;
}

type Listener = (event: LabEvent) => void;

export class EventLog {
  private readonly ring: LabEvent[] = [];
  private readonly unflushed: LabEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private seq: number;
  private flushTimer: TimerHandle | null = null;
  private flushesSinceTrim = 0;
  /** Listeners removed because they threw. */
  droppedListeners = 0;

  constructor(private readonly options: EventLogOptions) {
    this.seq = options.store?.lastSeq() ?? 0;
  }

  get lastSeq(): number {
    return this.seq;
  }

  append(body: LabEventBody, at = this.options.timers.now()): LabEvent {
    const event: LabEvent = { seq: ++this.seq, at, body };
    this.ring.push(event);
    if (this.ring.length > (this.options.ringSize ?? 10_000)) this.ring.shift();
    if (this.options.store) {
      this.unflushed.push(event);
      if (this.unflushed.length >= 1000) this.flush();
      else this.scheduleFlush();
    }
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        this.listeners.delete(l);
        this.droppedListeners++;
      }
    }
    return event;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `afterSeq`, from memory when it still has them, else from the file. */
  since(afterSeq: number, limit = 1000): EventPage {
    const max = Math.max(1, Math.min(limit, 10_000));
    const first = this.ring[0];
    let events: LabEvent[];
    let truncated = false;
    if (first && afterSeq >= first.seq - 1) {
      const start = afterSeq - first.seq + 1;
      events = this.ring.slice(Math.max(0, start), Math.max(0, start) + max);
    } else if (this.options.store) {
      this.flush();
      const oldest = this.options.store.firstSeq();
      truncated = oldest > afterSeq + 1;
      events = this.options.store.readEvents(afterSeq, max);
    } else {
      truncated = first !== undefined && first.seq > afterSeq + 1;
      events = this.ring.slice(0, max);
    }
    return { events, lastSeq: this.seq, truncated };
  }

  flush(): void {
    if (this.flushTimer) this.options.timers.clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const store = this.options.store;
    if (!store || this.unflushed.length === 0) return;
    store.appendEvents(this.unflushed.splice(0, this.unflushed.length));
    if (++this.flushesSinceTrim >= 100) {
      this.flushesSinceTrim = 0;
      store.trimEvents(this.options.keepStored ?? 500_000);
    }
  }

  close(): void {
    this.flush();
    this.listeners.clear();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = this.options.timers.setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, this.options.flushDelayMs ?? 100);
  }
}
