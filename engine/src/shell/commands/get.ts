/** `get [-s] [-w] path` (GetCommand): the data as UTF-8 text (`null` for null data), then the Stat with -s. */
import type { CommandContext, ShellCommand } from '../command.js';
import { formatStat } from '../stat-printer.js';
import { checkPath, dataText, parseWords, usageError, zk } from './support.js';
import { retainWatchCompatibility } from './compat.js';

export const get: ShellCommand = {
  name: 'get',
  optionStr: '[-s] [-w] path',
  options: {
    options: [
      { key: 's', hasArg: false, description: 'stats' },
      { key: 'w', hasArg: false, description: 'watch' },
    ],
  },
  async run(ctx: CommandContext, words: string[]) {
    let cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    cl = retainWatchCompatibility(this.options, words, cl, ctx, "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.");
    const path = cl.args[1];
    checkPath(path);
    const { data, stat } = await zk(() => ctx.client.getData(path, cl.has('w')));
    ctx.out.println(dataText(data));
    if (cl.has('s')) ctx.out.print(formatStat(stat, ctx.timeZone));
  },
};
