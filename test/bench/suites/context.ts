/** What every suite gets: the options, the result sink, a log and the shared load workers. */
import type { BenchOptions } from '../options.js';
import type { Results } from '../report/results.js';
import type { WorkerPool } from '../loadgen/worker-pool.js';
import type { BenchServer, ServerKind } from '../servers/bench-server.js';
import { createApacheStandalone } from '../servers/apache-standalone.js';
import { createZooLabMember } from '../servers/zoolab-member.js';

export interface SuiteContext {
  opts: BenchOptions;
  results: Results;
  pool: WorkerPool;
  log(line: string): void;
}

export interface Suite {
  name: string;
  run(ctx: SuiteContext): Promise<void>;
}

/** Fresh standalone servers, one of each kind asked for, started. */
export async function startStandalones(ctx: SuiteContext, opts: { inspectable?: boolean } = {}): Promise<BenchServer[]> {
  const servers: BenchServer[] = [];
  try {
    for (const kind of ctx.opts.servers) {
      const s = kind === 'zoolab' ? await createZooLabMember({ nodeArgs: ctx.opts.memberNodeArgs, inspectable: opts.inspectable }) : await createApacheStandalone();
      servers.push(s);
      const ms = await s.start();
      ctx.log(`${s.label} serving on ${s.hostPort} after ${ms.toFixed(0)} ms (pid ${s.pid})`);
    }
  } catch (e) {
    await Promise.all(servers.map((s) => s.destroy(true)));
    throw e;
  }
  return servers;
}

/** Round r visits the servers in alternating order, so neither always goes first. */
export function interleaved<T extends { kind: ServerKind }>(servers: T[], round: number): T[] {
  return round % 2 === 0 ? servers : [...servers].reverse();
}
