/**
 * Simulator seeds, part 1 of 2 (two files so npm test's two workers share them).
 * See vopr-runner.ts for SEED / VOPR_SEEDS / VOPR_BASE.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runSeed, voprPlan } from './vopr-runner.js';

const plan = voprPlan(0, 2, 1);
const file = fileURLToPath(import.meta.url);

test(`simulator: ${plan.seeds.length} seeded runs keep every ZAB invariant and converge after healing`, { skip: plan.seeds.length === 0 ? 'SEED is set: the seed runs in vopr-a' : false }, async () => {
  let committed = 0;
  let elections = 0;
  for (const seed of plan.seeds) {
    const r = await runSeed(seed, plan.scale, file);
    committed += r.committed;
    elections += r.elections;
  }
  // The runs must have done real work, or passing would mean nothing.
  assert.ok(committed >= plan.seeds.length, `only ${committed} txns committed over ${plan.seeds.length} runs`);
  assert.ok(elections >= plan.seeds.length, `only ${elections} elections over ${plan.seeds.length} runs`);
});
