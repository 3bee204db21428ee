/**
 * Golden interaction tests: each test/sim/testdata/*.txt spells out a conversation
 * between real member cores and the transcript it must produce (datadriven.ts). After an
 * intended change, rewrite with REWRITE_GOLDEN=1 and review the diff.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDataDriven } from './datadriven.js';
import { InteractionEnv } from './interaction-env.js';

// Goldens live in the source tree (test/sim/testdata), next to this file's source.
const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = join(here.replace(/[/\\](dist|\.build[/\\][^/\\]+)[/\\]test[/\\]sim$/, '/test/sim'), 'testdata');

for (const name of readdirSync(sourceDir).filter((f) => f.endsWith('.txt')).sort()) {
  test(`interaction: ${name}`, async () => {
    const env = new InteractionEnv();
    const problems = await runDataDriven(join(sourceDir, name), (cmd) => env.handle(cmd));
    assert.deepEqual(problems, [], problems.join('\n\n'));
  });
}
