/**
 * A four-letter-word probe (wire-protocol.md §16) and a reader of `srvr` output: the
 * lab's fallback view of a member that does not (yet) report its state over IPC.
 */
import { connect } from 'node:net';
import type { JsonSafe, MemberState } from '../quorum/protocol-events.js';

export function fourLetterWord(port: number, word: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(word));
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`${word} to port ${port} timed out after ${timeoutMs} ms`));
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const MODES: Record<string, MemberState['role']> = {
  standalone: 'standalone',
  leader: 'leading',
  follower: 'following',
  observer: 'observing',
  'read-only': 'read-only',
};

/** Reads `srvr` output into the parts of a MemberState it carries; null if it is not srvr output. */
export function stateFromSrvr(text: string, sid: number): JsonSafe<MemberState> | null {
  if (/not currently serving requests/i.test(text)) {
    return baseState(sid, 'looking', 'election', '0x0', 0);
  }
  const mode = /^Mode: (.+)$/m.exec(text)?.[1]?.trim();
  const zxid = /^Zxid: (0x[0-9a-f]+)$/im.exec(text)?.[1];
  const nodes = /^Node count: (\d+)$/m.exec(text)?.[1];
  if (!mode || !zxid) return null;
  const role = MODES[mode] ?? 'looking';
  const phase = role === 'standalone' ? null : role === 'looking' ? 'election' : 'broadcast';
  return baseState(sid, role, phase, zxid.toLowerCase(), nodes ? Number(nodes) : 0);
}

function baseState(sid: number, role: MemberState['role'], phase: MemberState['phase'], zxid: string, znodes: number): JsonSafe<MemberState> {
  const epoch = Number(BigInt(zxid) >> 32n);
  return {
    sid,
    role,
    phase,
    learnerType: 'participant',
    acceptedEpoch: epoch,
    currentEpoch: epoch,
    lastLoggedZxid: zxid,
    committedZxid: zxid,
    leaderId: null,
    round: 0,
    vote: null,
    peersConnected: [],
    learners: [],
    syncedLearners: [],
    outstandingProposals: 0,
    pendingSyncs: 0,
    serving: role !== 'looking',
    sessionCount: 0,
    znodeCount: znodes,
    digest: '',
  };
}
