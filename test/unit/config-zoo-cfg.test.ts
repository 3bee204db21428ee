import test from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseProperties, parseZooCfg, ALL_FOUR_LETTER_WORDS } from '../../engine/src/config/index.js';

const base = 'tickTime=2000\ndataDir=/data\nclientPort=2181\n';

test('properties: separators, comments, continuation and escapes', () => {
  const props = parseProperties(
    ['# comment', '! also a comment', '  a = 1 ', 'b:2', 'c 3', 'd=x\\', '   y', 'e=\\u0041\\tz', 'f', ''].join('\n'),
  );
  assert.deepEqual(
    props.map((p) => [p.key, p.value]),
    [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', 'xy'],
      ['e', 'A\tz'],
      ['f', ''],
    ],
  );
  assert.equal(props[3].line, 6);
});

test('minimal standalone config gets ZooKeeper defaults (loopback address, 2/20 ticks)', () => {
  const c = parseZooCfg(base);
  assert.equal(c.tickTime, 2000);
  assert.equal(c.dataDir, '/data');
  assert.equal(c.dataLogDir, '/data');
  assert.equal(c.clientPort, 2181);
  assert.equal(c.clientPortAddress, '127.0.0.1');
  assert.equal(c.minSessionTimeout, 4000);
  assert.equal(c.maxSessionTimeout, 40000);
  assert.equal(c.maxClientCnxns, 60);
  assert.equal(c.snapCount, 100000);
  assert.equal(c.autopurgeSnapRetainCount, 3);
  assert.equal(c.autopurgePurgeInterval, 0);
  assert.equal(c.juteMaxBuffer, 0xfffff);
  assert.deepEqual([...c.fourLetterWords], ['srvr']);
  assert.equal(c.extendedTypesEnabled, false);
  assert.equal(c.container.checkIntervalMs, 60000);
  assert.equal(c.container.maxPerMinute, 10000);
  assert.equal(c.myid, null);
  assert.deepEqual(c.servers, []);
  assert.deepEqual(c.warnings, []);
});

test('explicit values override defaults; clientPort 0 asks for a free port', () => {
  const c = parseZooCfg(
    base.replace('clientPort=2181', 'clientPort=0') +
      [
        'dataLogDir=/logs',
        'clientPortAddress=0.0.0.0',
        'minSessionTimeout=1000',
        'maxSessionTimeout=5000',
        'maxClientCnxns=0',
        'snapCount=50',
        'autopurge.snapRetainCount=5',
        'autopurge.purgeInterval=1',
        'jute.maxbuffer=0x1000',
        'extendedTypesEnabled=true',
        'znode.container.checkIntervalMs=100',
        'znode.container.maxPerMinute=7',
        'znode.container.maxNeverUsedIntervalMs=9',
        'reconfigEnabled=false',
        'zoolab.stateIntervalMs=250',
        'zoolab.logLevel=debug',
      ].join('\n'),
  );
  assert.equal(c.clientPort, 0);
  assert.equal(c.dataLogDir, '/logs');
  assert.equal(c.clientPortAddress, '0.0.0.0');
  assert.equal(c.minSessionTimeout, 1000);
  assert.equal(c.maxSessionTimeout, 5000);
  assert.equal(c.maxClientCnxns, 0);
  assert.equal(c.snapCount, 50);
  assert.equal(c.autopurgeSnapRetainCount, 5);
  assert.equal(c.autopurgePurgeInterval, 1);
  assert.equal(c.juteMaxBuffer, 4096);
  assert.equal(c.extendedTypesEnabled, true);
  assert.deepEqual(c.container, { checkIntervalMs: 100, maxPerMinute: 7, maxNeverUsedIntervalMs: 9 });
  assert.equal(c.zoolab.stateIntervalMs, 250);
  assert.equal(c.zoolab.logLevel, 'debug');
});

test('system-property-style keys are accepted with and without the zookeeper. prefix', () => {
  const digest = 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=';
  const a = parseZooCfg(base + `DigestAuthenticationProvider.superDigest=${digest}\nskipACL=yes\nreadonlymode.enabled=true`);
  const b = parseZooCfg(base + `zookeeper.DigestAuthenticationProvider.superDigest=${digest}\nzookeeper.skipACL=no\nzookeeper.extendedTypesEnabled=true`);
  assert.equal(a.superDigest, digest);
  assert.equal(b.superDigest, digest);
  assert.equal(a.skipACL, true);
  assert.equal(b.skipACL, false);
  assert.equal(a.readOnlyModeEnabled, true);
  assert.equal(a.sessionlessCnxnTimeout, 10000);
  assert.equal(parseZooCfg(base + 'zookeeper.nio.sessionlessCnxnTimeout=2500').sessionlessCnxnTimeout, 2500);
  assert.equal(b.extendedTypesEnabled, true);
  assert.deepEqual(a.warnings, []);
  assert.deepEqual(b.warnings, []);
});

test('4lw whitelist: list, star, unknown words warned, isro added in read-only mode', () => {
  assert.deepEqual([...parseZooCfg(base + '4lw.commands.whitelist=stat, ruok ,conf').fourLetterWords].sort(), ['conf', 'ruok', 'stat']);
  assert.deepEqual([...parseZooCfg(base + '4lw.commands.whitelist=*').fourLetterWords].sort(), [...ALL_FOUR_LETTER_WORDS].sort());
  const c = parseZooCfg(base + '4lw.commands.whitelist=srvr,nope\nreadonlymode.enabled=true');
  assert.deepEqual([...c.fourLetterWords].sort(), ['isro', 'srvr']);
  assert.deepEqual(c.warnings, ["unknown four-letter word 'nope' in 4lw.commands.whitelist ignored"]);
});

