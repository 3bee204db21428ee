/**
 * One member process: start, readiness, clean SIGTERM shutdown, refusing bad configs and
 * unusable data dirs with one line, and restarts that keep every committed znode
 * (log replay, and snapshot + log replay).
 */
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startZooLabServer, ZK_SERVER_SCRIPT, type ZooLabServer } from '../helpers/zoolab-server.js';
import { fourLetterWord } from '../helpers/four-letter.js';
import { RawZkClient } from '../helpers/raw-client.js';
import { create, getData, OPEN_ACL } from '../helpers/raw-ops.js';
import { MEMBER_NODE_FLAGS } from '../../engine/src/member/node-flags.js';

const servers: ZooLabServer[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(overrides: Record<string, string | number> = {}): Promise<ZooLabServer> {
  const s = await startZooLabServer(overrides);
  servers.push(s);
  return s;
}

/** Runs zk-server on a config text and returns its exit code and stderr. */
function runWithConfig(configText: string | null): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'zoolab-cfg-'));
  dirs.push(dir);
  const args = [ZK_SERVER_SCRIPT];
  if (configText !== null) {
    writeFileSync(join(dir, 'zoo.cfg'), configText.replaceAll('$DIR', dir));
    args.push(join(dir, 'zoo.cfg'));
  }
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

async function createMany(port: number, prefix: string, n: number): Promise<void> {
  const c = await RawZkClient.connect(port);
  try {
    const replies = await Promise.all(
      Array.from({ length: n }, (_, i) => create(c, { path: `${prefix}${i}`, data: Buffer.from(`v${i}`), acl: OPEN_ACL })),
    );
    for (const r of replies) assert.equal(r.err, 0);
  } finally {
    c.destroy();
  }
}

async function assertAllPresent(port: number, prefix: string, n: number): Promise<void> {
  const c = await RawZkClient.connect(port);
  try {
    for (let i = 0; i < n; i++) {
      const r = await getData(c, `${prefix}${i}`);
      assert.equal(r.err, 0, `${prefix}${i} is missing`);
      assert.equal(r.value!.data!.toString(), `v${i}`);
    }
  } finally {
    c.destroy();
  }
}

test('starts, reports its bound port, answers srvr as standalone', { timeout: 60_000 }, async () => {
  const s = await start();
  assert.ok(s.port > 0);
  const srvr = await fourLetterWord(s.port, 'srvr');
  assert.match(srvr, /^Zookeeper version: 3\.8\.4-zoolab-\d+\.\d+\.\d+, built on \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/);
  assert.match(srvr, /\nMode: standalone\n/);
  assert.match(srvr, /\nNode count: 5\n/);
  const ready = s.messages.find((m) => (m as { type: string }).type === 'ready') as { clientPort: number };
  assert.equal(ready.clientPort, s.port);
});

test('SIGTERM: clean shutdown with exit code 0 and a log line', { timeout: 60_000 }, async () => {
  const s = await start();
  const info = await s.shutdown();
  assert.deepEqual(info, { code: 0, signal: null });
  assert.match(s.output(), /stopping: received SIGTERM/);
  assert.match(s.output(), /INFO .*stopped\n/);
});

test('SIGTERM with clients connected and writes in flight: they are answered, then the member exits', { timeout: 60_000 }, async () => {
  const s = await start();
  const c = await RawZkClient.connect(s.port);
  const writes = Array.from({ length: 50 }, (_, i) => create(c, { path: `/t${i}`, acl: OPEN_ACL }).catch(() => null));
  const info = await s.shutdown();
  assert.deepEqual(info, { code: 0, signal: null });
  const replies = await Promise.all(writes);
  // Every write either got its reply or was never accepted; the ones answered are durable.
  const answered = replies.filter((r) => r !== null && r.err === 0).length;
  c.destroy();
  await s.restart();
  const check = await RawZkClient.connect(s.port);
  const present = (await Promise.all(Array.from({ length: 50 }, (_, i) => getData(check, `/t${i}`)))).filter((r) => r.err === 0).length;
  check.destroy();
  assert.ok(present >= answered, `${answered} writes were answered but only ${present} survived`);
});

test('SIGINT also shuts down cleanly', { timeout: 60_000 }, async () => {
  const s = await start();
  const exited = new Promise<number | null>((r) => s.process.once('exit', (code) => r(code)));
  s.process.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.match(s.output(), /stopping: received SIGINT/);
});

