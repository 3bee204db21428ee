/**
 * `npm test` entry point: runs every compiled `*.test.js` below this folder with node's
 * own test runner. Listing the files ourselves matters: given a directory, Node 20 treats
 * EVERY .js file inside a folder named `test` as a test file, which would execute
 * helpers, fixtures and benchmark workers.
 *
 *   node dist/test/run.js              # everything
 *   node dist/test/run.js unit compat  # only files whose path contains one of the words
 *
 * ZOOLAB_TEST_CONCURRENCY sets how many test files run at once (default 2).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = testFiles(root)
  .filter((f) => filters.length === 0 || filters.some((w) => relative(root, f).includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const concurrency = process.env.ZOOLAB_TEST_CONCURRENCY ?? '2';
// A test that hangs must fail, not stall CI: every test gets at most 5 minutes, and the
// runner exits even if a file leaves a handle open.
const args = ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', '--test-force-exit', ...files];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
