/**
 * Quota text as ZooKeeper stores it in `/zookeeper/quota/<path>/zookeeper_limits` and
 * `zookeeper_stats` (wire-protocol.md §8.2): `count=N,bytes=M`, with hard limits appended
 * after `=` as `;key=value` pairs in key order (StatsTrack#toString), e.g.
 * `count=5,bytes=100=;byteHardLimit=-1;countHardLimit=10`. A missing value reads as -1.
 */

export const QUOTA_ROOT = '/zookeeper/quota';
export const LIMIT_NODE = 'zookeeper_limits';
export const STAT_NODE = 'zookeeper_stats';

export const quotaPath = (path: string): string => QUOTA_ROOT + path;
export const limitPath = (path: string): string => `${QUOTA_ROOT}${path}/${LIMIT_NODE}`;
export const statPath = (path: string): string => `${QUOTA_ROOT}${path}/${STAT_NODE}`;

export type QuotaKey = 'count' | 'bytes' | 'countHardLimit' | 'byteHardLimit';

export class StatsTrack {
  private readonly stats = new Map<string, bigint>();

  /** Parses the stored text; a malformed pair throws, as Java's parser does. */
  static parse(text: string): StatsTrack {
    const track = new StatsTrack();
    if (text.length === 0) return track;
    for (const pair of text.split(/[,;]+/)) {
      if (pair === '') continue;
      const [key, value] = pair.split('=');
      if (value === undefined) throw new Error(`malformed quota entry "${pair}"`);
      if (value !== '' && !/^[+-]?\d+$/.test(value)) throw new Error(`For input string: "${value}"`);
      track.stats.set(key, value === '' ? -1n : BigInt(value));
    }
    return track;
  }

  get(key: QuotaKey): bigint {
    return this.stats.get(key) ?? -1n;
  }

  set(key: QuotaKey, value: bigint): void {
    this.stats.set(key, value);
  }

  toString(): string {
    const extra = [...this.stats.keys()].filter((k) => k !== 'count' && k !== 'bytes').sort();
    let text = `count=${this.get('count')},bytes=${this.get('bytes')}`;
    if (extra.length > 0) text += '=' + extra.map((k) => `;${k}=${this.stats.get(k)}`).join('');
    return text;
  }
}
