/**
 * Supervisor process management with stand-in members (test/lab/helpers/fake-member.ts),
 * independent of the real zk-server: start, kill, pause/resume, restart from own data,
 * wipe, crash detection with last log lines, the event log in lab.sqlite, and `down`
 * leaving no process behind.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLabDir, memberDataDir } from '../../engine/src/lab/lab-layout.js';
import { MemberProcess } from '../../engine/src/lab/member-process.js';
import { realTimers } from '../../engine/src/lab/timers.js';
import { Supervisor } from '../../engine/src/lab/supervisor.js';
import { LabStore } from '../../engine/src/lab/lab-store.js';
import { fourLetterWord } from '../../engine/src/lab/four-letter.js';
import { until } from './helpers/net-fixtures.js';

const FAKE_MEMBER = fileURLToPath(new URL('./helpers/fake-member.js', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
function procState(pid: number): string {
  return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
}

async function makeLab(members: number) {
  const root = mkdtempSync(join(tmpdir(), 'zoolab-sup-'));
  const dir = join(root, 'lab');
  await createLabDir(dir, { members }, Date.now(), 7);
  const sup = Supervisor.open({ dir, memberScript: FAKE_MEMBER, pollIntervalMs: 0 });
  return {
    dir,
    sup,
    async cleanup() {
      await sup.down('lab').catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}

test('start, kill, pause/resume, restart and wipe a member; every action is in the event log', async (t) => {
  const lab = await makeLab(3);
  t.after(() => lab.cleanup());
  const { sup } = lab;
  const started = await sup.start('cli');
  assert.deepEqual(started.failed, []);
  // `ready` resolves start; the state report follows it on the same IPC channel.
  let s = await sup.waitForStatus((x) => x.members.every((m) => m.role === 'standalone'), 10_000, 'state reports');
  assert.deepEqual(s.members.map((m) => m.state), ['running', 'running', 'running']);
  assert.deepEqual(s.members.map((m) => m.role), ['standalone', 'standalone', 'standalone']);
  assert.equal(s.members[0]!.znodes, 4, 'state reported over IPC (node count 5 counts the root twice; the lab shows the tree)');
  assert.ok(s.members.every((m) => m.pid !== null && alive(m.pid)));

  const pid2 = s.members[1]!.pid!;
  const killed = await sup.memberAction('cli', 2, 'kill');
  assert.match(killed.message, new RegExp(`killed member 2 \\(pid ${pid2}\\) with SIGKILL`));
  assert.equal(killed.member.state, 'killed');
  assert.equal(killed.member.role, 'down');
  assert.equal(alive(pid2), false);
  await assert.rejects(sup.memberAction('cli', 2, 'pause'), /cannot pause member 2: it is killed/);

  const pid3 = s.members[2]!.pid!;
  await sup.memberAction('ui', 3, 'pause');
  // The kernel delivers the signal when it next schedules the process: wait for it to show.
  await until(() => procState(pid3) === 'T', 'the process stopped (state T in /proc)');
  assert.equal(sup.memberStatus(3).state, 'paused');
  await sup.memberAction('ui', 3, 'resume');
  assert.notEqual(procState(pid3), 'T');

  // Restart recovers from the member's own data directory (the fake counts its starts there).
  await sup.memberAction('cli', 2, 'restart');
  assert.equal(sup.memberStatus(2).state, 'running');
  s = await sup.waitForStatus((x) => x.members[1]!.znodes !== null, 10_000, 'member 2 reports');
  assert.equal(s.members[1]!.znodes, 5, 'second start of member 2 read its own data');

  writeFileSync(join(memberDataDir(lab.dir, 1), 'junk'), 'x');
  await sup.memberAction('cli', 1, 'wipe');
  assert.equal(existsSync(join(memberDataDir(lab.dir, 1), 'junk')), false);
  assert.equal(readFileSync(join(memberDataDir(lab.dir, 1), 'myid'), 'utf8').trim(), '1');
  s = await sup.waitForStatus((x) => x.members[0]!.znodes !== null, 10_000, 'member 1 reports');
  assert.equal(s.members[0]!.znodes, 4, 'a wiped member starts from nothing');

  const actions = sup.events.since(0, 1000).events.flatMap((e) => (e.body.kind === 'action' ? [e.body] : []));
  assert.deepEqual(
    actions.map((a) => `${a.actor} ${a.action} ${a.ok}`),
    ['cli lab.start true', 'cli member.kill true', 'cli member.pause false', 'ui member.pause true', 'ui member.resume true', 'cli member.restart true', 'cli member.wipe true'],
  );
  const protocol = sup.events.since(0, 1000).events.filter((e) => e.body.kind === 'protocol');
  assert.ok(protocol.length >= 3, 'members’ protocol events are merged into the stream');
  const seqs = sup.events.since(0, 1000).events.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(new Set(seqs).size, seqs.length);

  const pids = sup.status().members.map((m) => m.pid!);
  await sup.down('cli');
  assert.ok(pids.every((p) => !alive(p)), 'down leaves no member behind');

  // The log survives in lab.sqlite for later review.
  const store = LabStore.open(lab.dir, { readonly: true });
  const stored = store.readEvents(0, 10_000);
  store.close();
  assert.ok(stored.some((e) => e.body.kind === 'action' && e.body.action === 'member.kill'));
  assert.ok(stored.some((e) => e.body.kind === 'action' && e.body.action === 'lab.down'));
});

test('a member that dies on its own is reported as crashed with its last log lines', async (t) => {
  const lab = await makeLab(1);
  t.after(() => lab.cleanup());
  await lab.sup.start('cli');
  const port = lab.sup.status().members[0]!.clientPort;
  const crashed = lab.sup.waitForStatus((s) => s.members[0]!.state === 'crashed', 10_000, 'crash detection');
  await fourLetterWord(port, 'crsh').catch(() => '');
  const s = await crashed;
  const m = s.members[0]!;
  assert.equal(m.role, 'down');
  assert.equal(m.exit?.code, 3);
  assert.ok(m.lastLogLines.some((l) => l.includes('crashing on request')), m.lastLogLines.join('\n'));
  const ev = lab.sup.events.since(0).events.find((e) => e.body.kind === 'process' && e.body.state === 'crashed');
  assert.ok(ev && ev.body.kind === 'process' && ev.body.lastLogLines?.some((l) => l.includes('crashing on request')));
  assert.equal(s.quorum.canWrite, false);
});

test('a member that cannot start is refused with its exit code and last log lines', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'zoolab-fail-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'myid'), '1\n');
  const cfgFile = join(root, 'zoo.cfg');
  writeFileSync(cfgFile, `dataDir=${root}\nclientPort=0\nfake.failStart=true\n`);
  const p = new MemberProcess({ id: 1, configPath: cfgFile, logPath: join(root, 'member.log'), timers: realTimers, script: FAKE_MEMBER });
  await assert.rejects(p.start(), /member 1 exited before it was ready \(exit code 2\); last log lines:\n.*refusing to start: fake.failStart is set/);
  assert.equal(p.state, 'crashed');
  assert.match(readFileSync(join(root, 'member.log'), 'utf8'), /refusing to start/);
});

test('one supervisor per lab: a second open is refused until the first is down', async (t) => {
  const lab = await makeLab(1);
  t.after(() => lab.cleanup());
  assert.throws(() => Supervisor.open({ dir: lab.dir, memberScript: FAKE_MEMBER }), /already open in this process/);
  await lab.sup.down('cli');
  const again = Supervisor.open({ dir: lab.dir, memberScript: FAKE_MEMBER, pollIntervalMs: 0 });
  await again.down('cli');
  // A lock left by a process that no longer exists is taken over.
  writeFileSync(join(lab.dir, 'lab.lock'), '2147483646\n');
  const third = Supervisor.open({ dir: lab.dir, memberScript: FAKE_MEMBER, pollIntervalMs: 0 });
  await third.down('cli');
  assert.equal(existsSync(join(lab.dir, 'lab.lock')), false);
});

test('a member whose port was taken while it was down starts on a fresh port, its proxy following', async (t) => {
  const lab = await makeLab(1);
  t.after(() => lab.cleanup());
  const { sup } = lab;
  assert.deepEqual((await sup.start('cli')).failed, []);
  const before = sup.status().members[0]!;
  await sup.memberAction('cli', 1, 'kill');
  await sup.waitForStatus((s) => s.members[0]!.state === 'killed', 10_000, 'member 1 down');
  // Someone else binds member 1's client port while it is down.
  const squatter = createServer();
  await new Promise<void>((ok) => squatter.listen(before.clientPort, '127.0.0.1', () => ok()));
  t.after(() => new Promise<void>((ok) => squatter.close(() => ok())));
  assert.deepEqual((await sup.start('cli')).failed, []);
  const after = sup.status().members[0]!;
  assert.equal(after.state, 'running');
  assert.notEqual(after.clientPort, before.clientPort, 'moved to a free port');
  assert.equal(after.proxyClientPort, before.proxyClientPort, 'clients keep the same address');
  assert.equal(await fourLetterWord(after.proxyClientPort, 'ruok', 2000), 'imok', 'the client proxy reaches the moved member');
});
