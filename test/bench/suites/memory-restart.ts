/**
 * Memory and restart: RSS idle, then with 100 000 and 1 000 000 znodes of 100 bytes
 * (under parents of 1 000 children), and the time from spawning the process to serving
 * again after kill -9 at each size.
 *
 * RSS is VmRSS, read as is and after a full garbage collection of each runtime (the
 * JVM through `jcmd <pid> GC.run`, our member through the inspector's
 * HeapProfiler.collectGarbage; the member of this suite runs with --inspect on loopback
 * for that). The JVM figure (~166 MiB with 100 000 znodes) is the JVM after a
 * full GC; we report it both right after the creates and after a restart, where neither
 * runtime carries the garbage of 100 000 creates.
 *
 * Restarts are crashes (kill -9): each server rebuilds from its own snapshots and log
 * (snapCount 100 000 for both), so the first restart at a size may replay more log than
 * the later ones.
 */
import { fourLetterWord } from '../../helpers/four-letter.js';
import { splitHostPort } from '../loadgen/session.js';
import { parentPath } from '../loadgen/workloads.js';
import { sleep } from '../lib/clock.js';
import { loadAverage } from '../lib/proc-stats.js';
import { mib } from '../lib/stats.js';
import { targets } from '../report/results.js';
import type { BenchServer } from '../servers/bench-server.js';
import { interleaved, startStandalones, type Suite, type SuiteContext } from './context.js';
import { createNodes } from './setup.js';

const ROOT = '/mem';
const PER_PARENT = 1000;
/** Let a server finish what a burst left behind (snapshots, GC) before reading RSS. */
const SETTLE_MS = 3000;

async function znodeCount(s: BenchServer): Promise<number> {
  const answer = await fourLetterWord(Number(splitHostPort(s.hostPort)[1]), 'mntr');
  const m = /^zk_znode_count\s+(\d+)$/m.exec(answer);
  if (!m) throw new Error(`${s.label}: no zk_znode_count in mntr:\n${answer}`);
  return Number(m[1]);
}

/** The memory target: with 100 000 znodes, under half of the JVM's RSS. */
function halfAt100k(size: number) {
  return size === 100_000 ? targets.underShare(0.5, '< ½ Apache') : undefined;
}

function sizeLabel(n: number): string {
  return n.toLocaleString('en-US').replace(/,/g, ' ');
}

async function populate(ctx: SuiteContext, s: BenchServer, from: number, to: number): Promise<number> {
  const parents: string[] = [];
  for (let p = Math.floor(from / PER_PARENT); p < Math.ceil(to / PER_PARENT); p++) parents.push(parentPath(ROOT, p));
  await createNodes(s.hostPort, parents);
  await ctx.pool.open([s.hostPort], ctx.opts.sessions);
  try {
    const r = await ctx.pool.load({ kind: 'populate', root: ROOT, perParent: PER_PARENT, from, to }, { inFlight: ctx.opts.inFlight, warmupMs: 0, durationMs: null });
    if (r.errors > 0) throw new Error(`${s.label}: ${r.errors} creates failed while populating (${JSON.stringify(r.errorCodes)})`);
    return r.throughput;
  } finally {
    await ctx.pool.closeAll();
  }
}

export const memorySuite: Suite = {
  name: 'memory',
  async run(ctx) {
    const { opts, results } = ctx;
    const servers = await startStandalones(ctx, { inspectable: true });
    const rss = 'Memory (VmRSS)';
    const restart = 'Restart after kill -9: spawn → serving';
    try {
      for (const s of servers) await createNodes(s.hostPort, [ROOT]);
      await sleep(SETTLE_MS);
      for (const s of servers) {
        results.add(rss, 'idle', 'MiB', 'lower', s.kind, mib(s.rssBytes()));
        await s.fullGc!();
        results.add(rss, 'idle, after a full GC', 'MiB', 'lower', s.kind, mib(s.rssBytes()));
      }
      let have = 0;
      for (const size of opts.znodes) {
        const label = sizeLabel(size);
        ctx.log(`memory: growing to ${label} znodes (load ${loadAverage()})`);
        const counts = new Map<string, number>();
        for (const s of servers) {
          const rate = await populate(ctx, s, have, size);
          ctx.log(`  ${s.label.padEnd(7)} created ${sizeLabel(size - have)} znodes at ${Math.round(rate)}/s`);
          results.add('Bulk load (4 × 100 creates in flight, growing tree)', `creates/s up to ${label} znodes`, 'ops/s', 'higher', s.kind, rate);
        }
        await sleep(SETTLE_MS);
        for (const s of servers) {
          const count = await znodeCount(s);
          if (count < size) throw new Error(`${s.label}: mntr counts ${count} znodes, expected at least ${size}`);
          counts.set(s.label, count);
          const raw = mib(s.rssBytes());
          await s.fullGc!();
          const collected = mib(s.rssBytes());
          ctx.log(`  ${s.label.padEnd(7)} ${count} znodes, RSS ${raw.toFixed(0)} MiB, ${collected.toFixed(0)} MiB after a full GC`);
          results.add(rss, `${label} znodes, after creating them`, 'MiB', 'lower', s.kind, raw);
          results.add(rss, `${label} znodes, after creating them + full GC`, 'MiB', 'lower', s.kind, collected, halfAt100k(size));
        }
        for (let i = 0; i < opts.restarts; i++) {
          for (const s of interleaved(servers, i)) {
            await s.kill();
            const ms = await s.start();
            const count = await znodeCount(s);
            if (count !== counts.get(s.label)) throw new Error(`${s.label}: ${count} znodes after restart, ${counts.get(s.label)} before`);
            ctx.log(`  ${s.label.padEnd(7)} restart ${i + 1}: serving ${label} znodes after ${ms.toFixed(0)} ms`);
            results.add(restart, `${label} znodes`, 'ms', 'lower', s.kind, ms, size === 1_000_000 ? targets.under(5000, '< 5 s') : undefined);
          }
        }
        await sleep(SETTLE_MS);
        for (const s of servers) {
          await s.fullGc!();
          const collected = mib(s.rssBytes());
          ctx.log(`  ${s.label.padEnd(7)} after restarting: RSS ${collected.toFixed(0)} MiB after a full GC`);
          results.add(rss, `${label} znodes, after a restart + full GC`, 'MiB', 'lower', s.kind, collected, halfAt100k(size));
        }
        have = size;
      }
    } finally {
      await Promise.all(servers.map((s) => s.destroy(true)));
    }
  },
};
