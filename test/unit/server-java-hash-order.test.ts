/** whoAmI lists auth ids in Java's ConcurrentHashMap order (captured from ZooKeeper 3.8). */
import test from 'node:test';
import assert from 'node:assert/strict';
import { javaHashSetOrder, javaStringHash } from '../../engine/src/server/java-hash-order.js';
import { digestId } from '../../engine/src/server/prep/index.js';

test('Java String.hashCode', () => {
  assert.equal(javaStringHash(''), 0);
  assert.equal(javaStringHash('ip'), 3367);
  assert.equal(javaStringHash('hello world'), 1794106052);
  assert.equal(javaStringHash('digest'), -1331913276);
});

test('the order ZooKeeper 3.8 answered whoAmI with', () => {
  const ip = { scheme: 'ip', id: '127.0.0.1' };
  const alice = { scheme: 'digest', id: digestId('alice:x') };
  const superDigest = { scheme: 'digest', id: digestId('super:pw') };
  const sup = { scheme: 'super', id: '' };
  const bob = { scheme: 'digest', id: digestId('bob:y') };
  assert.deepEqual(javaHashSetOrder([ip]), [ip]);
  assert.deepEqual(javaHashSetOrder([ip, alice]), [alice, ip]);
  assert.deepEqual(javaHashSetOrder([ip, alice, sup, superDigest]), [alice, superDigest, sup, ip]);
  assert.deepEqual(javaHashSetOrder([ip, alice, sup, superDigest, bob]), [alice, superDigest, bob, sup, ip]);
});
