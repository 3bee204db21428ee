import test from 'node:test';
import assert from 'node:assert/strict';
import { FrameSplitter, type StreamUnit } from '../../engine/src/lab/frame-splitter.js';
import { frame } from '../lab/helpers/net-fixtures.js';

const frames = [frame('a'), frame(''), frame('hello world'), frame(Buffer.alloc(300, 7))];
const stream = Buffer.concat(frames);
const hex = (units: StreamUnit[]) => units.map((u) => u.bytes.toString('hex'));

test('holding: whole frames come out droppable whatever the chunk boundaries', () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const splitter = new FrameSplitter();
    const units = [...splitter.push(stream.subarray(0, cut)), ...splitter.push(stream.subarray(cut))];
    assert.deepEqual(hex(units), frames.map((b) => b.toString('hex')), `cut at ${cut}`);
    assert.ok(units.every((u) => u.frame));
    assert.equal(splitter.buffered, 0);
  }
});

test('not holding: every byte passes at once, and boundaries are still followed', () => {
  const splitter = new FrameSplitter();
  const first = splitter.push(stream.subarray(0, 7), false); // frame('a') + 2 bytes of the empty frame's header
  assert.deepEqual(Buffer.concat(first.map((u) => u.bytes)), stream.subarray(0, 7));
  assert.ok(first.every((u) => !u.frame));
  assert.equal(splitter.buffered, 0);
  // Holding starts mid-frame: the rest of that frame passes, the next ones are held whole.
  const rest = splitter.push(stream.subarray(7), true);
  assert.deepEqual(hex(rest), [stream.subarray(7, 9).toString('hex'), frames[2]!.toString('hex'), frames[3]!.toString('hex')]);
  assert.deepEqual(rest.map((u) => u.frame), [false, true, true]);
});

test('a frame held when holding stops is released as it is', () => {
  const splitter = new FrameSplitter();
  assert.deepEqual(splitter.push(frames[2]!.subarray(0, 6), true), []);
  assert.equal(splitter.buffered, 6);
  const out = splitter.push(frames[2]!.subarray(6), false);
  assert.deepEqual(Buffer.concat(out.map((u) => u.bytes)), frames[2]);
  assert.ok(out.every((u) => !u.frame));
});

test('a stream that is not length-prefixed (a four-letter word) passes raw for good', () => {
  const splitter = new FrameSplitter();
  const units = splitter.push(Buffer.from('srvr'));
  assert.equal(splitter.isRaw, true);
  assert.deepEqual(units, [{ bytes: Buffer.from('srvr'), frame: false }]);
  assert.deepEqual(splitter.push(frame('x')), [{ bytes: frame('x'), frame: false }]);
});

test('abandon releases a held partial frame and stops framing', () => {
  const splitter = new FrameSplitter();
  splitter.push(Buffer.from([0, 0, 0, 50, 1, 2, 3]), true);
  assert.equal(splitter.buffered, 7);
  assert.deepEqual(splitter.abandon(), [{ bytes: Buffer.from([0, 0, 0, 50, 1, 2, 3]), frame: false }]);
  assert.equal(splitter.isRaw, true);
  assert.deepEqual(splitter.push(Buffer.from([9])), [{ bytes: Buffer.from([9]), frame: false }]);
});

test('a negative length switches to raw', () => {
  const splitter = new FrameSplitter();
  const bad = Buffer.from([0xff, 0xff, 0xff, 0xfe, 1, 2]);
  assert.deepEqual(Buffer.concat(splitter.push(bad).map((u) => u.bytes)), bad);
  assert.equal(splitter.isRaw, true);
});
