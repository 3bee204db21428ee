/**
 * What each session of a load sends: one definition per workload, turned into a
 * RequestSource for a given global session index. Sessions are numbered across all
 * worker processes (0..sessions-1), so names and key offsets never collide.
 */
import { CountedPathFrames, createFrame, deleteFrame, existsFrame, getDataFrame, setDataFrame } from './frames.js';
import type { RequestSource } from './session.js';

export type KeyedOp = 'set' | 'get' | 'exists';

export type WorkloadSpec =
  /** Unique persistent nodes `<prefix>-<session>-<n>` with 100-byte values. */
  | { kind: 'create'; prefix: string }
  /** Deletes what `create` with the same prefix made: `counts[session]` nodes per session. */
  | { kind: 'delete'; prefix: string; counts: number[] }
  /** setData / getData / exists over `keys` existing nodes `<keyPrefix><i>`, round robin. */
  | { kind: KeyedOp; keyPrefix: string; keys: number }
  /** getData, with every `writeEvery`-th request a setData (10 → the 90/10 mix). */
  | { kind: 'mix'; keyPrefix: string; keys: number; writeEvery: number }
  /** Creates nodes from..to-1 as `<root>/p<i div perParent>/n<i>` (parents must exist). */
  | { kind: 'populate'; root: string; perParent: number; from: number; to: number };

export const KEY_WIDTH = 4;
const COUNTER_WIDTH = 9;

export function keyPath(keyPrefix: string, i: number): string {
  return `${keyPrefix}${String(i).padStart(KEY_WIDTH, '0')}`;
}

export function parentPath(root: string, parent: number): string {
  return `${root}/p${String(parent).padStart(5, '0')}`;
}

function createdPrefix(prefix: string, session: number): string {
  return `${prefix}-${String(session).padStart(4, '0')}-`;
}

/** Frames for one unique-name series, counting from 0. */
class CounterSource implements RequestSource {
  sent = 0;
  constructor(
    private readonly frames: CountedPathFrames,
    private readonly limit = Infinity,
  ) {}
  next(): Buffer | null {
    return this.sent < this.limit ? this.frames.frame(this.sent++) : null;
  }
}

/** Cycles through pre-encoded frames, starting at an offset so sessions touch different keys. */
class CyclingSource implements RequestSource {
  constructor(
    private readonly frames: Buffer[],
    private i: number,
  ) {}
  next(): Buffer {
    const f = this.frames[this.i]!;
    this.i = this.i + 1 === this.frames.length ? 0 : this.i + 1;
    return f;
  }
}

class PopulateSource implements RequestSource {
  private frames: CountedPathFrames | null = null;
  private parent = -1;
  private i: number;
  constructor(
    private readonly root: string,
    private readonly perParent: number,
    from: number,
    private readonly to: number,
  ) {
    this.i = from;
  }
  next(): Buffer | null {
    if (this.i >= this.to) return null;
    const parent = Math.floor(this.i / this.perParent);
    if (parent !== this.parent) {
      this.parent = parent;
      this.frames = new CountedPathFrames(`${parentPath(this.root, parent)}/n`, COUNTER_WIDTH, (p) => createFrame(p));
    }
    return this.frames!.frame(this.i++);
  }
}

/** A source plus what the coordinator needs to know afterwards (how many were sent). */
export interface SessionWorkload {
  source: RequestSource;
  sent(): number;
}

export function workloadFor(spec: WorkloadSpec, session: number, sessions: number): SessionWorkload {
  switch (spec.kind) {
    case 'create': {
      const s = new CounterSource(new CountedPathFrames(createdPrefix(spec.prefix, session), COUNTER_WIDTH, (p) => createFrame(p)));
      return { source: s, sent: () => s.sent };
    }
    case 'delete': {
      const s = new CounterSource(
        new CountedPathFrames(createdPrefix(spec.prefix, session), COUNTER_WIDTH, (p) => deleteFrame(p)),
        spec.counts[session] ?? 0,
      );
      return { source: s, sent: () => s.sent };
    }
    case 'set':
    case 'get':
    case 'exists': {
      const build = spec.kind === 'set' ? setDataFrame : spec.kind === 'get' ? getDataFrame : existsFrame;
      const frames = Array.from({ length: spec.keys }, (_, i) => build(keyPath(spec.keyPrefix, i)));
      return counted(new CyclingSource(frames, offsetFor(session, sessions, spec.keys)));
    }
    case 'mix': {
      // One cycle holds each key once, with a setData in every writeEvery-th slot.
      const frames = Array.from({ length: spec.keys }, (_, i) =>
        i % spec.writeEvery === spec.writeEvery - 1 ? setDataFrame(keyPath(spec.keyPrefix, i)) : getDataFrame(keyPath(spec.keyPrefix, i)),
      );
      return counted(new CyclingSource(frames, offsetFor(session, sessions, spec.keys)));
    }
    case 'populate': {
      // Each session takes a contiguous slice, so parents fill one after another.
      const total = spec.to - spec.from;
      const from = spec.from + Math.floor((total * session) / sessions);
      const to = spec.from + Math.floor((total * (session + 1)) / sessions);
      const s = new PopulateSource(spec.root, spec.perParent, from, to);
      return counted(s);
    }
  }
}

function offsetFor(session: number, sessions: number, keys: number): number {
  return Math.floor((keys * session) / Math.max(1, sessions)) % keys;
}

function counted(source: RequestSource): SessionWorkload {
  let n = 0;
  return {
    source: {
      next() {
        const f = source.next();
        if (f !== null) n++;
        return f;
      },
    },
    sent: () => n,
  };
}

/** ReplyHeader (§5) and Stat (§3) sizes on the wire. */
const REPLY_HEADER = 16;
const STAT = 68;

/**
 * The payload lengths a successful reply to this workload can have: a cheap check that
 * a server really answered what was asked (a getData reply carries the 100-byte value
 * and a Stat, a create reply echoes the path...), since the generator never decodes.
 */
export function expectedReplyLengths(spec: WorkloadSpec): number[] {
  const created = (path: string) => REPLY_HEADER + 4 + Buffer.byteLength(path, 'utf8');
  const getData = REPLY_HEADER + 4 + 100 + STAT;
  const statOnly = REPLY_HEADER + STAT;
  switch (spec.kind) {
    case 'create':
      return [created(`${createdPrefix(spec.prefix, 0)}${'0'.repeat(COUNTER_WIDTH)}`)];
    case 'delete':
      return [REPLY_HEADER];
    case 'get':
      return [getData];
    case 'set':
    case 'exists':
      return [statOnly];
    case 'mix':
      return [statOnly, getData];
    case 'populate':
      return [created(`${parentPath(spec.root, 0)}/n${'0'.repeat(COUNTER_WIDTH)}`)];
  }
}
