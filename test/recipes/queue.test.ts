/** Distributed queue: every item consumed exactly once under contention, blocking take, consumer expiry. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZkError } from '../../engine/src/client/index.js';
import { DistributedQueue, RecipeTimeoutError, sequenceOf } from '../../engine/src/recipes/index.js';
import { describeRecipe, stillPending } from './harness.js';

await describeRecipe('distributed queue', '/queues/q', ({ clients, freshPath }) => {
  test('FIFO for one producer; peek, poll and size', async () => {
    const path = freshPath();
    const [{ zk }] = await clients.openMany(1);
    const q = new DistributedQueue(zk, path);
    assert.equal(await q.poll(), null);
    assert.equal(await q.peek(), null);
    const names = [];
    for (const v of ['a', 'b', 'c']) names.push(await q.offer(v));
    assert.deepEqual(names, [...names].sort((x, y) => sequenceOf(x) - sequenceOf(y)));
    assert.equal(await q.size(), 3);
    assert.equal((await q.peek())?.data?.toString(), 'a');
    assert.equal((await q.poll())?.data?.toString(), 'a');
    assert.equal((await q.take()).data?.toString(), 'b');
    assert.equal((await q.poll())?.data?.toString(), 'c');
    assert.equal(await q.size(), 0);
  });

  test('many producers and consumers: every item is consumed exactly once', async () => {
    const path = freshPath();
    const all = await clients.openMany(6);
    const producers = all.slice(0, 3);
    const consumers = all.slice(3);
    const perProducer = 15;
    const total = producers.length * perProducer;
    const taken: string[] = [];
    let remaining = total;
    const consume = async (q: DistributedQueue) => {
      while (remaining > 0) {
        const item = await q.take({ timeoutMs: 10_000 }).catch((e: unknown) => {
          if (e instanceof RecipeTimeoutError && remaining === 0) return null;
          throw e;
        });
        if (!item) return;
        const value = item.data!.toString();
        if (value === 'stop') return;
        remaining--;
        taken.push(value);
        if (remaining === 0) {
          // Wake the other consumers blocked in take(): one item each tells them we are done.
          for (let i = 0; i < consumers.length; i++) await new DistributedQueue(consumers[0].zk, path).offer('stop');
        }
      }
    };
    const consuming = consumers.map(({ zk }) => consume(new DistributedQueue(zk, path)));
    await Promise.all(
      producers.map(async ({ zk }, p) => {
        const q = new DistributedQueue(zk, path);
        for (let i = 0; i < perProducer; i++) await q.offer(`${p}:${i}`);
      }),
    );
    await Promise.all(consuming);
    const items = taken;
    assert.equal(items.length, total);
    assert.equal(new Set(items).size, total, 'no item was taken twice');
    for (let p = 0; p < producers.length; p++) {
      const mine = items.filter((t) => t.startsWith(`${p}:`)).map((t) => Number(t.split(':')[1]));
      assert.equal(mine.length, perProducer);
    }
  });

  test('take blocks until an item arrives; a consumer whose session ends stops, the item stays for others', async () => {
    const path = freshPath();
    const [producer, doomed, survivor] = await clients.openMany(3);
    const doomedTake = new DistributedQueue(doomed.zk, path).take();
    assert.ok(await stillPending(doomedTake, doomed.zk));
    await doomed.expire();
    await assert.rejects(doomedTake, (e: unknown) => ZkError.is(e, 'SessionExpired'));
    const survivorTake = new DistributedQueue(survivor.zk, path).take();
    assert.ok(await stillPending(survivorTake, survivor.zk));
    await new DistributedQueue(producer.zk, path).offer('job');
    assert.equal((await survivorTake).data?.toString(), 'job');
    await assert.rejects(new DistributedQueue(producer.zk, path).take({ timeoutMs: 200 }), RecipeTimeoutError);
  });
});
