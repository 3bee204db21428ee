/**
 * THE list of places where our member intentionally answers differently from Apache
 * ZooKeeper 3.8.0, because 3.8.0 is wrong there (wire-protocol.md §18, and the 3.9
 * watch semantics of §12.4/§12.6 that the project chose). docs/compatibility.md
 * explains each entry for humans; keep the two in step.
 *
 * Each entry does two jobs:
 *  - `avoid` is the normalization the differential harness applies: the generator never
 *    produces an operation that would hit the difference, so every other behaviour is
 *    compared byte for byte. Vetoes are conservative (they may skip a harmless op, never
 *    let a divergent one through).
 *  - `probe` pins the difference down on both servers (intended-differences.test.ts):
 *    `apache` asserts 3.8 still behaves badly (if a newer oracle fixes it, that test
 *    fails and the entry can go), `zoolab` asserts we do the right thing.
 */
import assert from 'node:assert/strict';
import { Err, OpCode, WatcherType, AddWatchMode, EventType, isTTLMode } from '../../engine/src/jute/index.js';
import { RawZkClient, ConnectionClosedError, type Arrival } from '../helpers/raw-client.js';
import * as zk from '../helpers/raw-ops.js';
import type { GenOp } from './differential/ops.js';
import type { GenContext } from './differential/generator.js';
import type { ZkTarget } from './lib/targets.js';
import type { DecodedFrame } from './fuzz/decode-frame.js';
import type { NormalStep } from './differential/normalize.js';

export interface IntendedDifference {
  id: string;
  /** Where the fact is documented. */
  ref: string;
  /** What Apache ZooKeeper 3.8.0 does. */
  apache: string;
  /** What our member does instead, and why. */
  ours: string;
  /** Generator veto: true when `op` (issued on `op.slot`) could observe the difference. */
  avoid?: (op: GenOp, ctx: GenContext) => boolean;
  /** Fuzzer veto: true when one request frame (as the server will read it) could hit the difference. */
  avoidFrame?: (f: DecodedFrame) => boolean;
  /**
   * Transcript normalization, for differences in what the protocol leaves unspecified:
   * applied to both servers' normalized steps before they are compared.
   */
  normalize?: (step: NormalStep) => NormalStep;
  probe: {
    /** The probe leaves the server unusable (it crashes 3.8): give it a server of its own. */
    destructive?: boolean;
    run(t: ZkTarget): Promise<unknown>;
    apache(result: unknown, t: ZkTarget): void;
    zoolab(result: unknown, t: ZkTarget): void;
  };
}

const events = (c: RawZkClient): { type: number; path: string }[] =>
  c.arrivals.filter((a): a is Extract<Arrival, { kind: 'event' }> => a.kind === 'event').map((e) => ({ type: e.type, path: e.path }));

const hasNonBmp = (s: string): boolean => /[\uD800-\uDFFF]/.test(s);

/** A fresh path per probe run, so probes can share one server. */
let probeCounter = 0;
const probePath = (tag: string): string => `/intended-${tag}-${++probeCounter}`;

/** Standard-watch reads in a differential op (bursts are vetoed op by op). */
function standardWatchPath(op: GenOp): string | null {
  if ((op.k === 'exists' || op.k === 'getData' || op.k === 'getChildren' || op.k === 'getChildren2') && op.watch) return op.path;
  return null;
}

