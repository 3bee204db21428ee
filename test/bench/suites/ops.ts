/**
 * Throughput and latency of each operation with 100-byte values (the issue's first
 * table): at 1 request in flight (latency) and at 4 sessions × 100 in flight
 * (throughput), ZooLab and Apache interleaved round by round.
 *
 * Reads and setData work on 1 000 existing keys; create makes unique nodes that the
 * delete run of the same round then removes, so every round starts from the same tree.
 */
import type { Op } from '../options.js';
import type { LoadSummary } from '../loadgen/worker-pool.js';
import type { WorkloadSpec } from '../loadgen/workloads.js';
import { keyPath } from '../loadgen/workloads.js';
import { cpuMs, loadAverage } from '../lib/proc-stats.js';
import { targets, type Target } from '../report/results.js';
import type { BenchServer, ServerKind } from '../servers/bench-server.js';
import { interleaved, startStandalones, type Suite, type SuiteContext } from './context.js';
import { createNodes } from './setup.js';

export const KEYS = 1000;
export const KEY_PREFIX = '/bench/k/k';
export const CREATE_PARENT = '/bench/c';

const READS: readonly Op[] = ['get', 'exists'];
export const OP_LABEL: Record<Op, string> = {
  create: 'create',
  set: 'setData',
  get: 'getData',
  exists: 'exists',
  mix: '90/10 get/set mix',
  delete: 'delete',
};

export interface Shape {
  name: 'latency' | 'throughput';
  sessions: number;
  inFlight: number;
}

function throughputTarget(op: Op): Target | undefined {
  if (READS.includes(op)) return targets.atLeastTimes(1.5);
  if (op === 'mix') return undefined; // the issue sets targets for reads and writes, not the blend
  return targets.atLeastTimes(1);
}

export function specFor(op: Op, prefix: string, created: number[] | undefined): WorkloadSpec {
  switch (op) {
    case 'create':
      return { kind: 'create', prefix };
    case 'delete':
      return { kind: 'delete', prefix, counts: created ?? [] };
    case 'mix':
      return { kind: 'mix', keyPrefix: KEY_PREFIX, keys: KEYS, writeEvery: 10 };
    default:
      return { kind: op, keyPrefix: KEY_PREFIX, keys: KEYS };
  }
}

/** What a measurement runs against: one server, or the members of an ensemble. */
export interface LoadTarget {
  kind: ServerKind;
  label: string;
  /** Sessions are spread over these, session g on hostPorts[g % length]. */
  hostPorts: string[];
  /** The server processes, for their CPU time. */
  pids(): number[];
}

export function standaloneTarget(server: BenchServer): LoadTarget {
  return { kind: server.kind, label: server.label, hostPorts: [server.hostPort], pids: () => [server.pid] };
}

export async function measure(
  ctx: SuiteContext,
  target: LoadTarget,
  shape: Shape,
  spec: WorkloadSpec,
  seconds = ctx.opts.seconds,
): Promise<LoadSummary & { serverCpuShare: number }> {
  const serverCpu = () => target.pids().reduce((sum, pid) => sum + cpuMs(pid), 0);
  await ctx.pool.open(target.hostPorts, shape.sessions);
  try {
    // A delete run removes exactly what the create run made, measured from the first
    // request to the last (it cannot know in advance how long that takes, so no warm-up).
    const untilDry = spec.kind === 'delete';
    const warmupMs = untilDry ? 0 : ctx.opts.warmupMs;
    const cpu0 = serverCpu();
    const r = await ctx.pool.load(spec, { inFlight: shape.inFlight, warmupMs, durationMs: untilDry ? null : seconds * 1000 });
    // Server CPU over the whole run (warm-up included), in cores: 1.0 = one of the 2 busy.
    const cpu = serverCpu() - cpu0;
    const runMs = r.windowEnd - r.windowStart + warmupMs;
    if (r.errors > 0) throw new Error(`${target.label}: ${r.errors} error replies in ${spec.kind} (${JSON.stringify(r.errorCodes)})`);
    return { ...r, serverCpuShare: cpu / runMs };
  } finally {
    await ctx.pool.closeAll();
  }
}

