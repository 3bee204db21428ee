import test from 'node:test';
import assert from 'node:assert/strict';
import { FrameSplitter } from '../../engine/src/lab/frame-splitter.js';
import { frame } from '../lab/helpers/net-fixtures.js';

const stream = Buffer.concat([frame('a'), frame(''), frame('hello world'), frame(Buffer.alloc(300, 7))]);

test('frame splitter yields the same frames whatever the chunk boundaries', () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const splitter = new FrameSplitter();
    const units = [...splitter.push(stream.subarray(0, cut)), ...splitter.push(stream.subarray(cut))];
    assert.deepEqual(
      units.map((u) => u.bytes.toString('hex')),
      [frame('a'), frame(''), frame('hello world'), frame(Buffer.alloc(300, 7))].map((b) => b.toString('hex')),
      `cut at ${cut}`,
    );
    assert.ok(units.every((u) => u.frame));
    assert.equal(splitter.buffered, 0);
  }
});

test('frame splitter fed one byte at a time keeps a partial frame until it completes', () => {
  const splitter = new FrameSplitter();
  const out = [];
  for (const byte of frame('xyz')) out.push(...splitter.push(Buffer.from([byte])));
  assert.equal(out.length, 1);
  assert.equal(out[0]!.bytes.subarray(4).toString(), 'xyz');
});

test('a stream that is not length-prefixed (a four-letter word) passes raw for good', () => {
  const splitter = new FrameSplitter();
  const units = splitter.push(Buffer.from('srvr'));
  assert.equal(splitter.isRaw, true);
  assert.deepEqual(units, [{ bytes: Buffer.from('srvr'), frame: false }]);
  assert.deepEqual(splitter.push(frame('x')), [{ bytes: frame('x'), frame: false }]);
});

test('a negative length switches to raw', () => {
  const splitter = new FrameSplitter();
  const bad = Buffer.from([0xff, 0xff, 0xff, 0xfe, 1, 2]);
  assert.deepEqual(splitter.push(bad), [{ bytes: bad, frame: false }]);
});
