/**
 * Terminal flow control (engine/src/lab/shell-flow-control.ts): pause above the high-water
 * mark of unacknowledged output, resume below the low-water mark, and a paused shell's
 * ZooKeeper requests wait until then.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { gatedClientFactory, ShellFlowControl } from '../../engine/src/lab/shell-flow-control.js';
import { SHELL_FLOW_CONTROL } from '../../engine/src/lab/api.js';
import type { ClientFactory, ShellClient } from '../../engine/src/shell/command.js';

test('pauses above the high-water mark and resumes only below the low-water mark', () => {
  const changes: boolean[] = [];
  const flow = new ShellFlowControl({ highWaterChars: 100, lowWaterChars: 10 }, (p) => changes.push(p));
  flow.sent(60);
  flow.sent(40);
  assert.equal(flow.isPaused, false, 'exactly at the mark is not above it');
  flow.sent(1);
  assert.equal(flow.isPaused, true);
  flow.sent(500);
  assert.deepEqual(changes, [true], 'one pause, however much more arrives');
  flow.ack(591);
  assert.equal(flow.pending, 10);
  assert.equal(flow.isPaused, true, 'at the low-water mark is not below it');
  flow.ack(1);
  assert.equal(flow.isPaused, false);
  assert.deepEqual(changes, [true, false]);
  flow.ack(1000);
  assert.equal(flow.pending, 0, 'acknowledging more than was sent only empties the count');
});

test("VS Code's figures: 100 000 / 5 000, acks every 5 000", () => {
  assert.deepEqual(SHELL_FLOW_CONTROL, { highWaterChars: 100_000, lowWaterChars: 5_000, ackEveryChars: 5_000 });
});

test('a paused shell’s requests wait for the resume; sync members and close never wait', async () => {
  const flow = new ShellFlowControl({ highWaterChars: 10, lowWaterChars: 5 });
  const calls: string[] = [];
  const fake = {
    state: 'connected',
    sessionId: 7n,
    getChildren: async (path: string) => (calls.push(`ls ${path}`), { children: ['a'], stat: {} }),
    addAuth: () => void calls.push('addAuth'),
    close: async () => void calls.push('close'),
  } as unknown as ShellClient;
  const factory: ClientFactory = () => fake;
  const client = gatedClientFactory(factory, () => flow.gate())('127.0.0.1:1', { sessionTimeout: 1000, canBeReadOnly: false }, { event() {}, state() {} });

  assert.deepEqual((await client.getChildren('/', false)).children, ['a']);
  flow.sent(11);
  let done = false;
  const waiting = client.getChildren('/x', false).then(() => (done = true));
  client.addAuth('digest', null);
  await client.close();
  assert.equal(client.sessionId, 7n);
  for (let i = 0; i < 5; i++) await Promise.resolve();
  assert.equal(done, false, 'the request waits while paused');
  assert.deepEqual(calls, ['ls /', 'addAuth', 'close']);
  flow.ack(11);
  await waiting;
  assert.deepEqual(calls, ['ls /', 'addAuth', 'close', 'ls /x']);
});

test('release lets every waiting request go and never pauses again (the shell is closing)', async () => {
  const flow = new ShellFlowControl({ highWaterChars: 1, lowWaterChars: 0 });
  flow.sent(5);
  const waiting = flow.gate();
  flow.release();
  await waiting;
  flow.sent(1000);
  assert.equal(flow.isPaused, false);
});
