/**
 * Client tests that need an ensemble: a session moving between members (through TCP
 * proxies, one per member, so a member can be made unreachable without an election), a
 * session outliving an outage of the whole ensemble longer than its timeout (the server,
 * not the client, decides expiry) and read-only mode. Written once; run against Apache
 * ZooKeeper 3.8 and the ZooLab ensemble.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateMode, EventType, ZkError, type ZkClient } from '../../engine/src/client/index.js';
import { fourLetterWord } from '../helpers/four-letter.js';
import { ClientPool, EventQueue, recordStates, waitForState } from './harness.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

export interface EnsembleUnderTest {
  ports: number[];
  connectString: string;
  /** Kills member i (0-based) with SIGKILL. */
  kill(i: number): Promise<void>;
  /** Freezes member i (SIGSTOP) / lets it run again (SIGCONT): a paused process, data kept. */
  pause(i: number): void;
  resume(i: number): void;
  stop(): Promise<void>;
}

export interface EnsembleTarget {
  name: string;
  skip: string | false;
  start(opts: { members: number; tickTime: number; readOnlyModeEnabled?: boolean }): Promise<EnsembleUnderTest>;
}

const TICK = 500;

/** Index of the member whose `srvr` says `Mode: leader`. */
async function leaderIndex(ports: readonly number[]): Promise<number> {
  const modes = await Promise.all(ports.map((p) => fourLetterWord(p, 'srvr').then((t) => /^Mode: (\S+)/m.exec(t)?.[1] ?? null, () => null)));
  const i = modes.indexOf('leader');
  assert.ok(i >= 0, `no leader among ${modes.join(', ')}`);
  return i;
}

