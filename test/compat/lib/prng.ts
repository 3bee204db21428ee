/**
 * The seeded PRNG of the compatibility tests: the quorum simulator's (sfc32 seeded through
 * splitmix32), with the helpers the operation generator and the fuzzer use, so every
 * generated sequence and fuzz case is reproducible from its seed. Never Math.random.
 */
import { SeededPrng } from '../../../engine/src/quorum/prng.js';

export class Prng extends SeededPrng {
  constructor(readonly seed: number) {
    super(seed);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number {
    return this.next();
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return this.between(lo, hi);
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.float() * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }
}
