/** Double barrier: nobody passes enter() until all arrive, nobody passes leave() until all left; crashes count as leaving. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DoubleBarrier, RecipeTimeoutError } from '../../engine/src/recipes/index.js';
import { describeRecipe, stillPending } from './harness.js';

await describeRecipe('double barrier', '/barriers/b', ({ clients, freshPath }) => {
  test('enter waits for the whole group, leave waits for everyone to leave, and the barrier can be reused', async () => {
    const path = freshPath();
    const all = await clients.openMany(3);
    for (let round = 0; round < 2; round++) {
      const barriers = all.map(({ zk }, i) => new DoubleBarrier(zk, path, 3, `p${i}`));
      const first = [barriers[0].enter(), barriers[1].enter()];
      assert.ok(await stillPending(first[0], all[0].zk), 'two of three cannot pass');
      assert.ok(await stillPending(first[1], all[1].zk));
      await Promise.all([...first, barriers[2].enter()]);
      const leaving = [barriers[0].leave(), barriers[1].leave()];
      assert.ok(await stillPending(leaving[0], all[0].zk), 'leave waits for the others');
      assert.ok(await stillPending(leaving[1], all[1].zk));
      await Promise.all([...leaving, barriers[2].leave()]);
    }
  });

  test('a participant whose session ends counts as left; enter times out cleanly', async () => {
    const path = freshPath();
    const [a, b, c] = await clients.openMany(3);
    const ba = new DoubleBarrier(a.zk, path, 3, 'a');
    const bb = new DoubleBarrier(b.zk, path, 3, 'b');
    const bc = new DoubleBarrier(c.zk, path, 3, 'c');
    await Promise.all([ba.enter(), bb.enter(), bc.enter()]);
    const aLeaves = ba.leave();
    const bLeaves = bb.leave();
    assert.ok(await stillPending(aLeaves, a.zk));
    await c.expire(); // c crashes inside the barrier
    await Promise.all([aLeaves, bLeaves]);

    const lonely = new DoubleBarrier(a.zk, `${path}-2`, 2, 'a');
    await assert.rejects(lonely.enter({ timeoutMs: 300 }), RecipeTimeoutError);
    assert.deepEqual(await a.zk.getChildren(`${path}-2`), [], 'the timed-out participant removed itself');
  });
});
