/**
 * Compatibility with a real client we did not write: node-zookeeper-client (npm) runs
 * every operation it supports against our member — and the same suite runs against
 * Apache ZooKeeper 3.8, which proves the expectations themselves are right.
 * One server per kind; each test works in its own subtree.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { RawZkClient } from '../helpers/raw-client.js';
import { closeSession } from '../helpers/raw-ops.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { skipUnless, startTarget, type ZkTarget } from './lib/targets.js';
import { EventQueue, connectClient, errorCode, long, nzc, p0, p1, p2, stateReached, type NzcACL, type NzcClient, type NzcEvent, type NzcStat } from './nzc/nzc.js';

const { ACL, Id, Permission, CreateMode, Event, Exception } = nzc;
const OPEN = ACL.OPEN_ACL_UNSAFE;
const TIMEOUT = { timeout: 30_000 };
const pick = (e: NzcEvent): [number, string] => [e.type, e.path];
const digest = (user: string, pw: string) => `${user}:${createHash('sha1').update(`${user}:${pw}`).digest('base64')}`;

for (const kind of ['apache', 'zoolab'] as const) {
  describe(`node-zookeeper-client against ${kind}`, { skip: skipUnless(kind) }, () => {
    let server: ZkTarget;
    let connect: string;
    const clients: NzcClient[] = [];
    const open = async (opts: { sessionTimeout?: number } = {}, where?: string) => {
      const c = await connectClient(where ?? connect, opts);
      clients.push(c);
      return c;
    };
    let n = 0;
    /** A fresh subtree for one test. */
    const ns = async (c: NzcClient) => {
      const root = `/nzc-${++n}`;
      await p1<string>((cb) => c.create(root, null, OPEN, CreateMode.PERSISTENT, cb));
      return root;
    };

    before(async () => {
      server = await startTarget(kind);
      connect = `${server.host}:${server.port}`;
    });
    after(async () => {
      for (const c of clients) c.close();
      await server?.stop();
    });

    test('connects with the old-client handshake; session id, password and negotiated timeouts', TIMEOUT, async () => {
      const c = await open();
      assert.equal(c.getState().name, 'SYNC_CONNECTED');
      assert.equal(c.getSessionId().length, 8);
      assert.notEqual(long(c.getSessionId()), 0n);
      assert.equal(c.getSessionPassword().length, 16);
      assert.equal(c.getSessionTimeout(), 30_000);
      // Clamped to [2, 20] × tickTime (wire-protocol.md §4.2 step 3).
      assert.equal((await open({ sessionTimeout: 1000 })).getSessionTimeout(), 4000);
      assert.equal((await open({ sessionTimeout: 100_000 })).getSessionTimeout(), 40_000);
    });

    test('create in every mode it supports; errors keep their codes', TIMEOUT, async () => {
      const c = await open();
      const root = await ns(c);
      assert.equal(await p1<string>((cb) => c.create(`${root}/p`, Buffer.from('d'), OPEN, CreateMode.PERSISTENT, cb)), `${root}/p`);
      assert.equal(await p1<string>((cb) => c.create(`${root}/e`, null, OPEN, CreateMode.EPHEMERAL, cb)), `${root}/e`);
      assert.equal(await p1<string>((cb) => c.create(`${root}/s-`, null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL, cb)), `${root}/s-0000000002`);
      assert.equal(await p1<string>((cb) => c.create(`${root}/s-`, null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL, cb)), `${root}/s-0000000003`);
      // Opcode 1 with flags 4 is a plain persistent node (§9); TTL flags without opcode 21 are refused.
      assert.equal(await p1<string>((cb) => c.create(`${root}/c`, null, OPEN, 4, cb)), `${root}/c`);
      assert.equal(await errorCode(p1((cb) => c.create(`${root}/t`, null, OPEN, 5, cb))), Exception.BAD_ARGUMENTS);
      assert.equal(await errorCode(p1((cb) => c.create(`${root}/p`, null, OPEN, CreateMode.PERSISTENT, cb))), Exception.NODE_EXISTS);
      assert.equal(await errorCode(p1((cb) => c.create(`${root}/missing/x`, null, OPEN, CreateMode.PERSISTENT, cb))), Exception.NO_NODE);
      assert.equal(await errorCode(p1((cb) => c.create(`${root}/e/x`, null, OPEN, CreateMode.PERSISTENT, cb))), Exception.NO_CHILDREN_FOR_EPHEMERALS);
      assert.equal(await errorCode(p1((cb) => c.create(`${root}/x`, null, ACL.CREATOR_ALL_ACL, CreateMode.PERSISTENT, cb))), Exception.INVALID_ACL);
      const [kids, stat] = await p2<string[], unknown>((cb) => c.getChildren(root, undefined, cb));
      assert.deepEqual([...kids].sort(), ['c', 'e', 'p', 's-0000000002', 's-0000000003']);
      assert.equal((stat as { numChildren: number }).numChildren, 5);
    });

    test('exists, getData and setData: Stat fields, versions, null data', TIMEOUT, async () => {
      const c = await open();
      const root = await ns(c);
      assert.equal(await p1((cb) => c.exists(`${root}/nope`, undefined, cb)), null);
      await p1<string>((cb) => c.create(`${root}/n`, null, OPEN, CreateMode.PERSISTENT, cb));
      const [data, stat] = await p2<Buffer | null, NzcStat>((cb) => c.getData(`${root}/n`, undefined, cb));
      // nzc reads a null buffer (length -1 on the wire) as undefined; an empty one would be a Buffer (§9).
      assert.equal(data, undefined, 'null data must read back as null');
      assert.equal(stat.version, 0);
      assert.equal(stat.dataLength, 0);
      assert.equal(long(stat.ephemeralOwner), 0n);
      assert.equal(long(stat.czxid), long(stat.mzxid));
      const s1 = await p1<NzcStat>((cb) => c.setData(`${root}/n`, Buffer.from('hello'), 0, cb));
      assert.equal(s1.version, 1);
      assert.equal(s1.dataLength, 5);
      assert.ok(long(s1.mzxid) > long(s1.czxid));
      assert.ok(long(s1.mtime) >= long(s1.ctime));
      assert.equal(await errorCode(p1((cb) => c.setData(`${root}/n`, Buffer.from('x'), 0, cb))), Exception.BAD_VERSION);
      assert.equal(await errorCode(p1((cb) => c.setData(`${root}/nope`, Buffer.from('x'), -1, cb))), Exception.NO_NODE);
      const s2 = await p1<NzcStat>((cb) => c.setData(`${root}/n`, Buffer.from('hello'), -1, cb));
      assert.equal(s2.version, 2, 'setData always bumps the version (§9)');
      const e = await p1<NzcStat | null>((cb) => c.exists(`${root}/n`, undefined, cb));
      assert.deepEqual(e, s2);
      const eph = await p1<string>((cb) => c.create(`${root}/eph`, null, OPEN, CreateMode.EPHEMERAL, cb));
      const es = await p1<NzcStat | null>((cb) => c.exists(eph, undefined, cb));
      assert.deepEqual(es?.ephemeralOwner, c.getSessionId());
    });

    test('watchers: exists, getData and getChildren fire once, for changes made by another client', TIMEOUT, async () => {
      const a = await open();
      const b = await open();
      const root = await ns(a);
      const created = new EventQueue();
      assert.equal(await p1((cb) => a.exists(`${root}/w`, created.watcher, cb)), null);
      const children = new EventQueue();
      await p2((cb) => a.getChildren(root, children.watcher, cb));
      await p1<string>((cb) => b.create(`${root}/w`, Buffer.from('1'), OPEN, CreateMode.PERSISTENT, cb));
      assert.deepEqual(pick(await created.next()), [Event.NODE_CREATED, `${root}/w`]);
      assert.deepEqual(pick(await children.next()), [Event.NODE_CHILDREN_CHANGED, root]);
      const data = new EventQueue();
      await p2((cb) => a.getData(`${root}/w`, data.watcher, cb));
      await p1((cb) => b.setData(`${root}/w`, Buffer.from('2'), -1, cb));
      assert.deepEqual(pick(await data.next()), [Event.NODE_DATA_CHANGED, `${root}/w`]);
      // One-shot: a second change fires nothing. A later round trip on `a` comes after
      // any notification the change could have caused (§12.3).
      await p1((cb) => b.setData(`${root}/w`, Buffer.from('3'), -1, cb));
      await p1((cb) => a.exists(root, undefined, cb));
      assert.equal(data.events.length, 0);
      const gone = new EventQueue();
      await p2((cb) => a.getData(`${root}/w`, gone.watcher, cb));
      await p0((cb) => b.remove(`${root}/w`, -1, cb));
      assert.deepEqual(pick(await gone.next()), [Event.NODE_DELETED, `${root}/w`]);
    });

    test('remove with versions, NOT_EMPTY, removeRecursive, listSubTreeBFS, mkdirp', TIMEOUT, async () => {
      const c = await open();
      const root = await ns(c);
      assert.equal(await p1<string>((cb) => c.mkdirp(`${root}/a/b/c`, Buffer.from('x'), OPEN, CreateMode.PERSISTENT, cb)), `${root}/a/b/c`);
      assert.equal(await p1<string>((cb) => c.mkdirp(`${root}/a/b/c`, null, OPEN, CreateMode.PERSISTENT, cb)), `${root}/a/b/c`, 'mkdirp of an existing path is fine');
      await p1<string>((cb) => c.create(`${root}/a/z`, null, OPEN, CreateMode.PERSISTENT, cb));
      // This nzc version's BFS only descends one level (a client quirk, same on every server).
      assert.deepEqual((await p1<string[]>((cb) => c.listSubTreeBFS(`${root}/a`, cb))).sort(), [`${root}/a`, `${root}/a/b`, `${root}/a/z`]);
      assert.equal(await errorCode(p0((cb) => c.remove(`${root}/a`, -1, cb))), Exception.NOT_EMPTY);
      await p1((cb) => c.setData(`${root}/a/b/c`, Buffer.from('y'), -1, cb));
      assert.equal(await errorCode(p0((cb) => c.remove(`${root}/a/b/c`, 0, cb))), Exception.BAD_VERSION);
      await p0((cb) => c.remove(`${root}/a/b/c`, 1, cb));
      assert.equal(await errorCode(p0((cb) => c.remove(`${root}/a/b/c`, -1, cb))), Exception.NO_NODE);
      // removeRecursive walks the tree with that BFS, so it handles one level of children.
      await p0((cb) => c.removeRecursive(`${root}/a`, -1, cb));
      assert.equal(await p1((cb) => c.exists(`${root}/a`, undefined, cb)), null);
    });

    test('getACL/setACL with digest auth ids, NO_AUTH and aversion', TIMEOUT, async () => {
      const owner = await open();
      owner.addAuthInfo('digest', Buffer.from('alice:secret'));
      const stranger = await open();
      const root = await ns(owner);
      const aliceAll = new ACL(Permission.ALL, new Id('digest', digest('alice', 'secret')));
      const worldRead = new ACL(Permission.READ, new Id('world', 'anyone'));
      await p1<string>((cb) => owner.create(`${root}/x`, Buffer.from('v'), [aliceAll, worldRead], CreateMode.PERSISTENT, cb));
      const [acl, stat] = await p2<NzcACL[], NzcStat>((cb) => owner.getACL(`${root}/x`, cb));
      assert.deepEqual(acl.map((a) => [a.permission, a.id.scheme, a.id.id]), [
        [Permission.ALL, 'digest', digest('alice', 'secret')],
        [Permission.READ, 'world', 'anyone'],
      ]);
      assert.equal(stat.aversion, 0);
      // READ without ADMIN sees the digest masked (wire-protocol.md §15.1).
      const [seen] = await p2<NzcACL[], unknown>((cb) => stranger.getACL(`${root}/x`, cb));
      assert.equal(seen[0].id.scheme, 'digest');
      assert.equal(seen[0].id.id, 'alice:x');
      assert.equal(await errorCode(p1((cb) => stranger.setData(`${root}/x`, Buffer.from('no'), -1, cb))), Exception.NO_AUTH);
      assert.equal(await errorCode(p1((cb) => stranger.setACL(`${root}/x`, OPEN, -1, cb))), Exception.NO_AUTH);
      assert.equal((await p2<Buffer | null, unknown>((cb) => stranger.getData(`${root}/x`, undefined, cb)))[0]?.toString(), 'v');
      assert.equal(await errorCode(p1((cb) => owner.setACL(`${root}/x`, OPEN, 3, cb))), Exception.BAD_VERSION);
      const s = await p1<NzcStat>((cb) => owner.setACL(`${root}/x`, ACL.CREATOR_ALL_ACL, 0, cb));
      assert.equal(s.aversion, 1);
      const [expanded] = await p2<NzcACL[], unknown>((cb) => owner.getACL(`${root}/x`, cb));
      assert.deepEqual(expanded.map((a) => `${a.id.scheme}:${a.id.id}`), [`digest:${digest('alice', 'secret')}`], 'auth expands to the caller ids');
      stranger.addAuthInfo('digest', Buffer.from('alice:secret'));
      await p1((cb) => stranger.setData(`${root}/x`, Buffer.from('yes'), -1, cb));
    });

    test('transactions: create, setData, check, remove commit atomically or not at all', TIMEOUT, async () => {
      const c = await open();
      const root = await ns(c);
      const results = await p1<{ type: number; path?: string }[]>((cb) =>
        c.transaction().create(`${root}/t`, Buffer.from('a'), OPEN, CreateMode.PERSISTENT).create(`${root}/t/s-`, null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL).setData(`${root}/t`, Buffer.from('b'), 0).check(`${root}/t`, 1).remove(`${root}/t/s-0000000000`, -1).commit(cb),
      );
      assert.deepEqual(results.map((r) => r.type), [1, 1, 5, 13, 2]);
      assert.deepEqual([results[0].path, results[1].path], [`${root}/t`, `${root}/t/s-0000000000`]);
      const failed = await new Promise<{ code: number; results: { type: number; err?: number }[] }>((resolve) =>
        c.transaction().create(`${root}/u`, null, OPEN, CreateMode.PERSISTENT).check(`${root}/t`, 7).setData(`${root}/t`, null, -1).commit((e, r) => resolve({ code: e?.code ?? 0, results: r })),
      );
      assert.equal(failed.code, Exception.BAD_VERSION);
      assert.deepEqual(failed.results.map((r) => [r.type, r.err]), [[-1, 0], [-1, -103], [-1, -2]], '§14.2: rolled back, the failure, then RuntimeInconsistency');
      assert.equal(await p1((cb) => c.exists(`${root}/u`, undefined, cb)), null, 'nothing of a failed transaction is applied');
      const [data] = await p2<Buffer | null, unknown>((cb) => c.getData(`${root}/t`, undefined, cb));
      assert.equal(data?.toString(), 'b');
    });

    test('ephemerals go away when their session closes, and watchers hear of it', TIMEOUT, async () => {
      const a = await open();
      const b = await open();
      const root = await ns(b);
      await p1<string>((cb) => a.create(`${root}/eph`, null, OPEN, CreateMode.EPHEMERAL, cb));
      const q = new EventQueue();
      assert.notEqual(await p1((cb) => b.exists(`${root}/eph`, q.watcher, cb)), null);
      const kids = new EventQueue();
      await p2((cb) => b.getChildren(root, kids.watcher, cb));
      a.close();
      assert.deepEqual(pick(await q.next()), [Event.NODE_DELETED, `${root}/eph`]);
      assert.deepEqual(pick(await kids.next()), [Event.NODE_CHILDREN_CHANGED, root]);
      assert.equal(await p1((cb) => b.exists(`${root}/eph`, undefined, cb)), null);
    });

    test('after a dropped connection it resumes the session and SetWatches catches up missed events', TIMEOUT, async () => {
      let proxy: TcpProxy | null = null;
      try {
        proxy = await startTcpProxy(server.port);
        const viaProxy = await open({}, `127.0.0.1:${proxy.port}`);
        const other = await open();
        const root = await ns(other);
        await p1<string>((cb) => other.create(`${root}/d`, Buffer.from('0'), OPEN, CreateMode.PERSISTENT, cb));
        const dataEvents = new EventQueue();
        await p2((cb) => viaProxy.getData(`${root}/d`, dataEvents.watcher, cb));
        const created = new EventQueue();
        assert.equal(await p1((cb) => viaProxy.exists(`${root}/later`, created.watcher, cb)), null);
        const sessionBefore = long(viaProxy.getSessionId());
        proxy.setBlocked(true);
        const disconnected = stateReached(viaProxy, 'DISCONNECTED');
        proxy.dropAll();
        await disconnected;
        await p1((cb) => other.setData(`${root}/d`, Buffer.from('1'), -1, cb));
        await p1<string>((cb) => other.create(`${root}/later`, null, OPEN, CreateMode.PERSISTENT, cb));
        const reconnected = stateReached(viaProxy, 'SYNC_CONNECTED');
        proxy.setBlocked(false);
        await reconnected;
        assert.equal(long(viaProxy.getSessionId()), sessionBefore, 'the same session was resumed');
        assert.equal((await dataEvents.next()).type, Event.NODE_DATA_CHANGED);
        assert.equal((await created.next()).type, Event.NODE_CREATED);
      } finally {
        await proxy?.close();
      }
    });

    test('a session closed while the client was away is reported as expired', TIMEOUT, async () => {
      let proxy: TcpProxy | null = null;
      try {
        proxy = await startTcpProxy(server.port);
        const c = await open({}, `127.0.0.1:${proxy.port}`);
        proxy.setBlocked(true);
        const disconnected = stateReached(c, 'DISCONNECTED');
        proxy.dropAll();
        await disconnected;
        const raw = await RawZkClient.connect(server.port, { sessionId: long(c.getSessionId()), passwd: c.getSessionPassword() });
        assert.equal((await closeSession(raw)).err, 0);
        const expired = stateReached(c, 'EXPIRED');
        proxy.setBlocked(false);
        await expired;
      } finally {
        await proxy?.close();
      }
    });

    test('an unknown auth scheme fails authentication', TIMEOUT, async () => {
      const c = await open();
      const failed = stateReached(c, 'AUTH_FAILED');
      c.addAuthInfo('nosuchscheme', Buffer.from('x'));
      await failed;
    });
  });
}
