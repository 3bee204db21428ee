/**
 * The LabApi served in-process (as Electron's main process would) over real zk-server
 * members on loopback: lifecycle, member actions with recovery from the member's own
 * SQLite file, the tree browser mirror, a shell session, subtree JSON export/import,
 * and the cluster export → import round trip compared node by node, byte for byte.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient, CreateMode, Perms } from '../../engine/src/client/index.js';
import type { EventName, EventPayload, TreeChange } from '../../engine/src/lab/api.js';
import { LabService } from '../../engine/src/lab/lab-service.js';
import { RecentLabs } from '../../engine/src/lab/recent-labs.js';
import { digestAcl } from '../../engine/src/client/index.js';

const root = mkdtempSync(join(tmpdir(), 'zoolab-service-'));
const services: LabService[] = [];

function newService(): LabService {
  const s = new LabService({ allowLabSwitch: true, recent: new RecentLabs(join(root, 'recent.json')) });
  services.push(s);
  return s;
}

test.after(async () => {
  for (const s of services) await s.invoke('lab.down', {}, 'ui').catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

/** Resolves with the first event payload matching `predicate`. */
function nextEvent<E extends EventName>(svc: LabService, event: E, predicate: (p: EventPayload<E>) => boolean, what: string, timeoutMs = 15_000): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = svc.on(event, (p) => {
      if (!predicate(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

async function withClient<T>(connectString: string, fn: (zk: ZkClient) => Promise<T>): Promise<T> {
  const zk = await ZkClient.connect({ connectString, sessionTimeout: 5000 }, 10_000);
  try {
    return await fn(zk);
  } finally {
    await zk.close();
  }
}

test('a lab created through the API serves, survives kill and restart of its member, and lists as recent', async () => {
  const svc = newService();
  const info = await svc.invoke('lab.create', { dir: join(root, 'one'), spec: { members: 1 } }, 'ui');
  assert.equal(info.running, true);
  assert.equal(info.members, 1);
  await withClient(info.connectString, (zk) => zk.create('/kept', 'before kill'));

  const killed = await svc.invoke('member.kill', { member: 1 }, 'ui');
  assert.equal(killed.member.state, 'killed');
  const down = await svc.invoke('lab.status', {}, 'ui');
  assert.equal(down.quorum.canWrite, false);
  assert.equal(down.members[0]!.role, 'down');

  await svc.invoke('member.restart', { member: 1 }, 'ui');
  const data = await withClient(info.connectString, (zk) => zk.getData('/kept'));
  assert.equal(data.data?.toString(), 'before kill', 'the member recovered from its own SQLite file');

  const recent = await svc.invoke('lab.recent', {}, 'ui');
  assert.equal(recent[0]?.dir, info.dir);
  assert.equal(recent[0]?.exists, true);

  await assert.rejects(svc.invoke('member.kill', { member: 7 }, 'ui'), /there is no member 7/);
  await assert.rejects(svc.invoke('member.kill', { member: 'x' } as never, 'ui'), /member must be a whole number/);
  await assert.rejects(svc.invoke('links.set', { from: 1, to: 'client', settings: { lossPercent: 200 } }, 'ui'), /lossPercent must be between 0 and 100/);
  const page = await svc.invoke('events.since', { afterSeq: 0, limit: 1000 }, 'ui');
  const actions = page.events.flatMap((e) => (e.body.kind === 'action' ? [`${e.body.actor}:${e.body.action}:${e.body.ok}`] : []));
  assert.ok(actions.includes('ui:member.kill:true'));
  assert.ok(actions.includes('ui:member.restart:true'));
  assert.ok(actions.includes('ui:links.set:false'), 'refused actions are recorded too');
});

test('tree browser: paged listing, live child and data changes, conditional set, delete with preview', async () => {
  const svc = services[0]!;
  const lab = (await svc.invoke('lab.info', {}, 'ui'))!;
  await withClient(lab.connectString, async (zk) => {
    await zk.create('/wide');
    await Promise.all(Array.from({ length: 250 }, (_, i) => zk.create(`/wide/n${String(i).padStart(3, '0')}`, `v${i}`)));
  });
  const mirror = await svc.invoke('tree.open', { member: 1, pageSize: 100 }, 'ui');
  assert.equal(mirror.state, 'connected');
  const first = await svc.invoke('tree.expand', { mirrorId: mirror.mirrorId, path: '/wide' }, 'ui');
  assert.equal(first.total, 250);
  assert.equal(first.children.length, 100);
  assert.equal(first.children[0]!.name, 'n000');
  assert.equal(first.children[0]!.dataLength, 2);
  const third = await svc.invoke('tree.children', { mirrorId: mirror.mirrorId, path: '/wide', offset: 200, limit: 100 }, 'ui');
  assert.deepEqual([third.children.length, third.children[0]!.name], [50, 'n200']);

  const created = nextEvent(svc, 'tree.changed', (p) => p.mirrorId === mirror.mirrorId && p.change.kind === 'created', 'a created change');
  await withClient(lab.connectString, (zk) => zk.create('/wide/zzz', 'new'));
  assert.deepEqual((await created).change, { kind: 'created', path: '/wide/zzz' } satisfies TreeChange);

  const node = await svc.invoke('tree.get', { mirrorId: mirror.mirrorId, path: '/wide/n001' }, 'ui');
  assert.equal(node.dataUtf8, 'v1');
  assert.deepEqual(node.acl, [{ scheme: 'world', id: 'anyone', perms: ['read', 'write', 'create', 'delete', 'admin'] }]);
  const dataChanged = nextEvent(svc, 'tree.changed', (p) => p.change.kind === 'data' && p.change.path === '/wide/n001', 'a data change');
  const set = await svc.invoke('tree.set', { mirrorId: mirror.mirrorId, path: '/wide/n001', dataBase64: Buffer.from('v1b').toString('base64'), version: node.stat.version }, 'ui');
  assert.equal(set.stat.version, node.stat.version + 1);
  await dataChanged;
  await assert.rejects(
    svc.invoke('tree.set', { mirrorId: mirror.mirrorId, path: '/wide/n001', dataBase64: null, version: node.stat.version }, 'ui'),
    (e: { code?: string; message?: string }) => e.code === 'zk:BadVersion' && /BadVersion/.test(e.message ?? ''),
  );

  const preview = await svc.invoke('tree.deletePreview', { mirrorId: mirror.mirrorId, path: '/wide', limit: 10 }, 'ui');
  assert.equal(preview.total, 252);
  assert.equal(preview.truncated, true);
  assert.ok(!preview.paths.includes('/wide'), 'deepest first: the root comes last');
  const deleted = nextEvent(svc, 'tree.changed', (p) => p.change.kind === 'deleted' && p.change.path === '/wide', 'the expanded node deleted');
  const r = await svc.invoke('tree.delete', { mirrorId: mirror.mirrorId, path: '/wide', version: -1, recursive: true }, 'ui');
  assert.equal(r.deleted, 252);
  await deleted;
  await svc.invoke('tree.close', { mirrorId: mirror.mirrorId }, 'ui');
  await assert.rejects(svc.invoke('tree.get', { mirrorId: mirror.mirrorId, path: '/' }, 'ui'), /no open tree browser/);
});

test('a shell session runs zkCli commands and streams its output', async () => {
  const svc = services[0]!;
  const shell = await svc.invoke('shell.open', { member: 1, cols: 100, rows: 30 }, 'ui');
  let output = '';
  const off = svc.on('shell.output', (p) => {
    if (p.shellId === shell.shellId) output += p.data;
  });
  const connected = nextEvent(svc, 'shell.info', (i) => i.shellId === shell.shellId && i.state === 'connected', 'the shell connecting');
  await connected;
  await svc.invoke('shell.input', { shellId: shell.shellId, data: 'create /from-shell hello\r' }, 'ui');
  await svc.invoke('shell.input', { shellId: shell.shellId, data: 'get /from-shell\r' }, 'ui');
  const deadline = Date.now() + 10_000;
  while (!/hello\r?\n/.test(output.split('get /from-shell')[1] ?? '') && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  off();
  assert.match(output, /Created \/from-shell/);
  assert.match(output.split('get /from-shell')[1] ?? '', /hello/);
  const list = await svc.invoke('shell.list', {}, 'ui');
  assert.match(list[0]!.title, /^member 1 · 0x[0-9a-f]+ · connected$/);
  const exited = nextEvent(svc, 'shell.exit', (p) => p.shellId === shell.shellId, 'shell exit');
  await svc.invoke('shell.close', { shellId: shell.shellId }, 'ui');
  await exited;
});

test('the session inspector lists sessions with their member, timeout, expiry, ephemerals and watches', async () => {
  const svc = services[0]!;
  const lab = (await svc.invoke('lab.info', {}, 'ui'))!;
  await withClient(lab.connectString, async (zk) => {
    await zk.create('/inspected', 'x', { mode: CreateMode.EPHEMERAL });
    await zk.getData('/inspected', { watch: () => {} });
    const sid = '0x' + zk.sessionId.toString(16);
    const sessions = await svc.invoke('sessions.list', { member: 1 }, 'ui');
    const mine = sessions.find((s) => s.sessionId === sid);
    assert.ok(mine, `session ${sid} listed among ${sessions.map((s) => s.sessionId).join(', ')}`);
    assert.equal(mine.member, 1);
    assert.equal(mine.timeoutMs, zk.negotiatedTimeout);
    assert.deepEqual(mine.ephemerals, ['/inspected']);
    assert.deepEqual(mine.watches.map((w) => w.path), ['/inspected']);
    assert.ok(mine.expiresInMs !== null && mine.expiresInMs > 0 && mine.expiresInMs <= mine.timeoutMs + 250, `expires in ${mine.expiresInMs} ms (at most its timeout plus one tick)`);
  });
});

test('subtree JSON export and import, with conflicts refused before anything is written', async () => {
  const svc = services[0]!;
  const lab = (await svc.invoke('lab.info', {}, 'ui'))!;
  await withClient(lab.connectString, async (zk) => {
    await zk.create('/src', Buffer.from([0, 1, 2, 255]));
    await zk.create('/src/a', 'A', { acl: [digestAcl('bob', 'secret'), { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }] });
    await zk.create('/src/b', null);
    await zk.create('/src/e', 'ephemeral', { mode: CreateMode.EPHEMERAL });
    const json = await svc.invoke('subtree.export', { path: '/src' }, 'ui');
    assert.deepEqual(Object.keys(json.nodes).sort(), ['/src', '/src/a', '/src/b', '/src/e']);
    assert.equal(json.nodes['/src/e']!.mode, 'ephemeral');
    const r = await svc.invoke('subtree.import', { json, targetPath: '/copy' }, 'ui');
    assert.deepEqual(r, { created: 3, updated: 0, skipped: 0, skippedEphemerals: ['/copy/e'] });
    assert.deepEqual((await zk.getData('/copy')).data, Buffer.from([0, 1, 2, 255]));
    assert.equal((await zk.getData('/copy/b')).data, null);
    // Digest hashes are shown only to a caller with ADMIN (ZOOKEEPER-1392); bob has it.
    await zk.addAuth('digest', 'bob:secret');
    assert.deepEqual((await zk.getACL('/copy/a')).acl, [digestAcl('bob', 'secret'), { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }]);
    await assert.rejects(svc.invoke('subtree.import', { json, targetPath: '/copy' }, 'ui'), /\/copy already exists; nothing was imported/);
    const skipped = await svc.invoke('subtree.import', { json, targetPath: '/copy', onConflict: 'skip' }, 'ui');
    assert.equal(skipped.skipped, 3);
    await assert.rejects(svc.invoke('subtree.import', { json: { format: 'other' } as never }, 'ui'), /not a ZooLab subtree export/);
  });
});

test('cluster export → import reproduces every node byte for byte (data, Stat, ACL)', async () => {
  const svc = services[0]!;
  const lab = (await svc.invoke('lab.info', {}, 'ui'))!;
  await withClient(lab.connectString, async (zk) => {
    await zk.create('/rt', Buffer.from('root of the round trip'));
    await zk.create('/rt/seq-', 'x', { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    await zk.createContainer('/rt/container', 'c');
    await zk.create('/rt/container/child', 'keeps the container');
    await zk.createTTL('/rt/ttl', 't', 3_600_000);
    await zk.setData('/rt', 'changed', 0);
    await zk.setACL('/rt/seq-0000000000', [digestAcl('alice', 'pw')], -1);
  });
  const file = join(root, 'cluster.zoolab');
  const exported = await svc.invoke('snapshot.export', { file }, 'ui');
  assert.equal(exported.manifest.format, 'zoolab-cluster-export');
  assert.equal(exported.manifest.members.length, 1);
  assert.deepEqual(await svc.invoke('snapshot.inspect', { file }, 'ui'), exported.manifest);
  await assert.rejects(svc.invoke('snapshot.export', { file }, 'ui'), /already exists/);

  // The digest-protected node is readable by alice only.
  const before = await withClient(lab.connectString, async (zk) => (await zk.addAuth('digest', 'alice:pw'), dumpTree(zk)));
  const other = newService();
  const imported = await other.invoke('snapshot.import', { file, dir: join(root, 'imported') }, 'ui');
  assert.deepEqual([imported.switched, imported.url], [true, null], 'the desktop service switches to the imported lab');
  assert.match(imported.message, /imported the export into a new lab in .* and opened it/);
  const after = await withClient(imported.connectString, async (zk) => (await zk.addAuth('digest', 'alice:pw'), dumpTree(zk)));
  assert.equal(after.size, before.size);
  for (const [path, node] of before) assert.deepEqual(after.get(path), node, `node ${path}`);
  const status = await other.invoke('lab.status', {}, 'ui');
  assert.equal(status.members[0]!.digest, exported.manifest.digest, 'the imported member reports the exported digest');

  // The same round trip as bytes (a browser's download and upload).
  const download = await svc.invoke('snapshot.download', {}, 'web');
  assert.match(download.fileName, /\.zoolab$/);
  assert.equal(Buffer.from(download.dataBase64, 'base64').length, download.sizeBytes);
  assert.equal((await svc.invoke('snapshot.inspectBytes', { dataBase64: download.dataBase64 }, 'web')).digest, exported.manifest.digest);
  const third = newService();
  const fromBytes = await third.invoke('snapshot.importBytes', { dataBase64: download.dataBase64, dir: join(root, 'from-bytes') }, 'web');
  const again = await withClient(fromBytes.connectString, async (zk) => (await zk.addAuth('digest', 'alice:pw'), dumpTree(zk)));
  assert.deepEqual([...again.keys()], [...before.keys()]);
  await third.invoke('lab.down', {}, 'ui');
  await assert.rejects(svc.invoke('snapshot.inspectBytes', { dataBase64: Buffer.from('nope').toString('base64') }, 'web'), /not a ZooLab export/);
});

test('a corrupt, truncated or foreign export is refused and creates nothing', async () => {
  const svc = newService();
  const good = readFileSync(join(root, 'cluster.zoolab'));
  const cases: [string, Buffer, RegExp][] = [
    ['truncated', good.subarray(0, Math.floor(good.length / 2)), /corrupt|truncated|not a ZooLab export/],
    ['edited', editedNode(good), /corrupt: its checksum does not match/],
    ['bad-header', flipHeaderByte(good), /corrupt|not a ZooLab export|cannot be opened/],
    ['foreign', Buffer.from('hello, I am a text file that is long enough to look like something '.repeat(20)), /cannot be opened as a ZooLab export|not a ZooLab export/],
    ['empty', Buffer.alloc(0), /not a ZooLab export/],
  ];
  for (const [name, bytes, message] of cases) {
    const file = join(root, `${name}.zoolab`);
    writeFileSync(file, bytes);
    const dir = join(root, `refused-${name}`);
    await assert.rejects(svc.invoke('snapshot.import', { file, dir }, 'ui'), message, name);
    assert.equal(existsSync(dir), false, `${name}: no lab directory was created`);
  }
  assert.equal(await svc.invoke('lab.info', {}, 'ui'), null, 'the service did not switch to anything');
});

/** A valid SQLite file whose node data was changed without updating the checksum. */
function editedNode(file: Buffer): Buffer {
  const path = join(root, 'edit-scratch.zoolab');
  writeFileSync(path, file);
  const db = new Database(path);
  db.prepare("UPDATE nodes SET data = ? WHERE path = '/rt/ttl'").run(Buffer.from('tampered'));
  db.close();
  const out = readFileSync(path);
  rmSync(path);
  return out;
}

/** One flipped byte in SQLite's page-size field of the file header. */
function flipHeaderByte(file: Buffer): Buffer {
  const copy = Buffer.from(file);
  copy[16] = copy[16]! ^ 0x01;
  return copy;
}

async function dumpTree(zk: ZkClient): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const path of await zk.listSubtree('/')) {
    const [data, acl] = await Promise.all([zk.getData(path), zk.getACL(path)]);
    out.set(path, { data: data.data?.toString('hex') ?? null, stat: data.stat, acl: acl.acl });
  }
  return out;
}
