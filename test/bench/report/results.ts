/**
 * Everything a run measured: rows of samples for each server (one sample per round),
 * reported as medians side by side with the ratio and the target, plus free-form
 * notes (load average per suite, client CPU, verification results).
 */
import type { ServerKind } from '../servers/bench-server.js';
import { median } from '../lib/stats.js';

export type Better = 'higher' | 'lower';

export interface Target {
  /** How the target reads in the table ("≥ 1.5× Apache"). */
  text: string;
  /** Whether the target compares with Apache (then it needs both medians). */
  relative: boolean;
  met(ours: number, theirs: number): boolean;
}

export const targets = {
  /** Throughput at least `x` times Apache's. */
  atLeastTimes: (x: number): Target => ({ text: `≥ ${x}× Apache`, relative: true, met: (o, t) => o >= x * t }),
  /** A latency (or time) no worse than Apache's. */
  noWorse: (): Target => ({ text: '≤ Apache', relative: true, met: (o, t) => o <= t }),
  /** Under a fraction of Apache's value (RSS under half of the JVM's). */
  underShare: (share: number, text: string): Target => ({ text, relative: true, met: (o, t) => o < share * t }),
  /** Under an absolute bound, whatever Apache does. */
  under: (bound: number, text: string): Target => ({ text, relative: false, met: (o) => o < bound }),
};

export interface Row {
  section: string;
  name: string;
  unit: string;
  better: Better;
  target?: Target;
  samples: Record<ServerKind, number[]>;
}

export class Results {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];
  /** Suites that ran, in order, with the load average when each began. */
  readonly suites: { name: string; loadAverage: string; seconds: number }[] = [];

  row(section: string, name: string, unit: string, better: Better, target?: Target): Row {
    let r = this.rows.find((x) => x.section === section && x.name === name);
    if (!r) {
      r = { section, name, unit, better, target, samples: { zoolab: [], apache: [] } };
      this.rows.push(r);
    }
    return r;
  }

  add(section: string, name: string, unit: string, better: Better, kind: ServerKind, value: number, target?: Target): void {
    this.row(section, name, unit, better, target).samples[kind].push(value);
  }

  note(text: string): void {
    this.notes.push(text);
  }
}

export interface RowSummary {
  ours: number;
  theirs: number;
  /** ours ÷ theirs. */
  ratio: number;
  met: boolean | null;
}

export function summarizeRow(r: Row): RowSummary {
  const ours = median(r.samples.zoolab);
  const theirs = median(r.samples.apache);
  const ratio = ours / theirs;
  const t = r.target;
  const measured = Number.isFinite(ours) && (Number.isFinite(theirs) || t?.relative === false);
  return { ours, theirs, ratio, met: t && measured ? t.met(ours, theirs) : null };
}
