/**
 * The watch event matrix (wire-protocol.md §12.2, §12.4, §12.5, §12.6) driven by real
 * transactions: ZkDatabase.apply produces the triggers, WatchManager turns them into
 * deliveries. Watchers are plain strings standing for connections.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { EventType, Perms, WatcherType, type ACL } from '../../engine/src/jute/index.js';
import { WatchManager, type Delivery } from '../../engine/src/watches/index.js';
import { checkAcl } from '../../engine/src/server/prep/index.js';
import type { ApplyResult } from '../../engine/src/tree/index.js';
import { TxnDriver } from './helpers-tree/txns.js';

const { NodeCreated, NodeDeleted, NodeDataChanged, NodeChildrenChanged } = EventType;
const canReadAll = () => true;

function setup() {
  const t = new TxnDriver();
  const wm = new WatchManager<string>();
  const fire = (r: ApplyResult, canRead: (w: string, acl: readonly ACL[]) => boolean = canReadAll) =>
    wm.trigger(r.triggers, canRead).map((d) => `${d.watcher}:${d.event.type}:${d.event.path}`);
  return { t, wm, fire };
}
const ev = (w: string, type: number, path: string) => `${w}:${type}:${path}`;

test('exist watch on a missing node fires NodeCreated once (one-shot)', () => {
  const { t, wm, fire } = setup();
  wm.addDataWatch('/a', 'c1');
  assert.deepEqual(fire(t.create('/a')), [ev('c1', NodeCreated, '/a')]);
  assert.deepEqual(fire(t.delete('/a')), []);
  assert.deepEqual(fire(t.create('/a')), []);
});

test('data watch: NodeDataChanged on setData, NodeDeleted on delete; setACL and failed ops fire nothing', () => {
  const { t, wm, fire } = setup();
  t.create('/a');
  wm.addDataWatch('/a', 'c1');
  assert.deepEqual(fire(t.setAcl('/a', [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }])), []);
  assert.deepEqual(fire(t.create('/a')), [], 'failed create');
  assert.deepEqual(fire(t.setData('/a', 'x')), [ev('c1', NodeDataChanged, '/a')]);
  wm.addDataWatch('/a', 'c1');
  assert.deepEqual(fire(t.delete('/a')), [ev('c1', NodeDeleted, '/a')]);
});

test('child watch: NodeChildrenChanged for child create/delete, NodeDeleted when the node goes', () => {
  const { t, wm, fire } = setup();
  t.create('/p');
  wm.addChildWatch('/p', 'c1');
  assert.deepEqual(fire(t.setData('/p', 'x')), [], 'setData on the watched node');
  assert.deepEqual(fire(t.create('/p/a')), [ev('c1', NodeChildrenChanged, '/p')]);
  assert.deepEqual(fire(t.create('/p/b')), [], 'one-shot');
  wm.addChildWatch('/p', 'c1');
  assert.deepEqual(fire(t.setData('/p/a', 'x')), [], 'setData on a child');
  assert.deepEqual(fire(t.create('/p/a/g')), [], 'grandchild');
  assert.deepEqual(fire(t.delete('/p/a/g')), []);
  assert.deepEqual(fire(t.delete('/p/a')), [ev('c1', NodeChildrenChanged, '/p')]);
  t.delete('/p/b');
  wm.addChildWatch('/p', 'c1');
  assert.deepEqual(fire(t.delete('/p')), [ev('c1', NodeDeleted, '/p')]);
});

test('delete with both a data and a child watch: one NodeDeleted per connection; events in §12.2 order', () => {
  const { t, wm, fire } = setup();
  t.create('/p');
  t.create('/p/c');
  wm.addDataWatch('/p/c', 'c1');
  wm.addChildWatch('/p/c', 'c1');
  wm.addChildWatch('/p/c', 'c2');
  wm.addChildWatch('/p', 'c1');
  assert.deepEqual(fire(t.delete('/p/c')), [ev('c1', NodeDeleted, '/p/c'), ev('c2', NodeDeleted, '/p/c'), ev('c1', NodeChildrenChanged, '/p')]);
  wm.addDataWatch('/p/n', 'c1');
  wm.addChildWatch('/p', 'c1');
  assert.deepEqual(fire(t.create('/p/n')), [ev('c1', NodeCreated, '/p/n'), ev('c1', NodeChildrenChanged, '/p')], 'NodeCreated before NodeChildrenChanged');
});

test('registering the same watch twice gives one registration and one event', () => {
  const { t, wm, fire } = setup();
  wm.addDataWatch('/a', 'c1');
  wm.addDataWatch('/a', 'c1');
  assert.equal(wm.watchCount(), 1);
  assert.deepEqual(fire(t.create('/a')), [ev('c1', NodeCreated, '/a')]);
});

test('persistent watch: data events and child changes of its node only, never consumed', () => {
  const { t, wm, fire } = setup();
  wm.addPersistentWatch('/p', 'c1', false);
  assert.deepEqual(fire(t.create('/p')), [ev('c1', NodeCreated, '/p')]);
  assert.deepEqual(fire(t.setData('/p', '1')), [ev('c1', NodeDataChanged, '/p')]);
  assert.deepEqual(fire(t.setData('/p', '2')), [ev('c1', NodeDataChanged, '/p')]);
  assert.deepEqual(fire(t.create('/p/c')), [ev('c1', NodeChildrenChanged, '/p')]);
  assert.deepEqual(fire(t.setData('/p/c', 'x')), []);
  assert.deepEqual(fire(t.create('/p/c/g')), [], 'nothing for grandchildren');
  t.delete('/p/c/g');
  assert.deepEqual(fire(t.delete('/p/c')), [ev('c1', NodeChildrenChanged, '/p')]);
  assert.deepEqual(fire(t.delete('/p')), [ev('c1', NodeDeleted, '/p')]);
  assert.deepEqual(fire(t.create('/p')), [ev('c1', NodeCreated, '/p')], 'still there after the node went');
});

test('persistent-recursive watch: created/changed/deleted for the node and every descendant, never NodeChildrenChanged', () => {
  const { t, wm, fire } = setup();
  wm.addPersistentWatch('/r', 'c1', true);
  assert.deepEqual(fire(t.create('/r')), [ev('c1', NodeCreated, '/r')]);
  assert.deepEqual(fire(t.create('/r/a')), [ev('c1', NodeCreated, '/r/a')]);
  assert.deepEqual(fire(t.create('/r/a/b')), [ev('c1', NodeCreated, '/r/a/b')]);
  assert.deepEqual(fire(t.setData('/r/a/b', 'x')), [ev('c1', NodeDataChanged, '/r/a/b')]);
  assert.deepEqual(fire(t.delete('/r/a/b')), [ev('c1', NodeDeleted, '/r/a/b')]);
  assert.deepEqual(fire(t.create('/rx')), [], 'a sibling sharing the prefix is not a descendant');
  const root = new WatchManager<string>();
  root.addPersistentWatch('/', 'c9', true);
  assert.deepEqual(
    root.trigger(t.create('/anything').triggers, canReadAll).map((d) => d.event.path),
    ['/anything'],
  );
});

test('3.9 semantics: a standard and a persistent watch coexist on a path, one event per trigger', () => {
  const { t, wm, fire } = setup();
  t.create('/a');
  wm.addPersistentWatch('/a', 'c1', false);
  wm.addDataWatch('/a', 'c1');
  assert.deepEqual(fire(t.setData('/a', '1')), [ev('c1', NodeDataChanged, '/a')]);
  assert.deepEqual(fire(t.setData('/a', '2')), [ev('c1', NodeDataChanged, '/a')], 'the persistent watch survived (3.8 would be silent)');
  assert.equal(wm.hasWatch('/a', 'c1', WatcherType.Data), false, 'the one-shot watch was consumed');
  assert.equal(wm.hasWatch('/a', 'c1', WatcherType.Persistent), true);
});

test('removeWatches/checkWatches: Data/Children touch only standard watches; Any all; 4/5 the persistent kinds', () => {
  const wm = new WatchManager<string>();
  wm.addDataWatch('/a', 'c1');
  wm.addChildWatch('/a', 'c1');
  wm.addPersistentWatch('/a', 'c1', false);
  wm.addPersistentWatch('/a', 'c1', true);
  assert.equal(wm.hasWatch('/a', 'c2', WatcherType.Any), false);
  assert.equal(wm.removeWatch('/a', 'c2', WatcherType.Any), false, 'NoWatcher');
  assert.equal(wm.removeWatch('/a', 'c1', WatcherType.Data), true);
  assert.equal(wm.removeWatch('/a', 'c1', WatcherType.Data), false);
  assert.equal(wm.hasWatch('/a', 'c1', WatcherType.Persistent), true, 'Data left the persistent watch alone');
  assert.equal(wm.removeWatch('/a', 'c1', WatcherType.Children), true);
  assert.equal(wm.removeWatch('/a', 'c1', WatcherType.PersistentRecursive), true);
  assert.equal(wm.hasWatch('/a', 'c1', WatcherType.PersistentRecursive), false);
  assert.equal(wm.hasWatch('/a', 'c1', WatcherType.Any), true);
  assert.equal(wm.removeWatch('/a', 'c1', WatcherType.Any), true);
  assert.equal(wm.hasWatch('/a', 'c1', WatcherType.Any), false);
  assert.equal(wm.watchCount(), 0);
  assert.throws(() => wm.removeWatch('/a', 'c1', 9), RangeError);
});

test('ACL filter (§12.3): no READ, no event — and the one-shot watch is consumed anyway', () => {
  const { t, wm, fire } = setup();
  const secret: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'digest', id: 'alice:h' } }];
  t.create('/s', '', { acl: secret });
  wm.addDataWatch('/s', 'alice');
  wm.addDataWatch('/s', 'eve');
  wm.addPersistentWatch('/', 'eve', true);
  const ids: Record<string, { scheme: string; id: string }[]> = { alice: [{ scheme: 'digest', id: 'alice:h' }], eve: [] };
  const canRead = (w: string, acl: readonly ACL[]) => checkAcl(acl, Perms.READ, ids[w]!);
  assert.deepEqual(fire(t.setData('/s', 'x'), canRead), [ev('alice', NodeDataChanged, '/s')]);
  assert.equal(wm.hasWatch('/s', 'eve', WatcherType.Data), false);
  // NodeChildrenChanged is judged by the parent's ACL, NodeDeleted by the deleted node's old ACL.
  t.create('/s/kid', '', { acl: [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }] });
  wm.addChildWatch('/s', 'eve');
  wm.addChildWatch('/s', 'alice');
  assert.deepEqual(fire(t.delete('/s/kid'), canRead), [ev('eve', NodeDeleted, '/s/kid'), ev('alice', NodeChildrenChanged, '/s')]);
});

test('removeWatcher drops every watch of a closed connection', () => {
  const { t, wm, fire } = setup();
  wm.addDataWatch('/a', 'c1');
  wm.addChildWatch('/', 'c1');
  wm.addPersistentWatch('/x', 'c1', true);
  wm.addDataWatch('/a', 'c2');
  wm.removeWatcher('c1');
  assert.deepEqual(fire(t.create('/a')), [ev('c2', NodeCreated, '/a')]);
  assert.deepEqual(wm.watchesOf('c1'), { data: [], child: [], persistent: [], recursive: [] });
});

test('session close fires NodeDeleted on the ephemerals\' watchers and NodeChildrenChanged on their parents', () => {
  const { t, wm, fire } = setup();
  t.openSession(5n);
  t.create('/e', '', { owner: 5n });
  wm.addDataWatch('/e', 'c1');
  wm.addChildWatch('/', 'c2');
  assert.deepEqual(fire(t.closeSession(5n)), [ev('c1', NodeDeleted, '/e'), ev('c2', NodeChildrenChanged, '/')]);
});

test('setWatches catch-up (§12.5): events for what changed since relativeZxid, registrations for the rest', () => {
  const { t, wm, fire } = setup();
  t.create('/same'); // zxid 1
  t.create('/changed'); // 2
  t.create('/kids'); // 3
  t.create('/quiet'); // 4
  const rel = t.zxid;
  t.setData('/changed', 'x'); // 5
  t.create('/kids/k'); // 6
  t.create('/appeared'); // 7
  const events = wm.setWatches(t.db.tree, 'c1', {
    relativeZxid: rel,
    dataWatches: ['/same', '/changed', '/gone'],
    existWatches: ['/appeared', '/absent'],
    childWatches: ['/kids', '/quiet', '/gone2'],
    persistentWatches: ['/p'],
    persistentRecursiveWatches: ['/r'],
  });
  const brief = (ds: Delivery<string>[]) => ds.map((d) => `${d.event.type}:${d.event.path}`);
  assert.deepEqual(brief(events), [
    `${NodeDataChanged}:/changed`,
    `${NodeDeleted}:/gone`,
    `${NodeCreated}:/appeared`,
    `${NodeChildrenChanged}:/kids`,
    `${NodeDeleted}:/gone2`,
  ]);
  assert.ok(events.every((d) => d.watcher === 'c1' && d.event.state === 3));
  // What was registered fires later; what fired was not registered.
  assert.deepEqual(fire(t.setData('/same', 'y')), [ev('c1', NodeDataChanged, '/same')]);
  assert.deepEqual(fire(t.setData('/changed', 'z')), []);
  assert.deepEqual(fire(t.create('/absent')), [ev('c1', NodeCreated, '/absent')]);
  assert.deepEqual(fire(t.create('/quiet/q')), [ev('c1', NodeChildrenChanged, '/quiet')]);
  assert.deepEqual(fire(t.create('/p')), [ev('c1', NodeCreated, '/p')]);
  assert.deepEqual(fire(t.create('/r')), [ev('c1', NodeCreated, '/r')]);
  assert.deepEqual(fire(t.create('/r/deep')), [ev('c1', NodeCreated, '/r/deep')]);
});

test('counts: zk_watch_count covers both tables; wchs/wchc/wchp the data table only (3.8)', () => {
  const wm = new WatchManager<string>();
  wm.addDataWatch('/a', 'c1');
  wm.addDataWatch('/a', 'c2');
  wm.addChildWatch('/a', 'c1');
  wm.addPersistentWatch('/b', 'c1', false);
  wm.addPersistentWatch('/c', 'c3', true);
  assert.equal(wm.watchCount(), 3 + 2 + 1, 'data a×2, child a, persistent b in both tables, recursive c in the data table');
  assert.deepEqual(wm.dataTableSummary(), { connections: 3, paths: 3, watches: 4 });
  assert.deepEqual(Object.fromEntries(wm.dataTableByWatcher()), { c1: ['/a', '/b'], c2: ['/a'], c3: ['/c'] });
  assert.deepEqual(Object.fromEntries(wm.dataTableByPath()), { '/a': ['c1', 'c2'], '/b': ['c1'], '/c': ['c3'] });
});
