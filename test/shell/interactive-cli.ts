/**
 * A CLI process (zkCli.sh or our zk-cli) fed one line at a time, so a test can act between
 * commands (kill the server, say) and wait for what the CLI prints instead of sleeping.
 * No TTY: like cli-runner.ts, neither CLI prints a prompt.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ZKCLI } from '../helpers/apache-zk.js';
import { ZK_CLI_JS, type CliRun } from './cli-runner.js';

export type CliKind = 'zkCli.sh' | 'zk-cli';

type StreamName = 'stdout' | 'stderr';

export class InteractiveCli {
  private readonly text: Record<StreamName, string> = { stdout: '', stderr: '' };
  private readonly waiters: Array<{ stream: StreamName; from: number; pattern: RegExp; resolve: () => void }> = [];
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].on('data', (c: Buffer) => {
        this.text[stream] += c.toString('utf8');
        this.check();
      });
    }
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }

  static start(kind: CliKind, connect: string, args: string[] = []): InteractiveCli {
    const [command, argv] = kind === 'zkCli.sh' ? [ZKCLI, ['-server', connect, ...args]] : [process.execPath, [ZK_CLI_JS, '-server', connect, ...args]];
    return new InteractiveCli(spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } }));
  }

  /** Where the stream's text ends now: pass it to `until` to look only at later output. */
  mark(stream: StreamName): number {
    return this.text[stream].length;
  }

  /** Sends one command line. */
  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /**
   * Resolves when the stream's text (from `from` on) matches. A liveness bound, not a
   * speed check: after `timeoutMs` it rejects with everything printed so far.
   */
  until(stream: StreamName, pattern: RegExp, from = 0, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms\nstdout:\n${this.text.stdout}\nstderr:\n${this.text.stderr}`));
      }, timeoutMs);
      const waiter = {
        stream,
        from,
        pattern,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
      this.check();
    });
  }

  /** Closes stdin (end of script) and resolves with the whole transcript once the CLI exits. */
  async end(timeoutMs = 20_000): Promise<CliRun> {
    this.child.stdin.end();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the CLI did not exit within ${timeoutMs} ms after its input ended`)), timeoutMs);
    });
    try {
      const exitCode = await Promise.race([this.exited, timeout]);
      return { stdout: this.text.stdout, stderr: this.text.stderr, exitCode };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the CLI if it still runs (for `finally` blocks). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private check(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w.pattern.test(this.text[w.stream].slice(w.from))) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}
