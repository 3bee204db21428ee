import test from 'node:test';
import assert from 'node:assert/strict';
import { computeQuorumHealth, type HealthMember } from '../../engine/src/lab/quorum-health.js';
import { planPreset, parseGroupsSpec, PresetError } from '../../engine/src/lab/partition-presets.js';
import type { MemberId } from '../../engine/src/lab/api.js';

function ensemble(n: number, leader: MemberId, overrides: Partial<Record<MemberId, Partial<HealthMember>>> = {}): HealthMember[] {
  return Array.from({ length: n }, (_, i) => {
    const id = i + 1;
    return {
      id,
      kind: 'participant' as const,
      state: 'running' as const,
      role: id === leader ? ('leader' as const) : ('follower' as const),
      leaderId: leader,
      committedZxid: 0x100000005n,
      ...overrides[id],
    };
  });
}
const noCuts = () => false;
function cutsFrom(pairs: [MemberId, MemberId][]) {
  const set = new Set(pairs.map(([a, b]) => `${a}>${b}`));
  return (a: MemberId, b: MemberId) => set.has(`${a}>${b}`);
}

test('a healthy 5-member ensemble can write, with everyone in the working majority', () => {
  const h = computeQuorumHealth({ members: ensemble(5, 3), isCut: noCuts });
  assert.equal(h.size, 3);
  assert.equal(h.voters, 5);
  assert.equal(h.canWrite, true);
  assert.equal(h.leader, 3);
  assert.deepEqual(h.workingMajority, [1, 2, 3, 4, 5]);
  assert.equal(h.reachable, 5);
  assert.deepEqual(h.stale, []);
  assert.match(h.explanation.join(' '), /member 3 leads with members 1, 2, 4, 5 following/);
});

test('partition 2|3: the leader on the minority side cannot write; the majority has no leader yet', () => {
  const plan = planPreset({ kind: 'groups', groups: parseGroupsSpec('1,2|3,4,5') }, { members: [1, 2, 3, 4, 5], voters: [1, 2, 3, 4, 5], leader: 1 });
  const members = ensemble(5, 1, { 3: { role: 'looking', leaderId: null }, 4: { role: 'looking', leaderId: null }, 5: { role: 'looking', leaderId: null } });
  const h = computeQuorumHealth({ members, isCut: cutsFrom(plan.cut) });
  assert.equal(h.canWrite, false);
  assert.equal(h.leader, null);
  assert.deepEqual(h.workingMajority, [3, 4, 5], 'the majority side can elect');
  assert.match(h.explanation.join(' '), /member 1 leads but only 2 of 3 needed votes follow it/);
  assert.match(h.explanation.join(' '), /an election can form a quorum/);
});

test('after the majority elects, members on the minority side are stale', () => {
  const plan = planPreset({ kind: 'groups', groups: parseGroupsSpec('1,2|3,4,5') }, { members: [1, 2, 3, 4, 5], voters: [1, 2, 3, 4, 5], leader: 1 });
  const members = ensemble(5, 5, { 1: { role: 'looking', leaderId: null }, 2: { role: 'looking', leaderId: null } });
  const h = computeQuorumHealth({ members, isCut: cutsFrom(plan.cut) });
  assert.equal(h.canWrite, true);
  assert.equal(h.leader, 5);
  assert.deepEqual(h.workingMajority, [3, 4, 5]);
  assert.deepEqual(h.stale, [1, 2]);
  assert.match(h.explanation.join(' '), /member 1 is cut off from leader 5/);
});

test('paused and killed members do not count; too few left means no writes', () => {
  const members = ensemble(3, 1, { 2: { state: 'paused' }, 3: { state: 'killed', role: 'down', leaderId: null } });
  const h = computeQuorumHealth({ members, isCut: noCuts });
  assert.equal(h.canWrite, false);
  assert.deepEqual(h.stale, [2, 3]);
  assert.match(h.explanation.join(' '), /member 2 is paused/);
  assert.match(h.explanation.join(' '), /no 2 running voters are connected to one candidate/);
});

test('a one-way cut breaks a follower off its leader (ZAB needs both directions)', () => {
  const h = computeQuorumHealth({ members: ensemble(3, 1), isCut: cutsFrom([[2, 1]]) });
  assert.equal(h.canWrite, true);
  assert.deepEqual(h.workingMajority, [1, 3]);
  assert.deepEqual(h.stale, [2]);
});

