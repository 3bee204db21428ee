/**
 * The batch format between the member thread and the writer worker
 * (engine/src/storage/writer-protocol.ts): ops survive packing into one transferable
 * buffer, with the log rows' zxids, CRCs and bytes in a table inside it.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { packOps, unpackOps } from '../../engine/src/storage/writer-protocol.js';
import type { StoreOp } from '../../engine/src/storage/ops.js';

test('every kind of op round-trips; the message holds no per-row objects', () => {
  const ops: StoreOp[] = [
    {
      kind: 'append',
      currentEpoch: null,
      rows: [
        { zxid: 0x100000001n, crc: 0, bytes: Buffer.from('first') },
        { zxid: 0x7fffffffffffffffn, crc: 0xffffffff, bytes: Buffer.alloc(0) },
        { zxid: 0x100000003n, crc: 12345, bytes: Buffer.alloc(3000, 7) },
      ],
    },
    { kind: 'setEpoch', name: 'acceptedEpoch', value: 5 },
    { kind: 'snapshotBegin', token: 1, zxid: 9n },
    { kind: 'snapshotChunk', token: 1, bytes: Buffer.from('chunk') },
    { kind: 'snapshotEnd', token: 1, size: 5, crc: 42 },
    { kind: 'append', currentEpoch: 7, rows: [] },
    { kind: 'append', currentEpoch: 7, rows: [{ zxid: 0x700000001n, crc: 1, bytes: Buffer.from('epoch 7') }] },
    { kind: 'snapshotInstall', zxid: 0x700000001n, crc: 3, bytes: Buffer.from('installed') },
    { kind: 'truncate', after: 0x700000000n },
    { kind: 'purge', retain: 3 },
  ];
  const packed = packOps(ops);
  // What crosses the thread boundary besides the blob is a handful of small descriptors.
  assert.ok(JSON.stringify(packed.ops, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)).length < 700);
  const copy = structuredClone(packed, { transfer: [packed.blob] });
  assert.deepEqual(unpackOps(copy.ops, copy.blob), ops);
});
