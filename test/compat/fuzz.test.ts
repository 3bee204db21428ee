/**
 * Fuzz (issue "Engine, part 1"): random and mutated frames (fuzz/cases.ts) thrown at a
 * live server from many connections — first one connection at a time, so each
 * connection's fate can be compared with Apache ZooKeeper 3.8's for the same bytes,
 * then as a concurrent storm. Afterwards the server process must be alive, a bystander
 * session must still be served and get its watch event, a fresh client must get
 * correct answers, and every committed node must be intact.
 *
 * Seeded and reproducible: COMPAT_FUZZ_SEED=<n> picks another seed (default 1).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventType } from '../../engine/src/jute/index.js';
import { RawZkClient } from '../helpers/raw-client.js';
import * as zk from '../helpers/raw-ops.js';
import { fuzzCase } from './fuzz/cases.js';
import { runCase, type Outcome } from './fuzz/run-case.js';
import { skipUnless, startTarget, type TargetKind, type ZkTarget } from './lib/targets.js';

const SEED = Number(process.env.COMPAT_FUZZ_SEED ?? 1);
const SEQUENTIAL_CASES = 300;
const STORM_CASES = 240;
const STORM_CONCURRENCY = 16;

const outcomes = new Map<TargetKind, Outcome[]>();

for (const kind of ['apache', 'zoolab'] as const) {
  describe(`fuzz against ${kind} (seed ${SEED})`, { skip: skipUnless(kind) }, () => {
    let t: ZkTarget;
    let bystander: RawZkClient;
    const committed = new Map<string, string>();

    before(async () => {
      t = await startTarget(kind);
      bystander = await RawZkClient.connect(t.port);
      await zk.create(bystander, { path: '/fuzz-committed' });
      for (let i = 0; i < 25; i++) {
        const path = `/fuzz-committed/n${i}`;
        const data = `committed-${i}`;
        assert.equal((await zk.create(bystander, { path, data: Buffer.from(data) })).err, 0);
        committed.set(path, data);
      }
      await zk.exists(bystander, '/fuzz-committed/n0', true);
    });
    after(async () => {
      bystander?.destroy();
      await t?.stop();
    });

    test(`${SEQUENTIAL_CASES} fuzzed connections, one at a time`, { timeout: 300_000 }, async () => {
      const results: Outcome[] = [];
      for (let i = 0; i < SEQUENTIAL_CASES; i++) {
        results.push(await runCase(t.port, fuzzCase(SEED, i)));
        if (i % 50 === 49) assert.equal((await bystander.ping()).err, 0, `the bystander lost its session after case ${i}`);
      }
      outcomes.set(kind, results);
      assert.ok(t.processAlive(), `the server died:\n${t.output().slice(-3000)}`);
    });

    test(`a storm of ${STORM_CASES} fuzzed connections, ${STORM_CONCURRENCY} at a time`, { timeout: 300_000 }, async () => {
      let next = SEQUENTIAL_CASES;
      const end = SEQUENTIAL_CASES + STORM_CASES;
      const worker = async () => {
        while (next < end) await runCase(t.port, fuzzCase(SEED, next++));
      };
      await Promise.all(Array.from({ length: STORM_CONCURRENCY }, worker));
      assert.ok(t.processAlive(), `the server died:\n${t.output().slice(-3000)}`);
    });

    test('afterwards it still answers correctly and no committed data is lost', async () => {
      assert.equal((await bystander.ping()).err, 0, 'the bystander session must survive');
      const fresh = await RawZkClient.connect(t.port);
      try {
        for (const [path, data] of committed) {
          const r = await zk.getData(fresh, path);
          assert.equal(r.err, 0, `${path} is gone`);
          assert.equal(r.value?.data?.toString(), data, `${path} changed`);
        }
        assert.deepEqual((await zk.getChildren(fresh, '/fuzz-committed')).value?.sort(), [...committed.keys()].map((p) => p.split('/')[2]).sort());
        assert.equal((await zk.create(fresh, { path: '/after-fuzz', data: Buffer.from('ok') })).err, 0);
        assert.equal((await zk.getData(fresh, '/after-fuzz')).value?.data?.toString(), 'ok');
        assert.equal((await zk.setData(fresh, '/fuzz-committed/n0', Buffer.from('touched'))).err, 0);
        await bystander.ping();
        assert.deepEqual(bystander.events().map((e) => [e.type, e.path]), [[EventType.NodeDataChanged, '/fuzz-committed/n0']]);
      } finally {
        fresh.destroy();
      }
    });
  });
}

test('each fuzzed connection fares on our member as it does on Apache ZooKeeper 3.8', { skip: skipUnless('apache', 'zoolab') }, () => {
  const apache = outcomes.get('apache');
  const ours = outcomes.get('zoolab');
  assert.ok(apache && ours, 'both fuzz runs must have completed');
  const mismatches: string[] = [];
  for (let i = 0; i < apache.length; i++) {
    if (JSON.stringify(apache[i]) === JSON.stringify(ours[i])) continue;
    const fc = fuzzCase(SEED, i);
    mismatches.push(
      `case ${i} (${fc.kind}, handshake=${fc.handshake}): ${fc.notes.join('; ')}\n` +
        `    bytes ${Buffer.concat(fc.steps).toString('hex').slice(0, 200)}\n` +
        `    apache: ${apache[i].join(' | ')}\n    zoolab: ${ours[i].join(' | ')}`,
    );
  }
  assert.equal(mismatches.length, 0, `${mismatches.length} connections differ (seed ${SEED}); first ones:\n${mismatches.slice(0, 5).join('\n')}`);
});
