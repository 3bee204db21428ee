/**
 * Runs simulator seeds inside node:test. Environment:
 *   SEED=<n>         run exactly this seed (both vopr files defer to the first)
 *   VOPR_SEEDS=<n>   seeds per file (default 1000)
 *   VOPR_BASE=<n>    first seed (default fixed, so CI is reproducible); VOPR_BASE=random picks one
 *   VOPR_SCALE=<x>   longer phases
 * A failing seed is printed with the command that replays it exactly.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Simulation, swarm, type SimReport } from './simulation.js';

export interface VoprPlan {
  seeds: number[];
  scale: number;
}

export function voprPlan(part: number, parts: number, defaultBase: number): VoprPlan {
  const scale = Number(process.env.VOPR_SCALE ?? 1);
  if (process.env.SEED !== undefined) return { seeds: part === 0 ? [Number(process.env.SEED)] : [], scale };
  const count = Number(process.env.VOPR_SEEDS ?? 1000);
  const base = process.env.VOPR_BASE === 'random' ? (Date.now() % 1_000_000_000) * 1000 : Number(process.env.VOPR_BASE ?? defaultBase);
  const seeds: number[] = [];
  for (let i = 0; i < count; i++) seeds.push(base + i * parts + part);
  return { seeds, scale };
}

export function describeConfig(seed: number, scale: number): string {
  const c = swarm(seed, scale);
  return (
    `voters=${c.voters} observers=${c.observers} ticks=${c.safetyTicks}+${c.livenessTicks} loss=${c.net.lossP.toFixed(3)} ` +
    `dup=${c.net.duplicateP.toFixed(3)} delay<=${c.net.delayMax} fifo=${c.net.fifo} crash=${c.crashP.toFixed(3)} ` +
    `partition=${c.partitionP.toFixed(3)} clog=${c.clogP.toFixed(3)} disk<=${c.diskLatencyMax} window=${c.windowSize} ` +
    `forceSnap=${c.forceSnapshotSync} clients=${c.clients}`
  );
}

/** Runs one seed; on failure throws an assertion naming the seed and its replay command. */
export async function runSeed(seed: number, scale: number, file: string): Promise<SimReport> {
  let report: SimReport;
  try {
    report = await new Simulation(swarm(seed, scale)).run();
    await new Promise((r) => setImmediate(r)); // let the store's promise callbacks report
  } catch (e) {
    report = { seed, failures: [`threw: ${(e as Error).stack ?? e}`], ticks: 0, committed: 0, ops: 0, elections: 0 };
  }
  if (report.failures.length > 0) {
    const replay = `SEED=${seed}${scale !== 1 ? ` VOPR_SCALE=${scale}` : ''} node --test ${file}`;
    assert.fail(`seed=${seed} failed (${describeConfig(seed, scale)})\nreplay: ${replay}\n  ${report.failures.join('\n  ')}`);
  }
  return report;
}

/**
 * Registers this file's share of the seeds as one test (`part` of `parts` files, so npm
 * test's two workers share them). `file` is the test file, named in replay commands.
 */
export function defineVoprTest(part: number, parts: number, file: string): void {
  const plan = voprPlan(part, parts, 1);
  const skip = plan.seeds.length === 0 ? 'SEED is set: the seed runs in the first vopr file' : false;
  test(`simulator: ${plan.seeds.length} seeded runs keep every ZAB invariant and converge after healing`, { skip }, async () => {
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
}
