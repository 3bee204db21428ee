/**
 * The ensemble benchmark: a 3-member ZooLab ensemble against a 3-member Apache ZooKeeper
 * 3.8 ensemble on this machine, same settings (tickTime 2000, initLimit 10, syncLimit 5).
 *
 *   node dist/test/bench/ensemble/run.js [--trials 10] [--seconds 5]
 *
 * - failover: kill -9 of the leader → the first successful write (a writer per member,
 *   reconnecting to any member), median of N fresh ensembles;
 * - writes: 4 sessions × 100 requests in flight (setData, 100 bytes), spread over members;
 * - reads: the same with getData.
 * Prints a markdown table for docs/benchmarks.md. Figures, not pass/fail.
 */
import { ZkClient } from '../../../engine/src/client/index.js';
import { fourLetterWord } from '../../helpers/four-letter.js';
import { startApacheZk } from '../../helpers/apache-zk.js';
import { startEnsemble } from '../../cluster/helpers/ensemble.js';
import { PipelinedSession, createFrame, requestFrame, syncFrame } from './pipelined-session.js';

interface Cluster {
  kind: string;
  ports: number[];
  leader(): Promise<number>;
  killLeader(): Promise<void>;
  stop(): Promise<void>;
}

const TICK = 2000;

async function leaderIndex(ports: number[]): Promise<number> {
  for (;;) {
    for (let i = 0; i < ports.length; i++) {
      const srvr = await fourLetterWord(ports[i]!, 'srvr', '127.0.0.1', 2000).catch(() => '');
      if (/^Mode: leader$/m.test(srvr)) return i;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function zoolab(): Promise<Cluster> {
  const e = await startEnsemble({ voters: 3, tickTime: TICK, config: { 'zoolab.streamEvents': false } });
  await e.waitForLeader(60_000);
  const ports = e.members.map((m) => e.port(m.sid));
  return {
    kind: 'ZooLab',
    ports,
    leader: () => leaderIndex(ports),
    async killLeader() {
      await e.kill((await leaderIndex(ports)) + 1);
    },
    stop: () => e.stop(),
  };
}

async function apache(): Promise<Cluster> {
  const zk = await startApacheZk({ members: 3, tickTime: TICK });
  const ports = zk.members.map((m) => m.clientPort);
  await leaderIndex(ports);
  return {
    kind: 'Apache ZooKeeper 3.8',
    ports,
    leader: () => leaderIndex(ports),
    async killLeader() {
      const p = zk.members[await leaderIndex(ports)]!.process;
      await new Promise<void>((resolve) => {
        p.once('exit', () => resolve());
        p.kill('SIGKILL');
      });
    },
    stop: () => zk.stop(),
  };
}

/** ms from kill -9 of the leader to the first acknowledged write. */
async function failoverOnce(start: () => Promise<Cluster>): Promise<number> {
  const c = await start();
  try {
    const connectString = c.ports.map((p) => `127.0.0.1:${p}`).join(',');
    const writers = await Promise.all(c.ports.map(() => ZkClient.connect({ connectString, sessionTimeout: 20_000 }, 20_000)));
    await writers[0]!.create('/f', '');
    let killedAt = 0;
    let first = 0;
    let running = true;
    const loops = writers.map(async (w, i) => {
      for (let n = 0; running; n++) {
        try {
          await w.create(`/f/w${i}-${n}`, 'x');
          if (killedAt > 0 && first === 0) first = performance.now();
        } catch {
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    killedAt = performance.now();
    await c.killLeader();
    while (first === 0) await new Promise((r) => setTimeout(r, 2));
    running = false;
    await Promise.all(loops);
    await Promise.all(writers.map((w) => w.close().catch(() => undefined)));
    return first - killedAt;
  } finally {
    await c.stop();
  }
}

/** ops/s with 4 sessions × 100 in flight spread over the members. */
async function throughput(c: Cluster, kind: 'read' | 'write', seconds: number): Promise<number> {
  const sessions = await Promise.all([0, 1, 2, 3].map((i) => PipelinedSession.open('127.0.0.1', c.ports[i % c.ports.length]!)));
  try {
    await sessions[0]!.once((xid) => createFrame(`/bench-${kind}`, xid));
    // sync: every session's member has applied the create before the load starts.
    for (const s of sessions) await s.once((xid) => syncFrame(`/bench-${kind}`, xid));
    for (const s of sessions) s.errors = 0;
    const data = Buffer.alloc(100, 0x62);
    const load = kind === 'read' ? ({ kind, path: `/bench-${kind}` } as const) : ({ kind, path: `/bench-${kind}`, data } as const);
    for (const s of sessions) s.start((xid) => requestFrame(load, xid), 100);
    await new Promise((r) => setTimeout(r, 1000)); // warm-up
    const from = sessions.reduce((n, s) => n + s.completed, 0);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const done = sessions.reduce((n, s) => n + s.completed, 0) - from;
    const errors = sessions.reduce((n, s) => n + s.errors, 0);
    if (errors > 0) throw new Error(`${c.kind}: ${errors} error replies during the ${kind} run`);
    return done / ((performance.now() - t0) / 1000);
  } finally {
    for (const s of sessions) {
      s.stop();
      s.close();
    }
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, def: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : def;
  };
  const trials = arg('trials', 10);
  const seconds = arg('seconds', 5);
  const rows: string[] = [];
  const results: Record<string, { failover: number[]; writes: number[]; reads: number[] }> = {};
  for (const [name, start] of [
    ['ZooLab', zoolab],
    ['Apache ZooKeeper 3.8', apache],
  ] as const) {
    const r = (results[name] = { failover: [], writes: [], reads: [] } as { failover: number[]; writes: number[]; reads: number[] });
    for (let i = 0; i < trials; i++) {
      r.failover.push(await failoverOnce(start));
      process.stderr.write(`${name} failover trial ${i + 1}: ${r.failover.at(-1)!.toFixed(0)} ms\n`);
    }
    for (let i = 0; i < 3; i++) {
      const c = await start();
      try {
        r.writes.push(await throughput(c, 'write', seconds));
        r.reads.push(await throughput(c, 'read', seconds));
        process.stderr.write(`${name} run ${i + 1}: writes ${r.writes.at(-1)!.toFixed(0)}/s, reads ${r.reads.at(-1)!.toFixed(0)}/s\n`);
      } finally {
        await c.stop();
      }
    }
  }
  rows.push('| | ZooLab | Apache ZooKeeper 3.8 | ratio |', '| --- | --- | --- | --- |');
  const z = results['ZooLab']!;
  const a = results['Apache ZooKeeper 3.8']!;
  rows.push(`| kill -9 of the leader → first successful write, median of ${trials} (ms) | ${median(z.failover).toFixed(0)} | ${median(a.failover).toFixed(0)} | ${(median(z.failover) / median(a.failover)).toFixed(2)} |`);
  rows.push(`| writes/s (setData 100 B, 4 sessions × 100 in flight, median of 3) | ${median(z.writes).toFixed(0)} | ${median(a.writes).toFixed(0)} | ${(median(z.writes) / median(a.writes)).toFixed(2)} |`);
  rows.push(`| reads/s (getData, 4 sessions × 100 in flight, median of 3) | ${median(z.reads).toFixed(0)} | ${median(a.reads).toFixed(0)} | ${(median(z.reads) / median(a.reads)).toFixed(2)} |`);
  process.stdout.write(rows.join('\n') + '\n');
  process.stdout.write(`\nraw: ${JSON.stringify(results)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
