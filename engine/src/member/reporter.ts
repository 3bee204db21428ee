/**
 * Streams a member's reports to its parent: readiness, periodic state, and protocol
 * events batched once per event-loop turn. It is also a ProtocolEventSink, so the
 * server and the replication can emit into it; when nobody listens (`enabled` false)
 * emitters skip building events at all. Never blocks the member: when the channel is
 * backed up, events are dropped and counted (hashicorp/raft observer.go).
 */
import { toJsonSafe, type MemberState, type ProtocolEvent, type ProtocolEventSink, type ReportedEvent } from '../quorum/protocol-events.js';
import type { MemberMessage } from './member-messages.js';

/** Sends one message; returns false when the channel is backed up. */
export type SendMessage = (message: MemberMessage) => boolean;

const MAX_BUFFERED_EVENTS = 10_000;

export class Reporter implements ProtocolEventSink {
  private buffered: ReportedEvent[] = [];
  private seq = 0;
  private dropped = 0;
  private scheduled = false;
  private stateScheduled = false;
  /** The member's current state, once it runs (zk-server sets it): role changes are reported at once. */
  stateSource: (() => MemberState) | null = null;

  constructor(
    private readonly send: SendMessage,
    private readonly sid: number,
    readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  emit(event: ProtocolEvent): void {
    if (!this.enabled) return;
    if (this.buffered.length >= MAX_BUFFERED_EVENTS) {
      this.dropped++;
      return;
    }
    this.buffered.push({ sid: this.sid, seq: ++this.seq, timeMs: this.now(), event });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends buffered events now. */
  flush(): void {
    this.scheduled = false;
    if (this.buffered.length === 0) return;
    const events = this.buffered.map((e) => toJsonSafe(e));
    this.buffered = [];
    const ok = this.send({ type: 'events', events, dropped: this.dropped });
    if (!ok) this.dropped += events.length;
  }

  /** Role or serving changed (ProtocolEventSink.stateChanged): report the state after this turn's work. */
  stateChanged(): void {
    if (this.stateScheduled || this.stateSource === null) return;
    this.stateScheduled = true;
    setImmediate(() => {
      this.stateScheduled = false;
      if (this.stateSource) this.state(this.stateSource());
    });
  }

  ready(clientPort: number, clientAddress: string): void {
    this.send({ type: 'ready', clientPort, clientAddress, sid: this.sid, pid: process.pid });
  }

  state(state: MemberState): void {
    this.send({ type: 'state', state: toJsonSafe(state) });
  }

  stopping(reason: string): void {
    this.flush();
    this.send({ type: 'stopping', reason });
  }
}

/** The parent's IPC channel, when the process was spawned with one. */
export function ipcSender(): SendMessage | null {
  if (typeof process.send !== 'function') return null;
  return (message) => {
    if (!process.connected) return false;
    try {
      return process.send!(message);
    } catch {
      return false;
    }
  };
}

/** JSON lines on stdout (`zk-server --report`). */
export function stdoutSender(): SendMessage {
  return (message) => process.stdout.write(JSON.stringify(message) + '\n');
}
