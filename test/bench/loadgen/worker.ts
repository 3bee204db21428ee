/**
 * A load-generator process (forked by worker-pool.ts). Several of them share the load so
 * the client is not the bottleneck; each holds its own sessions and answers the
 * coordinator's commands (messages.ts) one at a time.
 */
import { performance } from 'node:perf_hooks';
import { Histogram } from '../lib/histogram.js';
import { localToMono, monoToLocal, sleepUntil } from '../lib/clock.js';
import { getDataFrame } from './frames.js';
import type { LoadResult, WorkerCommand, WorkerEvent } from './messages.js';
import { PipelinedSession, type ReplySink } from './session.js';
import { workloadFor } from './workloads.js';

interface OpenSession {
  index: number;
  session: PipelinedSession;
}

let sessions: OpenSession[] = [];

function send(msg: WorkerEvent): void {
  process.send!(msg);
}

/** Counts and times the replies that arrive inside the measurement window. */
class WindowSink implements ReplySink {
  readonly histogram = new Histogram();
  completed = 0;
  errors = 0;
  lastReplyAt = 0;
  readonly errorCodes: Record<number, number> = {};
  readonly lengths = new Set<number>();

  constructor(
    private readonly start: number,
    private readonly end: number,
  ) {}

  reply(sentAt: number, now: number, err: number, length: number): void {
    if (err !== 0) this.errorCodes[err] = (this.errorCodes[err] ?? 0) + 1;
    else this.lengths.add(length);
    if (now < this.start || now > this.end) return;
    this.completed++;
    if (err !== 0) this.errors++;
    this.histogram.record(now - sentAt);
    this.lastReplyAt = now;
  }

  merge(into: LoadResult): void {
    into.completed += this.completed;
    into.errors += this.errors;
    into.histogram = Histogram.from(into.histogram).merge(this.histogram).toData();
    into.lastReplyAt = Math.max(into.lastReplyAt, localToMono(this.lastReplyAt));
    for (const [code, n] of Object.entries(this.errorCodes)) into.errorCodes[Number(code)] = (into.errorCodes[Number(code)] ?? 0) + n;
    for (const l of this.lengths) if (!into.replyLengths.includes(l)) into.replyLengths.push(l);
  }
}

async function open(cmd: Extract<WorkerCommand, { type: 'open' }>): Promise<void> {
  // Opened a few at a time: a thousand simultaneous handshakes would measure the backlog.
  // Each is kept as soon as it is open, so close-all can clean up after a partial failure.
  const todo = [...cmd.sessions];
  const opener = async () => {
    for (let g = todo.shift(); g !== undefined; g = todo.shift()) {
      const session = await PipelinedSession.open(cmd.servers[g % cmd.servers.length]!, cmd.timeoutMs);
      sessions.push({ index: g, session });
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, todo.length) }, opener));
  sessions.sort((a, b) => a.index - b.index);
}

