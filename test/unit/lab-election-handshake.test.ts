/**
 * The election-link rewrite that keeps Apache members behind the lab's proxies: the
 * address in an Apache initial message becomes the reverse proxy's, in any chunking;
 * anything else (our members' protocol) passes byte for byte.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { apacheElectionAddressRewriter } from '../../engine/src/lab/election-handshake.js';

function initialMessage(version: bigint, sid: bigint, address: string): Buffer {
  const header = Buffer.alloc(20);
  header.writeBigInt64BE(version, 0);
  header.writeBigInt64BE(sid, 8);
  header.writeInt32BE(Buffer.byteLength(address), 16);
  return Buffer.concat([header, Buffer.from(address)]);
}

/** Feeds `bytes` in pieces of `size` and joins what comes out. */
function feed(bytes: Buffer, size: number, advertised = '127.0.0.1:40001'): Buffer {
  const r = apacheElectionAddressRewriter(() => advertised);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...r.push(bytes.subarray(i, i + size)));
  out.push(...r.flush());
  return Buffer.concat(out);
}

test('an Apache initial message names the reverse proxy instead of the real port, whatever the chunking', () => {
  const after = Buffer.from('notification bytes that follow');
  for (const version of [-65536n, -65535n]) {
    const sent = Buffer.concat([initialMessage(version, 3n, '127.0.0.1:37287|127.0.0.2:37287'), after]);
    const want = Buffer.concat([initialMessage(version, 3n, '127.0.0.1:40001'), after]);
    for (const size of [1, 3, 7, 20, 21, sent.length]) assert.deepEqual(feed(sent, size), want, `version ${version}, chunks of ${size}`);
  }
});

test('bytes that are not an Apache initial message pass unchanged', () => {
  const ours = Buffer.from([0, 0, 0, 12, ...Buffer.from('zoolab hello')]);
  assert.deepEqual(feed(ours, 1), ours);
  // An old-protocol opening (a bare sid) and an absurd address length are left alone.
  const bareSid = Buffer.alloc(8);
  bareSid.writeBigInt64BE(5n);
  assert.deepEqual(feed(bareSid, 3), bareSid);
  const huge = initialMessage(-65535n, 1n, 'x');
  huge.writeInt32BE(1 << 30, 16);
  assert.deepEqual(feed(huge, 5), huge);
});

test('a dialler that ends mid-message gets its bytes passed on as they were', () => {
  const partial = initialMessage(-65535n, 2n, '127.0.0.1:1234').subarray(0, 25);
  assert.deepEqual(feed(partial, 4), partial);
});
