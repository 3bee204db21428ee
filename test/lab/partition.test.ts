/**
 * Network and process faults on real ensembles on loopback, through the lab's own link
 * proxies: a 2|3 partition of a 5-member lab (the minority refuses writes, the majority
 * elects or keeps a leader and accepts writes, and after heal everyone converges), and a
 * leader paused for longer than the session timeout (a session that can move to another
 * member survives, one that cannot expires, and not before its timeout; zab.md §5).
 *
 * Each scenario runs with our zk-server members and, as the reference, with Apache
 * ZooKeeper 3.8 members behind the same proxies. A flavour that cannot run here is
 * skipped with the reason (no Apache ZooKeeper install; .ci/run installs it).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient, CreateMode } from '../../engine/src/client/index.js';
import type { LabStatus, MemberId } from '../../engine/src/lab/api.js';
import { createLabDir } from '../../engine/src/lab/lab-layout.js';
import { Supervisor } from '../../engine/src/lab/supervisor.js';
import { apacheFlavour, zoolabFlavour, type MemberFlavour } from './helpers/member-flavours.js';

const FLAVOURS = [zoolabFlavour(), apacheFlavour()];

interface Lab {
  sup: Supervisor;
  cleanup(): Promise<void>;
}

/** Starts a lab of `members` on the flavour; resolves null (with the reason) when the flavour cannot run an ensemble. */
async function startLab(flavour: MemberFlavour, members: number, tickTimeMs?: number): Promise<Lab | { skip: string }> {
  if (flavour.unavailable) return { skip: flavour.unavailable };
  const root = mkdtempSync(join(tmpdir(), `zoolab-${flavour.name}-`));
  const dir = join(root, 'lab');
  await createLabDir(dir, { members, tickTimeMs }, Date.now(), 42);
  const sup = Supervisor.open({ dir, ...flavour.options });
  const cleanup = async () => {
    await sup.down('lab').catch(() => {});
    rmSync(root, { recursive: true, force: true });
  };
  const started = await sup.start('cli');
  if (started.failed.length > 0) {
    await cleanup();
    throw new Error(started.failed.map((f) => `member ${f.member}: ${f.error}`).join('\n'));
  }
  return { sup, cleanup };
}

/** `sup.waitForStatus`, whose failure also carries every member's last log lines (the lab directory is gone afterwards). */
async function waitForStatus(sup: Supervisor, predicate: (s: LabStatus) => boolean, timeoutMs: number, what: string): Promise<LabStatus> {
  try {
    return await sup.waitForStatus(predicate, timeoutMs, what);
  } catch (e) {
    const logs = sup.status().members.map((m) => `--- member ${m.id} ---\n${m.lastLogLines.slice(-15).join('\n')}`);
    throw new Error(`${(e as Error).message}\n${logs.join('\n')}`, { cause: e });
  }
}

const roleOf = (s: LabStatus, id: MemberId) => s.members.find((m) => m.id === id)!.role;
const portOf = (s: LabStatus, id: MemberId) => s.members.find((m) => m.id === id)!.proxyClientPort;

async function client(connectString: string, options: { sessionTimeout?: number; shuffleHosts?: boolean } = {}): Promise<ZkClient> {
  return ZkClient.connect({ connectString, sessionTimeout: options.sessionTimeout ?? 4000, shuffleHosts: options.shuffleHosts ?? true }, 15_000);
}

