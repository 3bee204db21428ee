/**
 * kill -9 at random points, many times, against one data dir. A child process
 * (helpers/crash-writer.ts) appends a deterministic history and prints each zxid once it
 * is acknowledged durable; it also snapshots, purges and changes epochs as it goes. After
 * every kill the next child recovers and prints what it found. We check:
 *
 * - every write acknowledged by any earlier run is present (recovered zxid ≥ max ACK);
 * - the recovered state is exactly the history's prefix up to the recovered zxid (digest
 *   computed here, independently): nothing lost in the middle, nothing half-applied
 *   (some txns are 3-create multis);
 * - the epoch invariants hold at every start (the child refuses to start otherwise);
 * - no run fails (FATAL) and the final store verifies end to end.
 *
 * Seeded: set ZOOLAB_CRASH_SEED to replay a run; ZOOLAB_CRASH_ITERATIONS to change the
 * number of kills (default 20 with one file, half that with a separate dataLogDir).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mapFns, tempDir } from '../unit/storage-fixtures.js';
import { advanceTo, digest } from './helpers/history.js';

const CHILD = fileURLToPath(new URL('./helpers/crash-writer.js', import.meta.url));

/** mulberry32: a tiny seeded PRNG, so a failing schedule can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type KillPlan = { afterAcks: number } | { afterMs: number } | { never: true };

interface Run {
  recovered: { lastZxid: bigint; digest: string } | null;
  epochs: [number, number] | null;
  acks: bigint[];
  reports: string[];
  fatal: string[];
  snapshots: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

async function runChild(dirs: [string, string], plan: KillPlan, verify = false): Promise<Run> {
  const child = spawn(process.execPath, [CHILD, ...dirs, ...(verify ? ['verify'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { recovered: null, epochs: null, acks: [], reports: [], fatal: [], snapshots: 0, exitCode: null, signal: null };
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  // The timer only decides WHEN to kill (a random point); nothing waits on it for correctness.
  const timer = 'afterMs' in plan ? setTimeout(kill, plan.afterMs) : null;
  try {
    const lines = createInterface({ input: child.stdout });
    const exited = new Promise<void>((resolve) =>
      child.on('exit', (code, signal) => {
        run.exitCode = code;
        run.signal = signal;
        resolve();
      }),
    );
    for await (const line of lines) {
      const [kind, ...rest] = line.split(' ');
      if (kind === 'ACK') {
        run.acks.push(BigInt('0x' + rest[0]));
        if ('afterAcks' in plan && run.acks.length >= plan.afterAcks) kill();
      } else if (kind === 'RECOVERED') {
        run.recovered = { lastZxid: BigInt('0x' + rest[0]), digest: rest[1]! };
        if ('afterAcks' in plan && plan.afterAcks === 0) kill();
      } else if (kind === 'EPOCHS') run.epochs = [Number(rest[0]), Number(rest[1])];
      else if (kind === 'REPORT') run.reports.push(rest.join(' '));
      else if (kind === 'SNAPSHOT') run.snapshots++;
      else if (kind === 'FATAL') run.fatal.push(rest.join(' '));
    }
    await exited;
  } finally {
    if (timer) clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  if (run.fatal.length > 0 || (run.signal === null && run.exitCode !== 0)) {
    assert.fail(`child failed (exit ${run.exitCode}): ${run.fatal.join('; ')}\n${stderr}`);
  }
  return run;
}

async function killLoop(t: TestContext, split: boolean, iterations: number): Promise<void> {
  const seed = Number(process.env.ZOOLAB_CRASH_SEED ?? Date.now() % 1_000_000_007);
  const random = prng(seed);
  t.diagnostic(`seed ${seed} (replay with ZOOLAB_CRASH_SEED=${seed}), ${iterations} kills`);
  const tmp = tempDir('zoolab-kill9-');
  const dirs: [string, string] = [join(tmp.dir, 'data'), join(tmp.dir, split ? 'log' : 'data')];
  const expected = mapFns.empty();
  let maxAcked = 0n;
  let totalAcks = 0;
  let snapshots = 0;
  const notable = new Map<string, number>();
  try {
    for (let i = 0; i <= iterations; i++) {
      const last = i === iterations;
      const r = random();
      // Mostly kill after some acks (mid-flush, mid-snapshot, mid-epoch change); sometimes
      // at a random instant, which may fall during open or recovery.
      const plan: KillPlan = last
        ? { never: true }
        : r < 0.7
          ? { afterAcks: Math.floor(random() * 1500) }
          : { afterMs: Math.floor(random() * 400) };
      const run = await runChild(dirs, plan, last);
      const context = `seed ${seed}, run ${i}, plan ${JSON.stringify(plan)}`;
      for (const rep of run.reports) {
        const code = rep.split(' ')[1]!;
        notable.set(code, (notable.get(code) ?? 0) + 1);
      }
      if (run.recovered) {
        const got = run.recovered.lastZxid;
        assert.ok(got >= maxAcked, `${context}: recovered ${got.toString(16)} but ${maxAcked.toString(16)} was acknowledged`);
        advanceTo(expected, got);
        assert.equal(run.recovered.digest, digest(expected), `${context}: state at ${got.toString(16)} is not the history's prefix`);
        const [accepted, current] = run.epochs!;
        assert.ok(accepted >= current, `${context}: acceptedEpoch ${accepted} < currentEpoch ${current}`);
      } else {
        assert.equal(run.acks.length, 0, `${context}: acks without a recovery line`);
      }
      for (let k = 1; k < run.acks.length; k++) {
        assert.ok(run.acks[k]! > run.acks[k - 1]!, `${context}: acks out of zxid order`);
      }
      if (run.acks.length > 0) {
        assert.ok(run.acks[0]! > (run.recovered?.lastZxid ?? 0n), `${context}: acked a zxid at or below the recovered one`);
        const top = run.acks.at(-1)!;
        if (top > maxAcked) maxAcked = top;
      }
      totalAcks += run.acks.length;
      snapshots += run.snapshots;
    }
    assert.ok(totalAcks > 1000, `the children did real work (${totalAcks} acks)`);
    t.diagnostic(`${totalAcks} acknowledged writes, ${snapshots} snapshots + purges, final zxid ${maxAcked.toString(16)}`);
    t.diagnostic(`reports seen: ${JSON.stringify(Object.fromEntries(notable))}`);
    assert.equal(notable.get('log-corrupt') ?? 0, 0);
    assert.equal(notable.get('wal-corrupt') ?? 0, 0);
  } finally {
    tmp.cleanup();
  }
}

const ITERATIONS = Number(process.env.ZOOLAB_CRASH_ITERATIONS ?? 20);

test('kill -9 at random points never loses an acknowledged write nor half-applies one (one file)', (t) =>
  killLoop(t, false, ITERATIONS));

test('the same with the log in its own dataLogDir (two files, snapshot file commits first)', (t) =>
  killLoop(t, true, Math.ceil(ITERATIONS / 2)));
