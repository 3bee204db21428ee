/**
 * Turns a raw transcript into lines that are equal for two correct servers:
 *  - zxids ≥ the run's base zxid print as offsets from it (`Z+7`): every zxid consumer
 *    (sessions, writes, failed writes, closes; wire-protocol.md §5, §17) must match.
 *    Older zxids (history left by earlier runs on the same server) print by rank (`H2`).
 *    0 and negative values (e.g. the 3.8 notification zxid -1) print as is.
 *  - times print as `T` (or `0`); instead of their values, their relations are checked:
 *    one time per zxid, never decreasing as zxids grow, and within the run's wall-clock
 *    window. A violation becomes a transcript line, so it shows up as a difference.
 *  - session ids print as S1, S2, ... in order of appearance (ephemeralOwner too).
 *  - child lists and getEphemerals results are sorted (the server gives no order, §9).
 * Everything else (error codes, versions, data, ACLs, result types, event order) is
 * printed exactly.
 */
import { eventTypeName, opName, type EventType, type Stat } from '../../../engine/src/jute/index.js';
import type { Obs, RawTranscript } from './runner.js';

/** Ops whose string-array results have no defined order. */
const UNORDERED_RESULT_OPS = new Set(['getChildren', 'getEphemerals']);

const isStat = (v: unknown): v is Stat => typeof v === 'object' && v !== null && 'czxid' in v && 'pzxid' in v && 'ephemeralOwner' in v;

class Normalizer {
  private readonly sessions = new Map<bigint, string>();
  private readonly history: bigint[];
  private readonly timeOf = new Map<bigint, bigint>();
  readonly violations: string[] = [];

  constructor(private readonly t: RawTranscript) {
    const older = new Set<bigint>();
    for (const s of t.steps) for (const o of s.obs) this.collectZxids(o, (z) => z > 0n && z < t.baseZxid && older.add(z));
    this.history = [...older].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private collectZxids(v: unknown, add: (z: bigint) => void): void {
    if (isStat(v)) {
      add(v.czxid);
      add(v.mzxid);
      add(v.pzxid);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x) => this.collectZxids(x, add));
    if (typeof v === 'object' && v !== null && !Buffer.isBuffer(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.zxid === 'bigint') add(o.zxid);
      for (const x of Object.values(o)) if (typeof x === 'object') this.collectZxids(x, add);
    }
  }

  zxid(z: bigint): string {
    if (z <= 0n) return String(z);
    if (z >= this.t.baseZxid) return `Z+${z - this.t.baseZxid}`;
    return `H${this.history.indexOf(z) + 1}`;
  }

  session(id: bigint): string {
    if (id === 0n) return '0';
    let label = this.sessions.get(id);
    if (!label) {
      label = `S${this.sessions.size + 1}`;
      this.sessions.set(id, label);
    }
    return label;
  }

  private owner(id: bigint): string {
    if (id === 0n) return '0';
    // An owner we never saw connect would be a leaked marker (container/TTL, §10.3-10.4).
    return this.sessions.get(id) ?? `?0x${BigInt.asUintN(64, id).toString(16)}`;
  }

  private time(zxid: bigint, ms: bigint, what: string): string {
    if (zxid === 0n || ms === 0n) {
      if (zxid !== ms) this.violations.push(`${what}: zxid ${this.zxid(zxid)} has time ${ms}; zxid 0 and time 0 go together`);
      return String(ms);
    }
    const seen = this.timeOf.get(zxid);
    if (seen === undefined) this.timeOf.set(zxid, ms);
    else if (seen !== ms) this.violations.push(`${what}: zxid ${this.zxid(zxid)} has two times (${seen}, ${ms})`);
    return 'T';
  }

  stat(s: Stat): string {
    const ct = this.time(s.czxid, s.ctime, 'ctime');
    const mt = this.time(s.mzxid, s.mtime, 'mtime');
    return (
      `{cz=${this.zxid(s.czxid)} mz=${this.zxid(s.mzxid)} pz=${this.zxid(s.pzxid)} ct=${ct} mt=${mt} ` +
      `v=${s.version} cv=${s.cversion} av=${s.aversion} owner=${this.owner(s.ephemeralOwner)} len=${s.dataLength} kids=${s.numChildren}}`
    );
  }

