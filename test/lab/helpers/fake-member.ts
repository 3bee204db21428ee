/**
 * A stand-in member process for supervisor tests that must not depend on the real
 * zk-server: reads the zoo.cfg it is given, listens on clientPort, answers `ruok`/`srvr`,
 * reports `ready` and its state over IPC like zk-server does, logs to stderr.
 * Test hooks over the client port: `crsh` logs an ERROR line and exits with code 3.
 * Behaviour knobs in zoo.cfg: `fake.failStart=true` exits at once with a message.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const cfgPath = process.argv[2]!;
const cfg = new Map<string, string>();
for (const line of readFileSync(cfgPath, 'utf8').split('\n')) {
  const m = /^([^#=\s][^=]*)=(.*)$/.exec(line.trim());
  if (m) cfg.set(m[1]!.trim(), m[2]!.trim());
}
const log = (level: string, msg: string) => process.stderr.write(`${new Date().toISOString()} ${level} [fake-member] ${msg}\n`);
const dataDir = cfg.get('dataDir')!;
const myid = Number(readFileSync(join(dataDir, 'myid'), 'utf8').trim());

if (cfg.get('fake.failStart') === 'true') {
  log('ERROR', 'refusing to start: fake.failStart is set');
  process.exit(2);
}

// A "durable" counter proves restarts recover from the member's own data directory.
const startsFile = join(dataDir, 'starts');
const starts = (existsSync(startsFile) ? Number(readFileSync(startsFile, 'utf8')) : 0) + 1;
writeFileSync(startsFile, String(starts));

const server = createServer((socket) => {
  socket.once('data', (chunk: Buffer) => {
    const word = chunk.subarray(0, 4).toString();
    if (word === 'ruok') socket.end('imok');
    else if (word === 'srvr') socket.end(`Zookeeper version: fake\nZxid: 0x${starts.toString(16)}\nMode: standalone\nNode count: ${4 + starts}\n`);
    else if (word === 'crsh') {
      log('ERROR', 'crashing on request');
      process.exit(3);
    } else socket.destroy();
  });
  socket.on('error', () => {});
});
server.listen(Number(cfg.get('clientPort')), '127.0.0.1', () => {
  log('INFO ', `member ${myid} listening on ${cfg.get('clientPort')} (start #${starts})`);
  process.send?.({ type: 'ready', clientPort: Number(cfg.get('clientPort')) });
  if (process.env.FAKE_MEMBER_REPORTS !== '0') {
    process.send?.({
      type: 'state',
      state: {
        sid: myid, role: 'standalone', phase: null, learnerType: 'participant', acceptedEpoch: 0, currentEpoch: 0,
        lastLoggedZxid: `0x${starts.toString(16)}`, committedZxid: `0x${starts.toString(16)}`, leaderId: null, round: 0, vote: null,
        peersConnected: [], learners: [], syncedLearners: [], outstandingProposals: 0, pendingSyncs: 0, serving: true,
        sessionCount: 0, znodeCount: 4 + starts, digest: 'abc',
      },
    });
    process.send?.({ type: 'event', event: { sid: myid, seq: 1, timeMs: Date.now(), event: { kind: 'read-only', entered: false } } });
  }
});
process.on('SIGTERM', () => {
  log('INFO ', 'SIGTERM: shutting down');
  server.close();
  process.exit(0);
});
// Like zk-server: a member whose parent is gone must not linger.
process.on('disconnect', () => process.exit(0));
