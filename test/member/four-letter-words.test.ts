/**
 * Four-letter words against the real thing: the same scenario (two sessions, an
 * ephemeral, data and child watches) on our member and on Apache ZooKeeper 3.8, then
 * every word's text compared after masking what legitimately differs (numbers, session
 * ids, addresses, paths, the version string, hash-set orders).
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startZooLabServer, type ZooLabServer } from '../helpers/zoolab-server.js';
import { apacheZkAvailable, startApacheZk, type ApacheZk } from '../helpers/apache-zk.js';
import { fourLetterWord } from '../helpers/four-letter.js';
import { RawZkClient } from '../helpers/raw-client.js';
import { create, exists, getChildren, getData, OPEN_ACL } from '../helpers/raw-ops.js';
import { CreateMode } from '../../engine/src/jute/index.js';

const skip = apacheZkAvailable() ? false : 'Apache ZooKeeper 3.8 is not installed (apt-get install zookeeper)';

let ours: ZooLabServer;
let apache: ApacheZk;
const clients: RawZkClient[] = [];

async function scenario(port: number): Promise<void> {
  const a = await RawZkClient.connect(port);
  const b = await RawZkClient.connect(port);
  clients.push(a, b);
  assert.equal((await create(a, { path: '/a', data: Buffer.from('x'), acl: OPEN_ACL })).err, 0);
  assert.equal((await create(a, { path: '/a/e', data: Buffer.from('y'), flags: CreateMode.EPHEMERAL, acl: OPEN_ACL })).err, 0);
  await getData(a, '/a', true);
  await exists(a, '/nope', true);
  await getChildren(b, '/a', true);
  await getData(b, '/a/e', true);
}

before(async () => {
  if (skip) return;
  ours = await startZooLabServer({});
  apache = await startApacheZk({});
  await scenario(ours.port);
  await scenario(apache.members[0]!.clientPort);
});

after(async () => {
  for (const c of clients) c.destroy();
  await ours?.stop();
  await apache?.stop();
});

/** Masks what may differ between two correct servers. */
function mask(text: string): string {
  return text
    .replace(/^(Zookeeper version: |zk_version\t|zookeeper\.version=).*$/gm, '$1V')
    .replace(/0x[0-9a-f]+/g, '0xH')
    .replace(/\/127\.0\.0\.1:\d+/g, '/A')
    .replace(/\/tmp\/\S+/g, 'PATH')
    .replace(/[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}/g, 'DATE')
    .replace(/-?\d+(\.\d+)?/g, 'N');
}

async function both(word: string): Promise<[string, string]> {
  return [await fourLetterWord(ours.port, word), await fourLetterWord(apache.members[0]!.clientPort, word)];
}

const sortedLines = (t: string) => t.split('\n').sort().join('\n');

test('srvr and stat have ZooKeeper’s exact layout', { skip, timeout: 60_000 }, async () => {
  for (const word of ['srvr', 'stat']) {
    const [z, a] = await both(word);
    assert.equal(sortedLines(mask(z)), sortedLines(mask(a)), word);
    assert.equal(mask(z).split('\n')[0], mask(a).split('\n')[0]);
  }
});

test('cons, wchs, wchc, wchp, dump, dirs, conf match after masking', { skip, timeout: 60_000 }, async () => {
  for (const word of ['cons', 'wchs', 'wchc', 'wchp', 'dump', 'dirs', 'conf']) {
    const [z, a] = await both(word);
    // Connection, session and path listings come out in hash-set order on ZooKeeper, and
    // how sessions fall into expiry buckets depends on timing: compare without those.
    const norm = (t: string) => sortedLines(mask(t).replace(/^N expire at DATE:\n/gm, ''));
    assert.equal(norm(z), norm(a), word);
  }
});

test('ruok, isro, the whitelist refusal and unknown words', { skip, timeout: 60_000 }, async () => {
  for (const word of ['ruok', 'isro']) {
    const [z, a] = await both(word);
    assert.equal(z, a, word);
  }
  const limited = await startZooLabServer({ '4lw.commands.whitelist': 'srvr' });
  try {
    assert.equal(await fourLetterWord(limited.port, 'stat'), 'stat is not executed because it is not in the whitelist.\n');
    assert.match(await fourLetterWord(limited.port, 'srvr'), /^Zookeeper version: /);
  } finally {
    await limited.stop();
  }
});

test('mntr starts with ZooKeeper’s gauges, in its order', { skip, timeout: 60_000 }, async () => {
  const [z, a] = await both('mntr');
  const keys = (t: string) => t.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
  const ourKeys = keys(z);
  assert.deepEqual(ourKeys.slice(0, 26), keys(a).slice(0, 26));
  const apacheKeys = new Set(keys(a));
  const unknown = ourKeys.filter((k) => !apacheKeys.has(k));
  assert.deepEqual(unknown, [], 'every key we print is one ZooKeeper prints');
});
