/**
 * Renderer stores and shared actions against the in-memory FakeLab on a manual clock:
 * what each user action asks of the lab, what it confirms first, and how the stores'
 * pictures follow the lab's events.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { useEnsembleStore } from '../../renderer/src/stores/ensemble.js';
import { useEventsStore } from '../../renderer/src/stores/events.js';
import { useLabStore } from '../../renderer/src/stores/lab.js';
import { useNetworkStore } from '../../renderer/src/stores/network.js';
import { useNodeStore } from '../../renderer/src/stores/node.js';
import { useNoticesStore } from '../../renderer/src/stores/notices.js';
import { useSessionsStore } from '../../renderer/src/stores/sessions.js';
import { useSnapshotsStore } from '../../renderer/src/stores/snapshots.js';
import { useTerminalsStore } from '../../renderer/src/stores/terminals.js';
import { useTimelineStore } from '../../renderer/src/stores/timeline.js';
import { useTreeStore } from '../../renderer/src/stores/tree.js';
import { useUiStore } from '../../renderer/src/stores/ui.js';
import { textToBase64 } from '../../renderer/src/lib/bytes.js';
import { createCommandTable } from '../../renderer/src/commands/command-table.js';
import { answerConfirm, recordingHost, settle, setup, t } from './helpers/fake-setup.js';

const calls = (lab: { calls: { name: string }[] }, name: string) => lab.calls.filter((c) => c.name === name).length;

test('startup reads the lab, its status, its events, and opens the tree on the root', async () => {
  const { lab } = await setup({ members: 3 });
  const ensemble = useEnsembleStore();
  assert.equal(useLabStore().hasLab, true);
  assert.deepEqual(ensemble.memberIds, [1, 2, 3]);
  assert.equal(ensemble.leader, 3, 'the highest id wins an election among equal zxids');
  assert.equal(ensemble.quorum?.canWrite, true);
  assert.ok(useEventsStore().ring.length > 10, 'the election is in the event ring');
  const tree = useTreeStore();
  assert.equal(tree.mirror?.state, 'connected');
  assert.equal(tree.model.isExpanded('/'), true);
  assert.equal(tree.model.rowAt(1)?.path, '/zookeeper');
  assert.equal(calls(lab, 'tree.expand'), 1);
});

test('kill leader asks first; cancelled, nothing happens; confirmed, a new leader is elected and writes go on', async () => {
  const { lab, sched, actions } = await setup({ members: 3 });
  const ensemble = useEnsembleStore();

  const cancelled = actions.killLeader();
  assert.equal(await answerConfirm(false), 'Kill the leader (member 3)?');
  assert.equal(await cancelled, false);
  assert.equal(calls(lab, 'member.kill'), 0);

  const killing = actions.killLeader();
  await answerConfirm(true);
  assert.equal(await killing, true);
  assert.equal(ensemble.members.find((m) => m.id === 3)?.state, 'killed');
  assert.equal(ensemble.leader, null, 'no leader until the election ends');
  assert.equal(useNoticesStore().notices.at(-1)?.kind, 'success');
  sched.advance(1000);
  assert.equal(ensemble.leader, 2);
  assert.equal(ensemble.quorum?.canWrite, true);
  const created = await actions.createNode('/', 'after-failover', 'still writable', 'persistent');
  assert.equal(created, '/after-failover');
});

test('kill majority takes writes away; heal all brings members and links back', async () => {
  const { lab, sched, actions } = await setup({ members: 5 });
  const ensemble = useEnsembleStore();
  assert.deepEqual(ensemble.majorityVictims, [5, 1, 2]);
  const p = actions.killMajority();
  assert.equal(await answerConfirm(true), 'Kill members 5, 1, 2?');
  await p;
  sched.advance(1000);
  assert.equal(ensemble.quorum?.canWrite, false);
  assert.equal(ensemble.leader, null);
  await actions.applyPreset('isolate-leader');
  assert.equal(await actions.healAll(), true);
  assert.equal(calls(lab, 'member.start'), 3);
  assert.equal(calls(lab, 'links.heal'), 1);
  sched.advance(1000);
  assert.equal(ensemble.quorum?.canWrite, true);
  assert.ok(ensemble.members.every((m) => m.state === 'running'));
});

test('a failed action says what failed with the lab’s own reason', async () => {
  const { actions } = await setup({ members: 3 });
  const ok = await actions.memberAction(1, 'resume');
  assert.equal(ok, false);
  const n = useNoticesStore().notices.at(-1)!;
  assert.equal(n.kind, 'error');
  assert.equal(t(n.title.key, n.title.params), 'Could not resume member 1');
  assert.equal(n.detail, 'member 1 is not paused');
  assert.equal(n.command, 'member.resume');
});

test('network: a one-way cut, a partition preset that leaves the leader outside the quorum, heal', async () => {
  const { sched, actions } = await setup({ members: 3 });
  const network = useNetworkStore();
  const ensemble = useEnsembleStore();
  await actions.toggleLink(1, 2, false);
  assert.equal(network.table.condition(1, 2), 'cut');
  assert.equal(network.table.condition(2, 1), 'up');
  assert.equal(network.table.pair(1, 2), 'one-way');
  await actions.toggleLink(1, 2, false);
  assert.equal(network.table.condition(1, 2), 'up', 'a second click heals');

  await actions.applyPreset('isolate-leader');
  sched.advance(1000);
  const old = 3;
  assert.ok(!ensemble.quorum!.workingMajority.includes(old), 'the isolated old leader is outside the working majority');
  assert.ok(ensemble.quorum!.stale.includes(old));
  assert.equal(ensemble.leader, 2);
  await actions.setLink(1, 'client', { delayMs: 150 }, true);
  assert.equal(network.table.condition(1, 'client'), 'slow');
  assert.equal(network.table.condition('client', 1), 'slow');
  await actions.healLinks();
  assert.equal(network.faulty, false);
});

test('tree: a 100,000-child node pages lazily; jump-to-path finds a child deep in it', async () => {
  const { lab } = await setup({ members: 1 }, { wide: 100_000 });
  const tree = useTreeStore();
  const wideRow = tree.model.rowOf('/wide')!;
  await tree.toggle('/wide', tree.model.rowAt(wideRow)!.index);
  assert.equal(tree.rowCount, 3 + 100_000, 'root, /wide and /zookeeper plus the children');
  const before = calls(lab, 'tree.children');
  // Rows 50,010–50,069 are children 50,008–50,067: all in the page at offset 50,000.
  await tree.setViewport(50_010, 50_070);
  assert.equal(calls(lab, 'tree.children') - before, 1, 'one page for sixty rows in the middle');
  assert.equal(tree.model.rowAt(50_030)?.summary?.name, 'item-050028');

  assert.equal(await tree.jumpTo('/wide/item-099998'), true);
  assert.equal(tree.selectedPath, '/wide/item-099998');
  assert.equal(tree.scrollRequest, tree.model.rowOf('/wide/item-099998'));
  assert.equal(tree.model.rowAt(tree.scrollRequest!)?.path, '/wide/item-099998');
  assert.equal(await tree.jumpTo('/wide/nope'), false);
  assert.equal(await tree.jumpTo('/nowhere/deep'), false);
});

test('tree: changes flash and refresh while live; wait while paused and apply on resume', async () => {
  const { actions } = await setup({ members: 3 });
  const tree = useTreeStore();
  await actions.createNode('/', 'live', '', 'persistent');
  assert.ok(tree.flashes.has('/live'), 'a created node flashes');
  assert.ok(tree.model.summaryOf('/live'), 'and appears in the listing');

  await actions.toggleLive();
  assert.equal(tree.live, false);
  await actions.createNode('/', 'later', '', 'persistent');
  assert.ok(tree.queued >= 1);
  assert.equal(tree.model.summaryOf('/later'), null, 'paused: not shown yet');
  await actions.toggleLive();
  assert.equal(tree.queued, 0);
  assert.ok(tree.model.summaryOf('/later'), 'resumed: shown');
});

test('a collapsed node’s child count, stale after writes below it, is refreshed when the node is read', async () => {
  const { lab, actions } = await setup({ members: 3 });
  const tree = useTreeStore();
  const mirrorId = tree.mirror!.mirrorId;
  await lab.invoke('tree.create', { mirrorId, path: '/parent' });
  await settle();
  assert.equal(tree.model.summaryOf('/parent')?.numChildren, 0);
  // /parent is collapsed: the lab does not watch its children, so no event updates its row.
  await lab.invoke('tree.create', { mirrorId, path: '/parent/kid' });
  await settle();
  assert.equal(tree.model.summaryOf('/parent')?.numChildren, 0);
  await actions.selectNode('/parent');
  assert.equal(tree.model.summaryOf('/parent')?.numChildren, 1);
});

test('node: read, edit with the version read, and a conflict dialog when someone wrote meanwhile', async () => {
  const { lab, sched } = await setup({ members: 3 });
  const node = useNodeStore();
  await lab.invoke('tree.create', { mirrorId: useTreeStore().mirror!.mirrorId, path: '/cfg', dataBase64: textToBase64('v0') });
  await node.load('/cfg');
  assert.equal(node.details?.dataUtf8, 'v0');
  assert.equal(node.details?.stat.version, 0);

  const saved = await node.save('/cfg', textToBase64('mine 1'), 0, 'mine 1');
  assert.notEqual(saved, 'conflict');
  assert.equal(node.details?.stat.version, 1);

  // Another client writes version 2 behind our back.
  lab.treeForTests.setData('/cfg', new TextEncoder().encode('theirs'), -1, 99n, sched.now());
  assert.equal(node.outdated, true, 'the selected node is marked outdated');
  const r = await node.save('/cfg', textToBase64('mine 2'), 1, 'mine 2');
  assert.equal(r, 'conflict');
  assert.equal(node.conflict?.theirs.dataUtf8, 'theirs');
  assert.equal(node.conflict?.theirs.stat.version, 2);
  assert.equal(node.conflict?.mine, 'mine 2');
});

test('delete: a preview lists the subtree deepest first; deleting the selected node selects its parent', async () => {
  const { lab, actions } = await setup({ members: 3 });
  const mirrorId = useTreeStore().mirror!.mirrorId;
  for (const p of ['/d', '/d/a', '/d/a/x', '/d/b']) await lab.invoke('tree.create', { mirrorId, path: p });
  await actions.selectNode('/d');
  const preview = await useNodeStore().previewDelete('/d');
  assert.deepEqual(preview.paths, ['/d/a/x', '/d/a', '/d/b', '/d']);
  assert.equal(await actions.deleteNode('/d', -1, true), true);
  assert.equal(useTreeStore().selectedPath, '/');
  assert.equal(lab.treeForTests.get('/d'), undefined);
});

test('keyboard commands reach the same actions: Delete opens the preview dialog, "/" focuses jump', async () => {
  const { actions } = await setup({ members: 3 });
  const commands = createCommandTable(actions, () => 0);
  await actions.createNode('/', 'k', '', 'persistent');
  await actions.selectNode('/k');
  await commands.get('tree.deleteNode')!();
  assert.deepEqual(useUiStore().dialog, { kind: 'delete-node', path: '/k' });
  const focus = useUiStore().focus.jump;
  await commands.get('tree.jump')!();
  assert.equal(useUiStore().focus.jump, focus + 1);
});

test('terminals: output waits for its view, input runs commands, a watch set in one tab fires when another writes', async () => {
  await setup({ members: 3 });
  const terminals = useTerminalsStore();
  const a = await terminals.open(1);
  const b = await terminals.open(2);
  assert.equal(terminals.tabs.length, 2);
  assert.match(a.title, /^member 1 · 0x[0-9a-f]+ · connected$/);
  let outA = '';
  let outB = '';
  terminals.attach(a.shellId, (d) => (outA += d));
  terminals.attach(b.shellId, (d) => (outB += d));
  assert.match(outA, /Welcome to ZooKeeper/, 'the banner sent before the view attached is replayed');
  await terminals.input(a.shellId, 'create /w 1\r');
  await terminals.input(a.shellId, 'get -w /w\r');
  await terminals.input(b.shellId, 'set /w 2\r');
  assert.match(outA, /WatchedEvent state:SyncConnected type:NodeDataChanged path:\/w/);
  assert.doesNotMatch(outB, /NodeDataChanged/);
  await terminals.close(a.shellId);
  assert.equal(terminals.activeId, b.shellId);
});

test('sessions: listed with their ephemerals and watches; expiring one asks first and removes its ephemerals', async () => {
  const { lab, sched, actions } = await setup({ members: 3 });
  const terminals = useTerminalsStore();
  const shell = await terminals.open(1);
  await terminals.input(shell.shellId, 'create -e /eph x\r');
  await terminals.input(shell.shellId, 'ls -w /\r');
  await actions.refreshSessions();
  const sessions = useSessionsStore();
  const mine = sessions.sessions.find((s) => s.sessionId === shell.sessionId)!;
  assert.deepEqual(mine.ephemerals, ['/eph']);
  assert.deepEqual(mine.watches.map((w) => `${w.kind} ${w.path}`), ['child /']);
  assert.equal(sessions.remaining(mine, sched.now() + 1000), mine.expiresInMs! - 1000);
  const p = actions.expireSession(shell.sessionId!);
  await answerConfirm(true);
  assert.equal(await p, true);
  assert.equal(lab.treeForTests.get('/eph'), undefined);
  assert.ok(!sessions.sessions.some((s) => s.sessionId === shell.sessionId));
});

test('snapshots in the browser: the cluster downloads, an upload is inspected, a served lab imports it beside itself', async () => {
  const host = recordingHost('browser');
  const { actions } = await setup({ members: 3 }, { host, allowLabSwitch: false });
  const file = await actions.exportCluster();
  assert.match(file!, /^fake-export-1\.zoolab$/);
  assert.equal(host.saved[0]!.name, file);
  host.nextOpenBytes = { name: 'upload.zoolab', dataBase64: host.saved[0]!.dataBase64! };
  assert.equal(await actions.inspectCluster(), true);
  assert.equal(useSnapshotsStore().inspected?.manifest.lab.members, 3);
  const before = useLabStore().info!.dir;
  const importing = actions.importCluster();
  await answerConfirm(true);
  assert.equal(await importing, true);
  assert.equal(useLabStore().info!.dir, before, 'this tab stays on its lab');
  const n = useNoticesStore().notices.at(-1)!;
  assert.equal(n.kind, 'success');
  assert.match(t(n.title.key, n.title.params), /running beside this one/);
  assert.match(n.link!.href, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/, 'the notice links to the new lab');
  assert.equal(t(n.link!.label.key), t('snapshots.openImported'));
});

test('snapshots on the desktop: export to a chosen path, import into a new lab and switch to it', async () => {
  const host = recordingHost('desktop');
  const { lab, actions } = await setup({ members: 3 }, { host });
  await actions.createNode('/', 'keep', 'me', 'persistent');
  const file = await actions.exportCluster();
  assert.match(file!, /^\/exports\/zoolab-demo-lab-|^\/exports\/zoolab-/);
  host.chooseOpenPath = async () => file;
  const importing = actions.importCluster();
  await answerConfirm(true);
  assert.equal(await importing, true);
  assert.match(useLabStore().info!.dir, /^\/labs\/imported-/);
  assert.ok(lab.treeForTests.get('/keep'), 'the imported lab holds the exported tree');
  assert.equal(useTreeStore().mirror?.state, 'connected', 'the tree reopened on the new lab');
});

test('subtree JSON: exported as a file, re-imported under another path', async () => {
  const { lab, host, actions } = await setup({ members: 3 });
  const mirrorId = useTreeStore().mirror!.mirrorId;
  await lab.invoke('tree.create', { mirrorId, path: '/src', dataBase64: textToBase64('root') });
  await lab.invoke('tree.create', { mirrorId, path: '/src/child', dataBase64: textToBase64('leaf') });
  await actions.exportSubtree('/src');
  const saved = host.saved[0]!;
  assert.match(saved.name, /^zoolab-subtree-src-.*\.json$/);
  assert.deepEqual(Object.keys(JSON.parse(saved.text!).nodes).sort(), ['/src', '/src/child']);
  host.nextOpenText = { name: saved.name, text: saved.text! };
  await actions.chooseSubtreeFile();
  assert.equal(useUiStore().dialog?.kind, 'import-subtree');
  assert.equal(await actions.importSubtree(saved.text!, '/copy', 'fail', false), true);
  assert.equal(new TextDecoder().decode(lab.treeForTests.get('/copy/child')!.data!), 'leaf');
  assert.equal(await actions.importSubtree('{"not":"ours"}', undefined, 'fail', false), false);
  assert.match(useNoticesStore().notices.at(-1)!.detail!, /not a ZooLab subtree export/);
});

test('timeline: pause, step and scrub stay inside the rows; the SVG export goes through the host', async () => {
  const { host, actions } = await setup({ members: 3 });
  const timeline = useTimelineStore();
  timeline.togglePause(40);
  assert.equal(timeline.following, false);
  assert.equal(timeline.cursor, 40);
  timeline.step(-5, 40);
  assert.equal(timeline.cursor, 35);
  timeline.step(100, 40);
  assert.equal(timeline.cursor, 40);
  timeline.scrub(40, 40);
  assert.equal(timeline.following, true, 'scrubbing to the end follows again');
  timeline.toggleMember(2);
  assert.equal(timeline.hiddenMembers.has(2), true);
  await actions.exportTimelineSvg();
  const svg = host.saved.at(-1)!;
  assert.match(svg.name, /\.svg$/);
  assert.match(svg.text!, /member 1/);
  assert.doesNotMatch(svg.text!, />member 2</, 'a hidden member has no lane in the export');
});

test('events: a gap in pushed sequence numbers is filled from events.since', async () => {
  const { lab, actions } = await setup({ members: 3 });
  const events = useEventsStore();
  lab.dropNextEventPushes(2);
  await actions.toggleLink(1, 2, true);
  await actions.healLinks();
  // Let the catch-up read (started by the first push after the gap) finish.
  await settle();
  const seqs = events.ring.slice().map((e) => e.seq);
  assert.equal(seqs.at(-1), lab.status().seq);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1]! + 1, `no hole after seq ${seqs[i - 1]}`);
  assert.ok(calls(lab, 'events.since') >= 2, 'one read at startup, one to catch up');
});

test('lab lifecycle: no lab yet, then one created with one click; stopping it asks first', async () => {
  const host = recordingHost('desktop');
  const { lab, actions } = await setup(null, { host });
  assert.equal(useLabStore().hasLab, false);
  assert.equal(await actions.createLab({ members: 5 }), true);
  assert.equal(useLabStore().info?.members, 5);
  assert.match(useLabStore().info!.dir, /^\/labs\/lab-/);
  assert.equal(useEnsembleStore().members.length, 5);
  assert.equal(useTreeStore().mirror?.state, 'connected');
  const down = actions.labDown();
  assert.equal(await answerConfirm(true), 'Stop the lab?');
  assert.equal(await down, true);
  assert.equal(useLabStore().hasLab, false);
  assert.equal(calls(lab, 'lab.down'), 1);
});
