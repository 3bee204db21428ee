/**
 * The coordinator's side of the load generator: forks the worker processes, spreads
 * sessions over them (and, through the session index, over the servers of a connect
 * string), starts every worker's load at one common instant and merges what they
 * measured.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Histogram } from '../lib/histogram.js';
import { monoNow } from '../lib/clock.js';
import type { LoadResult, WorkerCommand, WorkerEvent } from './messages.js';
import { expectedReplyLengths, type WorkloadSpec } from './workloads.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker.js', import.meta.url));
/** How far ahead the common start is set, so every worker has the command in time. */
const START_SLACK_MS = 150;

type Command = WorkerCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export interface LoadOptions {
  inFlight: number;
  warmupMs: number;
  /** null: until every session's requests are used up. */
  durationMs: number | null;
}

export interface LoadSummary {
  /** Replies per second inside the window. */
  throughput: number;
  completed: number;
  errors: number;
  errorCodes: Record<number, number>;
  /** Distinct payload lengths of the successful replies. */
  replyLengths: number[];
  histogram: Histogram;
  windowStart: number;
  windowEnd: number;
  /** Requests sent per global session index (e.g. how many nodes a create run made). */
  sent: number[];
  /** CPU used by each worker process during the run, as a share of one core. */
  clientCpuShare: number[];
}

export interface FiredSummary {
  firstAt: number;
  lastAt: number;
  sessions: number;
}

class Worker {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: LoadResult | undefined): void; reject(e: Error): void }>();
  onFired: ((f: FiredSummary) => void) | null = null;
  /** Global indices of the sessions this worker holds. */
  sessions: number[] = [];

  constructor(readonly proc: ChildProcess) {
    proc.on('message', (m: WorkerEvent) => {
      if (m.type === 'fired') return this.onFired?.(m);
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.type === 'done') w.resolve(m.result);
      else w.reject(new Error(`load worker: ${m.error}`));
    });
    proc.on('exit', (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`load worker exited (code ${code}, signal ${signal})`));
      this.waiting.clear();
    });
  }

  call(cmd: Command): Promise<LoadResult | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.proc.send({ ...cmd, id } as WorkerCommand);
    });
  }
}

export class WorkerPool {
  private constructor(private readonly workers: Worker[]) {}

  static start(count: number): WorkerPool {
    return new WorkerPool(
      Array.from({ length: count }, () => new Worker(fork(WORKER_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))),
    );
  }

  get size(): number {
    return this.workers.length;
  }

  /** Opens `count` sessions, session g on worker g mod size and server g mod servers. */
  async open(servers: string[], count: number, timeoutMs = 30_000): Promise<void> {
    const plan = this.workers.map(() => [] as number[]);
    for (let g = 0; g < count; g++) plan[g % this.workers.length]!.push(g);
    await Promise.all(
      this.workers.map(async (w, i) => {
        if (plan[i]!.length === 0) return;
        await w.call({ type: 'open', servers, sessions: plan[i]!, timeoutMs });
        w.sessions.push(...plan[i]!);
      }),
    );
  }

  private busy(): Worker[] {
    return this.workers.filter((w) => w.sessions.length > 0);
  }

  /** Runs `spec` on every open session at once and merges the workers' measurements. */
  async load(spec: WorkloadSpec, opts: LoadOptions): Promise<LoadSummary> {
    const active = this.busy();
    const totalSessions = active.reduce((n, w) => n + w.sessions.length, 0);
    const startAt = monoNow() + START_SLACK_MS;
    const results = await Promise.all(
      active.map((w) => w.call({ type: 'load', spec, totalSessions, inFlight: opts.inFlight, startAt, warmupMs: opts.warmupMs, durationMs: opts.durationMs })),
    );
    const windowStart = startAt + opts.warmupMs;
    const summary = summarize(results as LoadResult[], startAt, windowStart, opts.durationMs === null ? Infinity : windowStart + opts.durationMs, totalSessions);
    const expected = expectedReplyLengths(spec);
    const odd = summary.replyLengths.filter((l) => !expected.includes(l));
    if (odd.length > 0) throw new Error(`${spec.kind}: replies of ${odd.join(', ')} bytes, expected ${expected.join(' or ')}`);
    return summary;
  }