export const INTENDED_DIFFERENCES: readonly IntendedDifference[] = [
  {
    id: 'createTTL-non-ttl-mode-negative-ttl',
    ref: 'wire-protocol.md §18 (first bullet), §8.3 step 2',
    apache:
      'opcode 21 with a non-TTL mode and a negative ttl passes prep; applying the txn throws, the whole server dies, and the logged txn prevents a restart',
    ours: 'BadArguments, like every other invalid mode/ttl combination; nothing is logged',
    avoid: (op) => {
      const bad = (opcode: number, flags: number, ttl: bigint | undefined): boolean => opcode === OpCode.createTTL && !isTTLMode(flags) && (ttl ?? -1n) < 0n;
      if (op.k === 'create') return bad(op.opcode, op.flags, op.ttl);
      if (op.k === 'multi') return op.ops.some((m) => m.op === 'create' && bad(m.type, m.flags, m.ttl));
      return false;
    },
    avoidFrame: (f) => f.ops.some((o) => o.ttlCreate !== null && !isTTLMode(o.ttlCreate.flags) && o.ttlCreate.ttl < 0n),
    probe: {
      destructive: true,
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        c.replyTimeoutMs = 5000;
        let outcome: string;
        try {
          const r = await zk.create(c, { path: probePath('ttl'), op: OpCode.createTTL, flags: 0, ttl: -1n });
          outcome = `err ${r.err}`;
        } catch (e) {
          outcome = e instanceof ConnectionClosedError ? 'connection closed' : `no reply: ${(e as Error).message}`;
        }
        c.destroy();
        // Give a dying JVM a moment to be reaped; a healthy server answers at once.
        const after = await RawZkClient.connect(t.port).then(
          (c2) => (c2.destroy(), 'serving'),
          () => 'not serving',
        );
        return { outcome, after };
      },
      apache(r) {
        const { outcome, after } = r as { outcome: string; after: string };
        assert.notEqual(outcome, `err ${Err.BadArguments}`, 'Apache 3.8 rejected the bad createTTL: the bug is fixed, drop this entry');
        assert.equal(after, 'not serving', `Apache 3.8 survived the bad createTTL (${outcome})`);
      },
      zoolab(r) {
        assert.deepEqual(r, { outcome: `err ${Err.BadArguments}`, after: 'serving' });
      },
    },
  },
  {
    id: 'standalone-check',
    ref: 'wire-protocol.md §14.3, §18 (second bullet)',
    apache:
      'a standalone check (opcode 13) that succeeds gets no reply at all (failures do get their error code), and its txn makes the server fail to restart',
    ours: 'the check is answered in order: err 0 when the version matches, otherwise the error code',
    // The generator only uses check inside multi, so there is nothing to veto there.
    avoidFrame: (f) => f.type === OpCode.check,
    probe: {
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        const path = probePath('check');
        await zk.create(c, { path });
        c.replyTimeoutMs = 3000;
        const checkReply = zk.check(c, path, 0).then(
          (r) => `err ${r.err}`,
          () => 'no reply',
        );
        // The ping is answered by any server; a FIFO server answers the check first.
        await c.ping();
        const order = c.arrivals.filter((a) => a.kind === 'reply').map((a) => (a as { op: number }).op);
        c.destroy();
        return { order, check: await checkReply };
      },
      apache(r) {
        assert.deepEqual(r, { order: [OpCode.create, OpCode.ping], check: 'no reply' }, 'Apache 3.8 answered a successful standalone check: the bug is fixed');
      },
      zoolab(r) {
        assert.deepEqual(r, { order: [OpCode.create, OpCode.check, OpCode.ping], check: `err ${Err.Ok}` });
      },
    },
  },
  {
    id: 'standard-watch-replaces-persistent',
    ref: 'wire-protocol.md §12.4 (3.8 quirk, ZOOKEEPER-4466 fixed in 3.9)',
    apache:
      'one connection holds one watch mode per path: a getData/exists/getChildren watch replaces a persistent watch, addWatch replaces a standard one, and addWatch of the other persistent mode replaces the first',
    ours: 'standard, persistent and persistent-recursive watches on the same path coexist (3.9 semantics): each keeps its own behaviour',
    avoid: (op, ctx) => {
      const s = ctx.slots[op.slot];
      const p = standardWatchPath(op);
      if (p !== null) return s.persistent.has(p);
      if (op.k === 'addWatch') return s.standard.has(op.path) || [...(s.persistent.get(op.path) ?? [])].some((m) => m !== op.mode);
      if (op.k === 'reconnect') {
        const w = op.watches;
        const std = [...(w.dataWatches ?? []), ...(w.existWatches ?? []), ...(w.childWatches ?? [])];
        const pers = new Set([...(w.persistentWatches ?? []), ...(w.persistentRecursiveWatches ?? [])]);
        return std.some((x) => pers.has(x));
      }
      return false;
    },
    probe: {
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        const path = probePath('pw');
        await zk.create(c, { path });
        await zk.addWatch(c, path, AddWatchMode.Persistent);
        await zk.getData(c, path, true);
        await zk.setData(c, path, Buffer.from('1'));
        await zk.setData(c, path, Buffer.from('2'));
        await c.ping();
        c.destroy();
        return events(c).filter((e) => e.type === EventType.NodeDataChanged).length;
      },
      apache(n) {
        assert.equal(n, 1, 'Apache 3.8 kept the persistent watch next to a standard one: the quirk is gone');
      },
      zoolab(n) {
        assert.equal(n, 2, 'the persistent watch must survive a standard watch on the same path');
      },
    },
  },
  {
    id: 'remove-data-or-child-watch-strips-persistent',
    ref: 'wire-protocol.md §12.6 (3.8 quirk)',
    apache: 'removeWatches/checkWatches of type Data or Children also matches (and removes) half of a persistent watch',
    ours: 'Data/Children match standard watches only (NoWatcher if there is none); Any, Persistent (4) and PersistentRecursive (5) reach persistent ones',
    avoid: (op, ctx) =>
      (op.k === 'removeWatches' || op.k === 'checkWatches') &&
      (op.type === WatcherType.Data || op.type === WatcherType.Children) &&
      ctx.slots[op.slot].persistent.has(op.path),
    // The fuzz corpus keeps persistent watches on paths ending in /pw.
    avoidFrame: (f) => f.watcherType !== null && f.watcherType <= WatcherType.Data && (f.path === null || f.path.endsWith('/pw')),
    probe: {
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        const path = probePath('rw');
        await zk.create(c, { path });
        await zk.addWatch(c, path, AddWatchMode.Persistent);
        const removed = await zk.removeWatches(c, path, WatcherType.Data);
        await zk.setData(c, path, Buffer.from('1'));
        await c.ping();
        c.destroy();
        return { removeErr: removed.err, dataEvents: events(c).filter((e) => e.type === EventType.NodeDataChanged).length };
      },
      apache(r) {
        assert.deepEqual(r, { removeErr: Err.Ok, dataEvents: 0 }, 'Apache 3.8 no longer strips persistent watches on removeWatches(Data)');
      },
      zoolab(r) {
        assert.deepEqual(r, { removeErr: Err.NoWatcher, dataEvents: 1 });
      },
    },
  },
  {
    id: 'checkWatches-sees-other-connections',
    ref: 'wire-protocol.md §12.6 (checkWatches tests this connection\'s watch)',
    apache:
      'checkWatches (17) of type Data/Children/Any answers Ok when any connection holds such a watch on the path, not only the caller (removeWatches gets it right: NoWatcher)',
    ours: 'checkWatches looks only at the calling connection\'s watches, like removeWatches: NoWatcher when it holds none',
    avoid: (op, ctx) =>
      op.k === 'checkWatches' && ctx.slots.some((s, i) => i !== op.slot && (s.standard.has(op.path) || s.persistent.has(op.path))),
    probe: {
      async run(t) {
        const a = await RawZkClient.connect(t.port);
        const b = await RawZkClient.connect(t.port);
        const path = probePath('cw');
        await zk.create(a, { path });
        await zk.exists(a, path, true);
        const r = { check: (await zk.checkWatches(b, path, WatcherType.Data)).err, remove: (await zk.removeWatches(b, path, WatcherType.Data)).err };
        a.destroy();
        b.destroy();
        return r;
      },
      apache(r) {
        assert.deepEqual(r, { check: Err.Ok, remove: Err.NoWatcher }, 'Apache 3.8 no longer reports other connections\' watches in checkWatches');
      },
      zoolab(r) {
        assert.deepEqual(r, { check: Err.NoWatcher, remove: Err.NoWatcher });
      },
    },
  },
  {
    id: 'checkWatches-relative-path',
    ref: 'wire-protocol.md §5 (MarshallingError is for undecodable bodies), §8.3 (no syntax check on reads)',
    apache: 'checkWatches (17) with a path that does not start with "/" fails inside the watch lookup and answers MarshallingError (removeWatches answers NoWatcher)',
    ours: 'NoWatcher, like removeWatches: the body decodes fine and there is no such watch',
    avoid: (op) => op.k === 'checkWatches' && op.path !== '' && !op.path.startsWith('/'),
    avoidFrame: (f) => f.type === OpCode.checkWatches && f.path !== null && f.path !== '' && !f.path.startsWith('/'),
    probe: {
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        const r = { check: (await zk.checkWatches(c, 'relative', WatcherType.Data)).err, remove: (await zk.removeWatches(c, 'relative', WatcherType.Data)).err };
        c.destroy();
        return r;
      },
      apache(r) {
        assert.deepEqual(r, { check: Err.MarshallingError, remove: Err.NoWatcher }, 'Apache 3.8 now answers checkWatches of a relative path normally');
      },
      zoolab(r) {
        assert.deepEqual(r, { check: Err.NoWatcher, remove: Err.NoWatcher });
      },
    },
  },
  {
    id: 'watcher-type-persistent',
    ref: 'wire-protocol.md §12.6 ([3.9+] WatcherType Persistent=4, PersistentRecursive=5)',
    apache: 'removeWatches/checkWatches only know types 1–3; 4 and 5 are not accepted',
    ours: 'types 4 and 5 select persistent and persistent-recursive watches (3.9)',
    avoid: (op) => (op.k === 'removeWatches' || op.k === 'checkWatches') && op.type >= WatcherType.Persistent,
    avoidFrame: (f) => f.watcherType === WatcherType.Persistent || f.watcherType === WatcherType.PersistentRecursive,
    probe: {
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        const path = probePath('wt');
        await zk.create(c, { path });
        await zk.addWatch(c, path, AddWatchMode.PersistentRecursive);
        let removeErr: number | string;
        try {
          removeErr = (await zk.removeWatches(c, path, WatcherType.PersistentRecursive)).err;
        } catch (e) {
          removeErr = (e as Error).name;
        }
        c.destroy();
        return removeErr;
      },
      apache(r) {
        assert.notEqual(r, Err.Ok, 'Apache 3.8 accepted WatcherType 5: the oracle is now 3.9+');
      },
      zoolab(r) {
        assert.equal(r, Err.Ok);
      },
    },
  },
  {
    id: 'delete-container-opcode',
    ref: 'wire-protocol.md §18 (last bullet), §6 opcode 20',
    apache: 'a client-sent deleteContainer (20) reads the body as raw path bytes and ends in BadArguments',
    ours: 'BadArguments (or Unimplemented): the opcode is server-internal',
    avoid: (op) => op.k === 'unknownOpcode' && op.opcode === OpCode.deleteContainer,
    avoidFrame: (f) => f.type === OpCode.deleteContainer,
    probe: {
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        const r = await c.request(OpCode.deleteContainer, Buffer.from('/zookeeper'));
        c.destroy();
        return r.err;
      },
      apache(r) {
        assert.equal(r, Err.BadArguments);
      },
      zoolab(r) {
        assert.ok(r === Err.BadArguments || r === Err.Unimplemented, `deleteContainer answered ${String(r)}`);
      },
    },
  },
  {
    id: 'non-bmp-strings-in-replies',
    ref: 'wire-protocol.md §2 (ustring is UTF-8), §8.1 (non-BMP characters are invalid in node paths)',
    apache:
      'strings the server echoes (the sync path; paths in setWatches catch-up events) are re-encoded with each UTF-16 surrogate as its own 3-byte sequence (CESU-8), which strict UTF-8 decoders turn into U+FFFD',
    ours: 'echoed strings are standard UTF-8, byte for byte what the client sent',
    avoid: (op) => {
      if (op.k === 'sync') return hasNonBmp(op.path);
      if (op.k === 'reconnect') return Object.values(op.watches).some((list: string[] | undefined) => (list ?? []).some(hasNonBmp));
      return false;
    },
    avoidFrame: (f) => f.strings.some(hasNonBmp),
    probe: {
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        const r = await zk.sync(c, '/\u{1F600}');
        c.destroy();
        return r.raw.body.subarray(4).toString('hex');
      },
      apache(r) {
        // '/' then U+D83D and U+DE00 each written as a 3-byte sequence.
        assert.equal(r, '2f' + 'eda0bd' + 'edb880', 'Apache 3.8 now encodes non-BMP characters as UTF-8');
      },
      zoolab(r) {
        assert.equal(r, Buffer.from('/\u{1F600}', 'utf8').toString('hex'));
      },
    },
  },
  {
    id: 'client-sent-createSession',
    ref: 'wire-protocol.md §5 (unknown or unsupported opcode), §6 (-10 is internal only)',
    apache:
      'a request with opcode -10 (createSession, internal) is run as a session creation: with a decodable body the connection is closed or answered with a bare ConnectResponse that is not a reply; with an empty body, MarshallingError',
    ours: 'opcode -10 is not a client operation: Unimplemented, then the connection is closed (like any unsupported opcode)',
    avoid: (op) => op.k === 'unknownOpcode' && op.opcode === OpCode.createSession,
    avoidFrame: (f) => f.type === OpCode.createSession,
    probe: {
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        c.replyTimeoutMs = 3000;
        const body = Buffer.from('00000000000075300000000000000000', 'hex');
        const reply = await c.request(OpCode.createSession, body).then(
          (r) => `err ${r.err}`,
          (e: Error) => (e instanceof ConnectionClosedError ? 'closed without reply' : 'no reply'),
        );
        const closed = await Promise.race([c.whenClosed().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
        c.destroy();
        return { reply, closed };
      },
      apache(r) {
        assert.notDeepEqual(r, { reply: `err ${Err.Unimplemented}`, closed: true }, 'Apache 3.8 now answers a client createSession with Unimplemented');
      },
      zoolab(r) {
        assert.deepEqual(r, { reply: `err ${Err.Unimplemented}`, closed: true });
      },
    },
  },
  {
    id: 'ephemeral-deletion-order',
    ref: 'wire-protocol.md §12.2, §13.2; docs/architecture.md (closeSession deletes ephemerals in path order)',
    apache: 'a closing session\'s ephemerals are deleted (and their watch events sent) in the iteration order of a Java HashSet: unspecified, though stable',
    ours: 'they are deleted in path order, which every ensemble member reproduces; the same events arrive, in another order',
    normalize: (step) => (/ closeSession |^teardown/.test(step.label) ? { ...step, lines: sortEventsPerSlot(step.lines) } : step),
    probe: {
      async run(t) {
        const owner = await RawZkClient.connect(t.port);
        const watcher = await RawZkClient.connect(t.port);
        const root = probePath('eo');
        await zk.create(owner, { path: root });
        const names = ['a', 'b', 'c', 'd', 'aa', 'ab', 'z', 'q'];
        for (const n of names) {
          await zk.create(owner, { path: `${root}/${n}`, flags: 1 });
          await zk.exists(watcher, `${root}/${n}`, true);
        }
        await zk.closeSession(owner);
        await watcher.ping();
        watcher.destroy();
        return { deleted: events(watcher).map((e) => e.path.slice(root.length + 1)), created: names };
      },
      apache(r) {
        const { deleted, created } = r as { deleted: string[]; created: string[] };
        assert.deepEqual([...deleted].sort(), [...created].sort(), 'every ephemeral fires NodeDeleted once');
        assert.notDeepEqual(deleted, [...created].sort(), 'Apache 3.8 now deletes in path order: drop the normalization');
      },
      zoolab(r) {
        const { deleted, created } = r as { deleted: string[]; created: string[] };
        assert.deepEqual(deleted, [...created].sort());
      },
    },
  },
  {
    id: 'multi-createTTL-non-ttl-mode',
    ref: 'wire-protocol.md §8.3 step 2, §10.1 (no ephemeral+TTL mode), §14.1',
    apache:
      'inside a multi, a createTTL (21) sub-op with a non-TTL mode ignores its ttl and creates the node in that mode (even ephemeral or container), although the same request on its own is BadArguments',
    ours: 'the sub-op is validated like the request on its own: BadArguments (so the multi fails)',
    avoid: (op) => op.k === 'multi' && op.ops.some((m) => m.op === 'create' && m.type === OpCode.createTTL && !isTTLMode(m.flags) && m.flags >= 0 && m.flags <= 6),
    avoidFrame: (f) => f.type === OpCode.multi && f.ops.some((o) => o.ttlCreate !== null && !isTTLMode(o.ttlCreate.flags)),
    probe: {
      async run(t) {
        const c = await RawZkClient.connect(t.port);
        const path = probePath('mttl');
        await zk.create(c, { path });
        const r = await zk.multi(c, [{ op: 'create', path: `${path}/e`, data: null, acl: zk.OPEN_ACL, flags: 1, type: OpCode.createTTL, ttl: 1000n }]);
        const exists = (await zk.exists(c, `${path}/e`)).err;
        c.destroy();
        return { results: r.value?.map((x) => ('err' in x ? x.err : x.type)), exists };
      },
      apache(r) {
        assert.deepEqual(r, { results: [OpCode.create], exists: Err.Ok }, 'Apache 3.8 now validates createTTL sub-ops');
      },
      zoolab(r) {
        assert.deepEqual(r, { results: [Err.BadArguments], exists: Err.NoNode });
      },
    },
  },
];

