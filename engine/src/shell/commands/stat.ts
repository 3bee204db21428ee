/** `stat [-w] path` (StatCommand): the Stat block, or `Node does not exist` (exists → null). */
import type { CommandContext, ShellCommand } from '../command.js';
import { formatStat } from '../stat-printer.js';
import { cliErrorFor } from '../errors.js';
import { Err } from '../../jute/error-codes.js';
import { checkPath, parseWords, usageError, zk } from './support.js';
import { retainWatchCompatibility } from './compat.js';

export const stat: ShellCommand = {
  name: 'stat',
  optionStr: '[-w] path',
  options: { options: [{ key: 'w', hasArg: false, description: 'watch' }] },
  async run(ctx: CommandContext, words: string[]) {
    let cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    cl = retainWatchCompatibility(this.options, words, cl, ctx, "'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.");
    const path = cl.args[1];
    checkPath(path);
    const result = await zk(() => ctx.client.exists(path, cl.has('w')));
    if (result === null) throw cliErrorFor({ code: Err.NoNode, path });
    ctx.out.print(formatStat(result, ctx.timeZone));
  },
};
