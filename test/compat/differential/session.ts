/**
 * One differential comparison: generate the seed's sequence, run it on two servers,
 * normalize both transcripts and report the first divergence (with the seed, and the
 * full transcripts written to a temp directory for reading).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './generator.js';
import { runSequence } from './runner.js';
import { normalize } from './normalize.js';
import { firstDivergence, render } from './compare.js';
import { normalizeIntended } from '../intended-differences.js';
import type { GenOp } from './ops.js';

export interface DiffSettings {
  ops: number;
  slots: number;
}

export const DEFAULT_SETTINGS: DiffSettings = { ops: 250, slots: 3 };

export interface DiffOutcome {
  seed: number;
  ops: GenOp[];
  /** Null when the transcripts are equal. */
  failure: string | null;
}

/** Seeds to run: `COMPAT_SEEDS=17` or `COMPAT_SEEDS=1-40` overrides the default range. */
export function seedsFromEnv(defaultFirst: number, defaultCount: number): number[] {
  const spec = process.env.COMPAT_SEEDS;
  if (!spec) return Array.from({ length: defaultCount }, (_, i) => defaultFirst + i);
  return spec.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a) || (b !== undefined && !Number.isInteger(b))) throw new Error(`bad COMPAT_SEEDS: ${spec}`);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

export async function compareSeed(
  seed: number,
  ports: [number, number],
  names: [string, string],
  settings: DiffSettings = DEFAULT_SETTINGS,
): Promise<DiffOutcome> {
  const base = `/d${seed}`;
  const ops = generate({ seed, base, ops: settings.ops, slots: settings.slots });
  // Unspecified orders are normalized on both sides (intended-differences.ts `normalize`).
  const [a, b] = await Promise.all(ports.map((p) => runSequence(p, base, ops, settings.slots).then((t) => normalizeIntended(normalize(t)))));
  const d = firstDivergence(a, b, names);
  if (!d) return { seed, ops, failure: null };
  const dir = join(tmpdir(), `zoolab-compat-seed-${seed}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${names[0]}.txt`), render(a));
  writeFileSync(join(dir, `${names[1]}.txt`), render(b));
  const failure =
    `seed ${seed}: ${names[1]} diverges from ${names[0]} at step ${d.stepIndex} (${d.label})\n` +
    `${d.report}\n` +
    `reproduce: COMPAT_SEEDS=${seed} node --test <build>/test/compat/differential.test.js\n` +
    `full transcripts: ${dir}`;
  return { seed, ops, failure };
}
