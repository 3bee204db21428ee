/**
 * How a returning member is brought up to date, on real processes (zab.md §3.3): DIFF
 * when it missed writes the leader still holds in its committed window, SNAP when it
 * missed more than the window (commitLogCount) keeps, and TRUNC for an old leader that
 * was cut off with a proposal nobody else logged.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { ZkClient } from '../../engine/src/client/index.js';
import type { ProtocolEvent } from '../../engine/src/quorum/protocol-events.js';
import { within } from './helpers/bounded.js';
import { type Ensemble, startEnsemble } from './helpers/ensemble.js';
import { missingOn } from './helpers/writers.js';

async function writeMany(e: Ensemble, sids: number[], prefix: string, n: number): Promise<string[]> {
  const c = await ZkClient.connect({ connectString: e.connectString(sids), sessionTimeout: 10_000 }, 15_000);
  try {
    await c.create(prefix, '');
    const paths = Array.from({ length: n }, (_, i) => `${prefix}/n${i}`);
    await Promise.all(paths.map((p) => c.create(p, 'v')));
    return paths;
  } finally {
    await c.close();
  }
}

/** The sync modes the leader chose for `learner`, in order. */
function syncModes(e: Ensemble, leader: number, learner: number): string[] {
  return e
    .events(leader)
    .filter((ev): ev is Extract<ProtocolEvent, { kind: 'sync-chosen' }> => ev.kind === 'sync-chosen' && ev.learner === learner)
    .map((ev) => ev.mode);
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a member that missed writes within the window is synced with DIFF; beyond it, with SNAP', { timeout: 120_000 }, async () => {
  const e = await startEnsemble({ voters: 3, tickTime: 300, config: { commitLogCount: 20 } });
  try {
    const leader = await e.waitForLeader();
    const [a, b] = e.members.map((m) => m.sid).filter((s) => s !== leader) as [number, number];
    // a misses 10 writes (inside the 20-entry window): DIFF.
    await e.kill(a);
    const few = await writeMany(e, [leader, b], '/few', 9);
    await e.restart(a);
    await e.waitForLeader();
    await waitFor('a DIFF for the restarted member', () => syncModes(e, leader, a).at(-1) === 'DIFF');
    assert.deepEqual(await missingOn(e.connectString([a]), few), []);
    // b misses 60 writes (beyond the window): SNAP.
    await e.kill(b);
    const many = await writeMany(e, [leader, a], '/many', 60);
    await e.restart(b);
    await e.waitForLeader();
    await waitFor('a SNAP for the restarted member', () => syncModes(e, leader, b).at(-1) === 'SNAP');
    assert.deepEqual(await missingOn(e.connectString([b]), [...few, ...many]), []);
  } finally {
    await e.stop();
  }
});

test('a wiped member (empty disk) is synced with SNAP even when the leader still holds every txn', { timeout: 120_000 }, async () => {
  const e = await startEnsemble({ voters: 3, tickTime: 300 });
  try {
    const leader = await e.waitForLeader();
    const wiped = e.members.find((m) => m.sid !== leader)!;
    const before = await writeMany(e, [leader], '/before-wipe', 5);
    await e.kill(wiped.sid);
    // A new disk: everything but myid goes (the lab's member.wipe).
    for (const f of readdirSync(wiped.dataDir)) if (f !== 'myid') rmSync(join(wiped.dataDir, f), { recursive: true, force: true });
    await e.restart(wiped.sid);
    await e.waitForLeader();
    // The default window (500) still reaches zxid 0, yet the empty member says −1 (zab.md §1.4).
    await waitFor('a SNAP for the wiped member', () => syncModes(e, leader, wiped.sid).at(-1) === 'SNAP');
    assert.ok(e.events(leader).some((ev) => ev.kind === 'epoch-acked' && ev.learner === wiped.sid && ev.lastZxid === -1n), 'it reported zxid −1');
    assert.deepEqual(await missingOn(e.connectString([wiped.sid]), before), []);
  } finally {
    await e.stop();
  }
});

test('a cut-off old leader with an uncommitted proposal is truncated (TRUNC) when it rejoins', { timeout: 120_000 }, async () => {
  const e = await startEnsemble({ voters: 3, tickTime: 300, proxied: true });
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const old = await e.waitForLeader();
    const others = e.members.map((m) => m.sid).filter((s) => s !== old);
    await writeMany(e, [old], '/before', 3);
    // Cut the leader off, then hand it a write it can log but never commit.
    const stranded = await ZkClient.connect({ connectString: e.connectString([old]), sessionTimeout: 10_000 }, 15_000);
    cleanup.push(() => stranded.close().catch(() => undefined));
    e.isolate(old);
    const lost = within(
      stranded.create('/lost', 'never committed').then(
        () => 'acknowledged',
        () => 'failed',
      ),
      30_000,
      'the stranded write',
    );
    await waitFor('the old leader to log the stranded proposal', () =>
      e.events(old).some((ev) => ev.kind === 'proposal-sent' && ev.op === 'create'),
    );
    // The others elect a new leader and commit new writes.
    const next = await e.waitForLeader(30_000, others);
    const after = await writeMany(e, others, '/after', 5);
    assert.equal(await lost, 'failed', 'the stranded write was never acknowledged');
    await stranded.close().catch(() => undefined);
    const syncsBeforeHeal = syncModes(e, next, old).length;
    e.heal();
    await waitFor('the old leader to rejoin', async () => (await e.mode(old)) === 'follower', 30_000);
    // Its first sync after the heal truncates; a later one (a busy machine can drop and re-sync
    // a learner) finds the logs equal and is a DIFF.
    const modes = syncModes(e, next, old);
    assert.equal(modes[syncsBeforeHeal], 'TRUNC', `sync modes for the old leader: ${modes.join(',')}`);
    assert.ok(e.events(old).some((ev) => ev.kind === 'truncated'), 'the old leader reported the truncation');
    const c = await ZkClient.connect({ connectString: e.connectString([old]), sessionTimeout: 10_000 }, 15_000);
    try {
      await c.sync('/');
      assert.equal(await c.exists('/lost'), null, 'the uncommitted write is gone');
    } finally {
      await c.close();
    }
    assert.deepEqual(await missingOn(e.connectString([old]), after), []);
  } finally {
    for (const close of cleanup) await close();
    await e.stop();
  }
});
