/**
 * What the lab asks its members directly (engine/src/lab/member-queries.ts over the IPC
 * requests of engine/src/member/member-messages.ts), on real zk-server members: expiring a
 * session on demand (standalone and in a 3-member ensemble, where only the leader may),
 * the session tracker's time left, a node's create mode and TTL, whole-tree search, the
 * `zk:` error codes, and terminal flow control on a shell listing a big tree.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient, CreateMode } from '../../engine/src/client/index.js';
import type { LabInfo } from '../../engine/src/lab/api.js';
import { LabService } from '../../engine/src/lab/lab-service.js';
import { RecentLabs } from '../../engine/src/lab/recent-labs.js';
import { ShellSessions } from '../../engine/src/lab/shell-sessions.js';

const root = mkdtempSync(join(tmpdir(), 'zoolab-member-requests-'));
const services: LabService[] = [];
const clients: ZkClient[] = [];

function newService(): LabService {
  const s = new LabService({ allowLabSwitch: true, recent: new RecentLabs(join(root, 'recent.json')) });
  services.push(s);
  return s;
}

test.after(async () => {
  for (const c of clients) await c.close().catch(() => {});
  for (const s of services) await s.invoke('lab.down', {}, 'ui').catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

async function connect(connectString: string, sessionTimeout = 4000): Promise<ZkClient> {
  const zk = await ZkClient.connect({ connectString, sessionTimeout }, 15_000);
  clients.push(zk);
  return zk;
}

/** Resolves when the client's session is expired (the server told it so on reconnecting). */
function expired(zk: ZkClient): Promise<void> {
  return new Promise((resolve) => {
    if (zk.state === 'expired') return resolve();
    const on = (state: string) => {
      if (state !== 'expired') return;
      zk.off('state', on);
      resolve();
    };
    zk.on('state', on);
  });
}

const hex = (v: bigint) => `0x${BigInt.asUintN(64, v).toString(16)}`;

let single: { svc: LabService; info: LabInfo };

test('standalone: sessions show their time left and expire on demand (ephemerals go, the client sees Expired)', async () => {
  const svc = newService();
  const info = await svc.invoke('lab.create', { dir: join(root, 'single'), spec: { members: 1 } }, 'ui');
  single = { svc, info };
  const zk = await connect(info.connectString);
  await zk.create('/eph', 'mine', { mode: CreateMode.EPHEMERAL });
  const sid = hex(zk.sessionId);

  const listed = (await svc.invoke('sessions.list', {}, 'ui')).find((s) => s.sessionId === sid);
  assert.ok(listed, `session ${sid} is listed`);
  assert.deepEqual(listed.ephemerals, ['/eph']);
  assert.ok(listed.expiresInMs !== null && listed.expiresInMs > 0, `a live session has time left (got ${listed.expiresInMs})`);
  assert.ok(listed.expiresInMs <= listed.timeoutMs + 250, `at most its timeout plus one tick (${listed.expiresInMs} of ${listed.timeoutMs})`);

  const sawExpiry = expired(zk);
  const r = await svc.invoke('sessions.expire', { sessionId: sid }, 'ui');
  assert.match(r.message, new RegExp(`expired session ${sid} on member 1 \\(the standalone member\\)`));
  await sawExpiry;
  const other = await connect(info.connectString);
  assert.equal(await other.exists('/eph'), null, 'its ephemeral node is gone');
  assert.equal((await svc.invoke('sessions.list', {}, 'ui')).some((s) => s.sessionId === sid), false, 'the session is gone');

  await assert.rejects(svc.invoke('sessions.expire', { sessionId: sid }, 'ui'), (e: { code?: string; message?: string }) => e.code === 'no-such-session');
  await assert.rejects(svc.invoke('sessions.expire', { sessionId: 'nope' }, 'ui'), (e: { code?: string }) => e.code === 'bad-request');
  const page = await svc.invoke('events.since', { afterSeq: 0, limit: 10_000 }, 'ui');
  const actions = page.events.flatMap((e) => (e.body.kind === 'action' && e.body.action === 'sessions.expire' ? [e.body.ok] : []));
  assert.deepEqual(actions, [true, false, false], 'every expiry asked for is in the event stream, refused ones too');
});