/** Polls `check` until it returns true (cluster tests wait for real processes, with a deadline). */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const flavour of FLAVOURS) {
  test(`[${flavour.name}] partition 2|3: the minority refuses writes, the majority leads and writes, heal converges`, async (t) => {
    const lab = await startLab(flavour, 5);
    if ('skip' in lab) return void t.skip(lab.skip);
    t.after(() => lab.cleanup());
    const { sup } = lab;
    const s0 = await waitForStatus(sup, (s) => s.quorum.canWrite && s.leader !== null, 60_000, 'a first leader');
    const leader = s0.leader!;
    const all = s0.members.map((m) => m.id);
    const minority = [leader, all.find((id) => id !== leader)!];
    const majority = all.filter((id) => !minority.includes(id));

    const everyone = await client(s0.lab.connectString);
    await everyone.create('/before', 'written before the partition');
    await everyone.close();

    sup.applyPreset('cli', { kind: 'groups', groups: [{ name: 'minority', members: minority }, { name: 'majority', members: majority }] });
    const s1 = await waitForStatus(
      sup,
      (s) => s.quorum.canWrite && s.leader !== null && majority.includes(s.leader) && minority.every((id) => roleOf(s, id) === 'looking'),
      60_000,
      'a majority leader with the minority looking',
    );
    assert.deepEqual(s1.quorum.workingMajority, majority);
    assert.deepEqual([...s1.quorum.stale].sort(), [...minority].sort());

    // The minority serves no writes: its members are looking and turn clients away.
    const minorityWrite = (async () => {
      const zk = await ZkClient.connect({ connectString: `127.0.0.1:${portOf(s1, minority[1]!)}`, sessionTimeout: 2000, newSessionTimeout: 3000 }, 4000);
      try {
        await zk.create('/minority-write', 'must not happen');
      } finally {
        await zk.close();
      }
    })();
    await assert.rejects(minorityWrite, 'a write on the minority side must fail');

    const onMajority = await client(majority.map((id) => `127.0.0.1:${portOf(s1, id)}`).join(','));
    await onMajority.create('/during', 'written by the majority');
    await onMajority.close();

    sup.heal('cli');
    const healed = await waitForStatus(
      sup,
      (s) =>
        s.quorum.canWrite &&
        s.members.every((m) => m.role === 'leader' || m.role === 'follower') &&
        new Set(s.members.map((m) => m.zxid)).size === 1,
      60_000,
      'every member back in the ensemble at one zxid',
    );
    if (healed.members.every((m) => m.digest !== null)) {
      assert.equal(new Set(healed.members.map((m) => m.digest)).size, 1, 'same tree digest everywhere');
    }
    for (const id of all) {
      const zk = await client(`127.0.0.1:${portOf(healed, id)}`);
      try {
        await zk.sync('/');
        assert.equal((await zk.getData('/during')).data?.toString(), 'written by the majority', `member ${id} has the majority's write`);
        assert.equal(await zk.exists('/minority-write'), null, `member ${id} never saw a minority write`);
      } finally {
        await zk.close();
      }
    }
  });

  test(`[${flavour.name}] leader paused past the session timeout: a session that can move survives, one that cannot expires`, async (t) => {
    // tickTime 500 allows sessions up to 10 s (20 ticks), longer than detecting the paused
    // leader (syncLimit = 2.5 s) plus an election, so a session that moves can survive.
    const lab = await startLab(flavour, 3, 500);
    if ('skip' in lab) return void t.skip(lab.skip);
    t.after(() => lab.cleanup());
    const { sup } = lab;
    // A settled ensemble: the leader serves and every member is up and serving clients, so A's
    // first connection (to the leader) is accepted rather than moved on to the next host.
    const s0 = await waitForStatus(
      sup,
      (s) => s.quorum.canWrite && s.leader !== null && s.members.every((m) => m.state === 'running' && m.role !== 'looking' && m.serving !== false),
      60_000,
      'a first leader with every member serving',
    );
    const leader = s0.leader!;
    const others = s0.members.map((m) => m.id).filter((id) => id !== leader);
    const sessionTimeout = 8000;

    // A lists the leader first (no shuffling) but may move; B knows only the leader.
    const a = await client([leader, ...others].map((id) => `127.0.0.1:${portOf(s0, id)}`).join(','), { sessionTimeout, shuffleHosts: false });
    const b = await client(`127.0.0.1:${portOf(s0, leader)}`, { sessionTimeout });
    t.after(async () => {
      await a.close().catch(() => {});
      await b.close().catch(() => {});
    });
    assert.equal(a.connectedServer?.port, portOf(s0, leader), 'A starts on the leader');
    await a.create('/eph-a', 'a', { mode: CreateMode.EPHEMERAL });
    await b.create('/eph-b', 'b', { mode: CreateMode.EPHEMERAL });
    const sessionA = a.sessionId;

    const pausedAt = Date.now();
    await sup.memberAction('cli', leader, 'pause');
    await waitForStatus(sup, (s) => s.leader !== null && s.leader !== leader && s.quorum.canWrite, 60_000, 'a new leader among the others');

    // B's session cannot reach any live member: the new leader expires it after its timeout.
    await eventually(async () => (await a.exists('/eph-b')) === null, "B's ephemeral disappearing", 60_000);
    const expiredAfter = Date.now() - pausedAt;
    assert.ok(expiredAfter >= sessionTimeout, `B expired ${expiredAfter} ms after the pause, not before its ${sessionTimeout} ms timeout`);
    assert.equal(a.sessionId, sessionA, 'A kept its session');
    assert.ok(a.isConnected && others.includes(sup.status().members.find((m) => m.proxyClientPort === a.connectedServer?.port)!.id), 'A moved to another member');
    assert.notEqual(await a.exists('/eph-a'), null, "A's ephemeral survived");

    await sup.memberAction('cli', leader, 'resume');
    await eventually(async () => b.state === 'expired', 'B learning that its session expired', 60_000);
    await waitForStatus(sup, (s) => roleOf(s, leader) === 'follower', 60_000, 'the old leader rejoining as a follower');
  });
}