test('observers never count towards the majority', () => {
  const members = [...ensemble(3, 1, { 2: { state: 'killed' }, 3: { state: 'killed' } }), { id: 4, kind: 'observer' as const, state: 'running' as const, role: 'observer' as const, leaderId: 1, committedZxid: 1n }];
  const h = computeQuorumHealth({ members, isCut: noCuts });
  assert.equal(h.voters, 3);
  assert.equal(h.canWrite, false);
});

test('a standalone member writes alone, and not at all when down', () => {
  const one: HealthMember = { id: 1, kind: 'participant', state: 'running', role: 'standalone', leaderId: null, committedZxid: 3n };
  assert.equal(computeQuorumHealth({ members: [one], isCut: noCuts }).canWrite, true);
  const down = computeQuorumHealth({ members: [{ ...one, state: 'crashed', role: 'down' }], isCut: noCuts });
  assert.equal(down.canWrite, false);
  assert.deepEqual(down.stale, [1]);
});

test('a lagging follower inside the majority is explained as catching up, not stale', () => {
  const h = computeQuorumHealth({ members: ensemble(3, 1, { 3: { committedZxid: 0x100000002n } }), isCut: noCuts });
  assert.deepEqual(h.stale, []);
  assert.match(h.explanation.join(' '), /member 3 is catching up \(at 0x100000002, behind the leader's 0x100000005\)/);
});

const ctx5 = { members: [1, 2, 3, 4, 5], voters: [1, 2, 3, 4, 5], leader: 2 };

test('isolate cuts every link of one member both ways and nothing else', () => {
  const plan = planPreset({ kind: 'isolate', member: 4 }, ctx5);
  assert.equal(plan.cut.length, 8);
  assert.ok(plan.cut.every(([a, b]) => a === 4 || b === 4));
});

test('majority-minority puts the leader where asked', () => {
  const toMinority = planPreset({ kind: 'majority-minority', leaderSide: 'minority' }, ctx5);
  assert.ok(toMinority.groups.find((g) => g.name === 'minority')!.members.includes(2));
  assert.equal(toMinority.groups.find((g) => g.name === 'minority')!.members.length, 2);
  const toMajority = planPreset({ kind: 'majority-minority', leaderSide: 'majority' }, ctx5);
  assert.ok(toMajority.groups.find((g) => g.name === 'majority')!.members.includes(2));
  assert.equal(toMajority.cut.length, 2 * 3 * 2);
});

test('bridge: only the middle member sees both halves', () => {
  const plan = planPreset({ kind: 'bridge' }, ctx5);
  const cut = new Set(plan.cut.map(([a, b]) => `${a}>${b}`));
  assert.ok(!cut.has('3>1') && !cut.has('3>5') && !cut.has('1>3'));
  assert.ok(cut.has('1>4') && cut.has('5>2'));
});

test('majorities ring: every member sees a majority, no two the same one', () => {
  for (const n of [5, 7, 9]) {
    const members = Array.from({ length: n }, (_, i) => i + 1);
    const plan = planPreset({ kind: 'ring' }, { members, voters: members, leader: null });
    const cut = new Set(plan.cut.map(([a, b]) => `${a}>${b}`));
    const seen = members.map((m) => members.filter((o) => o === m || !cut.has(`${m}>${o}`)).join(','));
    for (const s of seen) assert.ok(s.split(',').length >= Math.floor(n / 2) + 1, `n=${n}: ${s}`);
    assert.equal(new Set(seen).size, n, `n=${n}: views are distinct`);
    for (const [a, b] of plan.cut) assert.ok(cut.has(`${b}>${a}`), 'symmetric');
  }
});

test('bad presets are refused with a reason', () => {
  assert.throws(() => planPreset({ kind: 'isolate', member: 9 }, ctx5), /there is no member 9/);
  assert.throws(() => planPreset({ kind: 'isolate-leader' }, { ...ctx5, leader: null }), PresetError);
  assert.throws(() => planPreset({ kind: 'groups', groups: [{ name: 'a', members: [1, 2] }, { name: 'b', members: [2, 3] }] }, ctx5), /member 2 is in more than one group/);
  assert.throws(() => parseGroupsSpec('1,2,3'), /at least two groups/);
  assert.throws(() => parseGroupsSpec('1,x|2'), /"x" is not a member id/);
});
