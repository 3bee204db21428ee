/**
 * Requests the parent process sends over IPC (member-messages.ts ParentRequest): parsed
 * defensively (a malformed message is answered, never thrown), run against the member,
 * answered with a `reply` when the request carried an id.
 */
import type { Member } from './member.js';
import type { MemberMessage, NodeInfoValue, ReplyValue } from './member-messages.js';
import { NodeKind, kindOf, ownerHi, ownerLo, ttlOfOwner } from '../tree/ephemeral-owner.js';
import { compilePathQuery, PathQueryError, searchPaths } from './path-search.js';

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
  const reply = (ok: boolean, text: string, value?: ReplyValue): MemberMessage | null =>
    id === null ? null : { type: 'reply', id, ok, message: text, ...(value !== undefined ? { value } : {}) };
  switch (message.type) {
    case 'expire-session': {
      const sid = parseSessionId(message.sessionId);
      if (sid === null) return reply(false, `expected sessionId as a hex string like 0x1f, got ${JSON.stringify(message.sessionId)}`);
      const ok = member.expireSession(sid);
      const hex = hex64(sid);
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
    case 'node-info': {
      if (typeof message.path !== 'string' || !message.path.startsWith('/')) return reply(false, `expected path as an absolute znode path, got ${JSON.stringify(message.path)}`);
      const value = nodeInfo(member, message.path);
      return reply(true, value ? `${value.path} is ${value.mode}` : `${message.path} does not exist here`, value);
    }
    case 'search-paths': {
      if (typeof message.query !== 'string') return reply(false, `expected query as a string, got ${JSON.stringify(message.query)}`);
      const offset = typeof message.offset === 'number' && Number.isSafeInteger(message.offset) && message.offset >= 0 ? message.offset : 0;
      const limit = typeof message.limit === 'number' && Number.isSafeInteger(message.limit) && message.limit >= 0 ? Math.min(message.limit, 10_000) : 100;
      try {
        const matcher = compilePathQuery(message.query);
        const tree = member.server.database.tree;
        const r = searchPaths((p) => tree.getChildren(p)?.children ?? null, matcher, { offset, limit });
        return reply(true, `${r.total} match(es) among ${r.visited} znodes`, r);
      } catch (e) {
        return reply(false, e instanceof PathQueryError ? e.message : `search failed: ${(e as Error).message}`);
      }
    }
    case 'session-expiry': {
      const sessions = member.sessionTimeLeft().map((s) => ({ sessionId: hex64(s.sessionId), expiresInMs: s.expiresInMs }));
      return reply(true, `${sessions.length} session(s) tracked for expiry here`, { sessions });
    }
    default:
      return reply(false, `unknown request type ${JSON.stringify(message.type)}`);
  }
}

function hex64(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}

/** The create mode behind a node's stored owner (wire-protocol.md §10.3, §10.4), from this member's database. */
function nodeInfo(member: Member, path: string): NodeInfoValue | null {
  const tree = member.server.database.tree;
  const info = tree.nodeInfo(path);
  const stat = tree.stat(path);
  if (!info || !stat) return null;
  const kind = kindOf(info.owner);
  const mode = kind === NodeKind.container ? 'container' : kind === NodeKind.ttl ? 'ttl' : kind === NodeKind.ephemeral ? 'ephemeral' : 'persistent';
  const czxid = hex64(BigInt(stat.czxid));
  if (mode !== 'ttl') return { path, mode, czxid };
  return { path, mode, ttlMs: ttlOfOwner(ownerHi(info.owner), ownerLo(info.owner)), czxid };
}
