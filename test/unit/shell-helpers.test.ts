/**
 * The shell's small pure helpers: `config -c` text (expected values printed by Java's
 * ConfigUtils.getClientConfigStr from zookeeper 3.8.0's jar), Java number parsing, zkCli's
 * own command-line flags, and tab completion.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { clientConfigText } from '../../engine/src/shell/client-config-text.js';
import { decodeJavaInt, parseJavaInt, parseJavaLong } from '../../engine/src/shell/java-numbers.js';
import { parseMainArgs } from '../../engine/src/shell/main-args.js';
import { completeLine } from '../../engine/src/shell/completer.js';
import { usageText, COMMAND_NAMES } from '../../engine/src/shell/usage.js';

test('config -c lists client addresses in java.util.Properties order', () => {
  assert.equal(
    clientConfigText(
      'server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\nserver.2=127.0.0.1:2889:3889:participant;127.0.0.1:2182\nserver.3=127.0.0.1:2890:3890:observer;2183\nversion=100000000',
    ),
    '100000000 127.0.0.1:2182,0.0.0.0:2181,0.0.0.0:2183',
  );
  assert.equal(
    clientConfigText(
      'version=200000003\nserver.3=h3:1:2;h3:2183\nserver.2=h2:1:2;h2:2182\nserver.1=h1:1:2;h1:2181\nserver.10=h10:1:2;h10:2190\nserver.11=h11:1:2;h11:2191',
    ),
    '200000003 h10:2190,h11:2191,h2:2182,h1:2181,h3:2183',
  );
  assert.equal(clientConfigText('server.1=127.0.0.1:2888:3888\nversion=1'), '1 ');
  assert.equal(clientConfigText(''), ' ');
});

test('Java number parsing accepts what Java accepts', () => {
  assert.equal(parseJavaInt('42'), 42);
  assert.equal(parseJavaInt('+7'), 7);
  assert.equal(parseJavaInt('-1'), -1);
  assert.throws(() => parseJavaInt('2147483648'), /For input string: "2147483648"/);
  assert.throws(() => parseJavaInt('1.0'), /For input string: "1.0"/);
  assert.throws(() => parseJavaInt(''), /For input string: ""/);
  assert.equal(parseJavaLong('1099511627775'), 1099511627775n);
  assert.equal(parseJavaLong('100000000', 16), 0x100000000n);
  assert.throws(() => parseJavaLong('xyz', 16), /For input string: "xyz" under radix 16/);
  assert.equal(decodeJavaInt('12'), 12);
  assert.equal(decodeJavaInt('0x1f'), 31);
  assert.equal(decodeJavaInt('#10'), 16);
  assert.equal(decodeJavaInt('010'), 8);
  assert.equal(decodeJavaInt('0'), 0);
  assert.equal(decodeJavaInt('-3'), -3);
  assert.throws(() => decodeJavaInt('08'), /For input string: "08"/);
  assert.throws(() => decodeJavaInt('x'), /For input string: "x"/);
});

test('zkCli command-line flags', () => {
  const a = parseMainArgs(['-server', '10.0.0.1:2181,10.0.0.2:2181/app', '-timeout', '5000', '-r', '-waitforconnection', 'ls', '-s', '/']);
  assert.equal(a.server, '10.0.0.1:2181,10.0.0.2:2181/app');
  assert.equal(a.timeout, 5000);
  assert.equal(a.readOnly, true);
  assert.equal(a.waitForConnection, true);
  assert.deepEqual(a.command, ['ls', '-s', '/']);
  const d = parseMainArgs([]);
  assert.equal(d.server, 'localhost:2181');
  assert.equal(d.timeout, 30000);
  assert.equal(d.command, null);
  // Unknown flags are skipped; a flag without its value stops parsing with zkCli's message.
  assert.deepEqual(parseMainArgs(['-zz', 'get', '/a']).command, ['get', '/a']);
  assert.equal(parseMainArgs(['-server']).problem, 'Error: no argument found for option -server');
  assert.equal(parseMainArgs(['-timeout', 'soon']).fatal, 'For input string: "soon"');
});

test('usage lists every command in Java string order', () => {
  const lines = usageText().split('\n');
  assert.equal(lines[0], 'ZooKeeper -server host:port -client-configuration properties-file cmd args');
  assert.equal(lines[1], '\taddWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE');
  assert.equal(lines[2], '\taddauth scheme auth');
  assert.equal(lines.length, 1 + COMMAND_NAMES.length);
  assert.equal(COMMAND_NAMES.length, 28);
  assert.ok(lines.includes('\tclose '), 'commands without options keep the trailing space');
});

test('completion: commands, flags, znode paths from the parent\'s children', async () => {
  const asked: string[] = [];
  const tree: Record<string, string[]> = { '/': ['zookeeper', 'app', 'apple'], '/app': ['b', 'a'], '/zookeeper': ['quota', 'config'] };
  const lister = async (p: string) => {
    asked.push(p);
    if (!tree[p]) throw Object.assign(new Error('NoNode'), { code: -101 });
    return tree[p];
  };
  assert.deepEqual(await completeLine('g', lister), [['get', 'getAcl', 'getAllChildrenNumber', 'getEphemerals'], 'g']);
  assert.deepEqual(await completeLine('', lister), [COMMAND_NAMES, '']);
  assert.deepEqual(await completeLine('ls /a', lister), [['/app', '/apple'], '/a']);
  assert.deepEqual(await completeLine('get -s /app/', lister), [['/app/a', '/app/b'], '/app/']);
  assert.deepEqual(await completeLine('ls /zookeeper/q', lister), [['/zookeeper/quota'], '/zookeeper/q']);
  assert.deepEqual(await completeLine('ls /missing/x', lister), [[], '/missing/x']);
  assert.deepEqual(asked, ['/', '/app', '/zookeeper', '/missing']);
  assert.deepEqual(await completeLine('ls -', lister), [['-?', '-R', '-s', '-w'], '-']);
  assert.deepEqual(await completeLine('create -t', lister), [['-t'], '-t']);
  assert.deepEqual(await completeLine('printwatches o', lister), [['on', 'off'], 'o']);
  assert.deepEqual(await completeLine('printwatches of', lister), [['off'], 'of']);
});
