/**
 * Four-letter-word formats. The expected texts are the real ZooKeeper 3.8.0 outputs
 * captured on this machine (wire-protocol.md §16), with our version string and the
 * figures of the fake context substituted.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  answerFourLetterWord,
  asFourLetterWord,
  formatConnection,
  notInWhitelist,
  NOT_SERVING,
  type ConnectionSummary,
  type FourLetterContext,
} from '../../engine/src/server/four-letter-words.js';
import { ConnectionStats, ServerStats } from '../../engine/src/server/server-stats.js';
import { javaDateUtc, javaDouble } from '../../engine/src/server/java-format.js';
import { monitorLines } from '../../engine/src/server/mntr.js';
import { LatencyStats } from '../../engine/src/server/server-stats.js';

const VERSION = '3.8.4-zoolab-0.1.0, built on 2026-01-05 10:00 UTC';

function conn(remote: string, sessionId: bigint, fill?: (s: ConnectionStats) => void): ConnectionSummary {
  const stats = new ConnectionStats();
  fill?.(stats);
  return { remote, interestOps: sessionId === 0n ? 0 : 1, queued: 0, stats, sessionId, established: 1795326252968, timeout: 10000 };
}

function context(over: Partial<FourLetterContext> = {}): FourLetterContext {
  const stats = new ServerStats();
  const base: FourLetterContext = {
    serving: true,
    readOnly: false,
    mode: 'standalone',
    version: VERSION,
    stats,
    outstanding: 0,
    lastZxid: 5n,
    nodeCount: 8,
    connections: () => [],
    conf: () => [['clientPort', 2181], ['secureClientPort', -1]],
    environment: () => [['host.name', 'localhost']],
    monitor: () => [['version', VERSION], ['server_state', 'standalone']],
    watchSummary: () => ({ connections: 2, paths: 3, total: 3 }),
    watchesBySession: () => [],
    watchesByPath: () => [],
    sessionBuckets: () => [],
    ephemerals: () => [],
    dirs: () => ({ dataDirSize: 457, logDirSize: 457 }),
    digests: () => [],
    resetConnectionStats: () => {},
    resetServerStats: () => stats.reset(),
    traceMask: 306n,
  };
  return Object.assign(base, over);
}

test('four-letter words are recognised from the first 4 bytes only', () => {
  assert.equal(asFourLetterWord(Buffer.from('ruok')), 'ruok');
  assert.equal(asFourLetterWord(Buffer.from('srvrXYZ')), 'srvr');
  assert.equal(asFourLetterWord(Buffer.from('xyzw')), null);
  assert.equal(asFourLetterWord(Buffer.from('ruo')), null);
  // A ConnectRequest starts with its length, e.g. 0x0000002d: never a word.
  assert.equal(asFourLetterWord(Buffer.from([0, 0, 0, 0x2d])), null);
});

test('whitelist refusal text', () => {
  assert.equal(notInWhitelist('stat'), 'stat is not executed because it is not in the whitelist.\n');
});

test('ruok and isro have no trailing newline', () => {
  assert.equal(answerFourLetterWord('ruok', context()), 'imok');
  assert.equal(answerFourLetterWord('isro', context()), 'rw');
  assert.equal(answerFourLetterWord('isro', context({ readOnly: true })), 'ro');
  assert.equal(answerFourLetterWord('isro', context({ serving: false })), 'null');
});

test('srvr matches the real layout', () => {
  const ctx = context({ connections: () => [conn('/127.0.0.1:1', 1n), conn('/127.0.0.1:2', 2n), conn('/127.0.0.1:3', 0n)] });
  ctx.stats.packetsReceived = 13;
  ctx.stats.packetsSent = 12;
  for (const ms of [0, 12, 3, 2, 3, 3, 2, 2, 1]) ctx.stats.latency.record(ms);
  assert.equal(
    answerFourLetterWord('srvr', ctx),
    `Zookeeper version: ${VERSION}\nLatency min/avg/max: 0/3.1111/12\nReceived: 13\nSent: 12\nConnections: 3\n` +
      'Outstanding: 0\nZxid: 0x5\nMode: standalone\nNode count: 8\n',
  );
});

test('a fresh server prints avg latency 0.0', () => {
  assert.match(answerFourLetterWord('srvr', context()), /^Latency min\/avg\/max: 0\/0\.0\/0$/m);
});

test('stat lists clients briefly, then the srvr body; read-only adds a line', () => {
  const ctx = context({
    connections: () => [
      conn('/127.0.0.1:52318', 0x1000010f7720001n, (s) => ((s.received = 4), (s.sent = 4))),
      conn('/127.0.0.1:52336', 0n, (s) => (s.received = 1)),
    ],
  });
  const out = answerFourLetterWord('stat', ctx);
  assert.ok(
    out.startsWith(
      `Zookeeper version: ${VERSION}\nClients:\n /127.0.0.1:52318[1](queued=0,recved=4,sent=4)\n` +
        ' /127.0.0.1:52336[0](queued=0,recved=1,sent=0)\n\nLatency min/avg/max:',
    ),
    out,
  );
  const ro = answerFourLetterWord('stat', context({ readOnly: true, mode: 'read-only' }));
  assert.ok(ro.startsWith(`Zookeeper version: ${VERSION}\nREAD-ONLY mode; serving only read-only clients\nClients:\n`));
  assert.match(ro, /Mode: read-only\n/);
});

test('cons prints full details for connections with a session, three counters otherwise', () => {
  const withSession = conn('/127.0.0.1:52318', 0x1000010f7720001n, (s) => {
    s.received = 4;
    s.sent = 4;
    s.lastOp = 'CREA';
    s.lastCxid = 3;
    s.lastZxid = 5n;
    s.lastResponseTime = 1112343;
    for (const ms of [0, 2, 1]) s.latency.record(ms);
  });
  assert.equal(
    formatConnection(withSession, false),
    ' /127.0.0.1:52318[1](queued=0,recved=4,sent=4,sid=0x1000010f7720001,lop=CREA,est=1795326252968,to=10000,' +
      'lcxid=0x3,lzxid=0x5,lresp=1112343,llat=1,minlat=0,avglat=1,maxlat=2)\n',
  );
  const out = answerFourLetterWord('cons', context({ connections: () => [withSession, conn('/127.0.0.1:52342', 0n, (s) => (s.received = 1))] }));
  assert.ok(out.endsWith(' /127.0.0.1:52342[0](queued=0,recved=1,sent=0)\n\n'), out);
});

test('watch words', () => {
  const ctx = context({
    watchesBySession: () => [
      [0x1000010f7720001n, ['/a/e']],
      [0x1000010f7720000n, ['/a', '/nope']],
    ],
    watchesByPath: () => [
      ['/a', [0x1000010f7720000n]],
      ['/a/e', [0x1000010f7720001n]],
    ],
  });
  assert.equal(answerFourLetterWord('wchs', ctx), '2 connections watching 3 paths\nTotal watches:3\n');
  assert.equal(answerFourLetterWord('wchc', ctx), '0x1000010f7720001\n\t/a/e\n0x1000010f7720000\n\t/a\n\t/nope\n\n');
  assert.equal(answerFourLetterWord('wchp', ctx), '/a\n\t0x1000010f7720000\n/a/e\n\t0x1000010f7720001\n\n');
  assert.equal(answerFourLetterWord('wchc', context()), '\n');
});

test('dump lists expiry buckets, ephemerals and connections', () => {
  const at = Date.UTC(2026, 10, 22, 5, 44, 24);
  const ctx = context({
    sessionBuckets: () => [{ expiresAt: at, sessions: [0x1000010f7720001n, 0x1000010f7720000n] }],
    ephemerals: () => [
      [0x1000010f7720000n, ['/a/e']],
      [0x1000010f7720001n, ['/b']],
    ],
    connections: () => [conn('/127.0.0.1:52318', 0x1000010f7720001n)],
  });
  assert.equal(
    answerFourLetterWord('dump', ctx),
    'SessionTracker dump:\nSession Sets (1)/(2):\n2 expire at Sun Nov 22 05:44:24 UTC 2026:\n\t0x1000010f7720001\n\t0x1000010f7720000\n' +
      'ephemeral nodes dump:\nSessions with Ephemerals (2):\n0x1000010f7720000:\n\t/a/e\n0x1000010f7720001:\n\t/b\n' +
      'Connections dump:\nConnections Sets (1)/(1):\n1 expire at Sun Nov 22 05:44:24 UTC 2026:\n' +
      '\tip: /127.0.0.1:52318 sessionId: 0x1000010f7720001\n',
  );
});

test('conf, envi, dirs, crst, srst, gtmk, stmk', () => {
  const ctx = context();
  assert.equal(answerFourLetterWord('conf', ctx), 'clientPort=2181\nsecureClientPort=-1\n');
  assert.equal(answerFourLetterWord('envi', ctx), `Environment:\nzookeeper.version=${VERSION}\nhost.name=localhost\n`);
  assert.equal(answerFourLetterWord('dirs', ctx), 'datadir_size: 457\nlogdir_size: 457\n');
  assert.equal(answerFourLetterWord('crst', ctx), 'Connection stats reset.\n');
  ctx.stats.packetsReceived = 9;
  assert.equal(answerFourLetterWord('srst', ctx), 'Server stats reset.\n');
  assert.equal(ctx.stats.packetsReceived, 0);
  assert.equal(answerFourLetterWord('gtmk', ctx), '306');
  assert.equal(answerFourLetterWord('stmk', ctx, 42n), '42');
  assert.equal(answerFourLetterWord('gtmk', ctx), '42');
});

test('words that need a serving member say so when it is not serving', () => {
  const ctx = context({ serving: false });
  for (const w of ['srvr', 'stat', 'cons', 'conf', 'mntr', 'wchs', 'wchc', 'wchp', 'dump', 'dirs', 'crst', 'srst']) {
    assert.equal(answerFourLetterWord(w, ctx), NOT_SERVING, w);
  }
  assert.equal(answerFourLetterWord('ruok', ctx), 'imok');
  assert.match(answerFourLetterWord('envi', ctx), /^Environment:\n/);
});

test('mntr: tab-separated, gauges in ZooKeeper order, doubles like Java', () => {
  const stats = new ServerStats();
  const lines = monitorLines({
    version: VERSION,
    serverState: 'standalone',
    ephemeralsCount: 2,
    aliveConnections: 3,
    outstandingRequests: 0,
    znodeCount: 8,
    globalSessions: 2,
    watchCount: 4,
    approximateDataSize: 54,
    openFileDescriptors: 40,
    maxFileDescriptors: 20000,
    uptimeMs: 536,
    stats,
    snapCount: 0,
    commitCount: 0,
    fsyncTime: new LatencyStats(),
    snapshotTime: new LatencyStats(),
  });
  const text = answerFourLetterWord('mntr', context({ monitor: () => lines }));
  assert.ok(
    text.startsWith(
      `zk_version\t${VERSION}\nzk_server_state\tstandalone\nzk_ephemerals_count\t2\nzk_num_alive_connections\t3\n` +
        'zk_avg_latency\t0.0\nzk_outstanding_requests\t0\nzk_znode_count\t8\nzk_global_sessions\t2\n',
    ),
    text,
  );
  for (const line of text.trimEnd().split('\n')) assert.match(line, /^zk_[a-z_0-9]+\t\S.*$/);
  assert.match(text, /^zk_avg_readlatency\t0\.0$/m);
  assert.match(text, /^zk_watch_count\t4$/m);
});

test('Java number and date formats', () => {
  assert.equal(javaDouble(0), '0.0');
  assert.equal(javaDouble(3.1111), '3.1111');
  assert.equal(javaDouble(2), '2.0');
  assert.equal(javaDouble(0.0005), '5.0E-4');
  assert.equal(javaDateUtc(Date.UTC(2026, 0, 5, 7, 8, 9)), 'Mon Jan 05 07:08:09 UTC 2026');
});
