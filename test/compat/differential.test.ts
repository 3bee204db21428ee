/**
 * Differential test (issue "Engine, part 1", tests): the same seeded operation
 * sequences — creates in every mode, deletes and sets with versions, ACLs and digest
 * auth, watches of every kind, multi/multiRead, sessions closing and resuming with
 * SetWatches, bad paths and bad input — run against Apache ZooKeeper 3.8 and against
 * our member, and the normalized transcripts must be equal (differential/normalize.ts
 * says what is normalized; intended-differences.ts lists what is avoided and why).
 *
 * Reproduce one seed: COMPAT_SEEDS=17 node --test <build>/test/compat/differential.test.js
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { compareSeed, seedsFromEnv } from './differential/session.js';
import { skipUnless, startTarget, type ZkTarget } from './lib/targets.js';

const SEEDS = seedsFromEnv(1, 30);

test('our member answers like Apache ZooKeeper 3.8 on seeded operation sequences', { skip: skipUnless('apache', 'zoolab') }, async (t) => {
  const servers: ZkTarget[] = [];
  try {
    servers.push(await startTarget('apache'), await startTarget('zoolab'));
    const [apache, ours] = servers;
    const failures: string[] = [];
    for (const seed of SEEDS) {
      const r = await compareSeed(seed, [apache.port, ours.port], ['apache', 'zoolab']);
      if (r.failure) {
        failures.push(r.failure);
        t.diagnostic(r.failure.split('\n')[0]);
      }
      assert.ok(ours.processAlive(), `our member died during seed ${seed}:\n${ours.output()}`);
    }
    assert.equal(failures.length, 0, `${failures.length}/${SEEDS.length} seeds diverged; first:\n${failures[0]}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
});

test('the harness is deterministic: two Apache ZooKeeper servers give identical transcripts', { skip: skipUnless('apache') }, async () => {
  const servers: ZkTarget[] = [];
  try {
    servers.push(...(await Promise.all([startTarget('apache'), startTarget('apache')])));
    for (const seed of seedsFromEnv(1001, 3)) {
      const r = await compareSeed(seed, [servers[0].port, servers[1].port], ['apacheA', 'apacheB']);
      assert.equal(r.failure, null, r.failure ?? '');
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
});
