/**
 * The instructor bug switches (docs/teaching.md "Bug switches") really break what they
 * promise: each scripted run is played twice on the simulator, once with the real protocol
 * (the checkers stay silent and the data survives) and once with the switch on (the
 * checkers catch the violation the challenge is about). The seeded runs (vopr-*.test.ts)
 * never turn a switch on.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { OpCode } from '../../engine/src/jute/opcodes.js';
import type { BugSwitchName } from '../../engine/src/lab/api.js';
import type { ApplyItem } from '../../engine/src/quorum/ready.js';
import type { HistoryOp } from './history.js';
import { checkSequentialReads } from './linearizability.js';
import { committedWrites, swarm } from './simulation.js';
import type { SimMember } from './sim-member.js';
import { create, createSession, leaders, run, scriptedSim, sessionId, setData, startAll, until, untilLeader, valueAt } from './scripted.js';

function others(all: readonly SimMember[], sid: number): SimMember[] {
  return all.filter((m) => m.sid !== sid);
}

/** Five members; the leader dies and the rest split 2 | 2; each pair's leader (if any) takes a write. */
async function splitBrain(bugs: BugSwitchName[]) {
  const sim = scriptedSim({ voters: 5, bugs });
  startAll(sim);
  const leader = await untilLeader(sim);
  const [a, b, c, d] = others(sim.members, leader).map((m) => m.sid);
  sim.member(leader).crash();
  sim.network.dropFor(leader);
  sim.network.partition([[a!, b!], [c!, d!], [leader]]);
  await run(sim, 300);
  const split = leaders(sim).map((m) => m.sid);
  split.forEach((sid, i) => sim.member(sid).core!.submit(create(0n, i + 1, `/side${sid}`, `written on ${sid}'s side`)));
  await run(sim, 50);
  return { sim, split };
}

test('smallQuorum off: a 2 | 2 split of five elects nobody and breaks nothing', async () => {
  const { sim, split } = await splitBrain([]);
  assert.deepEqual(split, [], 'no pair of 5 is a quorum');
  assert.deepEqual(sim.ghost.failures, []);
});

test('smallQuorum on: both pairs of a 2 | 2 split establish the same epoch and commit different txns at one zxid', async () => {
  const { sim, split } = await splitBrain(['smallQuorum']);
  assert.equal(split.length, 2, `two established leaders, got [${split.join(',')}]`);
  const epochs = split.map((sid) => sim.member(sid).core!.currentEpoch());
  assert.equal(epochs[0], epochs[1], 'the same epoch on both sides');
  const failures = sim.ghost.failures.join('\n');
  assert.match(failures, /both established leadership of epoch/, 'one leader per epoch (zab.md §8 invariant 1)');
  assert.match(failures, /a different txn under zxid/, 'one value per zxid (invariant 2)');
  assert.match(failures, /durable only on \[\d(,\d)?\] of 5 voters/, 'committed without a majority');
});

/**
 * Three members with a slow disk (every batch takes 4 ticks): a write is acknowledged (the
 * leader applied it, which is when the server answers its client), then every member is
 * killed with nothing pending on disk surviving, and the ensemble recovers.
 */
async function crashRightAfterAck(bugs: BugSwitchName[]) {
  const sim = scriptedSim({ voters: 3, bugs, diskLatency: 4 });
  startAll(sim);
  const leader = sim.member(await untilLeader(sim));
  const session = sessionId(1);
  leader.core!.submit(createSession(session));
  await until(sim, 'the session', () => leader.db.session(session) !== undefined);
  await run(sim, 10); // everything so far is on every disk
  leader.core!.submit(create(session, 1, '/acked', 'v'));
  await until(sim, 'the acknowledgement', () => valueAt(leader, '/acked') === 'v');
  const durableAtAck = sim.members.filter((m) => m.store.log.read(0n).some((e) => e.txn.op === OpCode.create && e.txn.path === '/acked')).map((m) => m.sid);
  for (const m of sim.members) {
    m.crash(0);
    sim.network.dropFor(m.sid);
  }
  startAll(sim);
  await untilLeader(sim);
  await run(sim, 20);
  return { sim, durableAtAck, survivors: sim.members.filter((m) => valueAt(m, '/acked') === 'v').map((m) => m.sid) };
}

test('ackBeforeFsync off: an acknowledged write is on a majority of disks and survives killing everyone', async () => {
  const { sim, durableAtAck, survivors } = await crashRightAfterAck([]);
  assert.ok(durableAtAck.length >= 2, `durable on [${durableAtAck.join(',')}] when acknowledged`);
  assert.deepEqual(survivors, [1, 2, 3]);
  assert.deepEqual(sim.ghost.failures, []);
});

