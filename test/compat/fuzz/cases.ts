/**
 * Seeded fuzz cases: what bytes one connection sends. Each case starts from valid frames
 * (corpus.ts, or the ConnectRequest) and applies mutations: flipped bytes, cut or
 * extended payloads, lying or out-of-range lengths, interesting ints over length fields,
 * random opcodes and xids, garbage before the handshake, requests before the handshake,
 * pipelining behind the handshake, writes split into tiny chunks, and clients that
 * vanish mid-frame. A case is a pure function of (seed, index).
 */
import { Prng } from '../lib/prng.js';
import { RawZkClient } from '../../helpers/raw-client.js';
import { requestCorpus } from './corpus.js';
import { decodeFrame } from './decode-frame.js';
import { frameAvoidedBy } from '../intended-differences.js';

const MAX_BUFFER = 0xfffff;
const FOUR_LETTER_WORDS = new Set(['conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'hash', 'isro', 'mntr', 'ruok', 'srst', 'srvr', 'stat', 'stmk', 'wchc', 'wchp', 'wchs']);
const INTERESTING_INTS = [-1, -2, 0, 1, 0x7fffffff, -0x80000000, MAX_BUFFER, MAX_BUFFER + 1, 0xffff, 255];
const INTERESTING_OPCODES = [-11, -10, -1, 0, 10, 13, 16, 20, 23, 50, 99, 102, 108, 1000];

export interface FuzzCase {
  id: number;
  kind: string;
  /** Complete a normal handshake (new session) before sending the steps. */
  handshake: boolean;
  /**
   * The bytes, cut where the server's framing cuts them (each step is one whole frame as
   * the server reads it; a final step may hold a bad length). 'stepwise' cases send one
   * step at a time with a ping barrier after each; 'stream' cases send everything at once.
   */
  steps: Buffer[];
  mode: 'stepwise' | 'stream';
  /** Write each step in chunks of 1–7 bytes. */
  splitWrites: boolean;
  /** The bytes end inside a frame: the client vanishes right after writing them. */
  vanish: boolean;
  /** How each frame was built, for failure messages. */
  notes: string[];
}

type Mutation = (frame: Buffer, rng: Prng) => { frame: Buffer; note: string };

const withLength = (payload: Buffer): Buffer => {
  const out = Buffer.alloc(payload.length + 4);
  out.writeInt32BE(payload.length);
  payload.copy(out, 4);
  return out;
};

const MUTATIONS: Record<string, Mutation> = {
  flip(frame, rng) {
    const out = Buffer.from(frame);
    const n = rng.range(1, 3);
    const at: number[] = [];
    for (let i = 0; i < n && out.length > 4; i++) {
      const pos = rng.range(4, out.length - 1);
      out[pos] ^= rng.range(1, 255);
      at.push(pos);
    }
    return { frame: out, note: `flip@${at.join(',')}` };
  },
  truncate(frame, rng) {
    const keep = rng.int(Math.max(1, frame.length - 4));
    return { frame: withLength(frame.subarray(4, 4 + keep)), note: `truncate to ${keep}` };
  },
  extend(frame, rng) {
    const extra = rng.bytes(rng.range(1, 16));
    return { frame: withLength(Buffer.concat([frame.subarray(4), extra])), note: `extend +${extra.length}` };
  },
  overwriteInt(frame, rng) {
    const out = Buffer.from(frame);
    if (out.length < 8) return { frame: out, note: 'overwriteInt (too short)' };
    const pos = rng.range(4, out.length - 4);
    const v = rng.pick(INTERESTING_INTS);
    out.writeInt32BE(v, pos);
    return { frame: out, note: `int ${v}@${pos}` };
  },
  opcode(frame, rng) {
    const out = Buffer.from(frame);
    const v = rng.chance(0.8) ? rng.pick(INTERESTING_OPCODES) : rng.u32() | 0;
    if (out.length >= 12) out.writeInt32BE(v, 8);
    return { frame: out, note: `opcode ${v}` };
  },
  xid(frame, rng) {
    const out = Buffer.from(frame);
    const v = rng.pick([-1, -2, -4, -8, 0, 0x7fffffff, rng.u32() | 0]);
    if (out.length >= 8) out.writeInt32BE(v, 4);
    return { frame: out, note: `xid ${v}` };
  },
  lengthLie(frame, rng) {
    const out = Buffer.from(frame);
    const delta = rng.pick([-8, -4, -3, -1, 1, 2, 5]);
    out.writeInt32BE(frame.readInt32BE(0) + delta, 0);
    return { frame: out, note: `length ${delta > 0 ? '+' : ''}${delta}` };
  },
};

function mutate(frame: Buffer, rng: Prng, notes: string[], name: string): Buffer {
  if (rng.chance(0.25)) {
    notes.push(`${name} (intact)`);
    return frame;
  }
  let f = frame;
  const applied: string[] = [];
  for (let i = rng.range(1, 2); i > 0; i--) {
    const m = rng.weighted({ flip: 4, truncate: 2, extend: 1, overwriteInt: 4, opcode: 2, xid: 1, lengthLie: 0.5 });
    const r = MUTATIONS[m](f, rng);
    f = r.frame;
    applied.push(r.note);
  }
  notes.push(`${name} ${applied.join(' ')}`);
  return f;
}

interface Framing {
  /** The bytes cut at the server's frame boundaries (the last piece may be a bad length and what follows it). */
  steps: Buffer[];
  /** Payloads of the complete frames the server will read. */
  payloads: Buffer[];
  /** The stream ends inside a frame. */
  partial: boolean;
}

/**
 * Cuts `bytes` the way the server's framing will (wire-protocol.md §1): 4-byte length,
 * payload. A bad length (negative or over jute.maxbuffer) or a four-letter word ends the
 * reading: the server closes there. Otherwise the stream may end inside a frame.
 */
export function frameAsServer(bytes: Buffer, beforeHandshake: boolean): Framing {
  const steps: Buffer[] = [];
  const payloads: Buffer[] = [];
  if (beforeHandshake && bytes.length >= 4 && FOUR_LETTER_WORDS.has(bytes.subarray(0, 4).toString('latin1'))) return { steps: [bytes], payloads, partial: false };
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 4) return { steps, payloads, partial: true };
    const n = bytes.readInt32BE(at);
    if (n < 0 || n > MAX_BUFFER) {
      steps.push(bytes.subarray(at));
      return { steps, payloads, partial: false };
    }
    if (bytes.length - at - 4 < n) return { steps, payloads, partial: true };
    steps.push(bytes.subarray(at, at + 4 + n));
    payloads.push(bytes.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return { steps, payloads, partial: false };
}

/** A case whose server-side frames could hit an intended difference is redrawn. */
function vetoed(f: Framing, beforeHandshake: boolean): boolean {
  const requests = beforeHandshake ? f.payloads.slice(1) : f.payloads;
  return requests.some((p) => frameAvoidedBy(decodeFrame(p)) !== null);
}

export function fuzzCase(seed: number, id: number): FuzzCase {
  for (let attempt = 0; ; attempt++) {
    const c = drawCase(new Prng(seed * 1_000_003 + id * 64 + attempt), seed, id);
    if (c) return c;
    if (attempt > 50) throw new Error(`fuzz case ${seed}/${id}: every draw was vetoed`);
  }
}

function drawCase(rng: Prng, seed: number, id: number): FuzzCase | null {
  const corpus = requestCorpus(`/fz${seed}-${id}`, rng.range(0, 3));
  const notes: string[] = [];
  const someFrames = (n: number, mutated: boolean): Buffer[] =>
    Array.from({ length: n }, () => {
      const c = rng.pick(corpus);
      if (!mutated) notes.push(`${c.name} (intact)`);
      return mutated ? mutate(c.bytes, rng, notes, c.name) : c.bytes;
    });
  const connect = (): Buffer => RawZkClient.connectFrame({ readOnly: rng.chance(0.3) ? 'omit' : false });
  const kind = rng.weighted({
    mutatedRequests: 40,
    mutatedConnect: 14,
    garbageFirst: 7,
    requestFirst: 5,
    badLength: 8,
    vanishMidFrame: 8,
    randomFrames: 8,
    pipelinedHandshake: 10,
  });
  let handshake = true;
  let frames: Buffer[] = [];
  let forceVanish = false;
  switch (kind) {
    case 'mutatedRequests':
      frames = someFrames(rng.range(1, 4), true);
      break;
    case 'mutatedConnect':
      handshake = false;
      frames = [mutate(connect(), rng, notes, 'connect'), ...someFrames(rng.int(3), false)];
      break;
    case 'garbageFirst': {
      handshake = false;
      const junk = rng.bytes(rng.range(1, 40));
      notes.push(`garbage ${junk.toString('hex')}`);
      frames = [junk, connect()];
      break;
    }
    case 'requestFirst':
      handshake = false;
      frames = someFrames(rng.range(1, 2), false);
      break;
    case 'badLength': {
      frames = someFrames(rng.int(3), false);
      const n = rng.pick([MAX_BUFFER + 1, 0x7fffffff, -1, -100, -0x80000000]);
      notes.push(`length ${n}`);
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      frames.push(b, rng.bytes(rng.int(16)));
      break;
    }
    case 'vanishMidFrame': {
      handshake = rng.chance(0.7);
      const whole = handshake ? rng.pick(corpus).bytes : connect();
      const cut = rng.range(1, whole.length - 1);
      notes.push(`cut at ${cut} of ${whole.length}`);
      frames = [whole.subarray(0, cut)];
      forceVanish = true;
      break;
    }
    case 'randomFrames':
      frames = Array.from({ length: rng.range(1, 3) }, () => {
        const payload = rng.bytes(rng.int(48));
        notes.push(`random ${payload.toString('hex')}`);
        return withLength(payload);
      });
      break;
    case 'pipelinedHandshake':
      // No auth frames here: 3.8 answers auth from its I/O thread, ahead of earlier
      // pipelined requests (a FIFO violation), so their order would be racy.
      handshake = false;
      notes.push('connect (intact)');
      frames = [connect(), ...someFrames(rng.range(1, 4), false)];
      if (notes.some((n) => n.startsWith('auth '))) return null;
      break;
  }
  const bytes = Buffer.concat(frames);
  const framing = frameAsServer(bytes, !handshake);
  if (vetoed(framing, !handshake)) return null;
  const vanish = forceVanish || framing.partial;
  return {
    id,
    kind,
    handshake,
    steps: vanish ? [bytes] : framing.steps,
    mode: kind === 'pipelinedHandshake' || vanish ? 'stream' : 'stepwise',
    splitWrites: rng.chance(0.3),
    vanish,
    notes,
  };
}