export function defineEnsembleSuite(target: EnsembleTarget): void {
  describe(`client ensemble suite against ${target.name}`, { skip: target.skip }, () => {
    describe('moving a session between members', () => {
      let ens: EnsembleUnderTest;
      let proxies: TcpProxy[] = [];
      const pool = new ClientPool(() => ({ connectString: ens.connectString }));
      before(async () => {
        ens = await target.start({ members: 3, tickTime: TICK });
      });
      after(async () => {
        await ens?.stop();
      });
      afterEach(async () => {
        await pool.closeAll();
        await Promise.all(proxies.map((p) => p.close()));
        proxies = [];
      });

      async function throughProxies(): Promise<string> {
        proxies = await Promise.all(ens.ports.map((port) => TcpProxy.start({ host: '127.0.0.1', port })));
        return proxies.map((p) => p.address).join(',');
      }

      test('the session, its ephemerals, watches and queued requests survive a move to another member', async () => {
        const admin = await pool.open();
        await admin.create('/move');
        const zk = await pool.open({ connectString: await throughProxies() });
        const sessionId = zk.sessionId;
        await zk.create('/move/eph', 'x', { mode: CreateMode.EPHEMERAL });
        const data = new EventQueue();
        const persistent = new EventQueue();
        await zk.getData('/move', { watch: data.watcher });
        await zk.addWatch('/move/eph', persistent.watcher, 'persistent');
        const first = proxies.findIndex((p) => p.active > 0);
        assert.ok(first >= 0, 'the client is connected through one proxy');
        const states = recordStates(zk);

        const away = waitForState(zk, 'disconnected');
        proxies[first].reject(); // that member becomes unreachable for this client
        await away;
        // Made while disconnected: the next attempt goes to the next member, which is up, so
        // it is sent after that handshake (had the attempt failed, it would fail with
        // ConnectionLoss, as in the Java client).
        const queued = zk.create('/move/q', 'queued');
        await admin.setData('/move', 'changed while moving');
        await waitForState(zk, 'connected');
        const second = proxies.findIndex((p) => p.active > 0);
        assert.notEqual(second, first, 'reconnected to another member');
        assert.equal(zk.connectedServer?.port, proxies[second].port);
        assert.equal(zk.sessionId, sessionId, 'same session');
        assert.deepEqual(states.slice(0, 1), ['disconnected']);
        assert.equal(await queued, '/move/q');
        assert.equal((await data.next()).type, EventType.NodeDataChanged, 'the change made during the move is reported');
        await admin.sync('/move');
        assert.equal((await admin.exists('/move/eph'))?.ephemeralOwner, sessionId);
        await admin.setData('/move/eph', 'y');
        assert.equal((await persistent.next()).type, EventType.NodeDataChanged);
        assert.ok(zk.lastZxidSeen > 0n);
      });

      test('a session is resumed after the whole ensemble stopped serving for longer than its timeout', async () => {
        // The new leader gives every session in its database a fresh timeout (zab.md §"after
        // an election"), so the session survives however long there was no leader; the
        // client must keep trying and not declare it expired itself (Java 3.8 ClientCnxn).
        const sessionTimeout = 3000;
        const admin = await pool.open();
        const leader = await leaderIndex(ens.ports);
        const order = [leader, ...ens.ports.keys()].filter((i, k, all) => all.indexOf(i) === k);
        const zk = await pool.open({ connectString: order.map((i) => `127.0.0.1:${ens.ports[i]}`).join(','), shuffleHosts: false, sessionTimeout });
        assert.equal(zk.negotiatedTimeout, sessionTimeout);
        const sessionId = zk.sessionId;
        await zk.create('/outage-eph', 'x', { mode: CreateMode.EPHEMERAL });
        const states = recordStates(zk);
        const followers = order.slice(1);
        try {
          // Both followers freeze: the leader loses its quorum and stops serving.
          for (const i of followers) ens.pause(i);
          await waitForState(zk, 'disconnected', 30_000);
          const outageMs = 2 * sessionTimeout; // > 4/3 × timeout: what the old local-expiry rule allowed
          await new Promise((r) => setTimeout(r, outageMs));
          assert.ok(!zk.isConnected, 'no member served during the outage');
        } finally {
          for (const i of followers) ens.resume(i);
        }
        await waitForState(zk, 'connected', 60_000);
        assert.ok(!states.includes('expired'), `states: ${states.join(' → ')}`);
        assert.equal(zk.sessionId, sessionId, 'the same session');
        assert.equal((await zk.exists('/outage-eph'))?.ephemeralOwner, sessionId);
        await admin.waitForConnected(30_000);
        await admin.sync('/');
        assert.equal((await admin.exists('/outage-eph'))?.ephemeralOwner, sessionId, 'its ephemeral is still there for everyone');
      });

      test('sync then read on another member sees every earlier write', async () => {
        const writer = await pool.open({ connectString: `127.0.0.1:${ens.ports[0]}` });
        const reader = await pool.open({ connectString: `127.0.0.1:${ens.ports[2]}` });
        const writes = Array.from({ length: 50 }, (_, i) => writer.create(`/sync-${i}`, String(i)));
        await Promise.all(writes);
        await reader.sync('/');
        const children = await reader.getChildren('/');
        assert.equal(children.filter((c) => c.startsWith('sync-')).length, 50);
      });
    });

    describe('read-only mode', () => {
      let ens: EnsembleUnderTest;
      const pool = new ClientPool(() => ({ connectString: ens.connectString }));
      before(async () => {
        ens = await target.start({ members: 3, tickTime: TICK, readOnlyModeEnabled: true });
      });
      after(async () => {
        await pool.closeAll();
        await ens?.stop();
      });

      test('a read-only-capable client is served reads by a member cut off from the quorum', async () => {
        const admin = await pool.open();
        await admin.create('/ro', 'data');
        await admin.close();
        await ens.kill(1);
        await ens.kill(2);
        // newSessionTimeout 0: keep trying while the survivor notices it lost the quorum.
        const zk: ZkClient = pool.make({ connectString: `127.0.0.1:${ens.ports[0]}`, canBeReadOnly: true, newSessionTimeout: 0 });
        zk.start();
        await waitForState(zk, 'connected-read-only', 30_000);
        assert.ok(zk.isReadOnly);
        assert.equal((await zk.getData('/ro')).data?.toString(), 'data');
        await assert.rejects(zk.create('/ro/x'), (e: unknown) => ZkError.is(e, 'NotReadOnly'));
        await assert.rejects(zk.setData('/ro', 'x'), (e: unknown) => ZkError.is(e, 'NotReadOnly'));
      });
    });
  });
}
