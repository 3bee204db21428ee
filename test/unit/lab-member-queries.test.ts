/**
 * How the lab routes its member requests (engine/src/lab/member-queries.ts) and where a
 * single-lab supervisor puts an imported lab (lab-service.ts besideDir), against a fake
 * lab whose members answer from a script.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { LabStatus, MemberRole, MemberStatus, ProcessState } from '../../engine/src/lab/api.js';
import type { MemberReply, MemberRequest } from '../../engine/src/lab/member-process.js';
import { chooseReader, expireSession, readNodeMode, searchTree, sessionAuthority, sessionTimeLeft, type AskableLab } from '../../engine/src/lab/member-queries.js';
import { besideDir } from '../../engine/src/lab/lab-service.js';

function member(id: number, role: MemberRole, state: ProcessState = 'running'): MemberStatus {
  return { id, role, state } as MemberStatus;
}

function fakeLab(members: MemberStatus[], leader: number | null, answer: (id: number, r: MemberRequest) => MemberReply, askable = (id: number) => members.find((m) => m.id === id)?.state === 'running'): AskableLab & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    status: () => ({ members, leader, quorum: { explanation: ['members 2 and 3 are down.'] } }) as unknown as LabStatus,
    canAsk: askable,
    askMember: async (id, r) => {
      asked.push(`${id}:${r.type}`);
      return answer(id, r);
    },
  };
}

const ok = (value: unknown = null): MemberReply => ({ ok: true, message: '', value });

test('sessions are expired by the leader, or by the member of a standalone lab; never without one', async () => {
  const ensemble = fakeLab([member(1, 'follower'), member(2, 'leader'), member(3, 'follower')], 2, () => ok());
  const r = await expireSession(ensemble, '0x10000ABC');
  assert.deepEqual(ensemble.asked, ['2:expire-session']);
  assert.equal(r.member, 2);
  assert.match(r.message, /expired session 0x10000abc on member 2 \(the leader\)/);

  const standalone = fakeLab([member(1, 'standalone')], null, () => ok());
  assert.equal(sessionAuthority(standalone.status()), 1);
  assert.match((await expireSession(standalone, '0x1')).message, /the standalone member/);

  const leaderless = fakeLab([member(1, 'looking'), member(2, 'down', 'killed'), member(3, 'down', 'killed')], null, () => ok());
  await assert.rejects(expireSession(leaderless, '0x1'), (e: Error & { code?: string }) => e.code === 'no-leader' && /only the leader expires sessions/.test(e.message) && /members 2 and 3 are down/.test(e.message));
  assert.deepEqual(leaderless.asked, [], 'nothing was asked');

  const unknown = fakeLab([member(1, 'standalone')], null, () => ({ ok: false, message: 'not live', value: null }));
  await assert.rejects(expireSession(unknown, '0x2'), (e: Error & { code?: string }) => e.code === 'no-such-session');
  await assert.rejects(expireSession(unknown, 'abc'), (e: Error & { code?: string }) => e.code === 'bad-request');
});

test('reads go to the member asked for when it can answer, else the leader, else the lowest running member', () => {
  const members = [member(1, 'follower'), member(2, 'leader'), member(3, 'follower', 'paused')];
  const lab = fakeLab(members, 2, () => ok(), (id) => id !== 3);
  assert.equal(chooseReader(lab, 1), 1);
  assert.equal(chooseReader(lab, 3), 2, 'a paused member answers nothing: the leader instead');
  assert.equal(chooseReader(lab, null), 2);
  const noLeader = fakeLab([member(1, 'looking', 'killed'), member(2, 'looking'), member(3, 'looking')], null, () => ok(), (id) => id !== 1);
  assert.equal(chooseReader(noLeader, null), 2);
  assert.equal(chooseReader(fakeLab([member(1, 'down', 'killed')], null, () => ok()), null), null);
});

test('a node mode counts only for the same incarnation of the path, and only when well formed', async () => {
  const reply = (value: unknown) => fakeLab([member(1, 'standalone')], null, () => ok(value));
  assert.deepEqual(await readNodeMode(reply({ path: '/t', mode: 'ttl', ttlMs: 5000, czxid: '0x5' }), '/t', '0x5', null), { mode: 'ttl', ttlMs: 5000 });
  assert.deepEqual(await readNodeMode(reply({ path: '/c', mode: 'container', czxid: '0x6' }), '/c', '0x6', null), { mode: 'container' });
  assert.equal(await readNodeMode(reply({ path: '/t', mode: 'ttl', ttlMs: 5000, czxid: '0x4' }), '/t', '0x5', null), null, 'another incarnation of /t');
  assert.equal(await readNodeMode(reply({ path: '/t', mode: 'weird', czxid: '0x5' }), '/t', '0x5', null), null);
  assert.equal(await readNodeMode(reply(null), '/gone', '0x5', null), null);
  const failing = fakeLab([member(1, 'standalone')], null, () => {
    throw new Error('no answer');
  });
  assert.equal(await readNodeMode(failing, '/t', '0x5', null), null, 'the mode is extra: a failure leaves it out');
});

test('search pages come from one member; its refusals become bad-request', async () => {
  const lab = fakeLab([member(1, 'standalone')], null, (_id, r) =>
    r.type === 'search-paths' && r.query === 'bad' ? { ok: false, message: 'the search text is empty', value: null } : ok({ matches: ['/a', 7, '/b'], total: 9, visited: 20, complete: true }),
  );
  assert.deepEqual(await searchTree(lab, 'a', 0, 2, null), { query: 'a', paths: ['/a', '/b'], offset: 0, total: 9, complete: true, member: 1 });
  await assert.rejects(searchTree(lab, 'bad', 0, 2, null), (e: Error & { code?: string }) => e.code === 'bad-request');
  await assert.rejects(searchTree(lab, '  ', 0, 2, null), (e: Error & { code?: string }) => e.code === 'bad-request');
});

test('time left per session comes from the tracker; anything malformed is dropped', async () => {
  const lab = fakeLab([member(1, 'standalone')], null, () => ok({ sessions: [{ sessionId: '0xA', expiresInMs: 1200 }, { sessionId: 3 }, { sessionId: '0xb', expiresInMs: -5 }] }));
  assert.deepEqual([...(await sessionTimeLeft(lab, 1))], [['0xa', 1200], ['0xb', 0]]);
  assert.deepEqual([...(await sessionTimeLeft(lab, null))], []);
});

test('an imported lab goes in a new directory next to the current one', () => {
  const now = Date.UTC(2026, 10, 22, 8, 30, 0, 123);
  assert.equal(besideDir('/labs/demo', 'demo', undefined, now), '/labs/demo-imported-2026-11-22T08-30-00Z');
  assert.equal(besideDir('/labs/demo', 'demo', '/labs/restored', now), '/labs/restored');
  assert.throws(() => besideDir('/labs/demo', 'demo', '/tmp/elsewhere', now), /goes next to this one: choose a new directory in \/labs/);
  assert.throws(() => besideDir('/labs/demo', 'demo', '/labs/demo/inner', now), /goes next to this one/);
  assert.throws(() => besideDir('/', 'demo', '/etc', now), /already exists/);
});
