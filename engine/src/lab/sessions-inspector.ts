/**
 * The session and watch inspector, read from the members' own four-letter words
 * (wire-protocol.md §16), which every member answers in ZooKeeper's formats: `cons` (who is
 * connected where, with the negotiated timeout), `dump` on the leader or standalone member
 * (the sessions it tracks and their ephemerals) and `wchc` (watched paths per session).
 * Parsing is pure; `inspectSessions` does the asking.
 *
 * Time left before expiry is NOT read from `dump`: its "expire at" dates are the session
 * tracker's monotonic clock printed as a date (ZooKeeper's ExpiryQueue uses
 * Time.currentElapsedTime(), so Apache's dates are just as meaningless as wall time). The
 * lab asks the tracker itself over IPC (member-queries.ts `sessionTimeLeft`) and passes
 * the answer in; without one (a member that is not ours) the time left is unknown (null).
 */
import type { MemberId, SessionInfo, WatchInfo } from './api.js';
import { fourLetterWord } from './four-letter.js';

export interface ConnectionLine {
  sessionId: string;
  timeoutMs: number;
  address: string;
}

/** `cons`: one line per connection; those that have a session carry `sid=` and `to=`. */
export function parseCons(text: string): ConnectionLine[] {
  const out: ConnectionLine[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\/?([^[\s]+)\[\d+\]\((.*)\)\s*$/.exec(line);
    if (!m) continue;
    const fields = new Map(m[2]!.split(',').map((kv) => kv.split('=') as [string, string]));
    const sid = fields.get('sid');
    const to = Number(fields.get('to'));
    if (!sid || sid === '0x0' || !Number.isFinite(to)) continue;
    out.push({ sessionId: sid.toLowerCase(), timeoutMs: to, address: m[1]! });
  }
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Java's `Date.toString()` in UTC (`Sun Nov 22 06:32:55 UTC 2026`) → ms; null for other zones. */
export function parseJavaUtcDate(text: string): number | null {
  const m = /^\w{3} (\w{3}) (\d{1,2}) (\d\d):(\d\d):(\d\d) (?:UTC|GMT) (\d{4})$/.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return null;
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

export interface DumpContents {
  /** Session id → when the tracker will expire it (ms), when the dump says. */
  expiry: Map<string, number | null>;
  ephemerals: Map<string, string[]>;
}

/** `dump`: the session tracker's expiry sets, then ephemeral nodes per session. */
export function parseDump(text: string): DumpContents {
  const expiry = new Map<string, number | null>();
  const ephemerals = new Map<string, string[]>();
  let section: 'sessions' | 'ephemerals' | 'other' = 'other';
  let currentExpiry: number | null = null;
  let currentSession: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('SessionTracker dump')) section = 'sessions';
    else if (line.startsWith('ephemeral nodes dump')) section = 'ephemerals';
    else if (line.startsWith('Connections dump')) section = 'other';
    else if (section === 'sessions') {
      const set = /^\d+ expire at (.+):$/.exec(line);
      if (set) currentExpiry = parseJavaUtcDate(set[1]!);
      const sid = /^\t(0x[0-9a-f]+)$/i.exec(line);
      if (sid) expiry.set(sid[1]!.toLowerCase(), currentExpiry);
    } else if (section === 'ephemerals') {
      const sid = /^(0x[0-9a-f]+):$/i.exec(line);
      if (sid) ephemerals.set((currentSession = sid[1]!.toLowerCase()), []);
      const path = /^\t(\/.*)$/.exec(line);
      if (path && currentSession) ephemerals.get(currentSession)!.push(path[1]!);
    }
  }
  return { expiry, ephemerals };
}

/** `wchc`: a session id line, then its watched paths indented. */
export function parseWchc(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string | null = null;
  for (const line of text.split('\n')) {
    const sid = /^(0x[0-9a-f]+)$/i.exec(line.trim() === line ? line : '');
    if (sid) out.set((current = sid[1]!.toLowerCase()), []);
    const path = /^\t(\/.*)$/.exec(line);
    if (path && current) out.get(current)!.push(path[1]!);
  }
  return out;
}

export interface InspectTarget {
  id: MemberId;
  clientPort: number;
  running: boolean;
}

/**
 * Asks every running member and merges the answers per session. `timeLeft` maps session
 * ids to the ms left before the authority's tracker expires them.
 */
export async function inspectSessions(members: InspectTarget[], authority: MemberId | null, timeLeft: ReadonlyMap<string, number>): Promise<SessionInfo[]> {
  const running = members.filter((m) => m.running);
  const ask = (port: number, word: string) => fourLetterWord(port, word, 2000).catch(() => '');
  const [cons, wchc] = await Promise.all([
    Promise.all(running.map((m) => ask(m.clientPort, 'cons'))),
    Promise.all(running.map((m) => ask(m.clientPort, 'wchc'))),
  ]);
  const source = running.find((m) => m.id === authority) ?? (running.length === 1 ? running[0] : undefined);
  const dump = source ? parseDump(await ask(source.clientPort, 'dump')) : { expiry: new Map<string, number | null>(), ephemerals: new Map<string, string[]>() };
  const sessions = new Map<string, SessionInfo>();
  const entry = (sid: string): SessionInfo => {
    let s = sessions.get(sid);
    if (!s) sessions.set(sid, (s = { sessionId: sid, member: null, timeoutMs: 0, expiresInMs: null, clientAddress: null, ephemerals: [], watches: [] }));
    return s;
  };
  running.forEach((m, i) => {
    for (const c of parseCons(cons[i]!)) Object.assign(entry(c.sessionId), { member: m.id, timeoutMs: c.timeoutMs, clientAddress: c.address });
    for (const [sid, paths] of parseWchc(wchc[i]!)) {
      const watches: WatchInfo[] = paths.map((path) => ({ path, kind: 'unknown', sessionId: sid, member: m.id }));
      entry(sid).watches.push(...watches);
    }
  });
  // Every session the tracker lists exists, even without a connection right now.
  for (const sid of dump.expiry.keys()) entry(sid);
  for (const sid of timeLeft.keys()) entry(sid);
  for (const s of sessions.values()) s.expiresInMs = timeLeft.get(s.sessionId) ?? null;
  for (const [sid, paths] of dump.ephemerals) entry(sid).ephemerals = paths;
  return [...sessions.values()].sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));
}
