/**
 * Runs one fuzz case on its own connection and describes what the server did, without
 * values that legitimately differ (zxids, times, session ids): the ConnectResponse's
 * shape, each reply's xid/err/body length, watch events, whether the server closed.
 *
 * Pacing makes the description deterministic. Apache ZooKeeper 3.8 answers some frames
 * from its I/O thread (Unimplemented, closes) and others from its request pipeline, so
 * with several frames in flight the order and even the presence of replies before a
 * close is racy (we saw an Unimplemented reply overtake an earlier MarshallingError).
 * So 'stepwise' cases send one server frame at a time, each followed by a barrier
 * request (whose replies are not recorded). After an Unimplemented or AuthFailed
 * reply the close it announces is awaited. A case whose bytes end inside a frame
 * vanishes instead (the server must simply forget it).
 */
import { ConnectionClosedError, RawZkClient, type Arrival } from '../../helpers/raw-client.js';
import { Err, OpCode } from '../../../engine/src/jute/index.js';
import type { FuzzCase } from './cases.js';

/** Generous bounds: a correct server answers in milliseconds; these only turn a hang into a finding. */
const ANSWER_WAIT_MS = 3_000;

export type Outcome = string[];

function describe(a: Arrival): string | null {
  switch (a.kind) {
    case 'reply':
      return a.xid >= BARRIER_XID_BASE ? null : `reply xid=${a.xid} err=${a.err} len=${a.body.length}`;
    case 'unmatched':
      return `reply xid=${a.xid} err=${a.err} len=${a.body.length}`;
    case 'event':
      return `event type=${a.type} state=${a.state} ${JSON.stringify(a.path)}`;
    case 'garbled':
      return 'garbled frame';
    case 'closed':
      return 'closed';
  }
}

function within<T>(p: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((r) => (timer = setTimeout(() => r(onTimeout), ms)))]).finally(() => clearTimeout(timer));
}

function send(c: RawZkClient, bytes: Buffer, split: boolean): void {
  if (!split) return c.sendBytes(bytes);
  // Chunks of 1–7 bytes, derived from the bytes so the split is reproducible.
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + (bytes[at] % 7);
    c.sendBytes(bytes.subarray(at, at + n));
    at += n;
  }
}

const announcesClose = (c: RawZkClient): boolean =>
  c.arrivals.some((a) => (a.kind === 'reply' || a.kind === 'unmatched') && (a.err === Err.Unimplemented || a.err === Err.AuthFailed));

/**
 * Barrier xids: far from the corpus xids, so a barrier reply is never mistaken for a
 * fuzzed frame's (a ping would be: every ping reply carries xid -2).
 */
const BARRIER_XID_BASE = 0x7a000000;
const EXISTS_ROOT = Buffer.from('000000012f00', 'hex');

/** Barrier: every frame sent before it has been answered (or the connection closed). */
async function barrier(c: RawZkClient, notes: string[], n: number): Promise<void> {
  try {
    await c.request(OpCode.exists, EXISTS_ROOT, { xid: BARRIER_XID_BASE + n });
  } catch (e) {
    if (!(e instanceof ConnectionClosedError)) notes.push(`stalled: ${(e as Error).message}`);
  }
  if (announcesClose(c) && !c.closed) await within(c.whenClosed(), ANSWER_WAIT_MS, '');
}

export async function runCase(port: number, fc: FuzzCase): Promise<Outcome> {
  const c = await RawZkClient.dial(port);
  c.replyTimeoutMs = ANSWER_WAIT_MS;
  const out: Outcome = [];
  try {
    if (fc.vanish) {
      for (const s of fc.steps) send(c, s, fc.splitWrites);
      c.destroy();
      return ['vanished'];
    }
    let hello: Promise<string> | null = null;
    if (fc.handshake) {
      const r = await c.handshake();
      out.push(`connected timeOut=${r.timeOut} readOnly=${String(r.readOnly)}`);
    } else {
      hello = c.awaitConnectResponse().then(
        (r) => `connected timeOut=${r.timeOut} session=${r.sessionId === 0n ? '0' : 'new'} readOnly=${String(r.readOnly)}`,
        () => 'no ConnectResponse',
      );
    }
    const stalls: string[] = [];
    const steps = fc.mode === 'stream' ? [Buffer.concat(fc.steps)] : fc.steps;
    for (let i = 0; i < steps.length && !c.closed; i++) {
      send(c, steps[i], fc.splitWrites);
      if (hello) {
        // The first frame is the ConnectRequest: its answer comes first.
        out.push(await within(hello, ANSWER_WAIT_MS, 'stalled before the ConnectResponse'));
        hello = null;
        if (!c.session) break;
      }
      if (!c.closed) await barrier(c, stalls, i);
    }
    if (!c.closed && !c.session) await within(c.whenClosed(), ANSWER_WAIT_MS, '');
    for (const a of c.arrivals) {
      const line = describe(a);
      if (line) out.push(line);
    }
    out.push(...stalls);
    if (!c.closed) out.push('open');
    return out;
  } finally {
    c.destroy();
  }
}
