/** multi / multiRead bodies (wire-protocol.md §14.1) as the client writes and reads them. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { CreateMode } from '../../engine/src/client/index.js';
import { createOpcode, decodeMultiReadResults, decodeMultiResults, encodeMulti, encodeMultiRead, failedIndex } from '../../engine/src/client/multi-codec.js';
import { OpCode } from '../../engine/src/jute/opcodes.js';
import { JuteReader } from '../../engine/src/jute/reader.js';
import { JuteWriter } from '../../engine/src/jute/writer.js';
import {
  CheckVersionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  GetChildrenRequest,
  GetDataRequest,
  MultiHeader,
  SetDataRequest,
  Stat,
  type Stat as StatT,
} from '../../engine/src/jute/records.js';

const STAT: StatT = { czxid: 1n, mzxid: 2n, ctime: 3n, mtime: 4n, version: 5, cversion: 6, aversion: 7, ephemeralOwner: 0n, dataLength: 1, numChildren: 0, pzxid: 9n };

test('the create opcode follows the mode', () => {
  assert.equal(createOpcode(CreateMode.PERSISTENT), OpCode.create);
  assert.equal(createOpcode(CreateMode.EPHEMERAL_SEQUENTIAL), OpCode.create);
  assert.equal(createOpcode(CreateMode.CONTAINER), OpCode.createContainer);
  assert.equal(createOpcode(CreateMode.PERSISTENT_WITH_TTL), OpCode.createTTL);
  assert.equal(createOpcode(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL), OpCode.createTTL);
});

test('multi requests: a header before each op and the terminator', () => {
  const body = encodeMulti([
    { type: 'create', path: '/a', data: 'x' },
    { type: 'create', path: '/t', mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 1000 },
    { type: 'delete', path: '/b', version: 3 },
    { type: 'setData', path: '/c', data: null },
    { type: 'check', path: '/d', version: 7 },
  ]);
  const r = new JuteReader(body);
  assert.deepEqual(MultiHeader.read(r), { type: OpCode.create, done: false, err: -1 });
  const create = CreateRequest.read(r);
  assert.deepEqual([create.path, create.data?.toString(), create.flags, create.acl.length], ['/a', 'x', 0, 1]);
  assert.deepEqual(MultiHeader.read(r), { type: OpCode.createTTL, done: false, err: -1 });
  assert.equal(CreateTTLRequest.read(r).ttl, 1000n);
  assert.deepEqual(MultiHeader.read(r), { type: OpCode.delete, done: false, err: -1 });
  assert.deepEqual(DeleteRequest.read(r), { path: '/b', version: 3 });
  assert.deepEqual(MultiHeader.read(r), { type: OpCode.setData, done: false, err: -1 });
  assert.deepEqual(SetDataRequest.read(r), { path: '/c', data: null, version: -1 });
  assert.deepEqual(MultiHeader.read(r), { type: OpCode.check, done: false, err: -1 });
  assert.deepEqual(CheckVersionRequest.read(r), { path: '/d', version: 7 });
  assert.deepEqual(MultiHeader.read(r), { type: -1, done: true, err: -1 });
  assert.equal(r.remaining(), 0);
});

test('multiRead requests carry getData/getChildren without watches', () => {
  const r = new JuteReader(encodeMultiRead([{ type: 'getData', path: '/a' }, { type: 'getChildren', path: '/b' }]));
  assert.equal(MultiHeader.read(r).type, OpCode.getData);
  assert.deepEqual(GetDataRequest.read(r), { path: '/a', watch: false });
  assert.equal(MultiHeader.read(r).type, OpCode.getChildren);
  assert.deepEqual(GetChildrenRequest.read(r), { path: '/b', watch: false });
  assert.equal(MultiHeader.read(r).done, true);
});

function results(write: (w: JuteWriter) => void): JuteReader {
  const w = new JuteWriter();
  write(w);
  MultiHeader.write(w, { type: -1, done: true, err: -1 });
  return new JuteReader(Buffer.from(w.toBuffer()));
}

test('multi results of every type, including a failed transaction', () => {
  const ok = decodeMultiResults(
    results((w) => {
      MultiHeader.write(w, { type: OpCode.create, done: false, err: 0 });
      w.ustring('/a');
      MultiHeader.write(w, { type: OpCode.create2, done: false, err: 0 });
      w.ustring('/c');
      Stat.write(w, STAT);
      MultiHeader.write(w, { type: OpCode.delete, done: false, err: 0 });
      MultiHeader.write(w, { type: OpCode.setData, done: false, err: 0 });
      Stat.write(w, STAT);
      MultiHeader.write(w, { type: OpCode.check, done: false, err: 0 });
    }),
  );
  assert.deepEqual(ok, [{ type: 'create', path: '/a' }, { type: 'create', path: '/c', stat: STAT }, { type: 'delete' }, { type: 'setData', stat: STAT }, { type: 'check' }]);
  assert.equal(failedIndex(ok), -1);
  const failed = decodeMultiResults(
    results((w) => {
      for (const err of [0, -103, -2]) {
        MultiHeader.write(w, { type: -1, done: false, err });
        w.int(err);
      }
    }),
  );
  assert.deepEqual(failed.map((x) => (x.type === 'error' ? x.codeName : x.type)), ['Ok', 'BadVersion', 'RuntimeInconsistency']);
  assert.equal(failedIndex(failed), 1);
});

test('multiRead results and an unknown result type', () => {
  const read = decodeMultiReadResults(
    results((w) => {
      MultiHeader.write(w, { type: OpCode.getData, done: false, err: 0 });
      w.buffer(Buffer.from('d'));
      Stat.write(w, STAT);
      MultiHeader.write(w, { type: OpCode.getChildren, done: false, err: 0 });
      w.int(2).ustring('x').ustring('y');
      MultiHeader.write(w, { type: -1, done: false, err: -101 });
      w.int(-101);
    }),
  );
  assert.deepEqual(read, [
    { type: 'getData', data: Buffer.from('d'), stat: STAT },
    { type: 'getChildren', children: ['x', 'y'] },
    { type: 'error', code: -101, codeName: 'NoNode' },
  ]);
  assert.throws(
    () =>
      decodeMultiResults(
        results((w) => {
          MultiHeader.write(w, { type: 99, done: false, err: 0 });
        }),
      ),
    /unexpected multi result type 99/,
  );
});