  value(v: unknown, op: string): string {
    if (v === null || v === undefined) return String(v);
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v !== 'object') return JSON.stringify(v);
    if (Buffer.isBuffer(v)) return printable(v) ? JSON.stringify(v.toString('utf8')) : `0x${v.toString('hex')}`;
    if (isStat(v)) return this.stat(v);
    if (Array.isArray(v)) {
      const items = v.map((x) => this.value(x, op));
      if (UNORDERED_RESULT_OPS.has(op) && v.every((x) => typeof x === 'string')) items.sort();
      return `[${items.join(', ')}]`;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined);
    // A multiRead getChildren result (type 8) has no order either.
    const childOp = o.type === 8 || 'children' in o ? 'getChildren' : op;
    return `{${keys.map((k) => `${k}:${k === 'children' ? this.value(o[k], childOp) : this.value(o[k], op)}`).join(' ')}}`;
  }

  obs(o: Obs): string {
    const who = `s${o.slot}`;
    switch (o.kind) {
      case 'reply': {
        const op = opName(o.op);
        const head = `${who} reply ${op} xid=${o.xid} err=${o.err} zxid=${this.zxid(o.zxid)}${o.inOrder ? '' : ' OUT-OF-ORDER'}`;
        if (o.decodeError) return `${head} UNDECODABLE(${o.decodeError})`;
        return o.value === undefined || o.value === null ? head : `${head} ${this.value(o.value, op)}`;
      }
      case 'event':
        return `${who} event ${eventTypeName(o.type as EventType)} state=${o.state} ${JSON.stringify(o.path)} zxid=${this.zxid(o.zxid)}`;
      case 'closed':
        return `${who} closed by server`;
      case 'connected':
        return `${who} connected(${o.how}) session=${this.session(o.sessionId)} timeOut=${o.timeOut} readOnly=${String(o.readOnly)} passwd=${o.passwdLength}B`;
      case 'refused':
        return `${who} handshake(${o.how}) closed without reply`;
      case 'failed':
        return `${who} connection gone ${o.what}`;
      case 'unmatched':
        return `${who} UNMATCHED reply xid=${o.xid} err=${o.err}`;
      case 'garbled':
        return `${who} GARBLED ${o.reason}`;
    }
  }

  /** One time per zxid is checked as stats are printed; here: order and wall-clock window. */
  checkTimeOrder(): void {
    const pairs = [...this.timeOf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const lo = BigInt(this.t.startMs - 5_000);
    const hi = BigInt(this.t.endMs + 5_000);
    for (let i = 0; i < pairs.length; i++) {
      const [z, ms] = pairs[i];
      if (z >= this.t.baseZxid && (ms < lo || ms > hi)) this.violations.push(`zxid ${this.zxid(z)} has time ${ms}, outside the run [${lo}, ${hi}]`);
      if (i > 0 && pairs[i - 1][1] > ms) this.violations.push(`time goes backwards: ${this.zxid(pairs[i - 1][0])}@${pairs[i - 1][1]} > ${this.zxid(z)}@${ms}`);
    }
  }
}

function printable(b: Buffer): boolean {
  for (const x of b) if (x < 0x20 || x > 0x7e) return false;
  return true;
}

export interface NormalStep {
  label: string;
  lines: string[];
}

/** The normalized transcript: one entry per step, plus a last one for relation violations. */
export function normalize(t: RawTranscript): NormalStep[] {
  const n = new Normalizer(t);
  const steps = t.steps.map((s) => ({ label: s.label, lines: s.obs.map((o) => n.obs(o)) }));
  n.checkTimeOrder();
  steps.push({ label: 'time relations', lines: n.violations.length ? n.violations : ['ok'] });
  return steps;
}

