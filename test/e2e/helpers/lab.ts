/**
 * A real lab for end-to-end tests: `zk-lab up` in a temp folder (member processes on free
 * loopback ports), then `zk-lab serve` on a free port with the renderer build; the URL it
 * prints carries the access token. `stop()` ends serve, runs `zk-lab down` and removes
 * the folder — always call it (after / finally).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { rendererBuild } from './browser.js';

const run = promisify(execFile);
/** The compiled CLI next to the compiled tests (dist/test/e2e/helpers → dist/engine/bin). */
const ZK_LAB = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'engine', 'bin', 'zk-lab.js');

export interface RunningLab {
  dir: string;
  url: string;
  connectString: string;
  /** Runs a zk-lab command against this lab (e.g. `status --json`). */
  cli(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startLab(members: number): Promise<RunningLab> {
  const dir = mkdtempSync(join(tmpdir(), 'zoolab-e2e-'));
  let serve: ChildProcess | null = null;
  const cli = async (...args: string[]) => (await run(process.execPath, [ZK_LAB, ...args, '--dir', dir], { timeout: 60_000 })).stdout;
  const stop = async () => {
    serve?.kill('SIGTERM');
    await cli('down').catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const up = await cli('up', '--members', String(members));
    const connectString = up.trim().split('\n').at(-1)!;
    serve = spawn(process.execPath, [ZK_LAB, 'serve', '--dir', dir, '--static', rendererBuild()], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`zk-lab serve printed no URL in 30 s:\n${out}\n${err}`)), 30_000);
      serve!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      serve!.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      serve!.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`zk-lab serve exited (${code}) before printing its URL:\n${err}`));
      });
    });
    return { dir, url, connectString, cli, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