test('ackBeforeFsync on: a write acknowledged before any disk has it is lost when everyone is killed', async () => {
  const { sim, durableAtAck, survivors } = await crashRightAfterAck(['ackBeforeFsync']);
  assert.deepEqual(durableAtAck, [], 'acknowledged while on no disk at all');
  assert.deepEqual(survivors, [], 'the acknowledged write is gone everywhere');
  const failures = sim.ghost.failures.join('\n');
  assert.match(failures, /ACKed \d+:\d+ before it was durable/, 'ACK only for durable txns (invariant 10)');
  assert.match(failures, /durable only on \[\] of 3 voters/, 'delivered without a durable quorum');
  assert.match(failures, /leader \d of epoch \d+ lacks committed/, 'the next leader misses a committed txn (primary integrity)');
});

/**
 * Three members; a client writes /k0 = 1 and then /k0 = 2 through follower A while
 * follower B is cut off; once B has lost its leader, the client moves its session to B and
 * reads /k0 there. The history goes to the simulator's read checker.
 */
async function readAfterMove(bugs: BugSwitchName[]) {
  const sim = scriptedSim({ voters: 3, bugs });
  const items: { sid: number; item: ApplyItem }[] = [];
  const observe = sim.item.bind(sim);
  sim.item = (m, item) => {
    items.push({ sid: m.sid, item });
    observe(m, item);
  };
  startAll(sim);
  const leader = await untilLeader(sim);
  const [a, b] = others(sim.members, leader);
  const session = sessionId(7);
  const history: HistoryOp[] = [];
  let clock = 0;
  a!.core!.submit(createSession(session));
  await until(sim, 'the session on every member', () => sim.members.every((m) => m.db.session(session) !== undefined));
  /** A write through A, recorded once A applied it (when A's server would answer). */
  const write = async (op: HistoryOp['op'], submit: () => void, value: string) => {
    const call = ++clock;
    submit();
    await until(sim, `${op.kind} ${op.key}`, () => valueAt(a!, op.key) === value);
    history.push({ client: 0, op, call, ret: ++clock, result: { err: 0 }, zxid: a!.db.lastZxid });
  };
  await write({ kind: 'create', key: '/k0', value: '1' }, () => a!.core!.submit(create(session, 1, '/k0', '1')), '1');
  await until(sim, 'B has /k0', () => valueAt(b!, '/k0') === '1');
  sim.network.partition([[b!.sid], [leader, a!.sid]]);
  await write({ kind: 'set', key: '/k0', value: '2' }, () => a!.core!.submit(setData(session, 2, '/k0', '2')), '2');
  await until(sim, 'B loses its leader', () => b!.core!.currentRole === 'looking');
  await run(sim, 5);
  const moved = b!.core!.revalidate(session, 30_000);
  await run(sim, 2);
  const valid = items.find((x) => x.sid === b!.sid && x.item.kind === 'revalidated' && x.item.sessionId === session);
  let read: HistoryOp | null = null;
  if (moved && valid?.item.kind === 'revalidated' && valid.item.valid && b!.serving === 'rw') {
    const got = b!.db.tree.getData('/k0')!;
    read = { client: 0, op: { kind: 'read', key: '/k0' }, call: ++clock, ret: ++clock, result: { err: 0, value: got.data!.toString(), version: got.stat.version }, zxid: b!.db.lastZxid };
    history.push(read);
  }
  return { sim, b: b!, moved, read, verdict: checkSequentialReads(history, committedWrites(sim.ghost.committed)) };
}

test('staleReads off: a member cut off from its leader stops serving, so the session cannot move there', async () => {
  const { sim, b, moved, read, verdict } = await readAfterMove([]);
  assert.equal(b.serving, 'none');
  assert.equal(moved, false, 'the session is not revalidated on a member without a leader');
  assert.equal(read, null);
  assert.equal(verdict, null);
  assert.deepEqual(sim.ghost.failures, []);
});

test('staleReads on: the cut-off member keeps serving and the moved session reads its own past', async () => {
  const { b, moved, read, verdict } = await readAfterMove(['staleReads']);
  assert.equal(b.core!.currentRole, 'looking');
  assert.equal(b.serving, 'rw', 'still serving without a leader');
  assert.equal(moved, true);
  assert.equal(read?.result?.value, '1', 'the old value, after the client saw its own write of 2');
  assert.match(verdict ?? '', /client 0(: read of \/k0| saw zxid)/, 'the read checker flags it');
});

test('the seeded simulator runs never switch a bug on', () => {
  for (let seed = 1; seed <= 50; seed++) assert.deepEqual(swarm(seed).bugs, []);
});