test('unknown keys and no-effect ZooKeeper keys are warnings, not errors', () => {
  const c = parseZooCfg(base + 'fooBar=1\nadmin.enableServer=false');
  assert.deepEqual(c.warnings, [
    'unknown config key fooBar ignored',
    'config key admin.enableServer is accepted but has no effect in ZooLab',
  ]);
});

test('values below a minimum are raised with a warning', () => {
  const c = parseZooCfg(base + 'autopurge.snapRetainCount=1\nsnapCount=1');
  assert.equal(c.autopurgeSnapRetainCount, 3);
  assert.equal(c.snapCount, 2);
  assert.equal(c.warnings.length, 2);
});

test('bad values give one-line errors naming key, value and expectation', () => {
  const cases: [string, string][] = [
    ['tickTime=abc', "invalid value 'abc' for tickTime: expected an integer >= 1"],
    ['clientPort=70000', "invalid value '70000' for clientPort: expected an integer from 0 to 65535"],
    ['maxClientCnxns=-3', "invalid value '-3' for maxClientCnxns: expected an integer >= 0"],
    ['extendedTypesEnabled=maybe', "invalid value 'maybe' for extendedTypesEnabled: expected 'true' or 'false'"],
    ['skipACL=perhaps', "invalid value 'perhaps' for skipACL: expected 'yes' or 'no'"],
    ['peerType=boss', "invalid value 'boss' for peerType: expected 'participant' or 'observer'"],
    ['zoolab.logLevel=loud', "invalid value 'loud' for zoolab.logLevel: expected 'error', 'warn', 'info' or 'debug'"],
    ['server.1=host:2888', "invalid value 'host:2888' for server.1: expected host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort]"],
  ];
  for (const [line, message] of cases) {
    assert.throws(() => parseZooCfg(base + line), (e: unknown) => e instanceof ConfigError && e.message === message, line);
    assert.doesNotMatch(message, /\n/);
  }
});

test('missing or contradictory required settings', () => {
  assert.throws(() => parseZooCfg('clientPort=1'), /dataDir is not set/);
  assert.throws(() => parseZooCfg('dataDir=/d'), /clientPort is not set/);
  assert.throws(
    () => parseZooCfg(base + 'minSessionTimeout=9000\nmaxSessionTimeout=5000'),
    /minSessionTimeout \(9000\) must not be larger than maxSessionTimeout \(5000\)/,
  );
});

test('ensemble: server lines in every form, myid from dataDir, role and client port', () => {
  const cfg = [
    'tickTime=500',
    'dataDir=/d',
    'initLimit=10',
    'syncLimit=5',
    'server.1=127.0.0.1:2888:3888',
    'server.2=127.0.0.1:2889:3889:participant;127.0.0.2:2182',
    'server.3=[::1]:2890:3890:observer;2183',
  ].join('\n');
  const c = parseZooCfg(cfg, { readMyid: (dir) => (dir === '/d' ? '3\n' : null) });
  assert.equal(c.myid, 3);
  assert.equal(c.peerType, 'observer');
  assert.equal(c.clientPort, 2183);
  assert.deepEqual(c.servers[0], {
    id: 1, host: '127.0.0.1', quorumPort: 2888, electionPort: 3888, type: 'participant', clientHost: null, clientPort: null,
  });
  assert.deepEqual(c.servers[1], {
    id: 2, host: '127.0.0.1', quorumPort: 2889, electionPort: 3889, type: 'participant', clientHost: '127.0.0.2', clientPort: 2182,
  });
  assert.equal(c.servers[2].host, '::1');
  assert.equal(c.servers[2].type, 'observer');

  assert.throws(() => parseZooCfg(cfg + '\nclientPort=9999', { readMyid: () => '3' }), /conflicts/);
  assert.throws(() => parseZooCfg(cfg, { readMyid: () => null }), /myid file is missing in \/d/);
  assert.throws(() => parseZooCfg(cfg, { readMyid: () => '7' }), /myid 7 has no server.7 line/);
  assert.throws(() => parseZooCfg(cfg, { readMyid: () => 'x' }), /invalid myid file/);
  assert.throws(() => parseZooCfg(cfg.replace('initLimit=10\n', ''), { readMyid: () => '3' }), /initLimit is not set/);
});

test('a single server line stays standalone unless standaloneEnabled=false', () => {
  const c = parseZooCfg(base + 'server.1=127.0.0.1:2888:3888');
  assert.equal(c.servers.length, 1);
  assert.throws(
    () => parseZooCfg(base + 'server.1=127.0.0.1:2888:3888\nstandaloneEnabled=false', { readMyid: () => null }),
    /initLimit is not set/,
  );
});

test('relative data directories resolve through the given resolver', () => {
  const c = parseZooCfg('dataDir=rel\nclientPort=1', { resolvePath: (p) => `/cwd/${p}` });
  assert.equal(c.dataDir, '/cwd/rel');
  assert.equal(c.dataLogDir, '/cwd/rel');
});
