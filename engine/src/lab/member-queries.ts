/**
 * What the lab asks its members directly over IPC (engine/src/member/member-messages.ts),
 * beyond what a ZooKeeper client can learn: expire a session on demand, a node's create
 * mode, a whole-tree path search, and the session tracker's time left.
 *
 * Routing lives here. Global sessions are tracked and expired by the leader only (zab.md
 * §5), or by the member of a standalone lab; reads of the tree go to the member asked for
 * when it can answer, else the leader, else the lowest-numbered running member. Replies
 * are JSON from another process: their shapes are checked before use.
 */
import type { Hex64, LabStatus, MemberId, NodeMode, TreeSearchResult } from './api.js';
import type { MemberReply, MemberRequest } from './member-process.js';
import { LabError } from './supervisor.js';

/** The part of the Supervisor these queries need. */
export interface AskableLab {
  status(): LabStatus;
  askMember(id: MemberId, request: MemberRequest, timeoutMs?: number): Promise<MemberReply>;
  canAsk(id: MemberId): boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const HEX64 = /^0x[0-9a-f]{1,16}$/;

/** The member that tracks global sessions: the leader, or the only member of a standalone lab (zab.md §5). */
export function sessionAuthority(status: LabStatus): MemberId | null {
  if (status.leader !== null) return status.leader;
  const only = status.members.length === 1 ? status.members[0]! : null;
  return only && only.state === 'running' && only.role === 'standalone' ? only.id : null;
}

/** Who answers a read: `preferred` when it can, else the leader, else the lowest running member. */
export function chooseReader(lab: AskableLab, preferred: MemberId | null): MemberId | null {
  if (preferred !== null && lab.canAsk(preferred)) return preferred;
  const status = lab.status();
  const leader = sessionAuthority(status);
  if (leader !== null && lab.canAsk(leader)) return leader;
  return status.members.map((m) => m.id).find((id) => lab.canAsk(id)) ?? null;
}

/**
 * Expires a session now, as its timeout would: the leader submits a closeSession, its
 * ephemerals are deleted on every member when that commits, and its client is told
 * Expired when it next reaches a member.
 */
export async function expireSession(lab: AskableLab, sessionIdArg: string): Promise<{ message: string; member: MemberId }> {
  const sessionId = sessionIdArg.trim().toLowerCase();
  if (!HEX64.test(sessionId)) throw new LabError('bad-request', `sessionId must be a session id in hex such as 0x10000a2b3c, got ${JSON.stringify(sessionIdArg)}`);
  const status = lab.status();
  const authority = sessionAuthority(status);
  if (authority === null) {
    throw new LabError(
      'no-leader',
      `no member leads right now, and only the leader expires sessions (zab.md §5); wait for a leader to be elected${status.quorum.explanation[0] ? ` (${status.quorum.explanation[0]})` : ''}`,
    );
  }
  const reply = await lab.askMember(authority, { type: 'expire-session', sessionId });
  const role = status.leader === authority ? 'the leader' : 'the standalone member';
  if (!reply.ok) {
    throw new LabError('no-such-session', `member ${authority} (${role}) does not track session ${sessionId} as live: it is unknown, already closing or already expired`);
  }
  return {
    member: authority,
    message: `expired session ${sessionId} on member ${authority} (${role}): its ephemeral nodes go once the closeSession commits, and its client sees Expired`,
  };
}

/**
 * A node's create mode from a member's own database, or null when no member can say. The
 * answer counts only if it is about the same incarnation of the path (same czxid).
 */
export async function readNodeMode(lab: AskableLab, path: string, czxid: Hex64, preferred: MemberId | null): Promise<{ mode: NodeMode; ttlMs?: number } | null> {
  const member = chooseReader(lab, preferred);
  if (member === null) return null;
  let reply: MemberReply;
  try {
    reply = await lab.askMember(member, { type: 'node-info', path }, 2000);
  } catch {
    return null; // the mode is extra information; the node is still shown
  }
  const v = reply.value;
  if (!reply.ok || !isObject(v) || v.czxid !== czxid) return null;
  const mode = v.mode;
  if (mode !== 'persistent' && mode !== 'ephemeral' && mode !== 'container' && mode !== 'ttl') return null;
  if (mode !== 'ttl') return { mode };
  return typeof v.ttlMs === 'number' && v.ttlMs > 0 ? { mode, ttlMs: v.ttlMs } : { mode };
}

export const MAX_SEARCH_PAGE = 1000;

/** One page of the znode paths matching `query` in one member's tree (path-search.ts has the query language). */
export async function searchTree(lab: AskableLab, query: string, offset: number, limit: number, preferred: MemberId | null): Promise<TreeSearchResult> {
  if (query.trim() === '') throw new LabError('bad-request', 'the search text is empty');
  const member = chooseReader(lab, preferred);
  if (member === null) throw new LabError('no-member', 'no running ZooLab member can search its tree right now');
  const reply = await lab.askMember(member, { type: 'search-paths', query, offset, limit: Math.min(limit, MAX_SEARCH_PAGE) }, 15_000);
  if (!reply.ok) throw new LabError('bad-request', `member ${member} could not search: ${reply.message}`);
  const v = reply.value;
  if (!isObject(v) || !Array.isArray(v.matches) || typeof v.total !== 'number' || typeof v.complete !== 'boolean') {
    throw new LabError('failed', `member ${member} answered the search with something unexpected`);
  }
  return { query, paths: v.matches.filter((p): p is string => typeof p === 'string'), offset, total: v.total, complete: v.complete, member };
}

/** Time left before each live session expires, from the session tracker of `authority` (empty when it cannot say). */
export async function sessionTimeLeft(lab: AskableLab, authority: MemberId | null): Promise<Map<Hex64, number>> {
  const out = new Map<Hex64, number>();
  if (authority === null || !lab.canAsk(authority)) return out;
  let reply: MemberReply;
  try {
    reply = await lab.askMember(authority, { type: 'session-expiry' }, 2000);
  } catch {
    return out;
  }
  const v = reply.value;
  if (!reply.ok || !isObject(v) || !Array.isArray(v.sessions)) return out;
  for (const s of v.sessions) {
    if (isObject(s) && typeof s.sessionId === 'string' && typeof s.expiresInMs === 'number') out.set(s.sessionId.toLowerCase(), Math.max(0, s.expiresInMs));
  }
  return out;
}
