/**
 * Requests the parent process sends over IPC (member-messages.ts ParentRequest): parsed
 * defensively (a malformed message is answered, never thrown), run against the member,
 * answered with a `reply` when the request carried an id.
 */
import type { Member } from './member.js';
import type { MemberMessage } from './member-messages.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseSessionId(v: unknown): bigint | null {
  if (typeof v !== 'string' || !/^0x[0-9a-f]{1,16}$/i.test(v)) return null;
  return BigInt.asIntN(64, BigInt(v));
}

/** Runs one request; returns the reply to send (null when the request had no id). */
export async function handleParentRequest(
  message: unknown,
  member: Member,
  sendState: () => void,
): Promise<MemberMessage | null> {
  if (!isObject(message) || typeof message.type !== 'string') return null;
  const id = typeof message.id === 'number' ? message.id : null;
  const reply = (ok: boolean, text: string): MemberMessage | null => (id === null ? null : { type: 'reply', id, ok, message: text });
  switch (message.type) {
    case 'expire-session': {
      const sid = parseSessionId(message.sessionId);
      if (sid === null) return reply(false, `expected sessionId as a hex string like 0x1f, got ${JSON.stringify(message.sessionId)}`);
      const ok = member.expireSession(sid);
      const hex = `0x${BigInt.asUintN(64, sid).toString(16)}`;
      return reply(ok, ok ? `session ${hex} expired` : `session ${hex} is not a live session tracked by this member`);
    }
    case 'snapshot':
      try {
        await member.snapshot();
        return reply(true, 'snapshot written');
      } catch (e) {
        return reply(false, `snapshot failed: ${(e as Error).message}`);
      }
    case 'state':
      sendState();
      return reply(true, 'state sent');
    default:
      return reply(false, `unknown request type ${JSON.stringify(message.type)}`);
  }
}
