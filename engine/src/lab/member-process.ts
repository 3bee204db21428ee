/**
 * One member's process: spawn `zk-server <zoo.cfg>` with an IPC channel, wait for its
 * `ready` report, then stop (SIGTERM), kill (SIGKILL), pause (SIGSTOP), resume (SIGCONT).
 * An exit nobody asked for is a crash, reported with the member's last log lines
 * (etcd's e2e process harness, style.md A7/B5). Readiness is the child's own IPC message,
 * never a sleep.
 *
 * The member's stderr (its log) is appended to `logPath` and the last lines kept in memory.
 * `execPath` lets Electron run members with its own binary (ELECTRON_RUN_AS_NODE=1 is set
 * for every child; plain Node ignores it).
 */
import { MEMBER_NODE_FLAGS } from '../member/node-flags.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MemberId, ProcessState } from './api.js';
import type { ParentRequest } from '../member/member-messages.js';
import { parseMemberReport, type MemberReport } from './member-report.js';
import type { LabTimers, TimerHandle } from './timers.js';

/** The compiled zk-server entry point, found next to this file (never via cwd or dist/). */
export const ZK_SERVER_SCRIPT = fileURLToPath(new URL('../../bin/zk-server.js', import.meta.url));

export interface MemberProcessOptions {
  id: MemberId;
  configPath: string;
  logPath: string;
  timers: LabTimers;
  execPath?: string;
  /** The script to run (default: zk-server); tests substitute a fake member. */
  script?: string;
  /** Extra arguments after the config path. */
  args?: string[];
  /**
   * Run something else than a Node script, e.g. Apache ZooKeeper's QuorumPeerMain to
   * compare with the real thing: the full command line (the config path included).
   */
  command?: { file: string; args: string[] };
  /**
   * How readiness is known: `ipc` (default) waits for the member's `ready` report; `port`
   * (for programs without our IPC reporter) waits until `probe()` resolves true.
   */
  readiness?: 'ipc' | 'port';
  probe?: () => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for `ready` before giving up (default 30 s). */
  readyTimeoutMs?: number;
  /** How long a graceful stop may take before SIGKILL (default 10 s). */
  stopTimeoutMs?: number;
}

export type MemberProcessEvent =
  | { type: 'state'; state: ProcessState; pid: number | null; code?: number | null; signal?: string | null; lastLogLines?: string[] }
  | { type: 'report'; report: MemberReport }
  | { type: 'log'; level: 'warn' | 'error'; line: string };

export class MemberProcessError extends Error {
  override name = 'MemberProcessError';
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A request for the member (member-messages.ts ParentRequest) without its id: `request` numbers it. */
export type MemberRequest = WithoutId<ParentRequest>;
/** A member's answer; `value` is JSON from the member, checked by whoever asked. */
export interface MemberReply {
  ok: boolean;
  message: string;
  value: unknown;
}

const LOG_LINES_KEPT = 200;

export class MemberProcess {
  private child: ChildProcess | null = null;
  private current: ProcessState = 'stopped';
  private expecting: 'stop' | 'kill' | null = null;
  private readonly logLines: string[] = [];
  private partialLine = '';
  private logStream: WriteStream | null = null;
  private readonly listeners = new Set<(e: MemberProcessEvent) => void>();
  private exitWaiters: (() => void)[] = [];
  startedAt: number | null = null;
  exitInfo: { code: number | null; signal: string | null; at: number } | null = null;
  reportedClientPort: number | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (r: MemberReply) => void; reject: (e: Error) => void; timer: TimerHandle }>();

  constructor(private readonly options: MemberProcessOptions) {}

  /** Whether the member answers `request` (our zk-server does; programs run with `command` do not). */
  get takesRequests(): boolean {
    return this.options.command === undefined;
  }

  get id(): MemberId {
    return this.options.id;
  }
  get state(): ProcessState {
    return this.current;
  }
  get pid(): number | null {
    return this.child?.pid ?? null;
  }
  get running(): boolean {
    return this.child !== null;
  }

