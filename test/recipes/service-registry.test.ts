/** Service registry: members register ephemeral nodes; a watcher sees joins, data changes, leaves and failures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZkError } from '../../engine/src/client/index.js';
import { ServiceWatcher, registerService } from '../../engine/src/recipes/index.js';
import { EventQueue, type ServerUnderTest } from '../client/harness.js';
import { describeRecipe, signal } from './harness.js';

await describeRecipe('service registry', '/servers', ({ clients, freshPath }) => {
  test('the live member list follows registrations, updates, leaves and failures', async () => {
    const root = freshPath();
    const [w, s1, s2, s3] = await clients.openMany(4);
    const early = await registerService(s1.zk, root, 'web-1', '10.0.0.1:80');
    const watcher = new ServiceWatcher(w.zk, root);
    const events = new EventQueue<string>();
    watcher.on('joined', (name, data) => events.push(`joined ${name} ${data?.toString()}`));
    watcher.on('left', (name) => events.push(`left ${name}`));
    watcher.on('changed', (name, data) => events.push(`changed ${name} ${data?.toString()}`));
    await watcher.start();
    assert.equal(await events.next(), 'joined web-1 10.0.0.1:80');
    assert.deepEqual([...watcher.members.keys()], ['web-1']);

    const second = await registerService(s2.zk, root, 'web-2', '10.0.0.2:80');
    assert.equal(await events.next(), 'joined web-2 10.0.0.2:80');
    const third = await registerService(s3.zk, root, 'worker-', 'x', { sequential: true });
    assert.match(third.path, /worker-\d{10}$/);
    assert.match(await events.next(), /^joined worker-\d{10} x$/);
    await assert.rejects(registerService(s3.zk, root, 'web-1', 'dup'), (e: unknown) => ZkError.is(e, 'NodeExists'));

    await second.update('10.0.0.2:8080');
    assert.equal(await events.next(), 'changed web-2 10.0.0.2:8080');
    await second.unregister();
    assert.equal(await events.next(), 'left web-2');

    const lost = signal();
    early.on('lost', lost.resolve);
    await s1.expire(); // web-1 crashes: its session ends and its node goes
    await lost.promise;
    assert.equal(early.isActive, false);
    assert.equal(await events.next(), 'left web-1');
    assert.deepEqual([...watcher.members.keys()], [third.path.slice(root.length + 1)]);
    watcher.stop();
  });

  test('many services registering at once are all seen', async () => {
    const root = freshPath();
    const all = await clients.openMany(6);
    const watcher = new ServiceWatcher(all[0].zk, root);
    await watcher.start();
    const seen = signal();
    watcher.on('members', (m) => {
      if (m.size === 5) seen.resolve();
    });
    await Promise.all(all.slice(1).map(({ zk }, i) => registerService(zk, root, `s${i}`, String(i))));
    await seen.promise;
    assert.deepEqual([...watcher.members.entries()].map(([k, v]) => `${k}=${v?.toString()}`).sort(), ['s0=0', 's1=1', 's2=2', 's3=3', 's4=4']);
    watcher.stop();
  });
});