/** Applies every entry's transcript normalization (differential/session.ts, before comparing). */
export function normalizeIntended(steps: NormalStep[]): NormalStep[] {
  return steps.map((step) => INTENDED_DIFFERENCES.reduce((s, d) => (d.normalize ? d.normalize(s) : s), step));
}

/** Reorders each slot's event lines among the positions they occupy, leaving other lines in place. */
function sortEventsPerSlot(lines: string[]): string[] {
  const out = [...lines];
  const bySlot = new Map<string, number[]>();
  lines.forEach((l, i) => {
    const m = /^(s\d+) event /.exec(l);
    if (m) bySlot.set(m[1], [...(bySlot.get(m[1]) ?? []), i]);
  });
  for (const positions of bySlot.values()) {
    const sorted = positions.map((i) => lines[i]).sort();
    positions.forEach((pos, k) => (out[pos] = sorted[k]));
  }
  return out;
}

/** The id of the first entry that vetoes a fuzzed request frame, or null. */
export function frameAvoidedBy(f: DecodedFrame): string | null {
  for (const d of INTENDED_DIFFERENCES) if (d.avoidFrame?.(f)) return d.id;
  return null;
}

/** The id of the first entry that vetoes `op`, or null. */
export function avoidedBy(op: GenOp, ctx: GenContext): string | null {
  for (const d of INTENDED_DIFFERENCES) if (d.avoid?.(op, ctx)) return d.id;
  return null;
}
