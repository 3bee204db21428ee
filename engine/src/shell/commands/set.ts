/** `set [-s] [-v version] path data` (SetCommand): silent on success, the new Stat with -s. */
import type { CommandContext, ShellCommand } from '../command.js';
import { formatStat } from '../stat-printer.js';
import { checkPath, intFlag, parseWords, usageError, utf8, zk } from './support.js';

export const set: ShellCommand = {
  name: 'set',
  optionStr: '[-s] [-v version] path data',
  options: {
    options: [
      { key: 's', hasArg: false, description: 'stats' },
      { key: 'v', hasArg: true, description: 'version' },
    ],
  },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 3) throw usageError(this);
    const [, path, text] = cl.args;
    const version = intFlag(cl.value('v'), -1);
    checkPath(path);
    const stat = await zk(() => ctx.client.setData(path, utf8(text), version));
    if (cl.has('s')) ctx.out.print(formatStat(stat, ctx.timeZone));
  },
};
