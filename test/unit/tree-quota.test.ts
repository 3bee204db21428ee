/**
 * Quota stats bookkeeping (wire-protocol.md §8.2). The expected strings are what a real
 * ZooKeeper 3.8 answered to the same sequence (kazoo against ZooKeeperServerMain).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ZkDatabase } from '../../engine/src/tree/index.js';
import { formatStats, parseStats } from '../../engine/src/tree/quota.js';
import { TxnDriver, dumpTree } from './helpers-tree/txns.js';

const STATS = '/zookeeper/quota/qa/zookeeper_stats';

test('the stats node follows creates, setData and deletes under a quota, as ZooKeeper 3.8 does', () => {
  const t = new TxnDriver();
  const stats = () => t.db.tree.getData(STATS)!.data!.toString();
  t.create('/qa', '12345');
  t.create('/qa/b', 'xy');
  t.create('/zookeeper/quota/qa', '');
  t.create('/zookeeper/quota/qa/zookeeper_limits', 'count=10,bytes=-1');
  const r = t.create(STATS, 'count=0,bytes=0');
  assert.ok(r.result.op === 'create' && r.result.stat.dataLength === 15, 'the create reply shows the data as sent');
  assert.equal(stats(), 'count=2,bytes=7');
  t.create('/qa/c', 'abc');
  assert.equal(stats(), 'count=3,bytes=10');
  t.setData('/qa/c', 'abcdefg');
  assert.equal(stats(), 'count=3,bytes=14');
  t.create('/qa/c/d', null);
  assert.equal(stats(), 'count=4,bytes=14');
  t.delete('/qa/c/d');
  assert.equal(stats(), 'count=3,bytes=14');
  t.setData(STATS, 'count=1,bytes=2=;countHardLimit=5');
  t.create('/qa/e', 'z');
  assert.equal(stats(), 'count=2,bytes=3=;countHardLimit=5');
  const s = t.db.tree.stat(STATS)!;
  assert.equal(s.version, 1, 'quota updates do not bump the version');
  assert.equal(s.mzxid, 10n, 'nor mzxid');
  assert.equal(s.dataLength, 33);
  assert.equal(t.db.digest(), t.db.tree.recomputeDigest());
});

test('quota tracking survives a snapshot and stops when the limits node goes', () => {
  const t = new TxnDriver();
  t.create('/q');
  t.create('/zookeeper/quota/q');
  t.create('/zookeeper/quota/q/zookeeper_limits', 'count=5,bytes=-1');
  t.create('/zookeeper/quota/q/zookeeper_stats', 'count=0,bytes=0');
  const copy = new TxnDriver(ZkDatabase.deserialize(t.db.serialize()));
  copy.zxid = t.zxid;
  copy.time = t.time;
  for (const d of [t, copy]) {
    d.create('/q/x', '1234');
    assert.equal(d.db.tree.getData('/zookeeper/quota/q/zookeeper_stats')!.data!.toString(), 'count=2,bytes=4');
  }
  assert.equal(dumpTree(copy.db), dumpTree(t.db));
  t.delete('/zookeeper/quota/q/zookeeper_limits');
  t.create('/q/y', 'zz');
  assert.equal(t.db.tree.getData('/zookeeper/quota/q/zookeeper_stats')!.data!.toString(), 'count=2,bytes=4');
});

test('the deepest quota wins; a quota counts its own node', () => {
  const t = new TxnDriver();
  for (const p of ['/a', '/a/b', '/zookeeper/quota/a', '/zookeeper/quota/a/b']) t.create(p);
  for (const q of ['/a', '/a/b']) {
    t.create(`/zookeeper/quota${q}/zookeeper_limits`, 'count=9,bytes=-1');
    t.create(`/zookeeper/quota${q}/zookeeper_stats`, '');
  }
  const stats = (q: string) => t.db.tree.getData(`/zookeeper/quota${q}/zookeeper_stats`)!.data!.toString();
  assert.deepEqual([stats('/a'), stats('/a/b')], ['count=2,bytes=0', 'count=1,bytes=0']);
  t.create('/a/b/c', 'xyz');
  t.create('/a/d', 'q');
  assert.deepEqual([stats('/a'), stats('/a/b')], ['count=3,bytes=1', 'count=2,bytes=3']);
});

test('StatsTrack text: parse and format like ZooKeeper', () => {
  assert.equal(formatStats(parseStats('count=1,bytes=2')), 'count=1,bytes=2');
  assert.equal(formatStats(parseStats('count=1,bytes=2=;countHardLimit=5;byteHardLimit=9')), 'count=1,bytes=2=;byteHardLimit=9;countHardLimit=5');
  assert.equal(formatStats(parseStats('')), 'count=-1,bytes=-1');
  assert.equal(parseStats('bytes=').get('bytes'), -1);
});
