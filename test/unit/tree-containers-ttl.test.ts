/**
 * Container and TTL reaping candidates (wire-protocol.md §10.3, §10.4) and the path and
 * sequential-suffix helpers (§8.1, §10.2).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { CONTAINER_EPHEMERAL_OWNER } from '../../engine/src/jute/index.js';
import { ancestorsOf, kindOf, NodeKind, parentOf, pathError, sequenceSuffix, ttlOwner, visibleOwner } from '../../engine/src/tree/index.js';
import { TxnDriver } from './helpers-tree/txns.js';

test('a container is a candidate once it had a child and is empty again', () => {
  const t = new TxnDriver();
  t.create('/c', '', { owner: CONTAINER_EPHEMERAL_OWNER });
  assert.deepEqual(t.db.reapCandidates(t.time + 1e9), [], 'never used: kept');
  t.create('/c/x');
  assert.deepEqual(t.db.reapCandidates(t.time + 1e9), [], 'has a child');
  t.delete('/c/x');
  assert.deepEqual(t.db.reapCandidates(t.time), ['/c']);
});

test('maxNeverUsedIntervalMs reaps never-used containers by mtime', () => {
  const t = new TxnDriver();
  t.create('/c', '', { owner: CONTAINER_EPHEMERAL_OWNER });
  const limits = { maxNeverUsedIntervalMs: 1000 };
  assert.deepEqual(t.db.reapCandidates(t.time + 1000, limits), []);
  assert.deepEqual(t.db.reapCandidates(t.time + 1001, limits), ['/c']);
});

test('a TTL node is a candidate when childless and now − mtime > ttl; setData refreshes it', () => {
  const t = new TxnDriver();
  t.create('/t', '', { owner: ttlOwner(500) });
  const created = t.time;
  assert.deepEqual(t.db.reapCandidates(created + 500), []);
  assert.deepEqual(t.db.reapCandidates(created + 501), ['/t']);
  t.time = created + 400;
  t.setData('/t', 'x');
  assert.deepEqual(t.db.reapCandidates(created + 501), []);
  assert.deepEqual(t.db.reapCandidates(created + 901), ['/t']);
  t.create('/t/child');
  assert.deepEqual(t.db.reapCandidates(created + 1e9), [], 'a TTL node with children stays');
});

test('candidates come in path order, limited to max; deleted nodes leave the sets', () => {
  const t = new TxnDriver();
  for (const p of ['/z', '/a', '/m']) t.create(p, '', { owner: ttlOwner(1) });
  t.create('/k', '', { owner: CONTAINER_EPHEMERAL_OWNER });
  t.create('/k/x');
  t.delete('/k/x');
  assert.deepEqual(t.db.reapCandidates(t.time + 10), ['/a', '/k', '/m', '/z']);
  assert.deepEqual(t.db.reapCandidates(t.time + 10, { max: 2 }), ['/a', '/k']);
  t.delete('/a');
  t.delete('/k');
  assert.deepEqual(t.db.reapCandidates(t.time + 10), ['/m', '/z']);
});

test('owner encodings: container, TTL (top byte 0xFF, 40-bit ttl), ephemeral, persistent', () => {
  assert.equal(kindOf(0n), NodeKind.persistent);
  assert.equal(kindOf(CONTAINER_EPHEMERAL_OWNER), NodeKind.container);
  assert.equal(kindOf(ttlOwner(1)), NodeKind.ttl);
  assert.equal(ttlOwner(1099511627775), BigInt.asIntN(64, 0xff0000ffffffffffn));
  assert.throws(() => ttlOwner(0), RangeError);
  assert.throws(() => ttlOwner(2 ** 40), RangeError);
  assert.equal(kindOf(0x0100000c7c2a0000n), NodeKind.ephemeral);
  assert.equal(visibleOwner(ttlOwner(5)), 0n);
  assert.equal(visibleOwner(0x0100000c7c2a0000n), 0x0100000c7c2a0000n);
});

test('path validation follows §8.1', () => {
  for (const ok of ['/', '/a', '/a/b', '/...', '/a.b', '/a/.b', '/ spaced', '/é', '/\ud7ff', '/a/..b']) {
    assert.equal(pathError(ok), null, ok);
  }
  const bad: [string, RegExp][] = [
    ['', /length/],
    ['a', /start with/],
    ['/a/', /end with/],
    ['//a', /empty node name/],
    ['/a//b', /empty node name/],
    ['/.', /relative/],
    ['/a/./b', /relative/],
    ['/a/..', /relative/],
    ['/a\u0000b', /null character/],
    ['/a\u0001', /invalid character/],
    ['/a\u007f', /invalid character/],
    ['/a\u009f', /invalid character/],
    ['/\ud83d\ude00', /invalid character/],
    ['/\uf8ff', /invalid character/],
    ['/\ufff0', /invalid character/],
  ];
  for (const [p, re] of bad) assert.match(pathError(p) ?? 'VALID', re, JSON.stringify(p));
});

test('parents, ancestors and the sequential suffix', () => {
  assert.equal(parentOf('/a'), '/');
  assert.equal(parentOf('/a/b'), '/a');
  assert.equal(parentOf('/a//b'), '/a/');
  assert.equal(parentOf('/missing/'), '/missing');
  assert.equal(parentOf('nope'), null);
  assert.deepEqual([...ancestorsOf('/a/b/c')], ['/a/b', '/a', '/']);
  assert.deepEqual([...ancestorsOf('/')], []);
  assert.equal(sequenceSuffix(0), '0000000000');
  assert.equal(sequenceSuffix(42), '0000000042');
  assert.equal(sequenceSuffix(2147483647), '2147483647');
  assert.equal(sequenceSuffix(2147483648), '-2147483648', 'the signed 32-bit counter wraps');
  assert.equal(sequenceSuffix(-5), '-000000005', "Java's %010d pads after the sign");
});
