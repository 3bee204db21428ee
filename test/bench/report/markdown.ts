/**
 * Renders a run as markdown: the header (date, machine, load average, command), one
 * table per section (medians, ratio, target), the per-round samples and the notes.
 */
import { formatNumber } from '../lib/stats.js';
import { summarizeRow, type Results, type Row } from './results.js';

export interface RunInfo {
  date: string;
  machine: string;
  java: string;
  command: string;
  durationSeconds: number;
  loadBefore: string;
  loadAfter: string;
  settings: string[];
}

function value(x: number, unit: string): string {
  return Number.isFinite(x) ? `${formatNumber(x)} ${unit}` : '—';
}

function rowLine(r: Row): string {
  const s = summarizeRow(r);
  const ratio = Number.isFinite(s.ratio) ? `${s.ratio.toFixed(2)}×` : '—';
  const met = s.met === null ? '' : s.met ? '✅' : '❌';
  return `| ${r.name} | ${value(s.ours, r.unit)} | ${value(s.theirs, r.unit)} | ${ratio} | ${r.target?.text ?? ''} | ${met} |`;
}

function samplesLine(r: Row): string {
  const fmt = (xs: number[]) => (xs.length ? xs.map((x) => formatNumber(x)).join(', ') : '—');
  return `| ${r.section} — ${r.name} | ${fmt(r.samples.zoolab)} | ${fmt(r.samples.apache)} |`;
}

export function renderMarkdown(results: Results, info: RunInfo): string {
  const out: string[] = [];
  out.push(`Run of ${info.date} — \`${info.command}\` (${Math.round(info.durationSeconds)} s)`);
  out.push('');
  out.push(`- Machine: ${info.machine}; ${info.java}`);
  out.push(`- Load average (1/5/15 min): ${info.loadBefore} at the start, ${info.loadAfter} at the end (other engineers share this machine)`);
  for (const s of info.settings) out.push(`- ${s}`);
  out.push('');
  out.push('Medians over rounds, ZooLab and Apache ZooKeeper interleaved in the same run; ratio = ZooLab ÷ Apache.');
  const sections = [...new Set(results.rows.map((r) => r.section))];
  for (const section of sections) {
    out.push('');
    out.push(`#### ${section}`);
    out.push('');
    out.push('| measurement | ZooLab | Apache ZK 3.8 | ratio | target | met |');
    out.push('| --- | ---: | ---: | ---: | --- | :-: |');
    for (const r of results.rows.filter((x) => x.section === section)) out.push(rowLine(r));
  }
  if (results.suites.length) {
    out.push('');
    out.push('Load average when each suite began: ' + results.suites.map((s) => `${s.name} ${s.loadAverage} (${Math.round(s.seconds)} s)`).join('; ') + '.');
  }
  if (results.notes.length) {
    out.push('');
    out.push('Notes from the run:');
    out.push('');
    for (const n of results.notes) out.push(`- ${n}`);
  }
  out.push('');
  out.push('<details><summary>Every round</summary>');
  out.push('');
  out.push('| measurement | ZooLab rounds | Apache rounds |');
  out.push('| --- | --- | --- |');
  for (const r of results.rows) out.push(samplesLine(r));
  out.push('');
  out.push('</details>');
  return out.join('\n');
}
