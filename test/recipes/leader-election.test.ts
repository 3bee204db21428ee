/** Leader election: one leader under contention, hand-over on resign and on session expiry, observers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeaderElection, observeLeader, sequenceOf } from '../../engine/src/recipes/index.js';
import { EventQueue, type ServerUnderTest } from '../client/harness.js';
import { describeRecipe, signal } from './harness.js';

await describeRecipe('leader election', '/election/e', ({ clients, freshPath }) => {
  test('exactly one leader; leadership passes in candidate order on resign and on session expiry', async () => {
    const path = freshPath();
    const all = await clients.openMany(4);
    const observerClient = all[3].zk;
    const elections = all.slice(0, 3).map(({ zk }, i) => new LeaderElection(zk, path, `candidate-${i}`));
    const elected = new EventQueue<string>();
    const revoked = new EventQueue<string>();
    for (const e of elections) {
      e.on('elected', () => elected.push(e.id));
      e.on('revoked', () => revoked.push(e.id));
    }
    await Promise.all(elections.map((e) => e.start()));
    const order = [...elections].sort((a, b) => sequenceOf(a.nodePath!) - sequenceOf(b.nodePath!));
    const leaders = new EventQueue<string | null>();
    const observer = observeLeader(observerClient, path, leaders.push);
    await observer.ready;

    assert.equal(await elected.next(), order[0].id);
    assert.equal(await leaders.next(), order[0].id);
    assert.deepEqual(
      elections.map((e) => e.isLeader),
      elections.map((e) => e === order[0]),
    );
    // Followers watch only the candidate right before them.
    for (let k = 1; k < 3; k++) {
      const zk = all[elections.indexOf(order[k])].zk;
      while (zk.watches().data.length === 0) await zk.sync('/');
      assert.deepEqual(zk.watches().data, [order[k - 1].nodePath]);
      assert.deepEqual(zk.watches().child, []);
    }

    await order[0].resign();
    assert.equal(await revoked.next(), order[0].id);
    assert.equal(await elected.next(), order[1].id);
    assert.equal(await leaders.next(), order[1].id);

    const expiring = all[elections.indexOf(order[1])];
    await expiring.expire();
    assert.equal(await revoked.next(), order[1].id, 'a leader whose session ends is told');
    assert.equal(await elected.next(), order[2].id);
    assert.equal(await leaders.next(), order[2].id);
    await order[2].resign();
    assert.equal(await leaders.next(), null);
    observer.stop();
  });

  test('a follower whose predecessor dies checks again instead of assuming leadership', async () => {
    const path = freshPath();
    const all = await clients.openMany(3);
    const [a, b, c] = all.map(({ zk }, i) => new LeaderElection(zk, path, `c${i}`));
    await a.start();
    await a.whenElected();
    await b.start();
    await c.start();
    // c watches b; b dies first: c must now watch a, not lead.
    const bClient = all[1];
    const cZk = all[2].zk;
    while (cZk.watches().data.length === 0) await cZk.sync('/');
    await bClient.expire();
    while (cZk.watches().data[0] !== a.nodePath) await cZk.sync('/');
    assert.equal(c.isLeader, false);
    const cElected = signal();
    c.on('elected', cElected.resolve);
    await a.resign();
    await cElected.promise;
    assert.ok(c.isLeader);
  });
});
