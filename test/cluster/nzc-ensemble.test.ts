/**
 * node-zookeeper-client (npm), a client we did not write, against a 3-member ZooLab
 * ensemble with one client per member (leader and followers): every operation it has,
 * writes forwarded by followers, watches fired by writes made through other members,
 * ephemerals that appear and vanish everywhere. Reads on another member are polled until
 * they catch up (sequential consistency; this client has no `sync`).
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connectClient, errorCode, nzc, p0, p1, p2, type NzcClient, type NzcEvent } from '../compat/nzc/nzc.js';
import { within } from './helpers/bounded.js';
import { type Ensemble, startEnsemble } from './helpers/ensemble.js';

const { ACL, CreateMode, Event, Exception, Permission, Id } = nzc;
const digest = (user: string, pw: string) => `${user}:${createHash('sha1').update(`${user}:${pw}`).digest('base64')}`;
const OPEN = ACL.OPEN_ACL_UNSAFE;
let e: Ensemble;
let clients: NzcClient[] = [];

async function eventually<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`never saw ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const exists = (c: NzcClient, path: string) => p1<unknown>((cb) => c.exists(path, undefined, cb as never));

before(async () => {
  e = await startEnsemble({ voters: 3, tickTime: 500 });
  await e.waitForLeader(30_000);
  clients = await Promise.all(e.members.map((m) => connectClient(e.connectString([m.sid]), { sessionTimeout: 10_000 })));
});

after(async () => {
  for (const c of clients) c.close();
  await e?.stop();
});

test('every operation works through each member (followers forward the writes)', async () => {
  for (const [i, c] of clients.entries()) {
    const root = `/nzc-${i}`;
    assert.equal(await p1<string>((cb) => c.create(root, Buffer.from('r'), OPEN, CreateMode.PERSISTENT, cb)), root);
    const seq = await p1<string>((cb) => c.create(`${root}/s-`, null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL, cb));
    assert.match(seq, new RegExp(`^${root}/s-\\d{10}$`));
    await p1<string>((cb) => c.create(`${root}/eph`, null, OPEN, CreateMode.EPHEMERAL, cb));
    const stat = await p1<{ version: number }>((cb) => c.setData(root, Buffer.from('v2'), -1, cb as never));
    assert.equal(stat.version, 1);
    const [data] = await p2<Buffer | null, unknown>((cb) => c.getData(root, undefined, cb as never));
    assert.equal(data?.toString(), 'v2');
    const [children] = await p2<string[], unknown>((cb) => c.getChildren(root, undefined, cb as never));
    assert.deepEqual([...children].sort(), ['eph', seq.slice(root.length + 1)].sort());
    const acl = [new ACL(Permission.ALL, new Id('world', 'anyone'))];
    await p1((cb) => c.setACL(root, acl, -1, cb as never));
    const [got] = await p2<{ permission: number }[], unknown>((cb) => c.getACL(root, cb as never));
    assert.equal(got[0]!.permission, Permission.ALL);
    const results = await p1<unknown[]>((cb) =>
      c.transaction().create(`${root}/t`, Buffer.from('t'), OPEN, CreateMode.PERSISTENT).setData(`${root}/t`, Buffer.from('t2'), -1).remove(seq, -1).commit(cb as never),
    );
    assert.equal(results.length, 3);
    await p0((cb) => c.remove(`${root}/t`, -1, cb));
    assert.equal(await exists(c, `${root}/t`), null);
  }
});

test('a watch fires for a write made through another member', async () => {
  const [a, b] = clients as [NzcClient, NzcClient];
  await p1<string>((cb) => a.create('/shared', Buffer.from('0'), OPEN, CreateMode.PERSISTENT, cb));
  await eventually('/shared on the second member', () => exists(b, '/shared'), (s) => s !== null);
  const fired = new Promise<NzcEvent>((resolve) => {
    a.getData('/shared', (ev: NzcEvent) => resolve(ev), () => undefined);
  });
  await p1((cb) => b.setData('/shared', Buffer.from('1'), -1, cb as never));
  const ev = await within(fired, 10_000, 'the watch');
  assert.equal(ev.type, Event.NODE_DATA_CHANGED);
  assert.equal(ev.path, '/shared');
});

test('an ephemeral is visible on every member and vanishes everywhere with its session', async () => {
  const owner = await connectClient(e.connectString([3]), { sessionTimeout: 10_000 });
  try {
    await p1<string>((cb) => owner.create('/eph-everywhere', null, OPEN, CreateMode.EPHEMERAL, cb));
    for (const c of clients) await eventually('the ephemeral', () => exists(c, '/eph-everywhere'), (s) => s !== null);
  } finally {
    owner.close();
  }
  for (const c of clients) await eventually('the ephemeral gone', () => exists(c, '/eph-everywhere'), (s) => s === null);
});

test('helpers, versions, auth and checked transactions through each member', async () => {
  for (const [i, c] of clients.entries()) {
    const root = `/nzc-more-${i}`;
    assert.equal(await p1<string>((cb) => c.mkdirp(`${root}/a/b`, Buffer.from('x'), OPEN, CreateMode.PERSISTENT, cb)), `${root}/a/b`);
    await p1<string>((cb) => c.create(`${root}/a/z`, null, OPEN, CreateMode.PERSISTENT, cb));
    // This nzc version's BFS only descends one level (a client quirk, same on every server).
    assert.deepEqual((await p1<string[]>((cb) => c.listSubTreeBFS(`${root}/a`, cb))).sort(), [`${root}/a`, `${root}/a/b`, `${root}/a/z`]);
    assert.equal(await errorCode(p0((cb) => c.remove(`${root}/a`, -1, cb))), Exception.NOT_EMPTY);
    assert.equal(await errorCode(p0((cb) => c.remove(`${root}/a/b`, 5, cb))), Exception.BAD_VERSION);
    const tx = await new Promise<number>((resolve) =>
      c.transaction().create(`${root}/u`, null, OPEN, CreateMode.PERSISTENT).check(`${root}/a`, 7).commit((e) => resolve(e?.code ?? 0)),
    );
    assert.equal(tx, Exception.BAD_VERSION);
    assert.equal(await exists(c, `${root}/u`), null, 'nothing of a failed transaction is applied');
    await p0((cb) => c.removeRecursive(`${root}/a`, -1, cb));
    assert.equal(await exists(c, `${root}/a`), null);
  }
  // Digest auth: the ACL written through one member binds writes through another.
  const [owner, stranger] = clients as [NzcClient, NzcClient];
  owner.addAuthInfo('digest', Buffer.from('alice:secret'));
  const aliceAll = new ACL(Permission.ALL, new Id('digest', digest('alice', 'secret')));
  const worldRead = new ACL(Permission.READ, new Id('world', 'anyone'));
  await p1<string>((cb) => owner.create('/nzc-private', Buffer.from('v'), [aliceAll, worldRead], CreateMode.PERSISTENT, cb));
  await eventually('the private node on the other member', () => exists(stranger, '/nzc-private'), (s) => s !== null);
  assert.equal(await errorCode(p1((cb) => stranger.setData('/nzc-private', Buffer.from('no'), -1, cb as never))), Exception.NO_AUTH);
  stranger.addAuthInfo('digest', Buffer.from('alice:secret'));
  await p1((cb) => stranger.setData('/nzc-private', Buffer.from('yes'), -1, cb as never));
});
