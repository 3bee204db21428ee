/** `getEphemerals path` (GetEphemeralsCommand): this session's ephemerals, all of them without a path. */
import type { CommandContext, ShellCommand } from '../command.js';
import { javaListString } from '../java-format.js';
import { checkPath, parseWords, zk } from './support.js';

export const getEphemerals: ShellCommand = {
  name: 'getEphemerals',
  optionStr: 'path',
  options: { options: [] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    const path = cl.args.length < 2 ? undefined : cl.args[1];
    if (path !== undefined) checkPath(path);
    const ephemerals = await zk(() => ctx.client.getEphemerals(path));
    ctx.out.println(javaListString(ephemerals));
  },
};
