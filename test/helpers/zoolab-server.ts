/**
 * Starts our member (engine/bin/zk-server.js) for tests: a temp data dir, a free
 * loopback port, readiness from the member's IPC `ready` message (never a sleep), and
 * every way to end it:
 *
 *   const zk = await startZooLabServer({ tickTime: 500 });   // zoo.cfg overrides
 *   zk.port, zk.dataDir, zk.connectString
 *   await zk.kill();      // SIGKILL, keeps the data dir
 *   await zk.restart();   // same port, same data dir
 *   await zk.shutdown();  // SIGTERM, waits for a clean exit, keeps the data dir
 *   await zk.stop();      // SIGTERM (SIGKILL if it hangs), then removes the temp dir
 *
 * Defaults mirror test/helpers/apache-zk.ts: every four-letter word enabled, 127.0.0.1.
 * The member exits by itself if the test process dies (ZOOLAB_EXIT_WITH_PARENT).
 */
import { MEMBER_NODE_FLAGS } from '../../engine/src/member/node-flags.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled member entry point, next to this helper in the same build tree. */
export const ZK_SERVER_SCRIPT = fileURLToPath(new URL('../../engine/bin/zk-server.js', import.meta.url));

export type ConfigValue = string | number | boolean;

export interface ZooLabServerOptions {
  /** Use this data dir (kept on stop) instead of a fresh temp dir. */
  dataDir?: string;
  /** Extra environment for the member (e.g. ZOOLAB_FSYNC_DELAY_MS). */
  env?: Record<string, string>;
  /** Give up waiting for `ready` after this long (default 20 s). */
  readyTimeoutMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ZooLabServer {
  readonly port: number;
  readonly dataDir: string;
  readonly configPath: string;
  /** `127.0.0.1:<port>` */
  readonly connectString: string;
  /** The running child process (replaced by restart). */
  readonly process: ChildProcess;
  /** The member's stderr so far (its log), for failure messages. */
  output(): string;
  /** IPC messages received from the member (ready, state, events, stopping). */
  readonly messages: unknown[];
  kill(): Promise<ExitInfo>;
  shutdown(): Promise<ExitInfo>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function configText(values: Record<string, ConfigValue>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n') + '\n';
}

function waitExit(proc: ChildProcess): Promise<ExitInfo> {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode });
  }
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
}

export async function startZooLabServer(
  overrides: Record<string, ConfigValue> = {},
  options: ZooLabServerOptions = {},
): Promise<ZooLabServer> {
  const ownDir = options.dataDir === undefined;
  const root = ownDir ? mkdtempSync(join(tmpdir(), 'zoolab-')) : null;
  const dataDir = options.dataDir ?? join(root!, 'data');
  const configPath = join(root ?? dataDir, ownDir ? 'zoo.cfg' : 'zoo.cfg.test');
  const values: Record<string, ConfigValue> = {
    tickTime: 2000,
    dataDir,
    clientPort: 0,
    clientPortAddress: '127.0.0.1',
    '4lw.commands.whitelist': '*',
    ...overrides,
  };
  let log = '';
  let proc!: ChildProcess;
  let port = 0;
  const messages: unknown[] = [];

  const launch = (): Promise<void> => {
    writeFileSync(configPath, configText(values));
    proc = spawn(process.execPath, [...MEMBER_NODE_FLAGS, ZK_SERVER_SCRIPT, configPath], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ...options.env, ZOOLAB_EXIT_WITH_PARENT: '1' },
    });
    const child = proc;
    child.stderr!.on('data', (c: Buffer) => {
      log = (log + c.toString('utf8')).slice(-64_000);
    });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`zk-server did not report ready within ${options.readyTimeoutMs ?? 20_000} ms:\n${log}`));
      }, options.readyTimeoutMs ?? 20_000);
      child.on('message', (m: unknown) => {
        messages.push(m);
        const msg = m as { type?: string; clientPort?: number };
        if (msg.type === 'ready' && typeof msg.clientPort === 'number') {
          clearTimeout(timer);
          port = msg.clientPort;
          // Restarts must come back on the same port.
          values.clientPort = port;
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`zk-server exited before it was ready (code ${code}, signal ${signal}):\n${log}`));
      });
    });
  };

  const signal = async (sig: NodeJS.Signals, graceMs: number): Promise<ExitInfo> => {
    const p = proc;
    if (p.exitCode !== null || p.signalCode !== null) return waitExit(p);
    const exited = waitExit(p);
    p.kill(sig);
    if (sig === 'SIGKILL') return exited;
    const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
    const info = await exited;
    clearTimeout(timer);
    return info;
  };

  try {
    await launch();
  } catch (e) {
    if (root) rmSync(root, { recursive: true, force: true });
    throw e;
  }

  return {
    get port() {
      return port;
    },
    dataDir,
    configPath,
    get connectString() {
      return `127.0.0.1:${port}`;
    },
    get process() {
      return proc;
    },
    output: () => log,
    messages,
    kill: () => signal('SIGKILL', 0),
    shutdown: () => signal('SIGTERM', 10_000),
    async restart() {
      await signal('SIGTERM', 10_000);
      await launch();
    },
    async stop() {
      await signal('SIGTERM', 5_000);
      if (root) rmSync(root, { recursive: true, force: true });
    },
  };
}