test('standalone: the node panel learns container and TTL modes the Stat hides; ZooKeeper errors carry zk: codes', async () => {
  const { svc, info } = single;
  const zk = await connect(info.connectString);
  await zk.create('/kinds');
  await zk.create('/kinds/p', 'x');
  await zk.create('/kinds/e', 'x', { mode: CreateMode.EPHEMERAL });
  await zk.create('/kinds/c', null, { mode: CreateMode.CONTAINER });
  await zk.create('/kinds/t', 'x', { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 60_000 });
  const seq = await zk.create('/kinds/s-', null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
  const mirror = await svc.invoke('tree.open', { member: null }, 'ui');
  const get = (path: string) => svc.invoke('tree.get', { mirrorId: mirror.mirrorId, path }, 'ui');

  const t = await get('/kinds/t');
  assert.equal(t.stat.ephemeralOwner, '0x0', 'clients see 0 for a TTL node (wire-protocol.md §10.3)');
  assert.equal(t.mode, 'ttl');
  assert.equal(t.ttlMs, 60_000);
  const c = await get('/kinds/c');
  assert.equal(c.stat.ephemeralOwner, '0x0');
  assert.deepEqual([c.mode, c.ttlMs], ['container', undefined]);
  assert.equal((await get('/kinds/e')).mode, 'ephemeral');
  assert.equal((await get('/kinds/p')).mode, 'persistent');
  assert.equal((await get(seq)).mode, 'persistent', 'sequential is only part of the name');

  const p = await get('/kinds/p');
  await svc.invoke('tree.set', { mirrorId: mirror.mirrorId, path: '/kinds/p', dataBase64: null, version: p.stat.version }, 'ui');
  await assert.rejects(
    svc.invoke('tree.set', { mirrorId: mirror.mirrorId, path: '/kinds/p', dataBase64: null, version: p.stat.version }, 'ui'),
    (e: { code?: string; message?: string }) => e.code === 'zk:BadVersion' && /BadVersion/.test(e.message ?? ''),
  );
  await assert.rejects(get('/kinds/none'), (e: { code?: string }) => e.code === 'zk:NoNode');
  await assert.rejects(svc.invoke('tree.create', { mirrorId: mirror.mirrorId, path: '/kinds/p' }, 'ui'), (e: { code?: string }) => e.code === 'zk:NodeExists');
  await svc.invoke('tree.close', { mirrorId: mirror.mirrorId }, 'ui');
});

test('standalone: tree.search finds paths across the whole tree, by substring or glob, one page at a time', async () => {
  const { svc, info } = single;
  const zk = await connect(info.connectString);
  await zk.create('/search');
  await Promise.all(Array.from({ length: 30 }, (_, i) => zk.create(`/search/dir${i % 3}`).catch(() => {})));
  await Promise.all(Array.from({ length: 150 }, (_, i) => zk.create(`/search/dir${i % 3}/Lock-${String(i).padStart(4, '0')}`)));

  const first = await svc.invoke('tree.search', { query: 'lock-00', limit: 40 }, 'ui');
  assert.equal(first.total, 100, 'lock-0000 … lock-0099, case-insensitive');
  assert.equal(first.paths.length, 40);
  assert.equal(first.complete, true);
  assert.equal(first.member, 1);
  assert.deepEqual(first.paths.slice(0, 2), ['/search/dir0/Lock-0000', '/search/dir0/Lock-0003'], 'tree order: depth first, siblings by name');
  const next = await svc.invoke('tree.search', { query: 'lock-00', offset: 40, limit: 40 }, 'ui');
  assert.equal(next.paths[0], (await svc.invoke('tree.search', { query: 'lock-00', limit: 41 }, 'ui')).paths[40]);

  const glob = await svc.invoke('tree.search', { query: 'Lock-01?9' }, 'ui');
  assert.deepEqual(glob.paths, ['/search/dir0/Lock-0129', '/search/dir1/Lock-0109', '/search/dir1/Lock-0139', '/search/dir2/Lock-0119', '/search/dir2/Lock-0149']);
  assert.equal((await svc.invoke('tree.search', { query: '/search/*' }, 'ui')).total, 3);
  assert.equal((await svc.invoke('tree.search', { query: '/search/**' }, 'ui')).total, 153);
  await assert.rejects(svc.invoke('tree.search', { query: '  ' }, 'ui'), (e: { code?: string }) => e.code === 'bad-request');
});

test('terminal flow control: an unacknowledged flood pauses the shell, acknowledgements resume it, nothing is lost', async (t) => {
  const { info } = single;
  const zk = await connect(info.connectString);
  // 200 × 25 nodes with long names: `ls -R /flow` prints about 250 000 characters, one
  // getChildren reply (≤ 25 lines) at a time.
  await zk.create('/flow');
  await Promise.all(Array.from({ length: 200 }, (_, i) => zk.create(`/flow/d${String(i).padStart(3, '0')}`)));
  const names = Array.from({ length: 25 }, (_, j) => `child-with-a-rather-long-name-${String(j).padStart(2, '0')}`);
  await Promise.all(Array.from({ length: 200 }, (_, i) => Promise.all(names.map((n) => zk.create(`/flow/d${String(i).padStart(3, '0')}/${n}`)))));

  let output = '';
  const shells = new ShellSessions({
    connectStringFor: () => info.connectString,
    emitOutput: (_id, data) => void (output += data),
    emitInfo: () => {},
    emitExit: () => {},
  });
  try {
    const shell = shells.open(null, 200, 50, true);
    const until = async (what: string, ok: () => boolean, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    // The prompt, then readline's cursor move: `[zk: 127.0.0.1:port(CONNECTED) 0] ESC[36G`.
    const atPrompt = () => /\(CONNECTED\) \d+\] (?:\x1b\[\d+G)?$/.test(output);
    await until('the prompt', atPrompt);
    shells.ack(shell.shellId, output.length);
    shells.input(shell.shellId, 'ls -R /flow\r');
    await until('the shell to pause', () => shells.flowState(shell.shellId)!.paused);
    const atPause = output.length;
    t.diagnostic(`paused with ${atPause} characters sent, none acknowledged since the prompt`);
    assert.ok(atPause > 100_000, `paused only above 100 000 unacknowledged characters (${atPause})`);
    assert.ok(atPause < 100_000 + 5_000, `the overshoot is at most one reply's worth (${atPause - 100_000})`);
    // Absence check, not synchronization: a shell that kept going would print more meanwhile.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(output.length, atPause, 'nothing more while paused');

    // The renderer catches up: acknowledge in 5 000-character steps as it writes.
    let acked = atPause;
    shells.ack(shell.shellId, atPause);
    assert.equal(shells.flowState(shell.shellId)!.paused, false);
    await until('the listing to finish', () => {
      while (output.length - acked >= 5000) {
        shells.ack(shell.shellId, 5000);
        acked += 5000;
      }
      return atPrompt() && output.includes('/flow/d199/child-with-a-rather-long-name-24');
    }, 60_000);
    const lines = output.split(/\r?\n/).filter((l) => l.startsWith('/flow'));
    assert.equal(lines.length, 1 + 200 + 200 * 25, 'every path exactly once');
    assert.deepEqual(lines.slice(0, 3), ['/flow', '/flow/d000', '/flow/d001']);
    assert.equal(lines.at(-1), '/flow/d199/child-with-a-rather-long-name-24');
  } finally {
    await shells.closeAll();
  }
});

test('shell.ack is part of the API: flow-controlled shells take it, bad counts are refused', async () => {
  const { svc } = single;
  const shell = await svc.invoke('shell.open', { member: 1, flowControl: true }, 'ui');
  await svc.invoke('shell.ack', { shellId: shell.shellId, chars: 5000 }, 'ui');
  await assert.rejects(svc.invoke('shell.ack', { shellId: shell.shellId, chars: -1 }, 'ui'), (e: { code?: string }) => e.code === 'bad-request');
  await assert.rejects(svc.invoke('shell.ack', { shellId: 'shell-999', chars: 1 }, 'ui'), (e: { code?: string }) => e.code === 'no-such-shell');
  await svc.invoke('shell.close', { shellId: shell.shellId }, 'ui');
});

test('3 members: the leader expires a session held through a follower; its ephemerals go on every member; no leader, no expiry', async () => {
  const svc = newService();
  await svc.invoke('lab.create', { dir: join(root, 'three'), spec: { members: 3 } }, 'ui');
  const status = await svc.invoke('lab.status', {}, 'ui');
  const leader = status.leader!;
  const follower = status.members.find((m) => m.id !== leader)!;
  const through = (m: { proxyClientPort: number }) => `127.0.0.1:${m.proxyClientPort}`;

  const zk = await connect(through(follower));
  await zk.create('/eph3', 'x', { mode: CreateMode.EPHEMERAL });
  await zk.create('/ttl3', 'x', { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 90_000 });
  const sid = hex(zk.sessionId);

  const listed = (await svc.invoke('sessions.list', {}, 'ui')).find((s) => s.sessionId === sid)!;
  assert.equal(listed.member, follower.id);
  assert.ok(listed.expiresInMs !== null && listed.expiresInMs > 0 && listed.expiresInMs <= listed.timeoutMs + 250, `time left from the leader's tracker (${listed.expiresInMs})`);

  const mirror = await svc.invoke('tree.open', { member: follower.id }, 'ui');
  const ttl = await svc.invoke('tree.get', { mirrorId: mirror.mirrorId, path: '/ttl3' }, 'ui');
  assert.deepEqual([ttl.mode, ttl.ttlMs], ['ttl', 90_000]);
  assert.equal((await svc.invoke('tree.search', { query: '3', member: follower.id }, 'ui')).paths.includes('/eph3'), true);

  const sawExpiry = expired(zk);
  const r = await svc.invoke('sessions.expire', { sessionId: sid }, 'ui');
  assert.match(r.message, new RegExp(`on member ${leader} \\(the leader\\)`));
  await sawExpiry;
  for (const m of status.members) {
    const reader = await connect(through(m));
    await reader.sync('/');
    assert.equal(await reader.exists('/eph3'), null, `member ${m.id} deleted the ephemeral`);
    assert.notEqual(await reader.exists('/ttl3'), null, `member ${m.id} kept the TTL node`);
  }

  // Two of three down: the leader loses its quorum and steps down; nobody may expire sessions.
  const others = status.members.filter((m) => m.id !== leader).map((m) => m.id);
  for (const id of others) await svc.invoke('member.kill', { member: id }, 'ui');
  await svc.lab!.waitForStatus((s) => s.leader === null, 20_000, 'the leader to step down');
  await assert.rejects(
    svc.invoke('sessions.expire', { sessionId: '0x1' }, 'ui'),
    (e: { code?: string; message?: string }) => e.code === 'no-leader' && /only the leader expires sessions/.test(e.message ?? ''),
  );
});
