/**
 * A server under test, whatever it is: our member or Apache ZooKeeper. Both are plain
 * child processes on a fixed loopback port with their own data directory, so they can be
 * killed (-9) and restarted on the same data, and "serving" means the same thing for
 * both: a new session's getData-free `exists /` answered (servers/probe.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { monoNow } from '../lib/clock.js';
import { rssBytes } from '../lib/proc-stats.js';
import { waitServing } from './probe.js';

export type ServerKind = 'zoolab' | 'apache';

export interface BenchServer {
  readonly kind: ServerKind;
  /** Short human label for logs ("zoolab", "apache", "zoolab (5 ms fsync)"). */
  readonly label: string;
  readonly hostPort: string;
  /** The running process's pid (changes on restart). */
  readonly pid: number;
  /** Spawns the process and resolves with the ms from spawn to serving. */
  start(): Promise<number>;
  /** SIGKILL, keeping the data directory (a crash). */
  kill(): Promise<void>;
  /** SIGTERM (a clean shutdown, which also writes --cpu-prof profiles), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Stops the process (SIGKILL unless `graceful`) and removes the data directory. */
  destroy(graceful?: boolean): Promise<void>;
  rssBytes(): number;
  /** A full garbage collection, where the runtime allows one from outside (the JVM). */
  fullGc?(): Promise<void>;
  /** The tail of the process's output, for error messages. */
  output(): string;
}

export interface SpawnSpec {
  kind: ServerKind;
  label: string;
  hostPort: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Node IPC channel (our member exits with its parent through it). */
  ipc: boolean;
  /** Removed by destroy(). */
  dir: string;
  fullGc?: (pid: number) => Promise<void>;
}

/** Every server process alive, so an interrupted run leaves nothing behind. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.kill('SIGKILL');
  });
}

function waitExit(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => p.once('exit', () => resolve()));
}

export class SpawnedServer implements BenchServer {
  private proc: ChildProcess | null = null;
  private tail = '';

  constructor(private readonly spec: SpawnSpec) {
    installExitHook();
  }

  get kind(): ServerKind {
    return this.spec.kind;
  }
  get label(): string {
    return this.spec.label;
  }
  get hostPort(): string {
    return this.spec.hostPort;
  }
  get pid(): number {
    if (!this.proc?.pid) throw new Error(`${this.label} is not running`);
    return this.proc.pid;
  }

  async start(): Promise<number> {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) throw new Error(`${this.label} is already running`);
    const t0 = monoNow();
    const p = spawn(this.spec.command, this.spec.args, {
      stdio: ['ignore', 'pipe', 'pipe', ...(this.spec.ipc ? (['ipc'] as const) : [])],
      env: this.spec.env,
    });
    this.proc = p;
    live.add(p);
    const keep = (c: Buffer) => {
      this.tail = (this.tail + c.toString('utf8')).slice(-16_000);
    };
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    p.once('exit', () => live.delete(p));
    // IPC messages (our member's ready/state reports) are not needed: we probe instead.
    p.on('message', () => {});
    const exited = new Promise<never>((_, reject) =>
      p.once('exit', (code, signal) => reject(new Error(`${this.label} exited while starting (code ${code}, signal ${signal}):\n${this.tail}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitServing(this.spec.hostPort, 120_000), exited]);
    return monoNow() - t0;
  }

  async kill(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    p.kill('SIGKILL');
    await waitExit(p);
  }

  async stop(graceMs = 10_000): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
    p.kill('SIGTERM');
    await waitExit(p);
    clearTimeout(timer);
  }

  async destroy(graceful = false): Promise<void> {
    if (graceful) await this.stop();
    else await this.kill();
    rmSync(this.spec.dir, { recursive: true, force: true });
  }

  rssBytes(): number {
    return rssBytes(this.pid);
  }

  get fullGc(): (() => Promise<void>) | undefined {
    const gc = this.spec.fullGc;
    return gc ? () => gc(this.pid) : undefined;
  }

  output(): string {
    return this.tail;
  }
}
