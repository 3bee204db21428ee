/** `getAllChildrenNumber path` (GetAllChildrenNumberCommand): the size of the subtree below path. */
import type { CommandContext, ShellCommand } from '../command.js';
import { checkPath, parseWords, usageError, zk } from './support.js';

export const getAllChildrenNumber: ShellCommand = {
  name: 'getAllChildrenNumber',
  optionStr: 'path',
  options: { options: [] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    const path = cl.args[1];
    checkPath(path);
    ctx.out.println(String(await zk(() => ctx.client.getAllChildrenNumber(path))));
  },
};
