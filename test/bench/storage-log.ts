/**
 * Storage benchmark: txn log append throughput and latency, 1 writer vs many concurrent
 * writers, on the real disk and with a simulated slow fsync; latency while a big
 * snapshot is being written; recovery time. Figures, not pass/fail (docs/storage.md).
 *
 *   npx tsc -p tsconfig.json --outDir .build/storage --tsBuildInfoFile .build/storage/.tsbuildinfo
 *   node .build/storage/test/bench/storage-log.js [--duration 1500] [--delay 5]
 *
 * Each writer appends one create (~130 bytes encoded) and awaits it before the next,
 * like a client with one outstanding write; N writers = N outstanding writes.
 */
import { performance } from 'node:perf_hooks';
import { recoverStore } from '../../engine/src/storage/recover-store.js';
import { openSqliteStore, type SqliteStore } from '../../engine/src/storage/sqlite-store.js';
import { entry, mapFns, tempDir } from '../unit/storage-fixtures.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const DURATION_MS = arg('duration', 1500);
const SLOW_MS = arg('delay', 5);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Row {
  scenario: string;
  opsPerSec: number;
  p50: number;
  p99: number;
  max: number;
  perFlush: number;
}

/** Runs `writers` closed-loop appenders for DURATION_MS; returns throughput and latency. */
async function appendLoad(store: SqliteStore, writers: number, firstCounter: number, during?: () => Promise<void>) {
  const latencies: number[] = [];
  let counter = firstCounter;
  const before = store.stats();
  const stopAt = performance.now() + DURATION_MS;
  const writer = async (): Promise<void> => {
    while (performance.now() < stopAt) {
      const e = entry(1, counter++, undefined, 'x'.repeat(100));
      const t0 = performance.now();
      await store.log.append([e]);
      latencies.push(performance.now() - t0);
    }
  };
  const start = performance.now();
  await Promise.all([...Array.from({ length: writers }, writer), during?.()]);
  const elapsed = performance.now() - start;
  const after = store.stats();
  latencies.sort((a, b) => a - b);
  return {
    opsPerSec: (latencies.length / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    perFlush: (after.ops - before.ops) / Math.max(1, after.batches - before.batches),
    next: counter,
  };
}

async function scenario(name: string, writers: number, fsyncDelayMs: number): Promise<Row> {
  const tmp = tempDir('zoolab-bench-');
  const store = await openSqliteStore({ dataDir: tmp.dir, fsyncDelayMs });
  try {
    const r = await appendLoad(store, writers, 1);
    return { scenario: name, ...r };
  } finally {
    await store.close();
    tmp.cleanup();
  }
}

async function snapshotScenario(writers: number, snapshotBytes: number, chunkBytes: number): Promise<Row> {
  const tmp = tempDir('zoolab-bench-');
  const store = await openSqliteStore({ dataDir: tmp.dir, chunkBytes });
  try {
    const big = Buffer.alloc(snapshotBytes, 0x61);
    let written = 0;
    const snapshots = async (): Promise<void> => {
      // Keep writing snapshots for the whole run.
      const stopAt = performance.now() + DURATION_MS;
      while (performance.now() < stopAt) {
        await store.snapshots.write(BigInt(++written), big);
      }
    };
    const r = await appendLoad(store, writers, 1, snapshots);
    return {
      scenario: `${writers} writers + ${snapshotBytes >> 20} MiB snapshots back to back, ${chunkBytes >> 10} KiB chunks (${written} written)`,
      ...r,
    };
  } finally {
    await store.close();
    tmp.cleanup();
  }
}

async function recoveryFigure(n: number): Promise<string> {
  const tmp = tempDir('zoolab-bench-');
  try {
    const store = await openSqliteStore({ dataDir: tmp.dir });
    const batch = 1000;
    for (let c = 1; c <= n; c += batch) {
      const es = [];
      for (let k = c; k < c + batch && k <= n; k++) es.push(entry(1, k, `/p${k}`, 'x'.repeat(100)));
      await store.log.append(es);
    }
    await store.close();
    const t0 = performance.now();
    const again = await openSqliteStore({ dataDir: tmp.dir });
    const t1 = performance.now();
    const result = await recoverStore(again, mapFns);
    const t2 = performance.now();
    await again.close();
    return `open ${(t1 - t0).toFixed(0)} ms (incl. quick_check), read + verify + replay ${result.replayed} txns ${(t2 - t1).toFixed(0)} ms`;
  } finally {
    tmp.cleanup();
  }
}

const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(2));

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const delay of [0, SLOW_MS]) {
    for (const writers of [1, 16, 64, 256]) {
      rows.push(await scenario(`${writers} writer${writers > 1 ? 's' : ''}, fsync delay ${delay} ms`, writers, delay));
    }
  }
  for (const chunk of [1 << 20, 256 << 10]) rows.push(await snapshotScenario(64, 16 << 20, chunk));
  console.log(`Node ${process.version}, ${DURATION_MS} ms per scenario\n`);
  console.log('| scenario | appends/s | p50 ms | p99 ms | max ms | appends per flush |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.scenario} | ${fmt(r.opsPerSec)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(r.perFlush)} |`);
  console.log(`\nrecovery of 100000 logged txns: ${await recoveryFigure(100_000)}`);
}

await main();
