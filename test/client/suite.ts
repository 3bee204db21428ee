/**
 * The client test suite, written once and run against any server (Apache ZooKeeper 3.8
 * and our member): `defineClientSuite(target)` registers every test. One server per
 * suite; each test works under its own base path so tests cannot see each other's nodes.
 * Disconnects are forced with a TCP proxy; every wait is on an event, never a sleep.
 *
 * The suite also runs against 3-member ensembles with its clients spread over the members
 * (`ServerUnderTest.spread`, test/client/ensemble-spread-*.test.ts). It therefore assumes
 * only what ZooKeeper guarantees across members: a client reads another client's write
 * after a `sync` (clients sync once connected, and before such reads), and a client is
 * connected to one of the members, not necessarily the first.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREATOR_ALL_ACL,
  CreateMode,
  EventType,
  KeeperState,
  OPEN_ACL_UNSAFE,
  Perms,
  WatcherType,
  ZkArgumentError,
  ZkError,
  ZkMultiError,
  digestAcl,
  digestId,
  type DataResult,
  type WatchedEvent,
  type ZkClient,
} from '../../engine/src/client/index.js';
import { ClientPool, EventQueue, oneConnectionOnly, recordStates, waitForState, type ServerTarget, type ServerUnderTest } from './harness.js';
import { TcpProxy, frameOpcode, frameXid } from '../helpers/tcp-proxy.js';

/** tickTime 500 lets sessions be as short as 1 s (2 × tick), so expiry tests stay quick. */
const TICK = 500;

const ev = (type: number, path: string | null): Partial<WatchedEvent> => ({ type: type as WatchedEvent['type'], path });
function assertEvent(actual: WatchedEvent, type: number, path: string | null): void {
  assert.deepEqual({ type: actual.type, path: actual.path }, ev(type, path));
}

async function rejectsWith(p: Promise<unknown>, codeName: string, path?: string): Promise<ZkError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ZkError, `expected ZkError ${codeName}, got ${String(e)}`);
    assert.equal(e.codeName, codeName);
    if (path !== undefined) assert.equal(e.path, path);
    return e;
  }
  assert.fail(`expected ${codeName}, but it succeeded`);
}

