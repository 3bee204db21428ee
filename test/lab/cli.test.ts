/**
 * The zk-lab command line end to end, with real zk-server members: `up` starts a detached
 * supervisor and prints the connect string last; `status` (table and the --json contract)
 * works while members are down; member actions, link faults and their refusals; `events`;
 * `export` / `import` (and a corrupt file refused without side effects); `serve` refusing
 * a wrong token and importing an uploaded export beside its lab (a new lab under its own
 * supervisor, served on its own URL); `down` leaving no process behind.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { ZkClient } from '../../engine/src/client/index.js';
import { connectLabBridge, type WebSocketClass } from '../../engine/src/lab/bridge-client.js';

const ZK_LAB = fileURLToPath(new URL('../../engine/bin/zk-lab.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'zoolab-cli-'));
const dir = join(root, 'lab');
const imported = join(root, 'imported');
/** Labs that `serve` imported beside `dir` (stopped after the test). */
const beside: string[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function zkLab(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ZK_LAB, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function supervisorPid(labDir: string): number | null {
  try {
    return (JSON.parse(readFileSync(join(labDir, 'supervisor.json'), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

test.after(async () => {
  for (const d of [dir, imported, ...beside]) {
    const pid = supervisorPid(d);
    await zkLab('down', '--dir', d);
    if (pid !== null && alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(root, { recursive: true, force: true });
});

test('zk-lab drives a lab from up to down', async () => {
  const up = await zkLab('up', '--members', '1', '--dir', dir);
  assert.equal(up.code, 0, up.stderr);
  const lines = up.stdout.trim().split('\n');
  const connectString = lines.at(-1)!;
  assert.match(connectString, /^127\.0\.0\.1:\d+$/, 'the connect string is the last line');
  const supPid = supervisorPid(dir);
  assert.ok(supPid !== null && alive(supPid), 'the supervisor outlives the up command');

  const again = await zkLab('up', '--members', '1', '--dir', dir);
  assert.equal(again.code, 0);
  assert.equal(again.stdout.trim().split('\n').at(-1), connectString, 'up on a running lab reports it');
  const wrongShape = await zkLab('up', '--members', '3', '--dir', dir);
  assert.notEqual(wrongShape.code, 0);
  assert.match(wrongShape.stderr, /has 1 member; use another --dir/);

  const zk = await ZkClient.connect({ connectString }, 10_000);
  await zk.create('/cli', 'through the client proxy');
  await zk.close();

  // Members report their state periodically: wait for the report that follows the create.
  let json = JSON.parse((await zkLab('status', '--json', '--dir', dir)).stdout) as Record<string, unknown>;
  for (let i = 0; i < 50 && (json.members as { znodes: number }[])[0]!.znodes !== 5; i++) {
    await new Promise((r) => setTimeout(r, 200));
    json = JSON.parse((await zkLab('status', '--json', '--dir', dir)).stdout) as Record<string, unknown>;
  }
  assert.deepEqual(Object.keys(json), ['members', 'leader', 'quorum', 'links']);
  const members = json.members as Record<string, unknown>[];
  assert.deepEqual(Object.keys(members[0]!), ['id', 'role', 'state', 'epoch', 'zxid', 'clientPort', 'digest', 'sessions', 'znodes']);
  assert.equal(members[0]!.role, 'standalone');
  assert.equal(members[0]!.state, 'running');
  assert.match(members[0]!.zxid as string, /^0x[0-9a-f]+$/);
  assert.deepEqual(json.quorum, { size: 1, reachable: 1, canWrite: true });
  // /, /zookeeper, /zookeeper/quota, /zookeeper/config and /cli, each counted once (srvr says 6).
  assert.equal(members[0]!.znodes, 5, 'the znodes in the tree, the number an export reports');

  const kill = await zkLab('kill', '1', '--dir', dir);
  assert.equal(kill.code, 0);
  assert.match(kill.stdout, /killed member 1 \(pid \d+\) with SIGKILL/);
  const table = await zkLab('status', '--dir', dir);
  assert.equal(table.code, 0, 'status works while members are down');
  assert.match(table.stdout, /^member\s+role\s+epoch\s+zxid\s+sessions\s+znodes\s+links\s+process/);
  assert.match(table.stdout, /\n1\s+down\s.*killed \(SIGKILL\)/);
  const killAgain = await zkLab('kill', '1', '--dir', dir);
  assert.notEqual(killAgain.code, 0);
  assert.match(killAgain.stderr, /cannot kill member 1: it is killed/);
  assert.equal((await zkLab('restart', '1', '--dir', dir)).code, 0);
  const zk2 = await ZkClient.connect({ connectString }, 10_000);
  assert.equal((await zk2.getData('/cli')).data?.toString(), 'through the client proxy');
  await zk2.close();

  const delay = await zkLab('delay', 'client->1', '150ms', '--jitter', '20ms', '--dir', dir);
  assert.equal(delay.code, 0, delay.stderr);
  const loss = await zkLab('loss', '1->client', '5%', '--dir', dir);
  assert.equal(loss.code, 0, loss.stderr);
  const links = (JSON.parse((await zkLab('status', '--json', '--dir', dir)).stdout) as { links: { from: unknown; to: unknown; settings: Record<string, unknown> }[] }).links;
  assert.deepEqual(links.find((l) => l.from === 'client' && l.to === 1)!.settings, { mode: 'pass', delayMs: 150, jitterMs: 20, lossPercent: 0 });
  assert.deepEqual(links.find((l) => l.from === 1 && l.to === 'client')!.settings, { mode: 'pass', delayMs: 0, jitterMs: 0, lossPercent: 5 });
  const badPartition = await zkLab('partition', '1|2', '--dir', dir);
  assert.notEqual(badPartition.code, 0);
  assert.match(badPartition.stderr, /there is no member 2/);
  const badLoss = await zkLab('loss', '1-2', 'lots', '--dir', dir);
  assert.equal(badLoss.code, 2);
  assert.match(badLoss.stderr, /not a percentage/);
  assert.match((await zkLab('heal', '--dir', dir)).stdout, /healed 2 link direction/);

  // events --follow prints what happens next, live.
  const follow = spawn(process.execPath, [ZK_LAB, 'events', '--follow', '--since', '0', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let followed = '';
    const seen = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => pattern.test(followed) && resolve();
        follow.stdout.on('data', (c: Buffer) => ((followed += c.toString()), check()));
        follow.on('exit', (code) => reject(new Error(`events --follow exited with ${code}: ${followed}`)));
        check();
      });
    await seen(/\[lab\] cli: killed member 1/);
    assert.equal((await zkLab('pause', '1', '--dir', dir)).code, 0);
    await seen(/\[lab\] cli: paused member 1 \(pid \d+\) with SIGSTOP/);
    assert.equal((await zkLab('resume', '1', '--dir', dir)).code, 0);
    await seen(/\[member 1\] process running/);
  } finally {
    follow.kill('SIGINT');
  }

  const events = await zkLab('events', '--dir', dir);
  assert.match(events.stdout, /\[lab\] cli: killed member 1/);
  assert.match(events.stdout, /\[lab\] cli: cannot kill member 1: it is killed \(refused\)/);
  assert.match(events.stdout, /\[member 1\] process killed/);

  const file = join(root, 'cli.zoolab');
  const exported = await zkLab('export', file, '--dir', dir);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /exported 1 member\(s\), 5 znodes/, 'the same count as status');

  const corrupt = join(root, 'corrupt.zoolab');
  const bytes = readFileSync(file);
  writeFileSync(corrupt, bytes.subarray(0, bytes.length - 4096));
  const refused = await zkLab('import', corrupt, '--dir', join(root, 'never'));
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /corrupt|truncated/);
  assert.equal(existsSync(join(root, 'never')), false, 'a refused import creates nothing');

  const imp = await zkLab('import', file, '--dir', imported);
  assert.equal(imp.code, 0, imp.stderr);
  const importedConnect = imp.stdout.trim().split('\n').at(-1)!;
  const zk3 = await ZkClient.connect({ connectString: importedConnect }, 10_000);
  assert.equal((await zk3.getData('/cli')).data?.toString(), 'through the client proxy');
  await zk3.close();
  const importedPid = supervisorPid(imported)!;
  assert.equal((await zkLab('down', '--dir', imported)).code, 0);
  assert.equal(alive(importedPid), false);

  // serve: prints a URL with a token; a wrong token is refused.
  const serve = spawn(process.execPath, [ZK_LAB, 'serve', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(out);
        if (m) resolve(m[0]);
      });
      serve.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const port = new URL(url).port;
    const token = new URL(url).searchParams.get('token')!;
    assert.equal(await wsOutcome(`ws://127.0.0.1:${port}/api?token=${'0'.repeat(64)}`), 'refused 401');
    assert.equal(await wsOutcome(`ws://127.0.0.1:${port}/api?token=${token}`), 'hello');

    // The browser's Import: a corrupt upload is refused and creates nothing; a sound one
    // becomes a new lab next to this one, under its own supervisor, on its own URL.
    const web = await connectLabBridge(`ws://127.0.0.1:${port}/api?token=${token}`, WebSocket as unknown as WebSocketClass);
    try {
      const before = readdirSync(root).sort();
      const corruptBytes = readFileSync(corrupt).toString('base64');
      await assert.rejects(web.invoke('snapshot.importBytes', { dataBase64: corruptBytes }), /corrupt|truncated/i);
      assert.deepEqual(readdirSync(root).sort(), before, 'a refused upload creates nothing');
      await assert.rejects(web.invoke('snapshot.importBytes', { dataBase64: readFileSync(file).toString('base64'), dir: join(tmpdir(), 'elsewhere') }), /goes next to this one/);

      const lab = await web.invoke('snapshot.importBytes', { dataBase64: readFileSync(file).toString('base64') });
      beside.push(lab.dir);
      assert.equal(lab.switched, false, 'one supervisor serves one lab: the import runs beside it');
      assert.match(lab.dir, new RegExp(`^${root}/lab-imported-`));
      assert.match(lab.message, /runs beside .* under its own supervisor/);
      assert.match(lab.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+$/);
      assert.notEqual(new URL(lab.url!).port, port);
      const zk4 = await ZkClient.connect({ connectString: lab.connectString }, 10_000);
      assert.equal((await zk4.getData('/cli')).data?.toString(), 'through the client proxy', 'the new lab holds the exported tree');
      await zk4.close();
      const other = await connectLabBridge(`ws://127.0.0.1:${new URL(lab.url!).port}/api?token=${new URL(lab.url!).searchParams.get('token')}`, WebSocket as unknown as WebSocketClass);
      assert.equal((await other.invoke('lab.info', {}))?.dir, lab.dir, 'its URL serves the new lab');
      other.close();
      assert.equal((await web.invoke('lab.info', {}))?.dir, dir, 'this URL still serves the first lab');
      const events = await web.invoke('events.since', { afterSeq: 0, limit: 10_000 });
      assert.ok(events.events.some((e) => e.body.kind === 'action' && e.body.action === 'snapshot.importBytes' && e.body.ok && e.body.actor === 'web'));
    } finally {
      web.close();
    }
  } finally {
    serve.kill('SIGTERM');
  }

  const memberPid = (JSON.parse((await zkLab('status', '--json', '--dir', dir)).stdout) as { members: { state: string }[] }).members[0]!.state;
  assert.equal(memberPid, 'running');
  const down = await zkLab('down', '--dir', dir);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /is down/);
  assert.equal(alive(supPid!), false, 'down leaves no supervisor behind');
  const after = await zkLab('status', '--json', '--dir', dir);
  assert.equal((JSON.parse(after.stdout) as { members: { role: string }[] }).members[0]!.role, 'down');
  const notRunning = await zkLab('kill', '1', '--dir', dir);
  assert.notEqual(notRunning.code, 0);
  assert.match(notRunning.stderr, /is not running/);
});

function wsOutcome(url: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { t: string };
      resolve(m.t);
      ws.close();
    });
    ws.on('error', (e) => resolve(`error ${e.message}`));
  });
}

