/**
 * A latency histogram with logarithmic buckets 1 % wide, so percentiles are within 1 %
 * of the true value whatever the scale (40 µs gets and 5 ms slow-disk writes alike),
 * in constant memory. Worker processes send theirs to the coordinator as sparse pairs
 * and the coordinator merges them, which is why it is not a list of samples.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** 1.01^3000 ns ≈ 2.6 hours: far beyond any latency we can see. */
const BUCKETS = 3000;

export interface HistogramData {
  /** [bucket, count] pairs for non-empty buckets. */
  buckets: [number, number][];
  count: number;
  sumMs: number;
  minMs: number;
  maxMs: number;
}

export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  sumMs = 0;
  minMs = Infinity;
  maxMs = 0;

  record(ms: number): void {
    const ns = ms * 1e6;
    const i = ns <= 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(ns) / LOG_GROWTH));
    this.counts[i]!++;
    this.count++;
    this.sumMs += ms;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The value below which `p` percent of the recorded values lie (bucket midpoint), in ms. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    // The extremes are known exactly.
    if (rank === 1) return this.minMs;
    if (rank >= this.count) return this.maxMs;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        // Clamp to what was really seen so p0/p100 never fall outside [min, max].
        const mid = Math.pow(GROWTH, i + 0.5) / 1e6;
        return Math.min(this.maxMs, Math.max(this.minMs, mid));
      }
    }
    return this.maxMs;
  }

  mean(): number {
    return this.count === 0 ? NaN : this.sumMs / this.count;
  }

  merge(other: Histogram | HistogramData): this {
    const data = other instanceof Histogram ? other.toData() : other;
    for (const [i, n] of data.buckets) this.counts[i]! += n;
    this.count += data.count;
    this.sumMs += data.sumMs;
    this.minMs = Math.min(this.minMs, data.minMs);
    this.maxMs = Math.max(this.maxMs, data.maxMs);
    return this;
  }

  toData(): HistogramData {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i]! > 0) buckets.push([i, this.counts[i]!]);
    return { buckets, count: this.count, sumMs: this.sumMs, minMs: this.minMs, maxMs: this.maxMs };
  }

  static from(data: HistogramData): Histogram {
    return new Histogram().merge(data);
  }
}
