/**
 * What a member process tells the lab over its IPC channel (zk-server's reporter; the
 * server keeps it generic: `{type: 'ready' | 'state' | 'event', …}`). This parser is the
 * lab's one reading of it (the writer's side is engine/src/member/member-messages.ts): tolerant of extra fields and of the shapes the reporter may
 * use (one event or a batch, state inline or under `state`), strict about types, so a
 * malformed message is ignored instead of corrupting the lab's view.
 */
import type { JsonSafe, MemberState, ProtocolEvent, ReportedEvent } from '../quorum/protocol-events.js';

export type MemberReport =
  | { type: 'ready'; clientPort: number | null }
  | { type: 'state'; state: JsonSafe<MemberState> }
  | { type: 'events'; events: JsonSafe<ReportedEvent>[]; dropped: number }
  | { type: 'stopping'; reason: string }
  | { type: 'log'; level: 'warn' | 'error'; line: string }
  /** The answer to a request the lab sent (member-process.ts `request`); `value` is checked by whoever asked. */
  | { type: 'reply'; id: number; ok: boolean; message: string; value: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseMemberReport(message: unknown, sid: number): MemberReport | null {
  if (!isObject(message) || typeof message.type !== 'string') return null;
  switch (message.type) {
    case 'ready': {
      const port = message.clientPort ?? (isObject(message.state) ? message.state.clientPort : undefined);
      return { type: 'ready', clientPort: typeof port === 'number' ? port : null };
    }
    case 'state': {
      const state = isObject(message.state) ? message.state : message;
      if (typeof state.role !== 'string') return null;
      return { type: 'state', state: state as unknown as JsonSafe<MemberState> };
    }
    case 'event':
    case 'events': {
      const raw = Array.isArray(message.events) ? message.events : [message.event ?? message];
      const events: JsonSafe<ReportedEvent>[] = [];
      for (const item of raw) {
        const envelope = asEnvelope(item, sid);
        if (envelope) events.push(envelope);
      }
      const dropped = typeof message.dropped === 'number' ? message.dropped : 0;
      return events.length > 0 || dropped > 0 ? { type: 'events', events, dropped } : null;
    }
    case 'stopping':
      return { type: 'stopping', reason: typeof message.reason === 'string' ? message.reason : 'unknown' };
    case 'log': {
      const level = message.level === 'error' ? 'error' : message.level === 'warn' ? 'warn' : null;
      if (!level || typeof message.line !== 'string') return null;
      return { type: 'log', level, line: message.line };
    }
    case 'reply':
      if (typeof message.id !== 'number' || typeof message.ok !== 'boolean') return null;
      return { type: 'reply', id: message.id, ok: message.ok, message: typeof message.message === 'string' ? message.message : '', value: message.value ?? null };
    default:
      return null;
  }
}

/** Accepts a ReportedEvent envelope or a bare ProtocolEvent (then wrapped with seq 0). */
function asEnvelope(item: unknown, sid: number): JsonSafe<ReportedEvent> | null {
  if (!isObject(item)) return null;
  if (isObject(item.event) && typeof item.event.kind === 'string') {
    return {
      sid: typeof item.sid === 'number' ? item.sid : sid,
      seq: typeof item.seq === 'number' ? item.seq : 0,
      timeMs: typeof item.timeMs === 'number' ? item.timeMs : Date.now(),
      event: item.event as unknown as JsonSafe<ProtocolEvent>,
    };
  }
  if (typeof item.kind === 'string') {
    return { sid, seq: 0, timeMs: Date.now(), event: item as unknown as JsonSafe<ProtocolEvent> };
  }
  return null;
}
