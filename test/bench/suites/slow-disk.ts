/**
 * Write latency on a simulated slow disk: our member with every log flush taking at
 * least --slow-fsync-ms (ZOOLAB_FSYNC_DELAY_MS, honoured by the storage layer). With one
 * write in flight each write waits for its own flush; with many, group commit lets one
 * flush carry a whole batch (docs/storage.md), so throughput should be far above
 * 1000 / delay per second while latency stays near one or two flushes. Apache has no
 * such knob, so this table is ZooLab only.
 */
import { keyPath } from '../loadgen/workloads.js';
import { loadAverage } from '../lib/proc-stats.js';
import { createZooLabMember } from '../servers/zoolab-member.js';
import type { Suite } from './context.js';
import { createNodes } from './setup.js';

const KEYS = 1000;
const KEY_PREFIX = '/slow/k/k';

export const slowDiskSuite: Suite = {
  name: 'slowdisk',
  async run(ctx) {
    const { opts, results } = ctx;
    if (!opts.servers.includes('zoolab')) return;
    const delay = opts.slowFsyncMs;
    const server = await createZooLabMember({ label: `zoolab (${delay} ms fsync)`, env: { ZOOLAB_FSYNC_DELAY_MS: String(delay) }, nodeArgs: opts.memberNodeArgs });
    const section = `Simulated slow disk: ZooLab with a ${delay} ms fsync (no group commit would cap writes at ${Math.round(1000 / delay)}/s per flush stream)`;
    try {
      await server.start();
      await createNodes(server.hostPort, ['/slow', '/slow/k', '/slow/c', ...Array.from({ length: KEYS }, (_, i) => keyPath(KEY_PREFIX, i))]);
      const shapes = [
        { sessions: 1, inFlight: 1 },
        { sessions: 4, inFlight: 1 },
        { sessions: opts.sessions, inFlight: opts.inFlight },
      ];
      for (let round = 0; round < opts.rounds; round++) {
        ctx.log(`slow disk round ${round + 1}/${opts.rounds} (load ${loadAverage()})`);
        for (const shape of shapes) {
          const name = `setData ${shape.sessions}×${shape.inFlight}`;
          await ctx.pool.open([server.hostPort], shape.sessions);
          try {
            const r = await ctx.pool.load({ kind: 'set', keyPrefix: KEY_PREFIX, keys: KEYS }, { inFlight: shape.inFlight, warmupMs: opts.warmupMs, durationMs: opts.seconds * 1000 });
            if (r.errors > 0) throw new Error(`${server.label}: ${r.errors} setData errors`);
            const p50 = r.histogram.percentile(50);
            const p99 = r.histogram.percentile(99);
            ctx.log(`  ${name.padEnd(16)} ${Math.round(r.throughput).toString().padStart(6)} ops/s  p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms`);
            results.add(section, `${name} ops/s`, 'ops/s', 'higher', 'zoolab', r.throughput);
            results.add(section, `${name} p50`, 'ms', 'lower', 'zoolab', p50);
            results.add(section, `${name} p99`, 'ms', 'lower', 'zoolab', p99);
          } finally {
            await ctx.pool.closeAll();
          }
        }
      }
    } finally {
      await server.destroy(true);
    }
  },
};
