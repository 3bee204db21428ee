/** `ls [-s] [-w] [-R] path` (LsCommand): sorted children as a Java list, or the subtree with -R. */
import type { CommandContext, ShellCommand } from '../command.js';
import { formatStat } from '../stat-printer.js';
import { javaListString } from '../java-format.js';
import { checkPath, parseWords, usageError, zk } from './support.js';
import { retainWatchCompatibility } from './compat.js';
import { visitSubtree } from './subtree.js';

/** commons-cli HelpFormatter's text for `ls -?`, the only command with a help flag. */
const LS_HELP = 'usage: ls [options] path\n -?   help\n -R   recurse\n -s   stat\n -w   watch';

export const ls: ShellCommand = {
  name: 'ls',
  optionStr: '[-s] [-w] [-R] path',
  options: {
    options: [
      { key: '?', hasArg: false, description: 'help' },
      { key: 's', hasArg: false, description: 'stat' },
      { key: 'w', hasArg: false, description: 'watch' },
      { key: 'R', hasArg: false, description: 'recurse' },
    ],
  },
  async run(ctx: CommandContext, words: string[]) {
    let cl = parseWords(this.options, words);
    if (cl.has('?')) ctx.out.println(LS_HELP);
    cl = retainWatchCompatibility(this.options, words, cl, ctx, "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.");
    if (cl.args.length < 2) throw usageError(this);
    const path = cl.args[1];
    const watch = cl.has('w');
    if (cl.has('R')) {
      await visitSubtree(ctx.client, path, watch, (p) => ctx.out.println(p));
      return;
    }
    checkPath(path);
    const { children, stat } = await zk(() => ctx.client.getChildren(path, watch));
    ctx.out.print(javaListString([...children].sort()) + '\n');
    if (cl.has('s')) ctx.out.print(formatStat(stat, ctx.timeZone));
  },
};
