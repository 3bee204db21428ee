#!/usr/bin/env node
/**
 * `npm start` (after the build): opens the desktop app with Electron; when the Electron
 * binary is missing or cannot start (no display, no download), says so in one line and
 * serves the same UI headless with `zk-lab serve`, which prints the URL to open.
 *
 * Runs under plain Node. Extra arguments go to `zk-lab serve` (e.g. `npm start --
 * --members 5 --dir ./my-lab`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/electron → the project root, which Electron opens (package.json "main"). */
const root = join(here, '..', '..');
/** The compiled CLI beside this file's folder (dist/electron → dist/engine/bin). */
const zkLab = join(here, '..', 'engine', 'bin', 'zk-lab.js');

/** How long Electron must stay up to count as started (a missing display fails faster). */
const STARTUP_GRACE_MS = 4000;

export type ElectronProbe = { ok: true; binary: string } | { ok: false; reason: string };

/** Finds the Electron binary and whether this machine can show a window. */
export function probeElectron(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, resolveBinary: () => string): ElectronProbe {
  let binary: string;
  try {
    binary = resolveBinary();
  } catch (e) {
    const first = String((e as Error).message ?? e).split('\n')[0];
    return { ok: false, reason: `the Electron binary is not installed (${first})` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { ok: false, reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { ok: true, binary };
}

/**
 * The binary the electron package would run, found without requiring the package: its
 * index.js tries to download a missing binary (noisy, and slow without a network).
 */
function electronBinary(): string {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) throw new Error('node_modules/electron has no downloaded binary (path.txt is missing)');
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative) : join(pkgDir, 'dist', relative);
  if (!existsSync(binary)) throw new Error(`${binary} does not exist`);
  return binary;
}

function serveHeadless(reason: string, extra: string[]): void {
  process.stdout.write(`ZooLab: Electron cannot start here (${reason}); serving the same UI headless — open the URL printed below.\n`);
  const child = spawn(process.execPath, [zkLab, 'serve', ...extra], { stdio: 'inherit' });
  forward(child);
}

function forward(child: ChildProcess): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function main(): void {
  const extra = process.argv.slice(2);
  const probe = probeElectron(process.env, process.platform, electronBinary);
  if (!probe.ok) return serveHeadless(probe.reason, extra);
  const started = Date.now();
  const child = spawn(probe.binary, [root], { stdio: ['inherit', 'inherit', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    process.stderr.write(d);
  });
  child.on('error', (e) => serveHeadless(`it could not be run: ${e.message}`, extra));
  child.on('exit', (code, signal) => {
    if (code !== 0 && Date.now() - started < STARTUP_GRACE_MS) {
      const why = stderr.split('\n').find((l) => l.trim()) ?? `exit ${code ?? signal}`;
      return serveHeadless(`it exited at once: ${why.trim()}`, extra);
    }
    process.exit(code ?? 0);
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
