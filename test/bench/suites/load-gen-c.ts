/**
 * Cross-check with Apache's own C load generator (/usr/lib/zookeeper/bin/load_gen, from
 * Debian's zookeeper-bin): `load_gen <hosts> <path> <N>` loops forever creating N
 * children asynchronously, then setting, reading and deleting them, logging a line at
 * the start of each phase. We time the phases from those log lines (ms resolution) and
 * report the second cycle (the first warms up the JVM and our JIT alike).
 *
 * It is one session with all N requests in flight, driven by the C client's single I/O
 * thread and a completion thread that takes a mutex per reply, so its figures are bound
 * by the client well below the servers' limits: they confirm the ordering of the two
 * servers, not their peak throughput.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadAverage } from '../lib/proc-stats.js';
import type { BenchServer } from '../servers/bench-server.js';
import { interleaved, startStandalones, type Suite } from './context.js';

const LOAD_GEN = '/usr/lib/zookeeper/bin/load_gen';
const PHASES = [
  { marker: 'Creating children for path', op: 'create' },
  { marker: 'Starting the write cycle', op: 'setData' },
  { marker: 'Starting the read cycle', op: 'getData' },
  { marker: 'Starting the delete cycle', op: 'delete' },
] as const;
const CYCLE_TIMEOUT_MS = 120_000;

interface PhaseTime {
  op: string;
  ms: number;
}

/** "2026-11-22 07:02:08,466:16250(0x…):ZOO_INFO@main@263: Creating children…" → epoch ms. */
function lineTime(line: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3})/.exec(line);
  if (!m) throw new Error(`load_gen line without a timestamp: ${line}`);
  return Date.parse(`${m[1]}T${m[2]}.${m[3]}`);
}

/** Runs two cycles of load_gen against `server` and returns the second cycle's phase times. */
function runLoadGen(server: BenchServer, path: string, children: number): Promise<PhaseTime[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(LOAD_GEN, [server.hostPort, path, String(children)], { stdio: ['ignore', 'ignore', 'pipe'] });
    const marks: { op: string; at: number }[] = [];
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`load_gen against ${server.label} did not finish two cycles in ${CYCLE_TIMEOUT_MS} ms`));
    }, CYCLE_TIMEOUT_MS);
    child.stderr!.on('data', (c: Buffer) => {
      buffered += c.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.includes('ZOO_ERROR')) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          reject(new Error(`load_gen against ${server.label}: ${line}`));
          return;
        }
        const phase = PHASES.find((p) => line.includes(p.marker));
        if (!phase) continue;
        marks.push({ op: phase.op, at: lineTime(line) });
        // Marks 0-3: cycle 1; 4-7: cycle 2; 8: the start of cycle 3 ends cycle 2.
        if (marks.length === 9) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve(marks.slice(4, 8).map((m, i) => ({ op: m.op, ms: marks[5 + i]!.at - m.at })));
        }
      }
    });
    child.once('exit', (code, signal) => {
      if (marks.length < 9) {
        clearTimeout(timer);
        reject(new Error(`load_gen exited early (code ${code}, signal ${signal})`));
      }
    });
  });
}

export const loadGenSuite: Suite = {
  name: 'loadgen',
  async run(ctx) {
    const { opts, results } = ctx;
    if (!existsSync(LOAD_GEN)) {
      results.note(`${LOAD_GEN} is not installed: the C load_gen cross-check was skipped.`);
      return;
    }
    const servers = await startStandalones(ctx);
    const section = `Cross-check: Apache's C load_gen, 1 session × ${opts.loadgenChildren} in flight (client-bound)`;
    try {
      for (let round = 0; round < opts.rounds; round++) {
        ctx.log(`load_gen round ${round + 1}/${opts.rounds} (load ${loadAverage()})`);
        for (const s of interleaved(servers, round)) {
          // A fresh path per round: a killed load_gen leaves its third cycle's nodes behind.
          const phases = await runLoadGen(s, `/lg${round}`, opts.loadgenChildren);
          ctx.log(`  ${s.label.padEnd(7)} ` + phases.map((p) => `${p.op} ${Math.round((opts.loadgenChildren * 1000) / Math.max(1, p.ms))}/s`).join('  '));
          for (const p of phases) results.add(section, `${p.op} ops/s`, 'ops/s', 'higher', s.kind, (opts.loadgenChildren * 1000) / Math.max(1, p.ms));
        }
      }
    } finally {
      await Promise.all(servers.map((s) => s.destroy(true)));
    }
  },
};
