/**
 * Tests of the differential harness itself: the generator is reproducible and honours
 * the intended-differences vetoes, the normalizer keeps what must be compared and
 * flags broken time relations, and a server that answers differently is caught.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Err, ReplyHeader, isTTLMode } from '../../engine/src/jute/index.js';
import { generate } from './differential/generator.js';
import { normalize } from './differential/normalize.js';
import { compareSeed } from './differential/session.js';
import type { GenOp } from './differential/ops.js';
import type { RawTranscript } from './differential/runner.js';
import { INTENDED_DIFFERENCES } from './intended-differences.js';
import { skipUnless, startTarget } from './lib/targets.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const flat = (ops: GenOp[]): GenOp[] => ops.flatMap((o) => (o.k === 'burst' ? o.ops : [o]));

test('a seed determines the whole operation sequence', () => {
  const a = generate({ seed: 42, base: '/d42', ops: 300, slots: 3 });
  const b = generate({ seed: 42, base: '/d42', ops: 300, slots: 3 });
  const c = generate({ seed: 43, base: '/d42', ops: 300, slots: 3 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(a.length, 300);
});

test('generated sequences cover the operation space', () => {
  const kinds = new Set<string>();
  const createModes = new Set<string>();
  for (let seed = 1; seed <= 20; seed++) {
    for (const op of flat(generate({ seed, base: `/d${seed}`, ops: 300, slots: 3 }))) {
      kinds.add(op.k);
      if (op.k === 'create') createModes.add(`${op.opcode}/${op.flags}`);
    }
  }
  for (const k of ['create', 'delete', 'setData', 'exists', 'getData', 'getChildren', 'getChildren2', 'getACL', 'setACL', 'addWatch', 'removeWatches', 'checkWatches', 'multi', 'multiRead', 'getEphemerals', 'getAllChildrenNumber', 'sync', 'auth', 'whoAmI', 'closeSession', 'reconnect', 'resumeClosed', 'connectAhead', 'truncated', 'unknownOpcode']) {
    assert.ok(kinds.has(k), `no ${k} in 20 seeds`);
  }
  for (const mode of ['1/0', '1/1', '15/2', '15/3', '19/4', '21/5', '21/6']) assert.ok(createModes.has(mode), `no create ${mode}`);
});

test('generated sequences never contain an op an intended difference vetoes', () => {
  for (let seed = 1; seed <= 100; seed++) {
    const ops = flat(generate({ seed, base: `/d${seed}`, ops: 300, slots: 3 }));
    for (const op of ops) {
      if (op.k === 'create') assert.ok(!(op.opcode === 21 && !isTTLMode(op.flags) && (op.ttl ?? -1n) < 0n), `seed ${seed}: ${JSON.stringify(op, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
      if (op.k === 'removeWatches' || op.k === 'checkWatches') assert.ok(op.type < 4, `seed ${seed}: watcher type ${op.type}`);
      if (op.k === 'unknownOpcode') assert.notEqual(op.opcode, 20);
    }
  }
  assert.ok(INTENDED_DIFFERENCES.length >= 6);
  assert.equal(new Set(INTENDED_DIFFERENCES.map((d) => d.id)).size, INTENDED_DIFFERENCES.length, 'ids are unique');
});

function transcript(stats: { czxid: bigint; ctime: bigint }[], base = 100n): RawTranscript {
  const stat = (s: { czxid: bigint; ctime: bigint }) => ({ ...s, mzxid: s.czxid, mtime: s.ctime, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 7n, dataLength: 0, numChildren: 0, pzxid: s.czxid });
  const now = Date.now();
  return {
    baseZxid: base,
    startMs: now - 1000,
    endMs: now,
    steps: [
      { label: 'setup', obs: [{ slot: 0, kind: 'connected', how: 'new', sessionId: 7n, timeOut: 30000, readOnly: false, passwdLength: 16 }] },
      ...stats.map((s, i) => ({ label: `#${i}`, obs: [{ slot: 0, kind: 'reply' as const, op: 12, xid: i + 1, zxid: s.czxid, err: 0, inOrder: true, value: { children: ['b', 'a'], stat: stat(s) } }] })),
    ],
  };
}

test('normalization: zxids relative to the base, sessions labelled, children sorted, times checked', () => {
  const now = BigInt(Date.now());
  const ok = normalize(transcript([{ czxid: 101n, ctime: now - 10n }, { czxid: 105n, ctime: now }]));
  assert.match(ok[1].lines[0], /zxid=Z\+1 \{children:\["a", "b"\] stat:\{cz=Z\+1 .*owner=S1 /);
  assert.deepEqual(ok.at(-1)?.lines, ['ok']);
  const backwards = normalize(transcript([{ czxid: 101n, ctime: now }, { czxid: 105n, ctime: now - 10n }]));
  assert.match(backwards.at(-1)!.lines.join('\n'), /time goes backwards/);
  const outside = normalize(transcript([{ czxid: 101n, ctime: 5n }]));
  assert.match(outside.at(-1)!.lines.join('\n'), /outside the run/);
});

test('a server that answers one error differently is caught, with its seed', { skip: skipUnless('apache') }, async () => {
  const [apache, other] = await Promise.all([startTarget('apache'), startTarget('apache')]);
  // In front of the second server, every 3rd NoNode reply becomes NoAuth.
  let noNodes = 0;
  const proxy = await startTcpProxy(other.port, {
    transformServerFrame: (payload, index) => {
      if (index === 0 || payload.length !== 16) return null;
      const h = ReplyHeader.decode(payload);
      if (h.xid < 0 || h.err !== Err.NoNode) return null;
      return ++noNodes % 3 === 0 ? ReplyHeader.encode({ ...h, err: Err.NoAuth }) : null;
    },
  });
  try {
    const r = await compareSeed(5, [apache.port, proxy.port], ['apache', 'altered']);
    assert.ok(r.failure, 'the altered server was not noticed');
    assert.match(r.failure, /^seed 5: altered diverges from apache at step \d+/);
    assert.match(r.failure, /- apache: .*err=-101[\s\S]*\+ altered: .*err=-102/);
  } finally {
    await proxy.close();
    await Promise.all([apache.stop(), other.stop()]);
  }
});
