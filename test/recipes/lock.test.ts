/** DistributedLock and ReadWriteLock under contention and session expiry. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZkError, type ZkClient } from '../../engine/src/client/index.js';
import { DistributedLock, ReadWriteLock, RecipeTimeoutError, sequenceOf, type SequentialLock } from '../../engine/src/recipes/index.js';
import { describeRecipe, signal, stillPending } from './harness.js';

await describeRecipe('locks', '/locks/l', ({ clients, freshPath: dir }) => {
  test('mutual exclusion under contention: a read-modify-write counter never loses an update', async () => {
    const path = dir();
    const all = await clients.openMany(5);
    const admin = all[0].zk;
    await admin.mkdirp(`${path}-counter`, { data: '0' });
    let inside = 0;
    let maxInside = 0;
    const rounds = 8;
    await Promise.all(
      all.map(async ({ zk }) => {
        for (let i = 0; i < rounds; i++) {
          const lock = new DistributedLock(zk, path);
          await lock.acquire();
          inside++;
          maxInside = Math.max(maxInside, inside);
          const { data } = await zk.getData(`${path}-counter`);
          await zk.setData(`${path}-counter`, String(Number(data?.toString()) + 1));
          inside--;
          await lock.release();
        }
      }),
    );
    assert.equal(maxInside, 1);
    assert.equal((await admin.getData(`${path}-counter`)).data?.toString(), String(5 * rounds));
    assert.deepEqual(await admin.getChildren(path), [], 'every contender node is gone');
  });

  test('waiters watch only their predecessor (no herd effect) and are served in queue order', async () => {
    const path = dir();
    const all = await clients.openMany(4);
    const locks = all.map(({ zk }) => new DistributedLock(zk, path));
    await locks[0].acquire();
    const order: number[] = [];
    const waiting = new Map(locks.slice(1).map((l, i) => [i + 1, l.acquire().then(() => order.push(i + 1))]));
    // Wait until every waiter has its node and its one watch.
    for (const { zk } of all.slice(1)) {
      while (zk.watches().data.length + zk.watches().exist.length === 0) await zk.sync('/');
    }
    // Queue order is the sequence order of the contender nodes, not the order acquire() was called.
    const queue = [0, 1, 2, 3].sort((x, y) => sequenceOf(locks[x].nodePath!) - sequenceOf(locks[y].nodePath!));
    assert.equal(queue[0], 0);
    for (let k = 1; k < 4; k++) {
      const w = all[queue[k]].zk.watches();
      assert.deepEqual([...w.data, ...w.exist], [locks[queue[k - 1]].nodePath], `waiter ${queue[k]} watches only its predecessor`);
      assert.deepEqual(w.child, [], 'no children watch');
    }
    assert.ok(await stillPending(waiting.get(queue[1])!, all[queue[1]].zk));
    for (let k = 0; k < 4; k++) {
      await locks[queue[k]].release();
      if (k < 3) await waiting.get(queue[k + 1]);
    }
    assert.deepEqual(order, queue.slice(1));
  });

  test('tryAcquire and timeouts leave nothing behind', async () => {
    const path = dir();
    const [a, b] = await clients.openMany(2);
    const held = new DistributedLock(a.zk, path);
    await held.acquire();
    const other = new DistributedLock(b.zk, path);
    assert.equal(await other.tryAcquire(), false);
    await assert.rejects(other.acquire({ timeoutMs: 300 }), (e: unknown) => e instanceof RecipeTimeoutError && ZkError.is(e, 'OperationTimeout'));
    assert.equal((await a.zk.getChildren(path)).length, 1, 'the timed-out contender removed its node');
    await held.release();
    assert.equal(await other.tryAcquire(), true);
    await assert.rejects(other.acquire(), /already held/);
    await other.release();
  });

  test('a holder whose session expires loses the lock and the next waiter gets it', async () => {
    const path = dir();
    const [holder, waiter] = await clients.openMany(2);
    const lock = new DistributedLock(holder.zk, path, { data: 'holder' });
    await lock.acquire();
    const lost = signal();
    lock.on('lost', lost.resolve);
    const next = new DistributedLock(waiter.zk, path);
    const acquired = next.acquire();
    assert.ok(await stillPending(acquired, waiter.zk));
    await holder.expire();
    await lost.promise;
    assert.equal(lock.isHeld, false);
    await acquired;
    assert.ok(next.isHeld);
    await lock.release(); // harmless after expiry
  });

  test('a waiter whose session expires gives up; the others are unaffected', async () => {
    const path = dir();
    const [holder, doomed, patient] = await clients.openMany(3);
    const lock = new DistributedLock(holder.zk, path);
    await lock.acquire();
    const doomedLock = new DistributedLock(doomed.zk, path);
    const doomedWait = doomedLock.acquire();
    const patientLock = new DistributedLock(patient.zk, path);
    const patientWait = patientLock.acquire();
    while ((await holder.zk.getChildren(path)).length < 3) await holder.zk.sync('/');
    await doomed.expire();
    await assert.rejects(doomedWait, (e: unknown) => ZkError.is(e, 'SessionExpired'));
    await lock.release();
    await patientWait;
    assert.ok(patientLock.isHeld);
  });

  test('read/write lock: readers share, a writer excludes, arrival order is kept', async () => {
    const path = dir();
    const all = await clients.openMany(4);
    const rw = all.map(({ zk }) => new ReadWriteLock(zk, path));
    const r1 = rw[0].readLock();
    const r2 = rw[1].readLock();
    await r1.acquire();
    await r2.acquire();
    assert.ok(r1.isHeld && r2.isHeld, 'two readers at once');
    const w = rw[2].writeLock();
    const writing = w.acquire();
    while ((await all[0].zk.getChildren(path)).length < 3) await all[0].zk.sync('/');
    const r3 = rw[3].readLock();
    const lateReader = r3.acquire();
    assert.ok(await stillPending(writing, all[2].zk), 'the writer waits for the readers');
    assert.ok(await stillPending(lateReader, all[3].zk), 'a reader behind a queued writer waits too');
    await r1.release();
    assert.ok(await stillPending(writing, all[2].zk));
    await r2.release();
    await writing;
    assert.ok(await stillPending(lateReader, all[3].zk));
    await w.release();
    await lateReader;
    await r3.release();
  });

  test('read/write lock under contention keeps its invariant, and a writer’s expiry frees the readers', async () => {
    const path = dir();
    const all = await clients.openMany(5);
    let readers = 0;
    let writers = 0;
    const violations: string[] = [];
    const work = async (zk: ZkClient, write: boolean) => {
      for (let i = 0; i < 5; i++) {
        const rw = new ReadWriteLock(zk, path);
        const lock: SequentialLock = write ? rw.writeLock() : rw.readLock();
        await lock.acquire();
        if (write) writers++;
        else readers++;
        if (writers > 1 || (writers === 1 && readers > 0)) violations.push(`readers=${readers} writers=${writers}`);
        await zk.sync('/');
        if (write) writers--;
        else readers--;
        await lock.release();
      }
    };
    await Promise.all(all.map(({ zk }, i) => work(zk, i < 2)));
    assert.deepEqual(violations, []);

    const [writerClient, readerClient] = all;
    const writeLock = new ReadWriteLock(writerClient.zk, path).writeLock();
    await writeLock.acquire();
    const reading = new ReadWriteLock(readerClient.zk, path).readLock().acquire();
    assert.ok(await stillPending(reading, readerClient.zk));
    await writerClient.expire();
    await reading;
  });
});
