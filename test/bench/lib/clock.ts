/**
 * A monotonic millisecond clock that every process on this machine agrees on.
 *
 * `performance.now()` is cheap but counts from each process's own start, so a watch
 * event seen by a worker process cannot be compared with the setData sent by the
 * coordinator. `process.hrtime` reads CLOCK_MONOTONIC, which is system-wide on Linux but
 * allocates a BigInt per call. We measure the offset between the two once, then pay only
 * for `performance.now()` on the hot path.
 */
import { performance } from 'node:perf_hooks';

function measureOffset(): number {
  let best = Infinity;
  let offset = 0;
  // The smallest gap between the two reads gives the most accurate pairing.
  for (let i = 0; i < 20; i++) {
    const before = performance.now();
    const mono = Number(process.hrtime.bigint()) / 1e6;
    const after = performance.now();
    if (after - before < best) {
      best = after - before;
      offset = mono - (before + after) / 2;
    }
  }
  return offset;
}

const OFFSET_MS = measureOffset();

/** Milliseconds on CLOCK_MONOTONIC (comparable across processes), sub-microsecond resolution. */
export function monoNow(): number {
  return performance.now() + OFFSET_MS;
}

/** Resolves when monoNow() reaches `at` (a coordinator's common start time). */
/** A monoNow() instant expressed on this process's performance.now() scale. */
export function monoToLocal(monoMs: number): number {
  return monoMs - OFFSET_MS;
}

/** A performance.now() instant of this process expressed on the shared monoNow() scale. */
export function localToMono(localMs: number): number {
  return localMs + OFFSET_MS;
}

export function sleepUntil(at: number): Promise<void> {
  const wait = at - monoNow();
  return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
