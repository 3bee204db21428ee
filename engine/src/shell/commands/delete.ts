/** `delete [-v version] path` (DeleteCommand): silent on success. */
import type { CommandContext, ShellCommand } from '../command.js';
import { checkPath, intFlag, parseWords, usageError, zk } from './support.js';

export const del: ShellCommand = {
  name: 'delete',
  optionStr: '[-v version] path',
  options: { options: [{ key: 'v', hasArg: true, description: 'version' }] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    // The 3.4 form `delete path version` only earns a warning; the version word is ignored.
    if (cl.args.length > 2) {
      ctx.err.println("'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.");
    }
    const path = cl.args[1];
    const version = intFlag(cl.value('v'), -1);
    checkPath(path);
    await zk(() => ctx.client.delete(path, version));
  },
};
