/**
 * The shell behind a terminal made of plain streams (how the lab wires it to xterm.js):
 * prompt with state and counter, typing, tab completion of paths, history recall, a watch
 * event printed above the prompt without losing the typed text, Ctrl-C, resize, quit.
 * Also the script mode (no terminal). Runs against Apache ZooKeeper 3.8.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { apacheZkAvailable, startApacheZk, type ApacheZk } from '../helpers/apache-zk.js';
import { startShell, type ShellHandle } from '../../engine/src/shell/repl.js';
import { zkClientFactory } from '../../engine/src/shell/zk-client-port.js';
import { ZkClient } from '../../engine/src/client/index.js';

const skip = apacheZkAvailable() ? false : 'Apache ZooKeeper 3.8 (Debian zookeeper package) is not installed';

/** A terminal: what the shell wrote so far, and a way to wait until something appears. */
class Screen {
  text = '';
  private waiters: Array<{ test: (t: string) => boolean; resolve: () => void }> = [];
  readonly stream = new PassThrough();

  constructor() {
    this.stream.on('data', (c: Buffer) => {
      this.text += c.toString('utf8');
      this.waiters = this.waiters.filter((w) => (w.test(this.text) ? (w.resolve(), false) : true));
    });
  }

  /** Resolves once the output (from `from` on) matches; fails the test after 10 s. */
  until(pattern: string | RegExp, from = 0): Promise<string> {
    const test = (t: string) => (typeof pattern === 'string' ? t.slice(from).includes(pattern) : pattern.test(t.slice(from)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; screen:\n${JSON.stringify(this.text.slice(from))}`)), 10_000);
      const done = () => {
        clearTimeout(timer);
        resolve(this.text.slice(from));
      };
      if (test(this.text)) return done();
      this.waiters.push({ test, resolve: done });
    });
  }
}

describe('shell on a stream terminal', { skip }, () => {
  let zk: ApacheZk;
  let other: ZkClient;

  before(async () => {
    zk = await startApacheZk();
    other = await ZkClient.connect(zk.connectString, 10_000);
  });
  after(async () => {
    await other?.close();
    await zk?.stop();
  });

  function open(screen: Screen, input: PassThrough, extra: Partial<Parameters<typeof startShell>[0]> = {}): ShellHandle {
    return startShell({
      input,
      output: screen.stream,
      connectString: zk.connectString,
      openClient: zkClientFactory(),
      terminal: true,
      timeZone: 'UTC',
      ...extra,
    });
  }

  test('prompt, commands, completion, history, events above the prompt, quit', async () => {
    const screen = new Screen();
    const input = new PassThrough();
    const exits: number[] = [];
    const shell = open(screen, input, { onExit: (c) => exits.push(c), history: ['ls /zookeeper'] });
    await screen.until(`[zk: ${zk.connectString}(CONNECTED) 0] `);
    assert.match(screen.text, /Connecting to .*\nWelcome to ZooKeeper!\nJLine support is enabled\n/);
    assert.match(screen.text, /WATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n/);

    let mark = screen.text.length;
    input.write('create /term hi\r');
    await screen.until(`(CONNECTED) 1] `, mark);
    assert.ok(screen.text.slice(mark).includes('Created /term'));

    // Tab completes the path from the root's children.
    mark = screen.text.length;
    input.write('get /te\t');
    await screen.until('get /term', mark);
    input.write('\r');
    await screen.until(`(CONNECTED) 2] `, mark);
    assert.match(screen.text.slice(mark), /\r?\nhi\n/);

    // Arrow up recalls the last line (a repeat is not stored twice); the history we passed in comes first.
    mark = screen.text.length;
    input.write('\x1b[A\r');
    await screen.until(`(CONNECTED) 3] `, mark);
    assert.match(screen.text.slice(mark), /get \/term[\s\S]*hi\n/);
    assert.deepEqual(shell.history(), ['ls /zookeeper', 'create /term hi', 'get /term']);

    // A watch fires while a line is half typed: the event prints, the typed text survives.
    input.write('get -w /term\r');
    await screen.until(`(CONNECTED) 4] `, mark);
    mark = screen.text.length;
    input.write('ls /te');
    await screen.until('ls /te', mark);
    await other.setData('/term', 'changed');
    await screen.until('WatchedEvent state:SyncConnected type:NodeDataChanged path:/term', mark);
    await screen.until(/\(CONNECTED\) 4\] ls \/te(\x1b\[\d+G)?$/, mark);
    input.write('rm\r');
    await screen.until(`(CONNECTED) 5] `, mark);
    assert.match(screen.text.slice(mark), /ls \/te(\x1b\[\d+G)?rm\r\n\[\]\n/);

    // Ctrl-C drops the typed line.
    mark = screen.text.length;
    input.write('delete /term\x03');
    await screen.until('^C', mark);
    assert.notEqual(await other.exists('/term'), null);

    shell.resize(40, 10);
    mark = screen.text.length;
    input.write('create /a-rather-long-node-name-beyond-forty-columns x\r');
    await screen.until(`(CONNECTED) 6] `, mark);
    assert.notEqual(await other.exists('/a-rather-long-node-name-beyond-forty-columns'), null);

    input.write('quit\r');
    assert.equal(await shell.done, 0);
    assert.deepEqual(exits, [0]);
    assert.ok(screen.text.includes('WatchedEvent state:Closed type:None path:null'));
  });

  test('close() ends the session: its ephemerals go', async () => {
    const screen = new Screen();
    const input = new PassThrough();
    const states: string[] = [];
    const shell = open(screen, input, { onStateChange: (s) => states.push(s) });
    await screen.until('(CONNECTED) 0] ');
    assert.notEqual(shell.sessionId, 0n);
    input.write('create -e /mine\r');
    await screen.until('(CONNECTED) 1] ');
    assert.notEqual(await other.exists('/mine'), null);
    await shell.close();
    assert.equal(await shell.done, 0);
    assert.equal(await other.exists('/mine'), null);
    assert.deepEqual([states[0], states.at(-1)], ['connecting', 'closed']);
  });

  test('script mode: no prompt, zkCli\'s exit code of the last command', async () => {
    const screen = new Screen();
    const errors = new Screen();
    const input = new PassThrough();
    const shell = open(screen, input, { terminal: false, errorOutput: errors.stream });
    input.end('create /script\nls /script\nget /missing\n');
    assert.equal(await shell.done, 1);
    assert.ok(!screen.text.includes('[zk: '));
    assert.ok(screen.text.includes('JLine support is disabled\n'));
    assert.ok(screen.text.includes('[]\n'));
    assert.equal(errors.text, 'Created /script\nNode does not exist: /missing\n');
  });

  test('crlf for raw terminals, and a dead server shows CONNECTING', async () => {
    const screen = new Screen();
    const input = new PassThrough();
    const shell = open(screen, input, { crlf: true, connectString: '127.0.0.1:1' });
    await screen.until('[zk: 127.0.0.1:1(CONNECTING) 0] ');
    assert.ok(screen.text.includes('Connecting to 127.0.0.1:1\r\nWelcome to ZooKeeper!\r\n'));
    input.write('history\r');
    await screen.until('(CONNECTING) 1] ');
    assert.ok(screen.text.includes('0 - history\r\n'));
    await shell.close();
    assert.equal(await shell.done, 0);
  });
});
