/** Client-side path rules (Java's PathUtils messages), chroot mapping, connect strings and ACL helpers. */
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  ZkArgumentError,
  digestId,
  parseConnectString,
  parsePerms,
  permsToString,
  validatePath,
  parentOf,
  joinPath,
  pathPrefixes,
  formatWatchedEvent,
  EventType,
  KeeperState,
} from '../../engine/src/client/index.js';
import { Chroot } from '../../engine/src/client/paths.js';
import { shuffled } from '../../engine/src/client/connect-string.js';

test('valid paths pass', () => {
  for (const p of ['/', '/a', '/a/b', '/a.b', '/...', '/a b', '/é', '/\u{d7ff}', '/zookeeper/config']) validatePath(p);
  validatePath('/p/', true);
});

test('invalid paths fail with PathUtils’ messages', () => {
  const cases: Array<[string, string]> = [
    ['', 'Path length must be > 0'],
    ['a', 'Path must start with / character'],
    ['/a/', 'Path must not end with / character'],
    ['//a', 'Invalid path string "//a" caused by empty node name specified @1'],
    ['/a//b', 'Invalid path string "/a//b" caused by empty node name specified @3'],
    ['/a/.', 'Invalid path string "/a/." caused by relative paths not allowed @3'],
    ['/a/../b', 'Invalid path string "/a/../b" caused by relative paths not allowed @4'],
    ['/a\u0000b', 'Invalid path string "/a\u0000b" caused by null character not allowed @2'],
    ['/a\u0001', 'Invalid path string "/a\u0001" caused by invalid character @2'],
    ['/😀', 'Invalid path string "/😀" caused by invalid character @1'],
    ['/\ufff0', 'Invalid path string "/\ufff0" caused by invalid character @1'],
  ];
  for (const [p, message] of cases) {
    assert.throws(() => validatePath(p), (e: unknown) => e instanceof ZkArgumentError && e.message === message, JSON.stringify(p));
  }
  assert.throws(() => validatePath('/p//', true), /empty node name/);
});

test('chroot maps paths both ways and leaves foreign paths alone', () => {
  const c = new Chroot('/app');
  assert.equal(c.toServer('/'), '/app');
  assert.equal(c.toServer('/x/y'), '/app/x/y');
  assert.equal(c.toClient('/app'), '/');
  assert.equal(c.toClient('/app/x'), '/x');
  assert.equal(c.toClient('/apple'), '/apple', 'a sibling sharing the prefix is not inside');
  assert.equal(c.toClient('/zookeeper/config'), '/zookeeper/config');
  assert.ok(c.contains('/app/x') && c.contains('/app') && !c.contains('/apple'));
  const none = new Chroot('');
  assert.equal(none.toServer('/x'), '/x');
  assert.equal(none.toClient('/x'), '/x');
});

test('connect strings: hosts, default port, IPv6 and chroot', () => {
  assert.deepEqual(parseConnectString('127.0.0.1:2181,127.0.0.1:2182/app'), {
    hosts: [
      { host: '127.0.0.1', port: 2181 },
      { host: '127.0.0.1', port: 2182 },
    ],
    chroot: '/app',
  });
  assert.deepEqual(parseConnectString('zk1, zk2:3000 ,[::1]:2190,[fe80::2]/'), {
    hosts: [
      { host: 'zk1', port: 2181 },
      { host: 'zk2', port: 3000 },
      { host: '::1', port: 2190 },
      { host: 'fe80::2', port: 2181 },
    ],
    chroot: '',
  });
  assert.throws(() => parseConnectString(''), ZkArgumentError);
  assert.throws(() => parseConnectString('h:notaport'), /bad port/);
  assert.throws(() => parseConnectString('h:70000'), /bad port/);
  assert.throws(() => parseConnectString('h:1/app/'), /must not end with/);
});

test('host shuffling is a permutation driven by the injected random source', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const hosts = ['a', 'b', 'c', 'd', 'e'];
  const out = shuffled(hosts, random);
  assert.deepEqual([...out].sort(), hosts);
  seed = 7;
  assert.deepEqual(shuffled(hosts, random), out, 'same seed, same order');
  assert.deepEqual(hosts, ['a', 'b', 'c', 'd', 'e'], 'the input is not modified');
});

test('digest ids and permission letters', () => {
  assert.equal(digestId('alice', 'secret'), 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=');
  assert.equal(permsToString(31), 'cdrwa');
  assert.equal(permsToString(1 | 16), 'ra');
  assert.equal(parsePerms('rwa'), 1 | 2 | 16);
  assert.equal(parsePerms(''), 0);
  assert.throws(() => parsePerms('rx'), /unknown permission letter 'x'/);
});

test('path helpers', () => {
  assert.equal(parentOf('/a/b'), '/a');
  assert.equal(parentOf('/a'), '/');
  assert.equal(parentOf('/'), '');
  assert.equal(joinPath('/', 'a'), '/a');
  assert.equal(joinPath('/a', 'b'), '/a/b');
  assert.deepEqual(pathPrefixes('/a/b/c'), ['/a', '/a/b', '/a/b/c']);
  assert.deepEqual(pathPrefixes('/'), []);
});

test('watched events print like Java’s WatchedEvent', () => {
  assert.equal(
    formatWatchedEvent({ type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/a' }),
    'WatchedEvent state:SyncConnected type:NodeDataChanged path:/a',
  );
  assert.equal(formatWatchedEvent({ type: EventType.None, state: KeeperState.Expired, path: null }), 'WatchedEvent state:Expired type:None path:null');
});