export const opsSuite: Suite = {
  name: 'ops',
  async run(ctx) {
    const { opts, results } = ctx;
    const servers = await startStandalones(ctx);
    try {
      for (const s of servers) {
        await createNodes(s.hostPort, ['/bench', '/bench/k', CREATE_PARENT, ...Array.from({ length: KEYS }, (_, i) => keyPath(KEY_PREFIX, i))]);
      }
      const shapes: Shape[] = [
        { name: 'latency', sessions: 1, inFlight: 1 },
        { name: 'throughput', sessions: opts.sessions, inFlight: opts.inFlight },
      ];
      const tput = `Throughput, ${opts.sessions} sessions × ${opts.inFlight} in flight`;
      if (!opts.quick) {
        // Unrecorded: lets the JVM compile its hot paths (and V8 ours) before round 1.
        ctx.log('ops warm-up: every op once at full load, not recorded');
        for (const server of servers) {
          let created: number[] = [];
          for (const op of opts.ops) {
            const r = await measure(ctx, standaloneTarget(server), shapes[1]!, specFor(op, `${CREATE_PARENT}/warm`, created), 1);
            if (op === 'create') created = r.sent;
          }
        }
      }
      const cpuNotes: Record<ServerKind, string[]> = { zoolab: [], apache: [] };
      for (let round = 0; round < opts.rounds; round++) {
        ctx.log(`ops round ${round + 1}/${opts.rounds} (load ${loadAverage()})`);
        for (const shape of shapes) {
          const created = new Map<ServerKind, number[]>();
          for (const op of opts.ops) {
            for (const server of interleaved(servers, round)) {
              const prefix = `${CREATE_PARENT}/r${round}${shape.name[0]}`;
              const r = await measure(ctx, standaloneTarget(server), shape, specFor(op, prefix, created.get(server.kind)));
              if (op === 'create') created.set(server.kind, r.sent);
              const p50 = r.histogram.percentile(50);
              const p99 = r.histogram.percentile(99);
              ctx.log(
                `  ${server.label.padEnd(7)} ${OP_LABEL[op].padEnd(18)} ${shape.sessions}×${String(shape.inFlight).padEnd(3)} ` +
                  `${Math.round(r.throughput).toString().padStart(7)} ops/s  p50 ${p50.toFixed(3)} ms  p99 ${p99.toFixed(3)} ms  ` +
                  `server cpu ${(r.serverCpuShare * 100).toFixed(0)}%  client cpu ${r.clientCpuShare.map((c) => `${(c * 100).toFixed(0)}%`).join('+')}`,
              );
              if (shape.name === 'throughput') {
                results.add(tput, `${OP_LABEL[op]} ops/s`, 'ops/s', 'higher', server.kind, r.throughput, throughputTarget(op));
                results.add(tput, `${OP_LABEL[op]} p50`, 'ms', 'lower', server.kind, p50);
                results.add(tput, `${OP_LABEL[op]} p99`, 'ms', 'lower', server.kind, p99, targets.noWorse());
                if (round === 0) cpuNotes[server.kind].push(`${OP_LABEL[op]} ${(r.serverCpuShare * 100).toFixed(0)}%/${r.clientCpuShare.map((c) => `${(c * 100).toFixed(0)}%`).join('+')}`);
              } else {
                const lat = 'Latency, 1 request in flight';
                results.add(lat, `${OP_LABEL[op]} p50`, 'ms', 'lower', server.kind, p50, targets.noWorse());
                results.add(lat, `${OP_LABEL[op]} p99`, 'ms', 'lower', server.kind, p99, targets.noWorse());
              }
            }
          }
        }
      }
      for (const s of servers) {
        if (cpuNotes[s.kind].length) results.note(`CPU at ${opts.sessions}×${opts.inFlight}, round 1, ${s.label} server / each load worker (100% = one core of 2): ${cpuNotes[s.kind].join(', ')}.`);
      }
    } finally {
      await Promise.all(servers.map((s) => s.destroy(true)));
    }
  },
};