async function load(cmd: Extract<WorkerCommand, { type: 'load' }>): Promise<LoadResult> {
  const start = monoToLocal(cmd.startAt + cmd.warmupMs);
  const end = cmd.durationMs === null ? Infinity : start + cmd.durationMs;
  const runs = sessions.map((s) => ({ s, sink: new WindowSink(start, end), work: workloadFor(cmd.spec, s.index, cmd.totalSessions) }));
  await sleepUntil(cmd.startAt);
  const cpu0 = process.cpuUsage();
  for (const r of runs) r.s.session.startLoad(r.work.source, cmd.inFlight, r.sink);
  let timer: NodeJS.Timeout | null = null;
  if (cmd.durationMs !== null) {
    timer = setTimeout(() => runs.forEach((r) => void r.s.session.stopLoad()), Math.max(0, end - performance.now()));
  }
  await Promise.all(runs.map((r) => r.s.session.whenIdle()));
  if (timer) clearTimeout(timer);
  const cpu = process.cpuUsage(cpu0);
  const failed = runs.find((r) => r.s.session.failure);
  if (failed) throw failed.s.session.failure!;
  const result: LoadResult = {
    completed: 0,
    errors: 0,
    histogram: new Histogram().toData(),
    windowStart: cmd.startAt + cmd.warmupMs,
    lastReplyAt: 0,
    sent: {},
    errorCodes: {},
    replyLengths: [],
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
  for (const r of runs) {
    r.sink.merge(result);
    result.sent[r.s.index] = r.work.sent();
  }
  return result;
}

async function arm(path: string): Promise<void> {
  let fired = 0;
  let firstAt = Infinity;
  let lastAt = 0;
  const frame = getDataFrame(path, true);
  for (const { session } of sessions) {
    let seen = false;
    session.onEvent = (_frame, now) => {
      if (seen) return;
      seen = true;
      fired++;
      firstAt = Math.min(firstAt, now);
      lastAt = Math.max(lastAt, now);
      if (fired === sessions.length) send({ type: 'fired', firstAt: localToMono(firstAt), lastAt: localToMono(lastAt), sessions: fired });
    };
  }
  // Pipelined: every session's getData goes out at once, then we wait for all replies.
  const replies = await Promise.all(sessions.map(({ session }) => session.call(frame)));
  const bad = replies.find((r) => r.err !== 0);
  if (bad) throw new Error(`getData(${path}, watch) failed with error ${bad.err}`);
}

async function closeAll(): Promise<void> {
  const all = sessions;
  sessions = [];
  await Promise.all(all.map(({ session }) => session.close().catch(() => session.destroy())));
}

async function churn(cmd: Extract<WorkerCommand, { type: 'churn' }>): Promise<LoadResult> {
  const start = monoToLocal(cmd.startAt + cmd.warmupMs);
  const end = start + cmd.durationMs;
  const sink = new WindowSink(start, end);
  let failures = 0;
  await sleepUntil(cmd.startAt);
  const cpu0 = process.cpuUsage();
  const loop = async (k: number) => {
    const server = cmd.servers[(cmd.firstLoop + k) % cmd.servers.length]!;
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const s = await PipelinedSession.open(server, cmd.timeoutMs);
        await s.close();
        sink.reply(t0, performance.now(), 0, 0);
      } catch (e) {
        sink.reply(t0, performance.now(), -1, 0);
        if (++failures > 100) throw new Error(`connect+close keeps failing: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: cmd.loops }, (_, k) => loop(k)));
  const cpu = process.cpuUsage(cpu0);
  const result: LoadResult = {
    completed: 0,
    errors: 0,
    histogram: new Histogram().toData(),
    windowStart: cmd.startAt + cmd.warmupMs,
    lastReplyAt: 0,
    sent: {},
    errorCodes: {},
    replyLengths: [],
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
  sink.merge(result);
  return result;
}

async function handle(cmd: WorkerCommand): Promise<LoadResult | undefined> {
  switch (cmd.type) {
    case 'open':
      return void (await open(cmd));
    case 'load':
      return load(cmd);
    case 'arm':
      return void (await arm(cmd.path));
    case 'close-all':
      return void (await closeAll());
    case 'churn':
      return churn(cmd);
  }
}

// Idle sessions (watchers, the gaps between runs) must not expire (wire-protocol.md §13.2).
setInterval(() => {
  const now = performance.now();
  for (const { session } of sessions) session.keepAlive(now);
}, 1000).unref();

// One command at a time, in arrival order.
let queue: Promise<void> = Promise.resolve();
process.on('message', (cmd: WorkerCommand) => {
  queue = queue.then(async () => {
    try {
      const result = await handle(cmd);
      send({ id: cmd.id, type: 'done', result });
    } catch (e) {
      send({ id: cmd.id, type: 'failed', error: (e as Error).stack ?? String(e) });
    }
  });
});
process.on('disconnect', () => process.exit(0));
