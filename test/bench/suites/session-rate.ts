/**
 * Session connect+close rate: concurrent loops each open a new session (handshake,
 * a createSession transaction), close it (closeSession, another transaction) and start
 * over. Both transactions are durable before they are answered, so this also measures
 * small-write commit latency under many connections. The issue sets no target for it.
 */
import { loadAverage } from '../lib/proc-stats.js';
import { interleaved, startStandalones, type Suite } from './context.js';

export const sessionRateSuite: Suite = {
  name: 'sessions',
  async run(ctx) {
    const { opts, results } = ctx;
    const servers = await startStandalones(ctx);
    const section = `Sessions: connect + close, ${opts.churnLoops} concurrent clients`;
    try {
      for (let round = 0; round < opts.rounds; round++) {
        ctx.log(`sessions round ${round + 1}/${opts.rounds} (load ${loadAverage()})`);
        for (const s of interleaved(servers, round)) {
          const r = await ctx.pool.churn([s.hostPort], opts.churnLoops, { warmupMs: opts.warmupMs, durationMs: opts.seconds * 1000 });
          if (r.errors > 0) throw new Error(`${s.label}: ${r.errors} connect+close cycles failed`);
          const p50 = r.histogram.percentile(50);
          const p99 = r.histogram.percentile(99);
          ctx.log(`  ${s.label.padEnd(7)} ${Math.round(r.throughput)} sessions/s  p50 ${p50.toFixed(3)} ms  p99 ${p99.toFixed(3)} ms`);
          results.add(section, 'connect+close rate', 'sessions/s', 'higher', s.kind, r.throughput);
          results.add(section, 'connect+close p50', 'ms', 'lower', s.kind, p50);
          results.add(section, 'connect+close p99', 'ms', 'lower', s.kind, p99);
        }
      }
    } finally {
      await Promise.all(servers.map((s) => s.destroy(true)));
    }
  },
};