export function defineClientSuite(target: ServerTarget): void {
  describe(`client suite against ${target.name}`, { skip: target.skip }, () => {
    let server: ServerUnderTest;
    let admin: ZkClient;
    let counter = 0;
    const proxies: TcpProxy[] = [];
    // Spread over an ensemble: admin on the first member, the others in turn on the next ones.
    let spreadNext = 1;
    const syncOnOpen = (zk: ZkClient) => (server.spread ? zk.sync('/') : Promise.resolve());
    const pool = new ClientPool(() => ({ connectString: server.spread?.(spreadNext++) ?? server.connectString }), syncOnOpen);
    const adminPool = new ClientPool(() => ({ connectString: server.spread?.(0) ?? server.connectString }));

    before(async () => {
      server = await target.start({ tickTime: TICK });
      admin = await adminPool.open();
    });
    after(async () => {
      await adminPool.closeAll();
      await server?.stop();
    });
    afterEach(async () => {
      await pool.closeAll();
      await Promise.all(proxies.splice(0).map((p) => p.close()));
    });

    /** A fresh base node for one test. */
    async function base(): Promise<string> {
      const p = `/t${++counter}`;
      await admin.create(p);
      return p;
    }

    async function proxy(): Promise<TcpProxy> {
      const p = await TcpProxy.start({ host: '127.0.0.1', port: server.ports[0] });
      proxies.push(p);
      return p;
    }

    // ---- session ----

    test('connects, exposes the session and closes', async () => {
      const zk = pool.make();
      const states = recordStates(zk);
      assert.equal(zk.state, 'connecting');
      await zk.connect(10_000);
      assert.equal(zk.state, 'connected');
      assert.notEqual(zk.sessionId, 0n);
      assert.equal(zk.sessionPassword.length, 16);
      assert.equal(zk.negotiatedTimeout, 10_000);
      assert.ok(server.ports.includes(zk.connectedServer?.port ?? -1), `connected to ${zk.connectedServer?.port}, one of ${server.ports.join(', ')}`);
      await zk.close();
      assert.deepEqual(states, ['connected', 'closed']);
      await rejectsWith(zk.exists('/'), 'SessionExpired');
    });

    test('negotiated timeout is clamped by the server', async () => {
      const zk = await pool.open({ sessionTimeout: 10 });
      assert.equal(zk.negotiatedTimeout, 2 * TICK);
    });

    test('closing deletes the session ephemerals at once', async () => {
      const b = await base();
      const zk = await pool.open();
      await zk.create(`${b}/e`, 'x', { mode: CreateMode.EPHEMERAL });
      const q = new EventQueue();
      await admin.sync(b); // another client's write
      assert.ok(await admin.exists(`${b}/e`, { watch: q.watcher }));
      await zk.close();
      assertEvent(await q.next(), EventType.NodeDeleted, `${b}/e`);
    });

    test('a session that ended is reported expired when resumed, never reused', async () => {
      const first = await pool.open();
      const id = first.sessionId;
      const pw = Buffer.from(first.sessionPassword);
      await first.close();
      const again = pool.make({ sessionId: id, sessionPassword: pw });
      const states = recordStates(again);
      const events = new EventQueue();
      again.on('watch', events.push);
      await rejectsWith(again.connect(10_000), 'SessionExpired');
      assert.deepEqual(states, ['expired']);
      const e = await events.next();
      assert.equal(e.type, EventType.None);
      assert.equal(e.state, KeeperState.Expired);
      await rejectsWith(again.getData('/'), 'SessionExpired');
    });

    test('a session can be resumed by a second client object with id and password', async () => {
      const b = await base();
      // The server closes the first client's connection when the second takes the session
      // over; left free, the first would reconnect and take it back (both servers ping-pong
      // such a pair, ConnectionLoss for whichever lost last). It gets one connection only.
      const first = await pool.open({ socketFactory: oneConnectionOnly() });
      await first.create(`${b}/e`, 'x', { mode: CreateMode.EPHEMERAL });
      const second = await pool.open({ sessionId: first.sessionId, sessionPassword: first.sessionPassword });
      assert.equal(second.sessionId, first.sessionId);
      await second.sync(b);
      const stat = await second.exists(`${b}/e`);
      assert.equal(stat?.ephemeralOwner, first.sessionId);
    });

    // ---- operations ----

    test('creates nodes in every mode', async () => {
      const b = await base();
      const zk = await pool.open();
      assert.equal(await zk.create(`${b}/p`, 'data'), `${b}/p`);
      const eph = await zk.createWithStat(`${b}/e`, 'x', { mode: CreateMode.EPHEMERAL });
      assert.equal(eph.stat.ephemeralOwner, zk.sessionId);
      const s1 = await zk.create(`${b}/s-`, '', { mode: CreateMode.PERSISTENT_SEQUENTIAL });
      const s2 = await zk.create(`${b}/s-`, '', { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
      assert.match(s1, new RegExp(`^${b}/s-\\d{10}$`));
      assert.ok(s2 > s1, `${s2} after ${s1}`);
      const container = await zk.createContainer(`${b}/c`);
      assert.equal(container.path, `${b}/c`);
      assert.equal(container.stat.ephemeralOwner, 0n);
      const ttl = await zk.createTTL(`${b}/ttl`, 'x', 60_000);
      assert.equal(ttl.stat.ephemeralOwner, 0n);
      const ttlSeq = await zk.createTTL(`${b}/ttl-`, 'x', 60_000, { sequential: true });
      assert.match(ttlSeq.path, /ttl-\d{10}$/);
      const withStat = await zk.createWithStat(`${b}/p2`, 'abc');
      assert.equal(withStat.stat.dataLength, 3);
      assert.deepEqual((await zk.getChildren(b)).sort(), ['c', 'e', 'p', 'p2', s1.slice(b.length + 1), s2.slice(b.length + 1), 'ttl', ttlSeq.path.slice(b.length + 1)].sort());
    });

    test('null data and empty data stay different', async () => {
      const b = await base();
      const zk = await pool.open();
      await zk.create(`${b}/null`, null);
      await zk.create(`${b}/empty`);
      const n = await zk.getData(`${b}/null`);
      const e = await zk.getData(`${b}/empty`);
      assert.equal(n.data, null);
      assert.equal(n.stat.dataLength, 0);
      assert.deepEqual(e.data, Buffer.alloc(0));
    });

    test('reads, writes and versions', async () => {
      const b = await base();
      const zk = await pool.open();
      await zk.create(`${b}/a`, 'one');
      const s = await zk.setData(`${b}/a`, Buffer.from('two'), 0);
      assert.equal(s.version, 1);
      const { data, stat } = await zk.getData(`${b}/a`);
      assert.equal(data?.toString(), 'two');
      assert.deepEqual(stat, s);
      await rejectsWith(zk.setData(`${b}/a`, 'x', 0), 'BadVersion', `${b}/a`);
      await rejectsWith(zk.delete(`${b}/a`, 5), 'BadVersion', `${b}/a`);
      await zk.delete(`${b}/a`, 1);
      assert.equal(await zk.exists(`${b}/a`), null);
    });

    test('errors carry the code, its name and the path', async () => {
      const b = await base();
      const zk = await pool.open();
      await zk.create(`${b}/a`);
      const e = await rejectsWith(zk.create(`${b}/a`), 'NodeExists', `${b}/a`);
      assert.equal(e.code, -110);
      assert.equal(e.message, `KeeperErrorCode = NodeExists for ${b}/a`);
      await rejectsWith(zk.getData(`${b}/missing`), 'NoNode', `${b}/missing`);
      await rejectsWith(zk.create(`${b}/missing/child`), 'NoNode', `${b}/missing/child`);
      await rejectsWith(zk.delete(`${b}/missing`), 'NoNode', `${b}/missing`);
      await zk.create(`${b}/a/child`);
      await rejectsWith(zk.delete(`${b}/a`), 'NotEmpty', `${b}/a`);
      await zk.create(`${b}/eph`, '', { mode: CreateMode.EPHEMERAL });
      await rejectsWith(zk.create(`${b}/eph/child`), 'NoChildrenForEphemerals', `${b}/eph/child`);
      assert.ok(ZkError.is(e, 'NodeExists'));
      assert.ok(!ZkError.is(e, 'NoNode'));
    });

    test('invalid paths are refused before anything is sent', async () => {
      const zk = await pool.open();
      await assert.rejects(zk.getData('relative'), (e: unknown) => e instanceof ZkArgumentError && e.message === 'Path must start with / character');
      await assert.rejects(zk.create('/a/'), (e: unknown) => e instanceof ZkArgumentError && e.message === 'Path must not end with / character');
      await assert.rejects(zk.exists('/a//b'), /empty node name specified @3/);
      await assert.rejects(zk.delete('/a/./b'), /relative paths not allowed @3/);
      await assert.rejects(zk.create('/x', '', { mode: CreateMode.PERSISTENT_WITH_TTL }), /ttl must be an integer/);
      await rejectsWith(zk.create('/x', '', { acl: [] }), 'InvalidACL', '/x');
      // The connection is untouched.
      assert.ok(await zk.exists('/'));
      assert.equal(zk.state, 'connected');
    });

    test('getChildren with the parent stat, children with their stats, descendant count', async () => {
      const b = await base();
      const zk = await pool.open();
      await zk.create(`${b}/a`, '12');
      await zk.create(`${b}/b`, '123');
      await zk.create(`${b}/b/c`);
      const { children, stat } = await zk.getChildrenAndStat(b);
      assert.deepEqual(children.sort(), ['a', 'b']);
      assert.equal(stat.numChildren, 2);
      const listed = await zk.getChildrenWithStats(b);
      assert.deepEqual(
        listed.map((c) => [c.name, c.path, c.stat.dataLength, c.stat.numChildren]),
        [
          ['a', `${b}/a`, 2, 0],
          ['b', `${b}/b`, 3, 1],
        ],
      );
      assert.equal(await zk.getAllChildrenNumber(b), 3);
    });

    test('getEphemerals lists this session’s ephemerals under a prefix', async () => {
      const b = await base();
      const zk = await pool.open();
      const other = await pool.open();
      await zk.create(`${b}/e1`, '', { mode: CreateMode.EPHEMERAL });
      await zk.create(`${b}/x`);
      await zk.create(`${b}/x/e2`, '', { mode: CreateMode.EPHEMERAL });
      await other.create(`${b}/theirs`, '', { mode: CreateMode.EPHEMERAL });
      assert.deepEqual((await zk.getEphemerals(b)).sort(), [`${b}/e1`, `${b}/x/e2`]);
      assert.deepEqual(await zk.getEphemerals(`${b}/x`), [`${b}/x/e2`]);
      assert.ok((await zk.getEphemerals()).includes(`${b}/e1`));
    });

    test('sync, whoAmI and getConfig', async () => {
      const zk = await pool.open();
      await zk.sync('/');
      await zk.sync('/does/not/exist');
      assert.deepEqual(await zk.whoAmI(), [{ authScheme: 'ip', user: '127.0.0.1' }]);
      const config = await zk.getConfig();
      assert.equal(config.stat.dataLength, config.data?.length ?? 0);
      await rejectsWith(zk.reconfig(null, '2', null), 'ReconfigDisabled');
    });

    test('many requests in flight on one connection come back in order', async () => {
      const b = await base();
      const zk = await pool.open();
      const n = 300;
      const creates = Array.from({ length: n }, () => zk.create(`${b}/s-`, '', { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
      const reads = Array.from({ length: 50 }, () => zk.exists(b));
      const paths = await Promise.all(creates);
      const sorted = [...paths].sort();
      assert.deepEqual(paths, sorted, 'sequence numbers follow the order the requests were issued');
      assert.equal(new Set(paths).size, n);
      const stats = await Promise.all(reads);
      assert.ok(stats.every((s) => s !== null && s.numChildren === n));
    });

    // ---- multi ----

    test('multi applies every op or none', async () => {
      const b = await base();
      const zk = await pool.open();
      await zk.create(`${b}/v`, 'v0');
      const results = await zk.multi([
        { type: 'create', path: `${b}/a`, data: 'a' },
        { type: 'create', path: `${b}/s-`, mode: CreateMode.PERSISTENT_SEQUENTIAL },
        { type: 'create', path: `${b}/c`, mode: CreateMode.CONTAINER },
        { type: 'setData', path: `${b}/v`, data: 'v1', version: 0 },
        { type: 'check', path: `${b}/v`, version: 1 },
        { type: 'delete', path: `${b}/a` },
      ]);
      assert.deepEqual(results.map((r) => r.type), ['create', 'create', 'create', 'setData', 'check', 'delete']);
      assert.equal(results[0].type === 'create' && results[0].path, `${b}/a`);
      assert.match(results[1].type === 'create' ? results[1].path : '', /s-\d{10}$/);
      assert.ok(results[2].type === 'create' && results[2].stat, 'a container create reports its stat');
      assert.equal(results[3].type === 'setData' && results[3].stat.version, 1);

      const failing = zk.transaction().create(`${b}/new`).check(`${b}/v`, 0).setData(`${b}/v`, 'v2');
      assert.equal(failing.ops.length, 3);
      const e = await rejectsWith(failing.commit(), 'BadVersion', `${b}/v`);
      assert.ok(e instanceof ZkMultiError);
      assert.equal(e.failedIndex, 1);
      assert.deepEqual(
        e.results.map((r) => (r.type === 'error' ? r.codeName : r.type)),
        ['Ok', 'BadVersion', 'RuntimeInconsistency'],
      );
      assert.equal(await zk.exists(`${b}/new`), null, 'nothing of a failed multi is applied');
      assert.equal((await zk.getData(`${b}/v`)).data?.toString(), 'v1');
      assert.deepEqual(await zk.multi([]), []);
    });

    test('multiRead answers each read on its own', async () => {
      const b = await base();
      const zk = await pool.open();
      await zk.create(`${b}/a`, 'A');
      await zk.create(`${b}/a/x`);
      const results = await zk.multiRead([
        { type: 'getData', path: `${b}/a` },
        { type: 'getChildren', path: `${b}/a` },
        { type: 'getData', path: `${b}/missing` },
      ]);
      assert.equal(results[0].type === 'getData' && results[0].data?.toString(), 'A');
      assert.deepEqual(results[1].type === 'getChildren' && results[1].children, ['x']);
      assert.deepEqual(results[2], { type: 'error', code: -101, codeName: 'NoNode' });
    });

    // ---- watches ----

    test('one-time watches fire once with the right event', async () => {
      const b = await base();
      const zk = await pool.open();
      const created = new EventQueue();
      assert.equal(await zk.exists(`${b}/n`, { watch: created.watcher }), null);
      await admin.create(`${b}/n`, 'x');
      assertEvent(await created.next(), EventType.NodeCreated, `${b}/n`);

      const data = new EventQueue();
      const children = new EventQueue();
      await zk.getData(`${b}/n`, { watch: data.watcher });
      await zk.getChildren(`${b}/n`, { watch: children.watcher });
      await admin.setData(`${b}/n`, 'y');
      assertEvent(await data.next(), EventType.NodeDataChanged, `${b}/n`);
      await admin.create(`${b}/n/c`);
      assertEvent(await children.next(), EventType.NodeChildrenChanged, `${b}/n`);
      // One-shot: a second change after re-arming only one of them reaches only that one.
      await admin.setData(`${b}/n`, 'z');
      await zk.getData(`${b}/n`, { watch: data.watcher });
      await admin.setData(`${b}/n`, 'w');
      assertEvent(await data.next(), EventType.NodeDataChanged, `${b}/n`);
      assert.equal(data.all.length, 2);
      assert.equal(children.all.length, 1);
      assert.deepEqual(zk.watches(), { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] });
    });

    test('a watcher set on data and children of a deleted node is called once', async () => {
      const b = await base();
      const zk = await pool.open();
      await admin.create(`${b}/n`);
      await zk.sync(b); // another client's write
      const q = new EventQueue();
      await zk.getData(`${b}/n`, { watch: q.watcher });
      await zk.getChildren(`${b}/n`, { watch: q.watcher });
      await zk.exists(`${b}/n`, { watch: q.watcher });
      assert.deepEqual(zk.watches().data, [`${b}/n`]);
      assert.deepEqual(zk.watches().child, [`${b}/n`]);
      await admin.delete(`${b}/n`);
      assertEvent(await q.next(), EventType.NodeDeleted, `${b}/n`);
      await zk.sync(b); // any later event would have arrived before this reply
      await zk.exists(b);
      assert.equal(q.all.length, 1);
    });

    test('watch: true goes to the default watcher', async () => {
      const b = await base();
      const seen: WatchedEvent[] = [];
      const zk = await pool.open({ defaultWatcher: (e) => seen.push(e) });
      const q = new EventQueue();
      zk.on('watch', q.push);
      await zk.getData(b, { watch: true });
      await admin.setData(b, 'x');
      assertEvent(await q.next(), EventType.NodeDataChanged, b);
      assert.deepEqual(seen.at(-1), { type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: b });
    });

    test('persistent and persistent-recursive watches', async () => {
      const b = await base();
      const zk = await pool.open();
      const p = new EventQueue();
      const r = new EventQueue();
      await admin.create(`${b}/n`);
      await zk.sync(b); // else the watch could see /n being created
      await zk.addWatch(`${b}/n`, p.watcher, 'persistent');
      // On different paths: 3.8 keeps one mode per (connection, path) and would replace one with the other (§12.4).
      await zk.addWatch(b, r.watcher, 'persistent-recursive');
      await admin.setData(`${b}/n`, '1');
      await admin.setData(`${b}/n`, '2');
      await admin.create(`${b}/n/a`);
      await admin.create(`${b}/n/a/deep`);
      await admin.setData(`${b}/n/a/deep`, 'x');
      await admin.delete(`${b}/n/a/deep`);
      const pe = [await p.next(), await p.next(), await p.next()];
      assert.deepEqual(
        pe.map((e) => [e.type, e.path]),
        [
          [EventType.NodeDataChanged, `${b}/n`],
          [EventType.NodeDataChanged, `${b}/n`],
          [EventType.NodeChildrenChanged, `${b}/n`],
        ],
      );
      const re: WatchedEvent[] = [];
      for (let i = 0; i < 6; i++) re.push(await r.next());
      assert.deepEqual(
        re.map((e) => [e.type, e.path]),
        [
          [EventType.NodeDataChanged, `${b}/n`],
          [EventType.NodeDataChanged, `${b}/n`],
          [EventType.NodeCreated, `${b}/n/a`],
          [EventType.NodeCreated, `${b}/n/a/deep`],
          [EventType.NodeDataChanged, `${b}/n/a/deep`],
          [EventType.NodeDeleted, `${b}/n/a/deep`],
        ],
      );
      assert.equal(p.pending.length, 0, 'the persistent watch does not see grandchildren');
      assert.deepEqual(zk.watches().persistent, [`${b}/n`]);
      assert.deepEqual(zk.watches().persistentRecursive, [b]);
    });

    test('removeWatches removes one watcher or all, with local removal events', async () => {
      const b = await base();
      const zk = await pool.open();
      const w1 = new EventQueue();
      const w2 = new EventQueue();
      await zk.getData(b, { watch: w1.watcher });
      await zk.getData(b, { watch: w2.watcher });
      await zk.removeWatches(b, WatcherType.Data, { watcher: w1.watcher });
      assertEvent(await w1.next(), EventType.DataWatchRemoved, b);
      await admin.setData(b, 'x');
      assertEvent(await w2.next(), EventType.NodeDataChanged, b);
      assert.equal(w1.all.length, 1, 'the removed watcher does not fire');

      await rejectsWith(zk.removeWatches(b, WatcherType.Children), 'NoWatcher', b);
      const c = new EventQueue();
      await zk.getChildren(b, { watch: c.watcher });
      await zk.removeWatches(b, WatcherType.Children);
      assertEvent(await c.next(), EventType.ChildWatchRemoved, b);

      const p = new EventQueue();
      await zk.addWatch(b, p.watcher, 'persistent');
      await zk.removeWatches(b, WatcherType.Any);
      assertEvent(await p.next(), EventType.PersistentWatchRemoved, b);
      await admin.create(`${b}/after`);
      await zk.sync(b);
      assert.equal(p.all.length, 1);
      assert.deepEqual(zk.watches().persistent, []);
      // local: true removes even what the server no longer knows about.
      const l = new EventQueue();
      await zk.exists(`${b}/nothing`, { watch: l.watcher });
      await zk.removeWatches(`${b}/nothing`, WatcherType.Data, { watcher: l.watcher, local: true });
      assertEvent(await l.next(), EventType.DataWatchRemoved, `${b}/nothing`);
    });

    test('watchData and watchChildren re-arm themselves', async () => {
      const b = await base();
      const zk = await pool.open();
      const values = new EventQueue<string | null>();
      const live = zk.watchData(`${b}/cfg`, (v: DataResult | null) => values.push(v === null ? null : (v.data?.toString() ?? '')));
      await live.ready;
      assert.equal(await values.next(), null);
      await admin.create(`${b}/cfg`, 'v1');
      assert.equal(await values.next(), 'v1');
      await admin.setData(`${b}/cfg`, 'v2');
      assert.equal(await values.next(), 'v2');
      await admin.delete(`${b}/cfg`);
      assert.equal(await values.next(), null);

      const kids = new EventQueue<string>();
      const liveKids = zk.watchChildren(b, (c) => kids.push(c === null ? 'none' : c.join(',')));
      assert.equal(await kids.next(), '');
      await admin.create(`${b}/x`);
      assert.equal(await kids.next(), 'x');
      await admin.create(`${b}/y`);
      assert.equal(await kids.next(), 'x,y');
      live.stop();
      liveKids.stop();
      await admin.create(`${b}/cfg`, 'after stop');
      await admin.create(`${b}/z`);
      await zk.sync(b);
      await zk.exists(b);
      assert.equal(values.pending.length, 0);
      assert.equal(kids.pending.length, 0);
    });

    // ---- ACLs and auth ----

    test('digest auth, ACLs and whoAmI', async () => {
      const b = await base();
      const alice = await pool.open();
      const bob = await pool.open();
      await alice.addAuth('digest', 'alice:secret');
      assert.deepEqual(
        (await alice.whoAmI()).sort((x, y) => x.authScheme.localeCompare(y.authScheme)),
        [
          { authScheme: 'digest', user: 'alice' },
          { authScheme: 'ip', user: '127.0.0.1' },
        ],
      );
      await alice.create(`${b}/private`, 'secret', { acl: [...CREATOR_ALL_ACL] });
      const { acl } = await alice.getACL(`${b}/private`);
      assert.deepEqual(acl, [{ perms: Perms.ALL, id: { scheme: 'digest', id: digestId('alice', 'secret') } }]);
      assert.equal(digestId('alice', 'secret'), 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=');
      await bob.sync(b); // alice's write
      await rejectsWith(bob.getData(`${b}/private`), 'NoAuth', `${b}/private`);
      await bob.addAuth('digest', 'alice:secret');
      assert.equal((await bob.getData(`${b}/private`)).data?.toString(), 'secret');

      const s = await alice.setACL(`${b}/private`, [digestAcl('alice', 'secret'), { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }], 0);
      assert.equal(s.aversion, 1);
      const carol = await pool.open();
      assert.equal((await carol.getData(`${b}/private`)).data?.toString(), 'secret');
      await rejectsWith(carol.setData(`${b}/private`, 'x'), 'NoAuth', `${b}/private`);
      await rejectsWith(alice.setACL(`${b}/private`, [...OPEN_ACL_UNSAFE], 0), 'BadVersion');
      await rejectsWith(alice.setACL(`${b}/private`, []), 'InvalidACL');
    });

    test('a rejected auth packet ends the session (auth-failed)', async () => {
      const zk = await pool.open();
      const events = new EventQueue();
      zk.on('watch', events.push);
      await rejectsWith(zk.addAuth('no-such-scheme', 'x'), 'AuthFailed');
      assert.equal(zk.state, 'auth-failed');
      const e = await events.next();
      assert.deepEqual([e.type, e.state], [EventType.None, KeeperState.AuthFailed]);
      await rejectsWith(zk.exists('/'), 'AuthFailed');
    });

    // ---- chroot ----

    test('a chroot maps every path both ways', async () => {
      const b = await base();
      await admin.create(`${b}/app`);
      const zk = await pool.open({ connectString: `${server.connectString}${b}/app` });
      assert.equal(zk.chroot, `${b}/app`);
      assert.equal(await zk.create('/x', 'in chroot'), '/x');
      await admin.sync(b);
      assert.equal((await admin.getData(`${b}/app/x`)).data?.toString(), 'in chroot');
      assert.deepEqual(await zk.getChildren('/'), ['x']);
      assert.equal(await zk.create('/s-', '', { mode: CreateMode.EPHEMERAL_SEQUENTIAL }), '/s-0000000001');
      assert.deepEqual(await zk.getEphemerals(), ['/s-0000000001']);
      const q = new EventQueue();
      await zk.getData('/x', { watch: q.watcher });
      await admin.setData(`${b}/app/x`, 'changed');
      assertEvent(await q.next(), EventType.NodeDataChanged, '/x');
      const r = await zk.multi([{ type: 'create', path: '/m' }]);
      assert.deepEqual(r, [{ type: 'create', path: '/m' }]);
      await zk.mkdirp('/deep/er');
      assert.deepEqual(await zk.listSubtree('/deep'), ['/deep', '/deep/er']);
      await admin.sync(b);
      assert.ok(await admin.exists(`${b}/app/deep/er`));
      await zk.getConfig(); // outside the chroot
    });

    // ---- helpers ----

    test('mkdirp, listSubtree and deleteRecursive', async () => {
      const b = await base();
      const zk = await pool.open();
      await zk.mkdirp(`${b}/a/b/c`, { data: 'leaf' });
      await zk.mkdirp(`${b}/a/b/c`);
      assert.equal((await zk.getData(`${b}/a/b/c`)).data?.toString(), 'leaf');
      for (let i = 0; i < 5; i++) await zk.mkdirp(`${b}/a/x${i}/y`);
      const tree = await zk.listSubtree(`${b}/a`);
      assert.equal(tree[0], `${b}/a`);
      assert.equal(tree.length, 1 + 6 + 6);
      assert.ok(tree.indexOf(`${b}/a/b`) < tree.indexOf(`${b}/a/b/c`));
      await zk.deleteRecursive(`${b}/a`);
      assert.equal(await zk.exists(`${b}/a`), null);
      await zk.deleteRecursive(`${b}/a`); // missing: fine
      await rejectsWith(zk.listSubtree(`${b}/nope`), 'NoNode');
    });

    // ---- disconnects (through a TCP proxy) ----

    test('reconnects after a drop with the same session, watches and auth', async () => {
      const b = await base();
      await admin.create(`${b}/n`, 'v0');
      const px = await proxy();
      const zk = await pool.open({ connectString: px.address });
      const states = recordStates(zk);
      const sessionId = zk.sessionId;
      await zk.addAuth('digest', 'alice:secret');
      await zk.create(`${b}/private`, 'p', { acl: [...CREATOR_ALL_ACL] });
      await zk.create(`${b}/eph`, '', { mode: CreateMode.EPHEMERAL });
      const data = new EventQueue();
      const created = new EventQueue();
      const persistent = new EventQueue();
      await zk.getData(`${b}/n`, { watch: data.watcher });
      await zk.exists(`${b}/later`, { watch: created.watcher });
      await zk.addWatch(`${b}/n`, persistent.watcher, 'persistent');

      px.reject();
      await waitForState(zk, 'connecting');
      // Changes made while the client is away are reported on reconnect (SetWatches, §12.5).
      await admin.setData(`${b}/n`, 'v1');
      await admin.create(`${b}/later`);
      // Requests made while the server cannot be reached fail with ConnectionLoss at the
      // next failed attempt, as in the Java client; the client keeps trying.
      await rejectsWith(zk.create(`${b}/while-away`), 'ConnectionLoss', `${b}/while-away`);
      await rejectsWith(zk.exists(b), 'ConnectionLoss', b);
      assert.equal(zk.state, 'connecting');
      px.forward();
      await waitForState(zk, 'connected');
      assert.equal(zk.sessionId, sessionId);
      assert.deepEqual(states.slice(0, 3), ['disconnected', 'connecting', 'connected']);
      await zk.sync(b);
      await admin.sync(b); // after anything the reconnected client could have sent
      assert.equal(await admin.exists(`${b}/while-away`), null, 'a request that failed was not sent later');
      assertEvent(await data.next(), EventType.NodeDataChanged, `${b}/n`);
      assertEvent(await created.next(), EventType.NodeCreated, `${b}/later`);
      assert.equal((await zk.getData(`${b}/private`)).data?.toString(), 'p', 'auth is replayed');
      assert.equal((await admin.exists(`${b}/eph`))?.ephemeralOwner, sessionId);
      await admin.setData(`${b}/n`, 'v2');
      assertEvent(await persistent.next(), EventType.NodeDataChanged, `${b}/n`);
    });

    test('requests in flight when the connection drops fail with ConnectionLoss', async () => {
      const b = await base();
      const px = await proxy();
      const zk = await pool.open({ connectString: px.address });
      px.blackhole();
      const inFlight = [zk.create(`${b}/a`), zk.getData(b)];
      // Wait until both were handed to the socket, then sever it.
      await new Promise((r) => setImmediate(r));
      px.forward();
      px.cut();
      await rejectsWith(inFlight[0], 'ConnectionLoss', `${b}/a`);
      await rejectsWith(inFlight[1], 'ConnectionLoss', b);
      await waitForState(zk, 'connected');
      assert.ok(await zk.exists(b));
    });

    test('pings keep an idle session alive', async () => {
      const b = await base();
      const px = await proxy();
      const zk = await pool.open({ connectString: px.address, sessionTimeout: 2 * TICK });
      await zk.create(`${b}/eph`, '', { mode: CreateMode.EPHEMERAL });
      const states = recordStates(zk);
      // Four pings span more than the 1 s session timeout (one every readTimeout/2 ≈ 333 ms).
      for (let i = 0; i < 4; i++) await px.waitForClientFrame((f) => frameXid(f) === -2 && frameOpcode(f) === 11);
      assert.deepEqual(states, []);
      await admin.sync(b);
      assert.ok(await admin.exists(`${b}/eph`));
      assert.ok(await zk.exists(`${b}/eph`));
    });

    test('a client cut off for longer than its timeout keeps trying; the server expires it and says so on reconnect', async () => {
      const b = await base();
      const px = await proxy();
      const zk = await pool.open({ connectString: px.address, sessionTimeout: 2 * TICK });
      await zk.create(`${b}/eph`, '', { mode: CreateMode.EPHEMERAL });
      const gone = new EventQueue();
      await admin.sync(b); // else the watch could be an exists watch on a node not yet seen
      assert.ok(await admin.exists(`${b}/eph`, { watch: gone.watcher }));
      const mine = new EventQueue();
      await zk.getData(b, { watch: mine.watcher });
      const states = recordStates(zk);
      px.blackhole();
      // The server ends the session after its timeout (§13.2); the client, hearing nothing,
      // does not decide that on its own (Java 3.8) and keeps trying.
      assertEvent(await gone.next(), EventType.NodeDeleted, `${b}/eph`);
      assert.ok(!states.includes('expired'), `states so far: ${states.join(' → ')}`);
      assert.equal(mine.pending.length, 0);
      px.forward();
      px.cut(); // the attempt stuck in the partition is given up at once
      await waitForState(zk, 'expired');
      assert.deepEqual([states[0], states.at(-1)], ['disconnected', 'expired']);
      // Its own watchers learn that the session is over.
      const last = await mine.next();
      assert.deepEqual([last.type, last.state], [EventType.None, KeeperState.Expired]);
      await rejectsWith(zk.exists('/'), 'SessionExpired');
    });

    test('requestTimeoutMs: an unanswered request fails with RequestTimeout, the connection is dropped and the session resumes', async () => {
      const b = await base();
      const px = await proxy();
      const zk = await pool.open({ connectString: px.address, requestTimeoutMs: 300 });
      const sessionId = zk.sessionId;
      const states = recordStates(zk);
      px.blackhole();
      await rejectsWith(zk.getData(b), 'RequestTimeout', b);
      assert.equal(states[0], 'disconnected', 'the connection was dropped');
      px.forward();
      px.cut(); // the attempt stuck in the partition is given up at once
      await waitForState(zk, 'connected');
      assert.equal(zk.sessionId, sessionId);
      assert.ok(await zk.exists(b));
    });
  });
}
