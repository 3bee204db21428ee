/** Saved values, templates and comparisons (zxids as bigint, hex and numbers compare alike). */
import test from 'node:test';
import assert from 'node:assert/strict';
import { display, lookup, matches, resolveDeep } from '../../engine/src/scenarios/values.js';
import { resolveMember } from '../../engine/src/scenarios/lab-driver.js';
import type { LabStatus } from '../../engine/src/lab/api.js';

const vars = new Map<string, unknown>([
  ['a', { stat: { czxid: 0x100000002n, version: 3 }, name: 'task-0000000001', list: [4, 5] }],
  ['leader', 2],
]);

test('templates: a whole-string reference keeps its type, inside a string it prints (bigint as hex)', () => {
  assert.equal(resolveDeep('${a.stat.czxid}', vars), 0x100000002n);
  assert.equal(resolveDeep('zxid ${a.stat.czxid} v${a.stat.version}', vars), 'zxid 0x100000002 v3');
  assert.deepEqual(resolveDeep({ member: '${leader}', x: [{ var: 'a.list.1' }] }, vars), { member: 2, x: [5] });
  assert.throws(() => lookup(vars, 'b.c'), /no saved value named "b" \(saved so far: a, leader\)/);
  assert.throws(() => lookup(vars, 'a.stat.nope'), /a\.stat has no field "nope"/);
  assert.equal(display(-1n), '0xffffffffffffffff');
});

test('matchers: equality and comparisons across number, bigint and hex', () => {
  assert.equal(matches(0x100000002n, '0x100000002').ok, true);
  assert.equal(matches(4294967298, 0x100000002n).ok, true);
  assert.equal(matches(3, { gt: 2, le: 3 }).ok, true);
  const r = matches(3, { gt: 3 });
  assert.equal(r.ok, false);
  assert.equal(r.expected, '> 3');
  assert.equal(matches('DIFF', { oneOf: ['TRUNC', 'DIFF'] }).ok, true);
  assert.equal(matches(['a', 'b'], { contains: 'b', length: 2 }).ok, true);
  assert.equal(matches(['a'], { length: { ge: 2 } }).ok, false);
  assert.equal(matches(null, null).ok, true);
  assert.equal(matches('x', { gt: 1 }).ok, false, 'incomparable values never satisfy an order');
});

test('member selectors resolve against a status', () => {
  const status = {
    leader: 3,
    members: [
      { id: 1, role: 'follower', state: 'running' },
      { id: 2, role: 'down', state: 'killed' },
      { id: 3, role: 'leader', state: 'running' },
      { id: 4, role: 'follower', state: 'running' },
    ],
  } as unknown as LabStatus;
  assert.equal(resolveMember(status, 'leader'), 3);
  assert.equal(resolveMember(status, 'follower'), 1);
  assert.equal(resolveMember(status, 'follower:2'), 4);
  assert.equal(resolveMember(status, 2), 2);
  assert.throws(() => resolveMember(status, 'follower:3'), /no follower number 3 \(followers are 1, 4\)/);
  assert.throws(() => resolveMember(status, 9), /there is no member 9/);
  assert.throws(() => resolveMember({ ...status, leader: null }, 'leader'), /no leader right now/);
});
