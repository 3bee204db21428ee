/**
 * A reader that goes away (`zk-cli … | head`) ends the command quietly: exit 0, nothing on
 * stderr, instead of an unhandled EPIPE with a stack trace. The child's stdout pipe is
 * closed before it writes anything.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (name: string) => fileURLToPath(new URL(`../../engine/bin/${name}.js`, import.meta.url));

function runWithClosedStdout(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

for (const [name, args] of [
  ['zk-lab', ['--help']],
  ['zk-lab', ['scenario', 'list']],
  // Prints "Connecting to …" before it finds nobody listening on port 1.
  ['zk-cli', ['-server', '127.0.0.1:1', '-timeout', '1000', 'ls', '/']],
] as const) {
  test(`${name} ${args.join(' ')} with its reader gone exits 0 without a stack trace`, async () => {
    const r = await runWithClosedStdout(bin(name), [...args]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });
}
