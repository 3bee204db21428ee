/**
 * Compares two normalized transcripts and describes the first divergence briefly:
 * the step, the lines each server produced for it, and the two steps before it for
 * context — enough to reproduce and understand it without reading whole transcripts.
 */
import type { NormalStep } from './normalize.js';

export interface Divergence {
  stepIndex: number;
  label: string;
  report: string;
}

export function firstDivergence(expected: NormalStep[], actual: NormalStep[], names: [string, string] = ['apache', 'zoolab']): Divergence | null {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e && a && e.label === a.label && e.lines.length === a.lines.length && e.lines.every((l, j) => l === a.lines[j])) continue;
    const label = e?.label ?? a?.label ?? '?';
    const out: string[] = [];
    for (let j = Math.max(0, i - 2); j < i; j++) {
      out.push(`  (context) ${expected[j].label}`, ...expected[j].lines.map((l) => `      ${l}`));
    }
    out.push(`  >>> ${label}`);
    const width = Math.max(e?.lines.length ?? 0, a?.lines.length ?? 0);
    for (let j = 0; j < width; j++) {
      const el = e?.lines[j] ?? '(nothing)';
      const al = a?.lines[j] ?? '(nothing)';
      if (el === al) out.push(`      = ${el}`);
      else out.push(`      - ${names[0]}: ${el}`, `      + ${names[1]}: ${al}`);
    }
    if (e && a && e.label !== a.label) out.push(`      (step labels differ: ${a.label})`);
    return { stepIndex: i, label, report: out.join('\n') };
  }
  return null;
}

/** A whole transcript as text (for writing next to a failure). */
export function render(steps: NormalStep[]): string {
  return steps.map((s) => [s.label, ...s.lines.map((l) => `    ${l}`)].join('\n')).join('\n');
}