test('--report without an IPC channel streams JSON lines on stdout, ready first', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoolab-report-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'zoo.cfg'), `dataDir=${dir}/d\nclientPort=0\nzoolab.stateIntervalMs=50\n`);
  const p = spawn(process.execPath, [ZK_SERVER_SCRIPT, '--report', join(dir, 'zoo.cfg')], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      p.stdout!.on('data', (c: Buffer) => {
        buf += c.toString();
        const parts = buf.split('\n');
        buf = parts.pop()!;
        lines.push(...parts);
        if (lines.length >= 2) resolve();
      });
      p.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const ready = JSON.parse(lines[0]!) as { type: string; clientPort: number; pid: number };
    assert.equal(ready.type, 'ready');
    assert.ok(ready.clientPort > 0);
    assert.equal(ready.pid, p.pid);
    assert.equal((JSON.parse(lines[1]!) as { type: string }).type, 'state');
    // The default whitelist is srvr alone (wire-protocol.md §16).
    assert.match(await fourLetterWord(ready.clientPort, 'srvr'), /Mode: standalone/);
    assert.equal(await fourLetterWord(ready.clientPort, 'ruok'), 'ruok is not executed because it is not in the whitelist.\n');
  } finally {
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  }
});

test('a bad config exits with code 2 and one line naming the problem', { timeout: 60_000 }, async () => {
  const cases: [string | null, RegExp][] = [
    [null, /^zk-server: usage: zk-server \[--report\] <zoo.cfg>\n$/],
    ['tickTime=fast\ndataDir=$DIR/d\nclientPort=0\n', /^zk-server: bad config .*: invalid value 'fast' for tickTime: expected an integer >= 1\n$/],
    ['clientPort=0\n', /^zk-server: bad config .*: dataDir is not set\n$/],
  ];
  for (const [cfg, expected] of cases) {
    const r = await runWithConfig(cfg);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, expected);
  }
  const missing = await runWithConfig(null);
  assert.equal(missing.code, 2);
});

test('an unusable dataDir exits with code 3 and one line', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoolab-ro-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'file'), 'not a directory');
  const r = await runWithConfig(`dataDir=${join(dir, 'file')}\nclientPort=0\n`);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^zk-server: dataDir .*file is not usable: \S+\n$/);
  if (process.getuid?.() !== 0) {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const r2 = await runWithConfig(`dataDir=${ro}\nclientPort=0\n`);
    assert.equal(r2.code, 3, r2.stderr);
  }
});

test('a port in use exits with code 3', { timeout: 60_000 }, async () => {
  const s = await start();
  const r = await runWithConfig(`dataDir=$DIR/d\nclientPort=${s.port}\n`);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
});

test('restart keeps every committed znode (log replay), on the same port', { timeout: 60_000 }, async () => {
  const s = await start();
  await createMany(s.port, '/r', 50);
  const port = s.port;
  await s.restart();
  assert.equal(s.port, port);
  await assertAllPresent(s.port, '/r', 50);
  assert.match(s.output(), /recovered zxid 0x33 \(snapshot none, 51 txns replayed\)/);
});

test('restart after snapshots: snapshot + log replay restore the same tree', { timeout: 60_000 }, async () => {
  const s = await start({ snapCount: 20 });
  await createMany(s.port, '/s', 120);
  await s.shutdown();
  await s.restart();
  await assertAllPresent(s.port, '/s', 120);
  assert.match(s.output(), /snapshot at zxid 0x[0-9a-f]+ written/);
  const recovered = /recovered zxid 0x79 \(snapshot 0x([0-9a-f]+), (\d+) txns replayed\)/.exec(s.output());
  assert.ok(recovered, s.output());
  assert.equal(BigInt('0x' + recovered[1]) + BigInt(recovered[2]), 0x79n, 'replay starts right after the snapshot');
});

test('the script\'s shebang carries MEMBER_NODE_FLAGS, and they size the young generation at 8 MiB from the start', async () => {
  const shebang = readFileSync(ZK_SERVER_SCRIPT, 'utf8').split('\n', 1)[0]!;
  assert.equal(shebang, `#!/usr/bin/env -S node ${MEMBER_NODE_FLAGS.join(' ')}`);
  const probe = "console.log(require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)";
  const sizeWith = (flags: readonly string[]) => Number(execFileSync(process.execPath, [...flags, '-e', probe], { encoding: 'utf8' }).trim());
  const MiB = 1024 * 1024;
  const sized = sizeWith(MEMBER_NODE_FLAGS);
  assert.ok(sized >= 8 * MiB, `young generation ${sized / MiB} MiB`);
  assert.ok(sizeWith([]) < 8 * MiB, 'without the flags V8 starts smaller (the flags are what sizes it)');
});
