/**
 * Output formats of the shell, pinned to what Apache zkCli.sh 3.8 prints (captured from the
 * real one; see test/fixtures/zkcli/ and test/shell/differential.test.ts for the live check).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { javaDateString, javaLongHex, javaListString } from '../../engine/src/shell/java-format.js';
import { formatStat } from '../../engine/src/shell/stat-printer.js';
import { formatAclEntry, parseAcl, permString, javaSplit } from '../../engine/src/shell/acl-text.js';
import { StatsTrack } from '../../engine/src/shell/stats-track.js';
import { cliErrorFor, keeperMessage } from '../../engine/src/shell/errors.js';
import { Err } from '../../engine/src/jute/error-codes.js';
import { formatWatchedEvent } from '../../engine/src/shell/event-text.js';

test('java Date#toString in UTC and in named zones', () => {
  assert.equal(javaDateString(0, 'UTC'), 'Thu Jan 01 00:00:00 UTC 1970');
  // Values checked against `TZ=... java -cp . D` (new Date(1780000000000L)).
  assert.equal(javaDateString(1780000000000n, 'UTC'), 'Thu May 28 20:26:40 UTC 2026');
  assert.equal(javaDateString(1780000000000, 'Europe/Berlin'), 'Thu May 28 22:26:40 CEST 2026');
  assert.equal(javaDateString(0, 'Europe/Berlin'), 'Thu Jan 01 01:00:00 CET 1970');
  assert.equal(javaDateString(1780000000000, 'America/Los_Angeles'), 'Thu May 28 13:26:40 PDT 2026');
  assert.equal(javaDateString(0, 'America/Los_Angeles'), 'Wed Dec 31 16:00:00 PST 1969');
  assert.equal(javaDateString(1780000000000, 'Asia/Kolkata'), 'Fri May 29 01:56:40 IST 2026');
  assert.equal(javaDateString(0, 'GMT'), 'Thu Jan 01 00:00:00 GMT 1970');
});

test('Long.toHexString: no padding, negatives in two\'s complement', () => {
  assert.equal(javaLongHex(0n), '0');
  assert.equal(javaLongHex(0x1f), '1f');
  assert.equal(javaLongHex(0x100000a2b3c4d5en), '100000a2b3c4d5e');
  assert.equal(javaLongHex(-1n), 'ffffffffffffffff');
  assert.equal(javaLongHex(-0x8000000000000000n), '8000000000000000');
});

test('List#toString', () => {
  assert.equal(javaListString([]), '[]');
  assert.equal(javaListString(['/p/e1', '/x']), '[/p/e1, /x]');
});

test('the Stat block, line for line', () => {
  const text = formatStat(
    {
      czxid: 0x10n,
      mzxid: 0x25n,
      ctime: 0n,
      mtime: 1780000000000n,
      version: 1,
      cversion: 4,
      aversion: -1,
      ephemeralOwner: 0x100000a2b3c0000n,
      dataLength: 5,
      numChildren: 2,
      pzxid: 0x14n,
    },
    'UTC',
  );
  assert.equal(
    text,
    [
      'cZxid = 0x10',
      'ctime = Thu Jan 01 00:00:00 UTC 1970',
      'mZxid = 0x25',
      'mtime = Thu May 28 20:26:40 UTC 2026',
      'pZxid = 0x14',
      'cversion = 4',
      'dataVersion = 1',
      'aclVersion = -1',
      'ephemeralOwner = 0x100000a2b3c0000',
      'dataLength = 5',
      'numChildren = 2',
      '',
    ].join('\n'),
  );
});

test('ACL entries print as jute Id#toString + perms in cdrwa order', () => {
  assert.equal(permString(31), 'cdrwa');
  assert.equal(permString(1 | 2), 'rw');
  assert.equal(permString(0), '');
  assert.equal(formatAclEntry({ perms: 31, id: { scheme: 'world', id: 'anyone' } }), "'world,'anyone\n: cdrwa");
  assert.equal(
    formatAclEntry({ perms: 1, id: { scheme: 'digest', id: 'u:BvFaefuhWURhnvpD7ipe45CKTpk=' } }),
    "'digest,'u:BvFaefuhWURhnvpD7ipe45CKTpk=\n: r",
  );
  // ToStringOutputArchive escapes these characters.
  assert.equal(formatAclEntry({ perms: 2, id: { scheme: 'x', id: 'a,b}%\n' } }), "'x,'a%2Cb%7D%25%0A\n: w");
});

test('ACL parsing keeps zkCli\'s leniency and warnings', () => {
  assert.deepEqual(parseAcl('world:anyone:cdrwa'), {
    acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }],
    warnings: [],
  });
  assert.deepEqual(parseAcl('digest:u:abc:rw,ip:127.0.0.1:a').acl, [
    { perms: 3, id: { scheme: 'digest', id: 'u:abc' } },
    { perms: 16, id: { scheme: 'ip', id: '127.0.0.1' } },
  ]);
  assert.deepEqual(parseAcl('bogus'), { acl: [], warnings: ['bogus does not have the form scheme:id:perm'] });
  assert.deepEqual(parseAcl('world:anyone:xr'), {
    acl: [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }],
    warnings: ['Unknown perm type: x'],
  });
  assert.deepEqual(parseAcl('auth::cdrwa').acl, [{ perms: 31, id: { scheme: 'auth', id: '' } }]);
  assert.deepEqual(javaSplit('', ','), ['']);
  assert.deepEqual(javaSplit(',,', ','), []);
  assert.deepEqual(javaSplit('a,,b,', ','), ['a', '', 'b']);
});

test('quota text round-trips in StatsTrack form', () => {
  const t = StatsTrack.parse('count=5,bytes=100=;byteHardLimit=-1;countHardLimit=10');
  assert.equal(t.get('count'), 5n);
  assert.equal(t.get('countHardLimit'), 10n);
  assert.equal(t.toString(), 'count=5,bytes=100=;byteHardLimit=-1;countHardLimit=10');
  assert.equal(StatsTrack.parse('count=5,bytes=1').toString(), 'count=5,bytes=1');
  const fresh = new StatsTrack();
  fresh.set('count', 5n);
  fresh.set('bytes', -1n);
  fresh.set('countHardLimit', -1n);
  fresh.set('byteHardLimit', -1n);
  assert.equal(fresh.toString(), 'count=5,bytes=-1=;byteHardLimit=-1;countHardLimit=-1');
  assert.equal(new StatsTrack().get('bytes'), -1n);
  assert.throws(() => StatsTrack.parse('count=x'), /For input string: "x"/);
});

test('errors read like CliWrapperException / KeeperException', () => {
  assert.equal(cliErrorFor({ code: Err.NoNode, path: '/x' }).message, 'Node does not exist: /x');
  assert.equal(cliErrorFor({ code: Err.NodeExists, path: '/a' }).message, 'Node already exists: /a');
  assert.equal(cliErrorFor({ code: Err.BadVersion, path: '/a' }).message, 'version No is not valid : /a');
  assert.equal(cliErrorFor({ code: Err.NoAuth, path: '/a' }).message, 'Insufficient permission : /a');
  assert.equal(cliErrorFor({ code: Err.NotEmpty, path: '/p' }).message, 'Node not empty: /p');
  assert.equal(cliErrorFor({ code: Err.InvalidACL }).message, 'Acl is not valid : null');
  assert.equal(cliErrorFor({ code: Err.NoWatcher, path: '/w' }).message, 'KeeperErrorCode = No such watcher for /w');
  assert.equal(cliErrorFor({ code: Err.ConnectionLoss, path: '/' }).message, 'KeeperErrorCode = ConnectionLoss for /');
  assert.equal(keeperMessage({ code: Err.InvalidACL }), 'KeeperErrorCode = InvalidACL');
  assert.equal(cliErrorFor(new Error('boom')).exitCode, 1);
});

test('watched events print as WatchedEvent#toString', () => {
  assert.equal(
    formatWatchedEvent({ state: 'SyncConnected', type: 'None', path: null }),
    'WatchedEvent state:SyncConnected type:None path:null',
  );
  assert.equal(
    formatWatchedEvent({ state: 'SyncConnected', type: 'NodeChildrenChanged', path: '/w' }),
    'WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/w',
  );
});
