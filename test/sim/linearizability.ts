/**
 * History checkers (style.md B8):
 *
 * - `checkLinearizable`: Wing & Gong's search with Lowe's memoization, as Porcupine does
 *   it, one key at a time (P-compositionality). An op whose outcome is unknown may take
 *   effect at any point after its call, or never.
 * - `checkSequentialReads`: ZooKeeper promises sequentially consistent reads: each read
 *   returns the state after some prefix of the one committed write order, and per client
 *   those prefixes never move backwards and include the client's own earlier writes.
 *   Greedy: the earliest matching prefix at or after the client's bound is always the
 *   best choice, because later choices only shrink the options of later reads. A read
 *   after a sync must also include every write acknowledged (to anyone) before the sync
 *   was called (zab.md §4.5).
 */
import { ABSENT, type HistoryOp, type KeyOp, type KeyState, sameResult, stepKey } from './history.js';

const SEARCH_LIMIT = 200_000;

function stateKey(s: KeyState): string {
  return s.exists ? `${s.version}:${s.value}` : '-';
}

/** Returns null when linearizable, else a description of the key that is not. */
export function checkLinearizable(ops: readonly HistoryOp[]): string | null {
  const byKey = new Map<string, HistoryOp[]>();
  for (const o of ops) {
    let list = byKey.get(o.op.key);
    if (!list) byKey.set(o.op.key, (list = []));
    list.push(o);
  }
  for (const [key, list] of byKey) {
    const verdict = linearizeKey(list);
    if (verdict !== true) return `key ${key}: ${verdict === false ? 'no linearization' : verdict} (${list.length} ops)`;
  }
  return null;
}

function linearizeKey(ops: readonly HistoryOp[]): boolean | string {
  const n = ops.length;
  const known = ops.map((o) => o.ret !== null);
  const ret = ops.map((o) => o.ret ?? Number.POSITIVE_INFINITY);
  const mustDo = known.filter(Boolean).length;
  const memo = new Set<string>();
  const done = new Uint8Array(n);
  let steps = 0;

  const search = (state: KeyState, doneKnown: number): boolean | string => {
    if (doneKnown === mustDo) return true;
    if (++steps > SEARCH_LIMIT) return 'search limit reached';
    const memoKey = `${stateKey(state)}|${done.join('')}`;
    if (memo.has(memoKey)) return false;
    memo.add(memoKey);
    // Candidates: ops called before every undone op returned (minimal in real-time order).
    let horizon = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) if (!done[i] && ret[i]! < horizon) horizon = ret[i]!;
    for (let i = 0; i < n; i++) {
      if (done[i] || ops[i]!.call > horizon) continue;
      const { result, next } = stepKey(state, ops[i]!.op as KeyOp);
      if (known[i] && !sameResult(result, ops[i]!.result!)) continue;
      done[i] = 1;
      const r = search(next, doneKnown + (known[i] ? 1 : 0));
      done[i] = 0;
      if (r !== false) return r;
    }
    return false;
  };
  return search(ABSENT, 0);
}

/** The committed write order, as the ghost recorded it: per write, its key and the key's state after it. */
export interface CommittedWrite {
  zxid: bigint;
  key: string | null;
  after: KeyState | null;
}

/**
 * Returns null when every read fits, else the first offending read. `writes` is the
 * global committed sequence (every txn, in zxid order; non-key txns have key = null).
 */
export function checkSequentialReads(ops: readonly HistoryOp[], writes: readonly CommittedWrite[]): string | null {
  // Per key: positions (index+1 into writes) at which the key changed, with the new state.
  const timeline = new Map<string, { pos: number; state: KeyState }[]>();
  const position = new Map<bigint, number>();
  writes.forEach((w, i) => {
    position.set(w.zxid, i + 1);
    if (w.key === null || w.after === null) return;
    let t = timeline.get(w.key);
    if (!t) timeline.set(w.key, (t = []));
    t.push({ pos: i + 1, state: w.after });
  });
  // Acknowledged writes by return time, with the running max of their positions.
  const acked = ops
    .filter((o) => o.op.kind !== 'read' && o.ret !== null && o.zxid !== null && position.has(o.zxid))
    .map((o) => ({ ret: o.ret!, pos: position.get(o.zxid!)! }))
    .sort((a, b) => a.ret - b.ret);
  for (let i = 1; i < acked.length; i++) acked[i]!.pos = Math.max(acked[i]!.pos, acked[i - 1]!.pos);
  const ackedBefore = (t: number): number => {
    let lo = 0;
    let hi = acked.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (acked[mid]!.ret < t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : acked[lo - 1]!.pos;
  };
  const byClient = new Map<number, HistoryOp[]>();
  for (const o of ops) {
    let l = byClient.get(o.client);
    if (!l) byClient.set(o.client, (l = []));
    l.push(o);
  }
  for (const [client, list] of byClient) {
    list.sort((a, b) => a.call - b.call);
    let bound = 0;
    let lastZxid = 0n;
    for (const o of list) {
      if (o.ret === null || o.result === null) continue;
      if (o.zxid !== null) {
        if (o.zxid < lastZxid) return `client ${client} saw zxid ${o.zxid} after ${lastZxid} (monotonic reads, §8.13)`;
        lastZxid = o.zxid;
      }
      if (o.op.kind !== 'read') {
        const p = o.zxid !== null ? position.get(o.zxid) : undefined;
        if (p === undefined) return `client ${client}: acknowledged ${o.op.kind} ${o.op.key} at zxid ${o.zxid} is not in the committed sequence`;
        bound = Math.max(bound, p);
        continue;
      }
      if (o.syncedAt !== undefined) bound = Math.max(bound, ackedBefore(o.syncedAt));
      const t = timeline.get(o.op.key) ?? [];
      const found = earliestMatching(t, bound, o);
      if (found === null) return `client ${client}: read of ${o.op.key} = ${JSON.stringify(o.result)} matches no state at or after position ${bound}`;
      bound = found;
    }
  }
  return null;
}

function earliestMatching(t: { pos: number; state: KeyState }[], bound: number, o: HistoryOp): number | null {
  // The state in force at `bound` is the last change at or before it.
  let idx = -1;
  for (let i = 0; i < t.length && t[i]!.pos <= bound; i++) idx = i;
  for (let i = idx; i < t.length; i++) {
    const state = i < 0 ? ABSENT : t[i]!.state;
    const at = i < 0 ? bound : Math.max(bound, t[i]!.pos);
    if (sameResult(stepKey(state, o.op).result, o.result!)) return at;
  }
  return null;
}
