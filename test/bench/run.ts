/**
 * npm run bench — ZooLab's member against Apache ZooKeeper 3.8 standalone, interleaved in
 * the same run (docs/benchmarks.md explains the method and records the findings).
 *
 *   npm run bench                         the full run (~10 min), updates docs/benchmarks.md
 *   npm run bench -- --quick              a smoke run
 *   npm run bench -- --only reads,watch   a subset
 *   npm run bench -- --suite ensemble     3-member ensembles (Engine, part 3)
 *
 * Figures, not pass/fail: the exit code is non-zero only when a run could not be done.
 */
import { writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { ZK_SERVER_SCRIPT } from '../helpers/zoolab-server.js';
import { monoNow } from './lib/clock.js';
import { javaVersion, loadAverage, machineDescription } from './lib/proc-stats.js';
import { WorkerPool } from './loadgen/worker-pool.js';
import { parseOptions, type SuiteName } from './options.js';
import { benchmarksDocPath, writeResultsSection } from './report/docs-file.js';
import { renderMarkdown } from './report/markdown.js';
import { Results } from './report/results.js';
import type { Suite, SuiteContext } from './suites/context.js';
import { ensembleSuite } from './suites/ensemble.js';
import { loadGenSuite } from './suites/load-gen-c.js';
import { memorySuite } from './suites/memory-restart.js';
import { opsSuite } from './suites/ops.js';
import { sessionRateSuite } from './suites/session-rate.js';
import { slowDiskSuite } from './suites/slow-disk.js';
import { watchFanOutSuite } from './suites/watch-fanout.js';

const SUITES: Record<SuiteName, Suite> = {
  ops: opsSuite,
  watch: watchFanOutSuite,
  sessions: sessionRateSuite,
  memory: memorySuite,
  slowdisk: slowDiskSuite,
  loadgen: loadGenSuite,
  ensemble: ensembleSuite,
};

function settings(ctx: SuiteContext): string[] {
  const o = ctx.opts;
  return [
    `Servers: ZooLab \`node ${relative(dirname(dirname(benchmarksDocPath())), ZK_SERVER_SCRIPT)} zoo.cfg\`${o.memberNodeArgs.length ? ` with node ${o.memberNodeArgs.join(' ')}` : ''}; Apache ZooKeeper 3.8.0 \`ZooKeeperServerMain\`, JVM defaults (no -Xmx), forceSync=yes; both on 127.0.0.1 with tickTime=2000, maxClientCnxns=0 (see test/bench/servers/)`,
    `Load: ${o.workers} load-generator processes (raw jute frames, pipelined); ${o.rounds} round(s) of ${o.seconds} s measured after ${o.warmupMs} ms warm-up; values 100 bytes`,
  ];
}

/** How this run was started: `npm run bench -- …` from dist/, else the script path. */
function invocation(argv: string[]): string {
  const root = dirname(dirname(benchmarksDocPath()));
  const script = relative(root, process.argv[1] ?? '');
  const args = argv.length ? ` ${argv.join(' ')}` : '';
  return script.startsWith('dist/') ? `npm run bench${args ? ` --${args}` : ''}` : `node ${script}${args}`;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const results = new Results();
  const pool = WorkerPool.start(opts.workers);
  const started = monoNow();
  const loadBefore = loadAverage();
  const ctx: SuiteContext = { opts, results, pool, log: (line) => console.log(line) };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      pool.killNow();
      process.exit(130);
    });
  }
  let failed = false;
  try {
    for (const name of opts.suites) {
      const t0 = monoNow();
      const load = loadAverage();
      console.log(`\n== ${name} (load average ${load})`);
      try {
        await SUITES[name].run(ctx);
      } catch (e) {
        // Report what the other suites measured; the run still exits non-zero.
        failed = true;
        const message = e instanceof Error ? e.message : String(e);
        console.error(`suite ${name} failed: ${message}`);
        results.note(`Suite ${name} failed: ${message.split('\n')[0]}`);
      }
      results.suites.push({ name, loadAverage: load, seconds: (monoNow() - t0) / 1000 });
    }
  } finally {
    await pool.stop();
  }
  const markdown = renderMarkdown(results, {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: machineDescription(),
    java: await javaVersion(),
    command: invocation(opts.argv),
    durationSeconds: (monoNow() - started) / 1000,
    loadBefore,
    loadAfter: loadAverage(),
    settings: settings(ctx),
  });
  console.log(`\n${markdown}`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ rows: results.rows, notes: results.notes, suites: results.suites }, null, 2));
  if (opts.writeDocs) {
    const path = benchmarksDocPath();
    writeResultsSection(path, markdown);
    console.log(`\nwrote ${path}`);
  }
  if (failed) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
