/** `delquota [-n|-b|-N|-B] path` (DelQuotaCommand): removes the whole quota, or only the flagged limit. */
import type { CommandContext, ShellCommand } from '../command.js';
import { CliError } from '../errors.js';
import { Err } from '../../jute/error-codes.js';
import { StatsTrack } from '../stats-track.js';
import { parseWords, usageError } from './support.js';
import { deleteQuota } from './quota-tree.js';

export const delquota: ShellCommand = {
  name: 'delquota',
  optionStr: '[-n|-b|-N|-B] path',
  options: {
    options: [
      { key: 'n', hasArg: false, description: 'num soft quota' },
      { key: 'b', hasArg: false, description: 'bytes soft quota' },
      { key: 'N', hasArg: false, description: 'num hard quota' },
      { key: 'B', hasArg: false, description: 'bytes hard quota' },
    ],
    group: { keys: ['n', 'b', 'N', 'B'], required: false },
  },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    const path = cl.args[1];
    let which: StatsTrack | null = null;
    if (['n', 'b', 'N', 'B'].some((k) => cl.has(k))) {
      which = new StatsTrack();
      if (cl.has('n')) which.set('count', 1n);
      if (cl.has('b')) which.set('bytes', 1n);
      if (cl.has('N')) which.set('countHardLimit', 1n);
      if (cl.has('B')) which.set('byteHardLimit', 1n);
    }
    try {
      await deleteQuota(ctx, path, which);
    } catch (e) {
      if (!(e instanceof CliError && e.keeperCode === Err.NoNode)) throw e;
      ctx.err.println(`quota for ${path} does not exist.`);
    }
  },
};