test('zk-lab runs an ensemble with an observer: roles, isolate the leader, heal', async () => {
  const ens = join(root, 'ensemble');
  const up = await zkLab('up', '--members', '3', '--observers', '1', '--dir', ens);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout.trim().split('\n').at(-1)!.split(',').length, 4, 'the connect string lists every member');
  try {
    type Status = { members: { id: number; role: string }[]; leader: number | null; quorum: { canWrite: boolean } };
    const status = async () => JSON.parse((await zkLab('status', '--json', '--dir', ens)).stdout) as Status;
    const first = await status();
    assert.deepEqual(first.members.map((m) => m.role).sort(), ['follower', 'follower', 'leader', 'observer']);
    assert.equal(first.members.find((m) => m.id === 4)!.role, 'observer');
    const isolate = await zkLab('isolate', String(first.leader), '--dir', ens);
    assert.match(isolate.stdout, new RegExp(`isolated member ${first.leader} \\(blackhole\\)`));
    let next = await status();
    for (let i = 0; i < 200 && !(next.quorum.canWrite && next.leader !== null && next.leader !== first.leader); i++) {
      await new Promise((r) => setTimeout(r, 150));
      next = await status();
    }
    assert.notEqual(next.leader, first.leader, 'the others elected a new leader');
    assert.equal(next.quorum.canWrite, true);
    assert.equal((await zkLab('heal', '--dir', ens)).code, 0);
  } finally {
    await zkLab('down', '--dir', ens);
  }
});
