/**
 * Watch fan-out: 1 000 sessions (spread over the load workers) each hold a data watch
 * on one node; the coordinator sets the node and we time setData-sent → the last (and
 * the first) session's NodeDataChanged arrival, on the clock every process shares
 * (lib/clock.ts). Watches are one-time (wire-protocol.md §12.3), so each fire re-arms.
 */
import { setDataFrame } from '../loadgen/frames.js';
import { PipelinedSession } from '../loadgen/session.js';
import { monoNow } from '../lib/clock.js';
import { loadAverage } from '../lib/proc-stats.js';
import { median } from '../lib/stats.js';
import { interleaved, startStandalones, type Suite } from './context.js';
import { createNodes } from './setup.js';

const PATH = '/watched';
const FIRE_TIMEOUT_MS = 30_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]);
}

export const watchFanOutSuite: Suite = {
  name: 'watch',
  async run(ctx) {
    const { opts, results } = ctx;
    const servers = await startStandalones(ctx);
    const section = `Watch fan-out, ${opts.watchers} watcher sessions on one node`;
    try {
      for (const s of servers) await createNodes(s.hostPort, [PATH]);
      for (let round = 0; round < opts.rounds; round++) {
        ctx.log(`watch round ${round + 1}/${opts.rounds} (load ${loadAverage()})`);
        for (const s of interleaved(servers, round)) {
          await ctx.pool.open([s.hostPort], opts.watchers);
          const trigger = await PipelinedSession.open(s.hostPort);
          try {
            const last: number[] = [];
            const first: number[] = [];
            for (let f = 0; f < opts.fires; f++) {
              const { fired } = await ctx.pool.arm(PATH);
              const t0 = monoNow();
              const reply = await trigger.call(setDataFrame(PATH));
              if (reply.err !== 0) throw new Error(`setData ${PATH} failed with error ${reply.err}`);
              const f2 = await withTimeout(fired, FIRE_TIMEOUT_MS, `${s.label}: NodeDataChanged at all ${opts.watchers} sessions`);
              if (f2.sessions !== opts.watchers) throw new Error(`${s.label}: ${f2.sessions} of ${opts.watchers} sessions saw the event`);
              last.push(f2.lastAt - t0);
              first.push(f2.firstAt - t0);
            }
            const l = median(last);
            const fst = median(first);
            ctx.log(`  ${s.label.padEnd(7)} setData → last event ${l.toFixed(2)} ms, first ${fst.toFixed(2)} ms (median of ${opts.fires})`);
            results.add(section, 'setData → last event', 'ms', 'lower', s.kind, l);
            results.add(section, 'setData → first event', 'ms', 'lower', s.kind, fst);
          } finally {
            await trigger.close().catch(() => trigger.destroy());
            await ctx.pool.closeAll();
          }
        }
      }
    } finally {
      await Promise.all(servers.map((s) => s.destroy(true)));
    }
  },
};
