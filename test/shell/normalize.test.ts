/**
 * The differential's normalization (cli-runner.ts): getEphemerals lists compare in one
 * order (wire-protocol.md §9: no ordering; Apache answers in hash order, our member
 * sorted), and nothing else is reordered.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { normalize, sortPathList, withEventsApart } from './cli-runner.js';

test('a getEphemerals list is sorted; Apache hash order and our sorted order normalize alike', () => {
  const apache = '[/app/eseq-0000000003, /app/eph]';
  const ours = '[/app/eph, /app/eseq-0000000003]';
  assert.equal(sortPathList(apache), ours);
  assert.equal(normalize(`x\n${apache}\ny`, '127.0.0.1:1'), normalize(`x\n${ours}\ny`, '127.0.0.1:1'));
  assert.equal(sortPathList('[/only]'), '[/only]');
  assert.equal(sortPathList('[]'), '[]');
});

test('other bracketed lines keep their order', () => {
  for (const line of ['[zookeeper, app]', '[b, a]', 'x [/b, /a]', '[/b, a]', '/b, /a']) assert.equal(sortPathList(line), line);
});

const session = (state: string) => `\nWATCHER::\n\nWatchedEvent state:${state} type:None path:null\n`;
const nodeEvent = '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeCreated path:/a\n';

test('watch events come out in order, wherever zkCli\'s event thread printed them', () => {
  const calm = `printwatches is on\n${session('Closed')}Not connected\n`;
  // The main thread's line between the event's two printlns (seen on a busy machine).
  const busy = 'printwatches is on\n\nWATCHER::\nNot connected\n\nWatchedEvent state:Closed type:None path:null\n';
  for (const text of [calm, busy]) assert.deepEqual(withEventsApart(text), { stdout: 'printwatches is on\nNot connected\n', events: ['state:Closed type:None path:null'] });
});

test('node events too, even printed inside a line of the main thread\'s', () => {
  const text = `${session('SyncConnected')}[a]${nodeEvent}x\n${session('Closed')}`;
  assert.deepEqual(withEventsApart(text), {
    stdout: '[a]x\n',
    events: ['state:SyncConnected type:None path:null', 'state:SyncConnected type:NodeCreated path:/a', 'state:Closed type:None path:null'],
  });
  const split = `[b, d${nodeEvent}, gone]\n`;
  assert.deepEqual(withEventsApart(split), { stdout: '[b, d, gone]\n', events: ['state:SyncConnected type:NodeCreated path:/a'] });
});
