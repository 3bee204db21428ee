/**
 * Sessions across members and quorum loss, on real processes: a session moves to another
 * member and keeps its ephemerals and watches (zab.md §5); a whole-ensemble kill -9 and
 * restart loses nothing acknowledged; a member cut off from its quorum serves read-only
 * clients (zab.md §6) and refuses writes with NotReadOnly.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { CreateMode, Err, EventType, ZkClient, ZkError } from '../../engine/src/client/index.js';
import { fourLetterWord } from '../helpers/four-letter.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { startEnsemble } from './helpers/ensemble.js';
import { within } from './helpers/bounded.js';
import { missingOn, startWriters } from './helpers/writers.js';

test('a session moved to another member keeps its ephemerals and its watches', { timeout: 120_000 }, async () => {
  const e = await startEnsemble({ voters: 3, tickTime: 300 });
  try {
    await e.waitForLeader();
    // The client knows member 1 (through a proxy we can cut) and then member 2, in order:
    // cutting the proxy makes it reconnect to member 2 with the same session.
    const proxy = await startTcpProxy(e.port(1));
    let client: ZkClient | null = null;
    let other: ZkClient | null = null;
    try {
      client = await ZkClient.connect(
        { connectString: `127.0.0.1:${proxy.port},${e.connectString([2])}`, shuffleHosts: false, sessionTimeout: 10_000 },
        15_000,
      );
      other = await ZkClient.connect({ connectString: e.connectString([3]), sessionTimeout: 10_000 }, 15_000);
      const session = client.sessionId;
      await client.create('/moving', 'x', { mode: CreateMode.EPHEMERAL });
      await other.create('/watched', 'v0');
      // Another client's write: member 1 may not have applied it yet (sequential consistency, zab.md §5).
      await client.sync('/watched');
      let onFire!: (type: number) => void;
      const fired = new Promise<number>((resolve) => (onFire = resolve));
      await client.getData('/watched', { watch: (ev) => onFire(ev.type) });
      proxy.setBlocked(true);
      proxy.dropAll();
      // Requests in flight fail with ConnectionLoss; once the client has moved to member 2,
      // they succeed again.
      for (let i = 0; ; i++) {
        try {
          await within(client.sync('/'), 10_000, 'sync after the move');
          break;
        } catch (err) {
          if (!(err instanceof ZkError) || err.code !== Err.ConnectionLoss || i > 100) throw err;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      assert.equal(client.sessionId, session, 'same session after the move');
      await other.sync('/');
      assert.notEqual(await other.exists('/moving'), null, 'the ephemeral survived the move');
      await other.setData('/watched', 'v1');
      assert.equal(await within(fired, 10_000, 'the watch set before the move'), EventType.NodeDataChanged, 'the watch survived the move');
      await client.close();
      await other.sync('/');
      assert.equal(await other.exists('/moving'), null, 'closing the moved session removed its ephemeral');
    } finally {
      await client?.close().catch(() => undefined);
      await other?.close().catch(() => undefined);
      await proxy.close();
    }
  } finally {
    await e.stop();
  }
});

test('a whole-ensemble kill -9 and restart loses nothing acknowledged', { timeout: 120_000 }, async () => {
  const e = await startEnsemble({ voters: 3, tickTime: 300 });
  try {
    await e.waitForLeader();
    const writers = await startWriters(e.connectString(), 3, '/crash-all');
    try {
      await new Promise((r) => setTimeout(r, 1000));
      await Promise.all(e.members.map((m) => e.kill(m.sid)));
    } finally {
      await writers.stop();
    }
    assert.ok(writers.acked.length > 0);
    for (const m of e.members) await e.restart(m.sid);
    await e.waitForLeader(30_000);
    for (const m of e.members) assert.deepEqual(await missingOn(e.connectString([m.sid]), writers.acked), [], `member ${m.sid}`);
  } finally {
    await e.stop();
  }
});

test('a member cut off from its quorum serves read-only clients and refuses their writes', { timeout: 120_000 }, async () => {
  const e = await startEnsemble({ voters: 3, tickTime: 300, proxied: true, config: { 'readonlymode.enabled': true } });
  try {
    const setup = await ZkClient.connect({ connectString: e.connectString(), sessionTimeout: 10_000 }, 15_000);
    await setup.create('/ro', 'visible');
    await setup.close();
    const leader = await e.waitForLeader();
    const lonely = e.members.map((m) => m.sid).find((s) => s !== leader)!;
    e.isolate(lonely);
    const deadline = Date.now() + 20_000;
    while ((await e.mode(lonely)) !== 'read-only') {
      if (Date.now() > deadline) throw new Error(`member ${lonely} never entered read-only mode (${await e.mode(lonely)})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await fourLetterWord(e.port(lonely), 'isro')).trim(), 'ro');
    const ro = await ZkClient.connect({ connectString: e.connectString([lonely]), canBeReadOnly: true, sessionTimeout: 10_000 }, 15_000);
    try {
      assert.equal((await ro.getData('/ro')).data?.toString(), 'visible');
      await assert.rejects(ro.create('/nope', ''), (err: unknown) => err instanceof ZkError && err.code === Err.NotReadOnly);
    } finally {
      await ro.close();
    }
    e.heal();
    const back = Date.now() + 30_000;
    while ((await e.mode(lonely)) === 'read-only' || (await e.mode(lonely)) === null) {
      if (Date.now() > back) throw new Error('the member did not rejoin after healing');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await fourLetterWord(e.port(lonely), 'isro')).trim(), 'rw');
  } finally {
    await e.stop();
  }
});
