/**
 * The member's background work, end to end: session expiry (tickTime buckets →
 * closeSession txn → ephemerals gone, connection closed silently, §13.2), container and
 * TTL reaping (§10.3, §10.4), and the state/event reports streamed to the parent.
 */
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { startZooLabServer, type ZooLabServer } from '../helpers/zoolab-server.js';
import { RawZkClient } from '../helpers/raw-client.js';
import { create, del, exists, OPEN_ACL } from '../helpers/raw-ops.js';
import { CreateMode, EventType, OpCode } from '../../engine/src/jute/index.js';

const servers: ZooLabServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

/** Resolves with the first watch event on `c` matching `type` and `path` (already arrived or future). */
function nextEvent(c: RawZkClient, type: number, path: string): Promise<void> {
  if (c.events().some((e) => e.type === type && e.path === path)) return Promise.resolve();
  return new Promise((resolve) => {
    const previous = c.onEvent;
    c.onEvent = (e) => {
      previous?.(e);
      if (e.type === type && e.path === path) resolve();
    };
  });
}

/** Resolves once the member has sent an IPC message matching `pred`. */
function message<T>(s: ZooLabServer, pred: (m: T) => boolean): Promise<T> {
  const seen = (s.messages as T[]).find(pred);
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if (!pred(m as T)) return;
      s.process.off('message', on);
      resolve(m as T);
    };
    s.process.on('message', on);
  });
}

test('an idle session expires: its ephemerals go, watchers hear of it, the connection closes silently', { timeout: 60_000 }, async () => {
  const s = await startZooLabServer({ tickTime: 100 });
  servers.push(s);
  const idle = await RawZkClient.connect(s.port, { timeOut: 200 });
  assert.equal(idle.session!.timeOut, 200);
  assert.equal((await create(idle, { path: '/eph', flags: CreateMode.EPHEMERAL, acl: OPEN_ACL })).err, 0);
  const arrivedBefore = idle.arrivals.length;
  const watcher = await RawZkClient.connect(s.port, { timeOut: 5000 });
  assert.equal((await exists(watcher, '/eph', true)).err, 0);

  // The idle client sends nothing more: the server closes its connection on expiry.
  const deleted = nextEvent(watcher, EventType.NodeDeleted, '/eph');
  await idle.whenClosed();
  assert.deepEqual(
    idle.arrivals.slice(arrivedBefore).filter((a) => a.kind !== 'closed'),
    [],
    'nothing is sent to an expired session (§13.2)',
  );
  await deleted;
  assert.equal((await exists(watcher, '/eph')).err, -101);

  const again = await RawZkClient.dial(s.port);
  const reply = await again.handshake({ sessionId: idle.session!.sessionId, passwd: idle.session!.passwd });
  assert.equal(reply.timeOut, 0, 'reconnecting to an expired session gets the expired reply');
  again.destroy();
  watcher.destroy();
  assert.match(s.output(), /session 0x[0-9a-f]+ expired/);
});

test('containers and TTL nodes are reaped on the container check interval', { timeout: 60_000 }, async () => {
  const s = await startZooLabServer({ 'znode.container.checkIntervalMs': 100, extendedTypesEnabled: true });
  servers.push(s);
  const c = await RawZkClient.connect(s.port);
  assert.equal((await create(c, { path: '/box', op: OpCode.createContainer, flags: CreateMode.CONTAINER, acl: OPEN_ACL })).err, 0);
  assert.equal((await create(c, { path: '/box/item', acl: OPEN_ACL })).err, 0);
  assert.equal((await create(c, { path: '/never-used', op: OpCode.createContainer, flags: CreateMode.CONTAINER, acl: OPEN_ACL })).err, 0);
  assert.equal((await create(c, { path: '/ttl', flags: CreateMode.PERSISTENT_WITH_TTL, ttl: 150n, acl: OPEN_ACL })).err, 0);
  assert.equal((await exists(c, '/box', true)).err, 0);
  assert.equal((await exists(c, '/ttl', true)).err, 0);
  const reaped = Promise.all([nextEvent(c, EventType.NodeDeleted, '/box'), nextEvent(c, EventType.NodeDeleted, '/ttl')]);
  assert.equal((await del(c, '/box/item')).err, 0);
  // Reaping is an ordinary delete: the watches fire.
  await reaped;
  assert.equal((await exists(c, '/box')).err, -101);
  assert.equal((await exists(c, '/ttl')).err, -101);
  assert.equal((await exists(c, '/never-used')).err, 0, 'a container that never had a child stays');
  c.destroy();
});

