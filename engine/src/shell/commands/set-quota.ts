/**
 * `setquota -n|-b|-N|-B val path` (SetQuotaCommand): soft (-n count, -b bytes) or hard
 * (-N, -B) limits; one per call. Value problems print a line and leave things as they are.
 */
import type { CommandContext, ShellCommand } from '../command.js';
import { StatsTrack, QUOTA_ROOT, type QuotaKey } from '../stats-track.js';
import { parseJavaInt, parseJavaLong } from '../java-numbers.js';
import { parseWords, usageError } from './support.js';
import { createQuota } from './quota-tree.js';

const FLAGS: ReadonlyArray<{ key: string; quota: QuotaKey; count: boolean }> = [
  { key: 'n', quota: 'count', count: true },
  { key: 'b', quota: 'bytes', count: false },
  { key: 'N', quota: 'countHardLimit', count: true },
  { key: 'B', quota: 'byteHardLimit', count: false },
];

/** Reads the flag values into `quota`; returns the line to print if one is unacceptable. */
function readLimits(value: (key: string) => string | undefined, quota: StatsTrack): string | null {
  try {
    for (const flag of FLAGS) {
      const text = value(flag.key);
      if (text === undefined) continue;
      const n = flag.count ? BigInt(parseJavaInt(text)) : parseJavaLong(text);
      if (flag.count && n <= 0n) return 'the num quota must be greater than zero';
      if (!flag.count && n < 0n) return 'the bytes quota must be greater than or equal to zero';
      quota.set(flag.quota, n);
    }
  } catch {
    return 'NumberFormatException happens when parsing the option value';
  }
  return null;
}

export const setquota: ShellCommand = {
  name: 'setquota',
  optionStr: '-n|-b|-N|-B val path',
  options: {
    options: [
      { key: 'n', hasArg: true, description: 'num soft quota' },
      { key: 'b', hasArg: true, description: 'bytes soft quota' },
      { key: 'N', hasArg: true, description: 'num hard quota' },
      { key: 'B', hasArg: true, description: 'bytes hard quota' },
    ],
    group: { keys: ['n', 'b', 'N', 'B'], required: true },
  },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    const path = cl.args[1];
    if (path.startsWith(QUOTA_ROOT)) {
      ctx.err.println(`cannot set a quota under the path: ${QUOTA_ROOT}`);
      return;
    }
    const quota = new StatsTrack();
    for (const flag of FLAGS) quota.set(flag.quota, -1n);
    const problem = readLimits((k) => cl.value(k), quota);
    if (problem !== null) {
      ctx.err.println(problem);
      return;
    }
    await createQuota(ctx, path, quota);
  },
};