  /**
   * Arms a data watch on `path` in every session. Resolves once all are armed, with a
   * waiter for the `fired` reports (wrapped: an async function would flatten it).
   */
  async arm(path: string): Promise<{ fired: Promise<FiredSummary> }> {
    const active = this.busy();
    const fired = Promise.all(
      active.map((w) => new Promise<FiredSummary>((resolve) => {
        w.onFired = resolve;
      })),
    ).then((all) => ({
      firstAt: Math.min(...all.map((f) => f.firstAt)),
      lastAt: Math.max(...all.map((f) => f.lastAt)),
      sessions: all.reduce((n, f) => n + f.sessions, 0),
    }));
    await Promise.all(active.map((w) => w.call({ type: 'arm', path })));
    return { fired };
  }

  async closeAll(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.sessions.length === 0) return;
        w.sessions = [];
        await w.call({ type: 'close-all' });
      }),
    );
  }

  /** `loops` concurrent connect+close loops spread over the workers and servers. */
  async churn(servers: string[], loops: number, opts: { warmupMs: number; durationMs: number; timeoutMs?: number }): Promise<LoadSummary> {
    const startAt = monoNow() + START_SLACK_MS;
    const per = this.workers.map((_, i) => Math.floor(loops / this.workers.length) + (i < loops % this.workers.length ? 1 : 0));
    let first = 0;
    const results = await Promise.all(
      this.workers.flatMap((w, i) => {
        if (per[i] === 0) return [];
        const firstLoop = first;
        first += per[i]!;
        return [w.call({ type: 'churn', servers, loops: per[i]!, firstLoop, startAt, warmupMs: opts.warmupMs, durationMs: opts.durationMs, timeoutMs: opts.timeoutMs ?? 30_000 })];
      }),
    );
    const windowStart = startAt + opts.warmupMs;
    return summarize(results as LoadResult[], startAt, windowStart, windowStart + opts.durationMs, 0);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.proc.exitCode !== null || w.proc.signalCode !== null) return resolve();
            w.proc.once('exit', () => resolve());
            w.proc.disconnect();
            setTimeout(() => w.proc.kill('SIGKILL'), 5000).unref();
          }),
      ),
    );
  }

  /** Kills the workers at once (for exit handlers). */
  killNow(): void {
    for (const w of this.workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
  }
}

function summarize(results: LoadResult[], runStart: number, windowStart: number, windowEnd: number, sessions: number): LoadSummary {
  const histogram = new Histogram();
  const sent = new Array<number>(sessions).fill(0);
  const errorCodes: Record<number, number> = {};
  let completed = 0;
  let errors = 0;
  let lastReplyAt = 0;
  const lengths = new Set<number>();
  for (const r of results) {
    r.replyLengths.forEach((l) => lengths.add(l));
    histogram.merge(r.histogram);
    completed += r.completed;
    errors += r.errors;
    lastReplyAt = Math.max(lastReplyAt, r.lastReplyAt);
    for (const [g, n] of Object.entries(r.sent)) sent[Number(g)] = n;
    for (const [code, n] of Object.entries(r.errorCodes)) errorCodes[Number(code)] = (errorCodes[Number(code)] ?? 0) + n;
  }
  // A run that ran dry (delete, populate) ends at its last reply, not at the deadline.
  const end = Math.min(windowEnd, lastReplyAt);
  const seconds = (end - windowStart) / 1000;
  return {
    throughput: seconds > 0 ? completed / seconds : NaN,
    completed,
    errors,
    errorCodes,
    replyLengths: [...lengths].sort((a, b) => a - b),
    histogram,
    windowStart,
    windowEnd: end,
    sent,
    clientCpuShare: results.map((r) => r.clientCpuMs / Math.max(1, end - runStart)),
  };
}
