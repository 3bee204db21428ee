/**
 * The renderer's side of the lab's newer commands, against the FakeLab: terminal flow
 * control (acknowledgements every 5,000 written characters, none before the terminal wrote
 * them), the whole-tree search, the node kind from the lab's `mode`, and edit conflicts
 * recognised by the `zk:BadVersion` code alone.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { LabCommandError } from '../../renderer/src/lab-client/errors.js';
import { isBadVersion } from '../../renderer/src/stores/node.js';
import { useNodeStore } from '../../renderer/src/stores/node.js';
import { useTerminalsStore } from '../../renderer/src/stores/terminals.js';
import { useTreeStore } from '../../renderer/src/stores/tree.js';
import { nodeKind, ttlRemaining } from '../../renderer/src/lib/node-type.js';
import { textToBase64 } from '../../renderer/src/lib/bytes.js';
import { settle, setup } from './helpers/fake-setup.js';

test('terminals are opened with flow control and acknowledge what the terminal wrote, 5,000 characters at a time', async () => {
  const { lab } = await setup({ members: 3 });
  const terminals = useTerminalsStore();
  const shell = await terminals.open(1);
  assert.deepEqual(lab.calls.find((c) => c.name === 'shell.open')?.arg, { member: 1, cols: 100, rows: 24, flowControl: true });
  const acks = () => lab.calls.filter((c) => c.name === 'shell.ack').map((c) => (c.arg as { chars: number }).chars);

  // The shell's banner (under 5,000 characters) waits in the backlog until a view attaches.
  await settle();
  const pendingWrites: (() => void)[] = [];
  const before = acks().length;
  const banner: string[] = [];
  terminals.attach(shell.shellId, (data, written) => void (pendingWrites.length === 0 && banner.length === 0 ? banner.push(data) : pendingWrites.push(written)));
  const bannerChars = banner.join('').length;
  assert.ok(bannerChars > 0 && bannerChars < 5000, `the banner was replayed (${bannerChars} characters)`);
  terminals.deliver(shell.shellId, 'x'.repeat(3000));
  terminals.deliver(shell.shellId, 'y'.repeat(3000));
  await settle();
  assert.equal(acks().length, before, 'nothing is acknowledged before the terminal has written it');
  pendingWrites.shift()!();
  await settle();
  assert.equal(acks().length, before, 'the banner and 3,000 written: below the batch');
  pendingWrites.shift()!();
  await settle();
  assert.deepEqual(acks().slice(before), [bannerChars + 6000], 'one acknowledgement once 5,000 or more were written');

  // A tab without a view keeps output in its backlog; that counts as written at once.
  const hidden = await terminals.open(2);
  await settle();
  const n = acks().length;
  terminals.deliver(hidden.shellId, 'z'.repeat(12_000));
  await settle();
  assert.equal(acks().length, n + 1);
  assert.ok(acks().at(-1)! >= 12_000, 'everything kept so far is acknowledged at once');
});

test('the search box searches the whole tree through the lab, by substring or glob, in pages', async () => {
  const { lab } = await setup({ members: 3 });
  const tree = useTreeStore();
  const mirrorId = tree.mirror!.mirrorId;
  for (const p of ['/app', '/app/locks', '/app/locks/lock-0000000001', '/app/locks/lock-0000000002', '/other']) await lab.invoke('tree.create', { mirrorId, path: p });
  const byText = await tree.search('LOCK');
  assert.deepEqual(byText.paths, ['/app/locks', '/app/locks/lock-0000000001', '/app/locks/lock-0000000002']);
  assert.equal(byText.total, 3);
  assert.deepEqual((await tree.search('lock-*', 1, 1)).paths, ['/app/locks/lock-0000000002']);
  await assert.rejects(tree.search('  '), (e: unknown) => e instanceof LabCommandError && e.code === 'bad-request');
});

test('the node panel takes TTL and container kinds from the lab’s mode; a conflict is zk:BadVersion', async () => {
  const { lab, sched } = await setup({ members: 3 });
  const mirrorId = useTreeStore().mirror!.mirrorId;
  await lab.invoke('tree.create', { mirrorId, path: '/t', mode: 'persistent-ttl', ttlMs: 9000 });
  await lab.invoke('tree.create', { mirrorId, path: '/q-', mode: 'persistent-sequential' });
  const node = useNodeStore();
  await node.load('/t');
  assert.equal(node.details?.stat.ephemeralOwner, '0x0');
  assert.deepEqual([node.details?.mode, node.details?.ttlMs], ['ttl', 9000]);
  const kind = nodeKind(node.details!);
  assert.equal(kind.ttlMs, 9000);
  assert.equal(ttlRemaining(kind, node.details!.stat.mtime, 0, node.details!.stat.mtime + 1000), 8000, 'the countdown: mtime + ttl − now');
  await node.load('/q-0000000001');
  assert.equal(node.details?.mode, 'persistent');
  assert.equal(nodeKind(node.details!).sequential, true, 'sequential comes from the name');

  assert.equal(isBadVersion(new LabCommandError('zk:BadVersion', 'KeeperErrorCode = BadVersion for /cfg', 'tree.set')), true);
  assert.equal(isBadVersion(new LabCommandError('failed', 'a message that mentions BadVersion', 'tree.set')), false, 'the code decides, not the wording');
  await lab.invoke('tree.create', { mirrorId, path: '/cfg', dataBase64: textToBase64('v0') });
  lab.treeForTests.setData('/cfg', new TextEncoder().encode('theirs'), -1, 99n, sched.now());
  assert.equal(await node.save('/cfg', textToBase64('mine'), 0, 'mine'), 'conflict');
});
