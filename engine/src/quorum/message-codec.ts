/**
 * The binary form of peer messages (messages.ts) on the wire between members: a 4-byte
 * big-endian length, then the message in jute primitives. Our members only talk to each
 * other, so this is our own layout (zab.md preamble: phases and meanings must match
 * ZooKeeper, bytes need not). Decoding is bounds-checked and throws ProtocolError on
 * anything malformed; the transport then drops that connection.
 */
import { JuteReader, JuteWriter } from '../jute/index.js';
import { readTxnEntry, writeTxnEntry } from '../tree/txn.js';
import type { ClientRequest, SessionInfo } from './contracts.js';
import type { PeerMessage, SessionTouch, ZabBody } from './messages.js';
import type { LearnerType, PeerState } from './protocol-events.js';

/** Largest message accepted (a SNAP carries the whole database). */
export const MAX_PEER_MESSAGE = 1024 * 1024 * 1024;

const STATES: readonly PeerState[] = ['looking', 'following', 'leading', 'observing'];
const BODY_TYPES: readonly ZabBody['type'][] = [
  'learnerinfo', 'leaderinfo', 'ackepoch', 'diff', 'trunc', 'snap', 'proposal', 'commit', 'inform',
  'newleader', 'ack', 'uptodate', 'ping', 'pong', 'request', 'revalidate', 'revalidated', 'sync', 'synced', 'close',
];
const NOTIFICATION = 1;
const ZAB = 2;

function writeSessions(w: JuteWriter, list: readonly (SessionInfo | SessionTouch)[]): void {
  w.int(list.length);
  for (const s of list) w.long('id' in s ? s.id : s.sessionId).int(s.timeoutMs);
}

function readPairs(r: JuteReader): { id: bigint; timeoutMs: number }[] {
  const n = r.count();
  const out: { id: bigint; timeoutMs: number }[] = [];
  for (let i = 0; i < n; i++) out.push({ id: r.long(), timeoutMs: r.int() });
  return out;
}

function writeRequest(w: JuteWriter, q: ClientRequest): void {
  w.long(q.sessionId).int(q.cxid).int(q.op).buffer(q.body).int(q.authIds.length);
  for (const a of q.authIds) w.ustring(a.scheme).ustring(a.id);
}

function readRequest(r: JuteReader): ClientRequest {
  const sessionId = r.long();
  const cxid = r.int();
  const op = r.int();
  const body = r.buffer() ?? Buffer.alloc(0);
  const n = r.count();
  const authIds = [];
  for (let i = 0; i < n; i++) authIds.push({ scheme: r.ustring(), id: r.ustring() });
  return { sessionId, cxid, op, body, authIds };
}

function writeBody(w: JuteWriter, b: ZabBody): void {
  w.int(BODY_TYPES.indexOf(b.type));
  switch (b.type) {
    case 'learnerinfo':
      w.int(b.acceptedEpoch).bool(b.learnerType === 'observer');
      return;
    case 'leaderinfo':
    case 'newleader':
      w.int(b.epoch);
      return;
    case 'ackepoch':
      w.int(b.currentEpoch).long(b.lastZxid);
      return;
    case 'diff':
    case 'trunc':
    case 'commit':
    case 'ack':
    case 'ping':
      w.long(b.zxid);
      return;
    case 'snap':
      w.long(b.zxid).buffer(b.bytes);
      writeSessions(w, b.sessions);
      return;
    case 'proposal':
    case 'inform':
      writeTxnEntry(w, b.entry);
      return;
    case 'uptodate':
      return;
    case 'pong':
      writeSessions(w, b.touches);
      return;
    case 'request':
      writeRequest(w, b.request);
      return;
    case 'revalidate':
      w.long(b.sessionId).int(b.timeoutMs);
      return;
    case 'revalidated':
      w.long(b.sessionId).bool(b.valid);
      return;
    case 'sync':
    case 'synced':
      w.long(b.sessionId);
      return;
    case 'close':
      w.ustring(b.reason);
      return;
  }
}

function readBody(r: JuteReader): ZabBody {
  r.context('ZabPacket', 'type');
  const type = BODY_TYPES[r.int()];
  if (type === undefined) return r.fail('unknown ZAB packet type');
  r.context('ZabPacket', type);
  switch (type) {
    case 'learnerinfo': {
      const acceptedEpoch = r.int();
      const learnerType: LearnerType = r.bool() ? 'observer' : 'participant';
      return { type, acceptedEpoch, learnerType };
    }
    case 'leaderinfo':
    case 'newleader':
      return { type, epoch: r.int() };
    case 'ackepoch': {
      const currentEpoch = r.int();
      return { type, currentEpoch, lastZxid: r.long() };
    }
    case 'diff':
    case 'trunc':
    case 'commit':
    case 'ack':
    case 'ping':
      return { type, zxid: r.long() };
    case 'snap': {
      const zxid = r.long();
      const bytes = r.buffer() ?? Buffer.alloc(0);
      return { type, zxid, bytes, sessions: readPairs(r) };
    }
    case 'proposal':
    case 'inform':
      return { type, entry: readTxnEntry(r) };
    case 'uptodate':
      return { type };
    case 'pong':
      return { type, touches: readPairs(r).map((p) => ({ sessionId: p.id, timeoutMs: p.timeoutMs })) };
    case 'request':
      return { type, request: readRequest(r) };
    case 'revalidate': {
      const sessionId = r.long();
      return { type, sessionId, timeoutMs: r.int() };
    }
    case 'revalidated': {
      const sessionId = r.long();
      return { type, sessionId, valid: r.bool() };
    }
    case 'sync':
    case 'synced':
      return { type, sessionId: r.long() };
    case 'close':
      return { type, reason: r.ustring() };
  }
}

/** Encodes a message with its 4-byte length prefix. */
export function encodePeerMessage(m: PeerMessage): Buffer {
  const w = new JuteWriter(64);
  w.int(0); // length, patched below
  if (m.type === 'notification') {
    w.int(NOTIFICATION).int(m.vote.leader).long(m.vote.zxid).int(m.vote.peerEpoch).int(m.vote.round).int(STATES.indexOf(m.state));
  } else {
    w.int(ZAB).long(BigInt(m.link)).int(m.seq);
    writeBody(w, m.body);
  }
  const buf = Buffer.from(w.toBuffer());
  buf.writeInt32BE(buf.length - 4, 0);
  return buf;
}

/** Decodes one message body (without its length prefix). Throws ProtocolError when malformed. */
export function decodePeerMessage(payload: Buffer): PeerMessage {
  const r = new JuteReader(payload, 0, payload.length, MAX_PEER_MESSAGE);
  r.context('PeerMessage', 'kind');
  const kind = r.int();
  let m: PeerMessage;
  if (kind === NOTIFICATION) {
    r.context('Notification', 'vote');
    const leader = r.int();
    const zxid = r.long();
    const peerEpoch = r.int();
    const round = r.int();
    const state = STATES[r.int()];
    if (state === undefined) return r.fail('unknown peer state');
    m = { type: 'notification', vote: { leader, zxid, peerEpoch, round }, state };
  } else if (kind === ZAB) {
    r.context('ZabPacket', 'link');
    const link = Number(r.long());
    const seq = r.int();
    m = { type: 'zab', link, seq, body: readBody(r) };
  } else {
    return r.fail(`unknown peer message kind ${kind}`);
  }
  if (r.remaining() !== 0) return r.fail(`${r.remaining()} trailing bytes`);
  return m;
}