  onEvent(listener: (e: MemberProcessEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  lastLogLines(n = 20): string[] {
    const lines = this.partialLine ? [...this.logLines, this.partialLine] : this.logLines;
    return lines.slice(-n);
  }

  /** Spawns the member and resolves once it reports ready; rejects (with its last log lines) if it exits first. */
  start(): Promise<void> {
    if (this.child) return Promise.reject(new MemberProcessError(`member ${this.id} is already running (pid ${this.child.pid})`));
    const o = this.options;
    const file = o.command?.file ?? o.execPath ?? process.execPath;
    const argv = o.command?.args ?? [...MEMBER_NODE_FLAGS, o.script ?? ZK_SERVER_SCRIPT, o.configPath, ...(o.args ?? [])];
    const child = spawn(file, argv, {
      // stdout too: programs without our reporter (Apache ZooKeeper) log there.
      stdio: ['ignore', o.command ? 'pipe' : 'ignore', 'pipe', 'ipc'],
      // ZOOLAB_EXIT_WITH_PARENT: a member whose supervisor died must not linger (zk-server honours it).
      env: { ...process.env, ...o.env, ELECTRON_RUN_AS_NODE: '1', ZOOLAB_EXIT_WITH_PARENT: '1' },
    });
    this.child = child;
    this.expecting = null;
    this.exitInfo = null;
    this.startedAt = o.timers.now();
    this.reportedClientPort = null;
    this.logStream = createWriteStream(o.logPath, { flags: 'a' });
    this.logStream.on('error', () => {});
    this.setState('starting');

    child.stderr!.on('data', (chunk: Buffer) => this.onLog(chunk));
    child.stdout?.on('data', (chunk: Buffer) => this.onLog(chunk));
    if (o.readiness === 'port') this.probeUntilReady(child);
    child.on('message', (message) => this.onMessage(message));
    child.on('error', (e) => this.onLog(Buffer.from(`zk-lab: could not run member ${this.id}: ${e.message}\n`)));

    return new Promise<void>((resolve, reject) => {
      let timer: TimerHandle | null = null;
      const settle = (error: Error | null) => {
        if (timer) o.timers.clearTimeout(timer);
        timer = null;
        offReady();
        offExit();
        if (error) reject(error);
        else resolve();
      };
      const offReady = this.onEvent((e) => {
        if (e.type === 'report' && e.report.type === 'ready') settle(null);
      });
      const offExit = this.onEvent((e) => {
        if (e.type === 'state' && e.state !== 'starting' && e.state !== 'running') {
          settle(new MemberProcessError(`member ${this.id} exited before it was ready (${exitText(e.code, e.signal)})${logTail(this.lastLogLines(8))}`));
        }
      });
      timer = o.timers.setTimeout(() => {
        timer = null;
        settle(new MemberProcessError(`member ${this.id} did not report ready within ${o.readyTimeoutMs ?? 30_000} ms${logTail(this.lastLogLines(8))}`));
        void this.kill();
      }, o.readyTimeoutMs ?? 30_000);
      child.on('exit', (code, signal) => this.onExit(child, code, signal));
    });
  }

  /** SIGTERM, then SIGKILL after `stopTimeoutMs`. Resolves when the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expecting = 'stop';
    this.setState('stopping');
    child.kill('SIGTERM');
    // A stopped (SIGSTOP) process only sees SIGTERM once it runs again.
    if (this.wasPaused) child.kill('SIGCONT');
    const timer = this.options.timers.setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 10_000);
    await this.exited();
    this.options.timers.clearTimeout(timer);
  }

  /** SIGKILL: nothing the member did not already fsync survives. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expecting = 'kill';
    child.kill('SIGKILL');
    await this.exited();
  }

  pause(): void {
    const child = this.requireChild('pause');
    if (this.current === 'paused') return;
    child.kill('SIGSTOP');
    this.wasPaused = true;
    this.setState('paused');
  }

  resume(): void {
    const child = this.requireChild('resume');
    if (this.current !== 'paused') return;
    child.kill('SIGCONT');
    this.wasPaused = false;
    this.setState('running');
  }

  /** Asks the member something over IPC (ignored when it cannot be delivered). */
  send(message: unknown): boolean {
    const child = this.child;
    if (!child || !child.connected) return false;
    try {
      return child.send(message as never);
    } catch {
      return false;
    }
  }

  /**
   * Asks the member something over IPC and resolves with its reply (rejects when it cannot
   * be delivered, the member exits first, or no reply comes within `timeoutMs`). Check
   * `takesRequests` and the process state first for a clearer message.
   */
  request(req: MemberRequest, timeoutMs = 5000): Promise<MemberReply> {
    if (!this.takesRequests) return Promise.reject(new MemberProcessError(`member ${this.id} is not a ZooLab member and takes no lab requests`));
    const id = this.nextRequestId++;
    return new Promise<MemberReply>((resolve, reject) => {
      const timer = this.options.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new MemberProcessError(`member ${this.id} did not answer ${req.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      if (!this.send({ ...req, id })) this.settleRequest(id, new MemberProcessError(`member ${this.id} is not running (${this.current})`));
    });
  }

  private settleRequest(id: number, outcome: MemberReply | Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.options.timers.clearTimeout(p.timer);
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
  }

  private wasPaused = false;

  /** Port readiness: ask `probe` every 100 ms until it says yes or the process is gone. */
  private probeUntilReady(child: ChildProcess): void {
    const probe = this.options.probe;
    if (!probe) throw new MemberProcessError('port readiness needs a probe');
    const attempt = () => {
      if (this.child !== child || this.current !== 'starting') return;
      probe().then(
        (ok) => {
          if (this.child !== child || this.current !== 'starting') return;
          if (ok) this.onMessage({ type: 'ready', clientPort: null });
          else this.options.timers.setTimeout(attempt, 100);
        },
        () => this.options.timers.setTimeout(attempt, 100),
      );
    };
    this.options.timers.setTimeout(attempt, 100);
  }

  private requireChild(action: string): ChildProcess {
    if (!this.child) throw new MemberProcessError(`cannot ${action} member ${this.id}: it is not running (${this.current})`);
    return this.child;
  }

  private exited(): Promise<void> {
    if (!this.child) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  private onMessage(message: unknown): void {
    const report = parseMemberReport(message, this.id);
    if (!report) return;
    if (report.type === 'reply') {
      this.settleRequest(report.id, { ok: report.ok, message: report.message, value: report.value });
      return;
    }
    if (report.type === 'ready') {
      this.reportedClientPort = report.clientPort;
      if (this.current === 'starting') this.setState('running');
    }
    this.emit({ type: 'report', report });
  }

  private onLog(chunk: Buffer): void {
    this.logStream?.write(chunk);
    const text = this.partialLine + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') continue;
      this.logLines.push(line);
      if (this.logLines.length > LOG_LINES_KEPT) this.logLines.shift();
      const level = /\bERROR\b/.test(line.slice(0, 40)) ? 'error' : /\bWARN\b/.test(line.slice(0, 40)) ? 'warn' : null;
      if (level) this.emit({ type: 'log', level, line });
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.wasPaused = false;
    for (const id of [...this.pending.keys()]) this.settleRequest(id, new MemberProcessError(`member ${this.id} exited before it answered`));
    if (this.partialLine) {
      this.logLines.push(this.partialLine);
      this.partialLine = '';
    }
    // Report the exit once member.log holds every line (readers of the file come right after).
    const stream = this.logStream;
    this.logStream = null;
    if (stream && !stream.closed) {
      stream.end(() => this.reportExit(child, code, signal));
      return;
    }
    this.reportExit(child, code, signal);
  }

  private reportExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.exitInfo = { code, signal, at: this.options.timers.now() };
    const state: ProcessState = this.expecting === 'stop' ? 'stopped' : this.expecting === 'kill' ? 'killed' : 'crashed';
    this.expecting = null;
    this.current = state;
    this.emit({
      type: 'state',
      state,
      pid: child.pid ?? null,
      code,
      signal,
      ...(state === 'crashed' ? { lastLogLines: this.lastLogLines(20) } : {}),
    });
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const w of waiters) w();
  }

  private setState(state: ProcessState): void {
    this.current = state;
    this.emit({ type: 'state', state, pid: this.pid });
  }

  private emit(e: MemberProcessEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}

function exitText(code: number | null | undefined, signal: string | null | undefined): string {
  if (signal) return `killed by ${signal}`;
  return `exit code ${code ?? '?'}`;
}

function logTail(lines: string[]): string {
  return lines.length > 0 ? `; last log lines:\n  ${lines.join('\n  ')}` : '';
}
