/**
 * A real 3-voter + 1-observer ensemble on loopback: one leader, followers and an observer
 * that report their roles through four-letter words, writes accepted by any member and
 * visible on every member, sessions that are global (ephemerals vanish everywhere).
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { CreateMode, ZkClient } from '../../engine/src/client/index.js';
import { fourLetterWord } from '../helpers/four-letter.js';
import { type Ensemble, startEnsemble } from './helpers/ensemble.js';

let e: Ensemble;
let leader: number;
const clients: ZkClient[] = [];

async function clientOn(sid: number): Promise<ZkClient> {
  const c = await ZkClient.connect({ connectString: `127.0.0.1:${e.port(sid)}`, sessionTimeout: 10_000 }, 10_000);
  clients.push(c);
  return c;
}

before(async () => {
  e = await startEnsemble({ voters: 3, observers: 1, tickTime: 500 });
  leader = await e.waitForLeader(30_000);
});

after(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await e?.stop();
});

test('four-letter words report each member\'s role', async () => {
  const modes = await Promise.all(e.members.map((m) => e.mode(m.sid)));
  assert.deepEqual(
    modes,
    e.members.map((m) => (m.sid === leader ? 'leader' : m.sid === 4 ? 'observer' : 'follower')),
  );
  const mntr = await fourLetterWord(e.port(leader), 'mntr');
  assert.match(mntr, /^zk_server_state\tleader$/m);
  assert.match(mntr, /^zk_peer_state\tleading - broadcast$/m);
  assert.match(mntr, /^zk_synced_followers\t2$/m);
  assert.match(mntr, /^zk_synced_observers\t1$/m);
  assert.match(mntr, /^zk_learners\t3$/m);
  assert.match(mntr, /^zk_pending_syncs\t0$/m);
  const follower = e.members.find((m) => m.sid !== leader && m.sid !== 4)!.sid;
  const fm = await fourLetterWord(e.port(follower), 'mntr');
  assert.match(fm, /^zk_server_state\tfollower$/m);
  assert.match(fm, /^zk_peer_state\tfollowing - broadcast$/m);
  assert.doesNotMatch(fm, /zk_synced_followers/);
  assert.match(await fourLetterWord(e.port(leader), 'srvr'), /^Proposal sizes last\/min\/max: -?\d+\/-?\d+\/-?\d+$/m);
});

test('a write through any member is visible on every member after sync', async () => {
  const on = await Promise.all(e.members.map((m) => clientOn(m.sid)));
  await on[0]!.create('/via1', 'one');
  await on[3]!.create('/via-observer', 'four');
  await on[1]!.setData('/via1', 'two');
  for (const c of on) {
    await c.sync('/');
    assert.equal((await c.getData('/via1')).data?.toString(), 'two');
    assert.equal((await c.getData('/via-observer')).data?.toString(), 'four');
  }
});

test('sessions are global: an ephemeral made on a follower disappears everywhere when its session closes', async () => {
  const follower = e.members.find((m) => m.sid !== leader && m.sid !== 4)!.sid;
  const owner = await clientOn(follower);
  await owner.create('/eph', 'x', { mode: CreateMode.EPHEMERAL });
  const watchers = await Promise.all(e.members.map((m) => clientOn(m.sid)));
  for (const c of watchers) {
    await c.sync('/');
    assert.notEqual(await c.exists('/eph'), null);
  }
  await owner.close();
  for (const c of watchers) {
    await c.sync('/');
    assert.equal(await c.exists('/eph'), null);
  }
});
