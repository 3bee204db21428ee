/** The client's watch tables: which event reaches which watcher, removal events, SetWatches batches. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { EventType, WatcherType, type Watcher } from '../../engine/src/client/index.js';
import { WatchRegistry } from '../../engine/src/client/client-watches.js';

const named = (name: string): Watcher => Object.defineProperty(() => {}, 'name', { value: name });
const names = (s: Set<Watcher>) => [...s].map((w) => w.name).sort();

test('one-shot watches fire once, by event type (§12.2)', () => {
  const r = new WatchRegistry();
  const d = named('d');
  const e = named('e');
  const c = named('c');
  r.add('data', '/n', d);
  r.add('exist', '/m', e);
  r.add('child', '/n', c);
  assert.deepEqual(names(r.materialize(EventType.NodeChildrenChanged, '/n')), ['c']);
  assert.deepEqual(names(r.materialize(EventType.NodeChildrenChanged, '/n')), [], 'gone after firing');
  assert.deepEqual(names(r.materialize(EventType.NodeCreated, '/m')), ['e']);
  r.add('child', '/n', c);
  assert.deepEqual(names(r.materialize(EventType.NodeDeleted, '/n')), ['c', 'd'], 'a delete reaches data and child watchers');
  assert.equal(r.size, 0);
});

test('one watcher on several tables is called once', () => {
  const r = new WatchRegistry();
  const w = named('w');
  r.add('data', '/n', w);
  r.add('child', '/n', w);
  r.add('persistent', '/n', w);
  assert.equal(r.materialize(EventType.NodeDeleted, '/n').size, 1);
});

test('persistent watches stay; recursive ones cover descendants but never NodeChildrenChanged (§12.4)', () => {
  const r = new WatchRegistry();
  r.add('persistent', '/a', named('p'));
  r.add('persistentRecursive', '/a', named('r'));
  r.add('persistentRecursive', '/', named('root'));
  assert.deepEqual(names(r.materialize(EventType.NodeDataChanged, '/a')), ['p', 'r', 'root']);
  assert.deepEqual(names(r.materialize(EventType.NodeDataChanged, '/a')), ['p', 'r', 'root']);
  assert.deepEqual(names(r.materialize(EventType.NodeChildrenChanged, '/a')), ['p']);
  assert.deepEqual(names(r.materialize(EventType.NodeCreated, '/a/b/c')), ['r', 'root']);
  assert.deepEqual(names(r.materialize(EventType.NodeCreated, '/ab')), ['root'], '/ab is not under /a');
  assert.deepEqual(names(r.materialize(EventType.None, '/a')), []);
});

test('remove reports each removed watcher with its local event (§12.6)', () => {
  const r = new WatchRegistry();
  const w1 = named('w1');
  const w2 = named('w2');
  r.add('data', '/n', w1);
  r.add('exist', '/n', w1);
  r.add('data', '/n', w2);
  r.add('child', '/n', w1);
  r.add('persistentRecursive', '/n', w2);
  assert.ok(r.contains('/n', w1, WatcherType.Data));
  assert.ok(!r.contains('/n', w2, WatcherType.Children));
  assert.ok(r.contains('/n', null, WatcherType.PersistentRecursive));
  assert.deepEqual(
    r.remove('/n', w1, WatcherType.Data).map((x) => [x.watcher.name, x.event]),
    [['w1', EventType.DataWatchRemoved]],
    'data and exist registrations of one watcher give one event',
  );
  assert.deepEqual(
    r.remove('/n', null, WatcherType.Any).map((x) => [x.watcher.name, x.event]),
    [
      ['w2', EventType.DataWatchRemoved],
      ['w1', EventType.ChildWatchRemoved],
      ['w2', EventType.PersistentWatchRemoved],
    ],
  );
  assert.equal(r.size, 0);
  assert.deepEqual(r.remove('/n', null, WatcherType.Any), []);
});

test('drainAll empties every table and returns each watcher once', () => {
  const r = new WatchRegistry();
  const w = named('w');
  r.add('data', '/a', w);
  r.add('child', '/b', w);
  r.add('persistent', '/c', named('p'));
  assert.deepEqual(names(r.drainAll()), ['p', 'w']);
  assert.equal(r.size, 0);
});

test('SetWatches batches stay near 128 KB and use SetWatches2 only with persistent watches', () => {
  const r = new WatchRegistry();
  const w = named('w');
  assert.deepEqual(r.setWatchesBatches(5n), []);
  r.add('data', '/d', w);
  r.add('exist', '/e', w);
  r.add('child', '/c', w);
  assert.deepEqual(r.setWatchesBatches(5n), [
    {
      persistent: false,
      record: { relativeZxid: 5n, dataWatches: ['/d'], existWatches: ['/e'], childWatches: ['/c'], persistentWatches: [], persistentRecursiveWatches: [] },
    },
  ]);
  for (let i = 0; i < 100; i++) r.add('child', `/${'x'.repeat(4000)}${i}`, w);
  r.add('persistentRecursive', '/r', w);
  const batches = r.setWatchesBatches(9n, 128 * 1024);
  assert.equal(batches.length, 4);
  for (const b of batches.slice(0, -1)) {
    const chars = b.record.childWatches.concat(b.record.dataWatches, b.record.existWatches).reduce((n, p) => n + p.length, 0);
    assert.ok(chars >= 128 * 1024 && chars < 128 * 1024 + 4010, `batch of ${chars} characters`);
    assert.equal(b.persistent, false);
  }
  assert.equal(batches.at(-1)!.persistent, true);
  assert.deepEqual(batches.at(-1)!.record.persistentRecursiveWatches, ['/r']);
  assert.equal(batches.reduce((n, b) => n + b.record.childWatches.length, 0), 101);
});