interface Report {
  type: string;
  state?: { role: string; committedZxid: string; znodeCount: number; serving: boolean };
  events?: { sid: number; seq: number; event: { kind: string } }[];
}

test('state and protocol events are streamed to the parent over IPC', { timeout: 60_000 }, async () => {
  const s = await startZooLabServer({ 'zoolab.stateIntervalMs': 50 });
  servers.push(s);
  const c = await RawZkClient.connect(s.port);
  assert.equal((await create(c, { path: '/seen', acl: OPEN_ACL })).err, 0);
  assert.equal((await exists(c, '/seen', true)).err, 0);
  assert.equal((await del(c, '/seen')).err, 0);
  assert.equal((await c.request(OpCode.closeSession)).err, 0);
  c.destroy();
  const messages = () => s.messages as Report[];
  const { state } = await message<Report>(s, (m) => m.type === 'state' && m.state!.committedZxid === '0x4');
  assert.equal(state!.role, 'standalone');
  assert.equal(state!.serving, true);
  assert.equal(state!.znodeCount, 5);
  const kinds = () => messages().flatMap((m) => (m.events ?? []).map((e) => e.event.kind));
  await message<Report>(s, () => ['session-created', 'committed', 'watch-fired', 'session-closed'].every((k) => kinds().includes(k)));
  const seqs = messages().flatMap((m) => (m.events ?? []).map((e) => e.seq));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'events carry increasing sequence numbers');
});

test('the parent can expire a session, take a snapshot and ask for state over IPC', { timeout: 60_000 }, async () => {
  const s = await startZooLabServer({ 'zoolab.stateIntervalMs': 60_000 });
  servers.push(s);
  const c = await RawZkClient.connect(s.port, { timeOut: 30_000 });
  assert.equal((await create(c, { path: '/mine', flags: CreateMode.EPHEMERAL, acl: OPEN_ACL })).err, 0);
  const watcher = await RawZkClient.connect(s.port);
  assert.equal((await exists(watcher, '/mine', true)).err, 0);
  const deleted = nextEvent(watcher, EventType.NodeDeleted, '/mine');

  const ask = (request: Record<string, unknown>) => {
    const reply = message<{ type: string; id?: number; ok: boolean; message: string }>(s, (m) => m.type === 'reply' && m.id === request.id);
    s.process.send(request);
    return reply;
  };
  const sid = `0x${BigInt.asUintN(64, c.session!.sessionId).toString(16)}`;
  const expired = await ask({ type: 'expire-session', id: 1, sessionId: sid });
  assert.deepEqual([expired.ok, expired.message], [true, `session ${sid} expired`]);
  await c.whenClosed();
  await deleted;
  assert.equal((await ask({ type: 'expire-session', id: 2, sessionId: sid })).ok, false, 'already gone');
  assert.equal((await ask({ type: 'expire-session', id: 3, sessionId: 'nope' })).ok, false);
  assert.deepEqual([(await ask({ type: 'snapshot', id: 4 })).ok], [true]);
  assert.match(s.output(), /snapshot at zxid 0x[0-9a-f]+ written/);
  const states = () => (s.messages as Report[]).filter((m) => m.type === 'state').length;
  const before = states();
  assert.equal((await ask({ type: 'state', id: 5 })).ok, true);
  assert.equal(states(), before + 1);
  assert.equal((await ask({ type: 'bogus', id: 6 })).ok, false);
  watcher.destroy();
});
