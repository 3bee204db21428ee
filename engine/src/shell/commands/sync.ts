/** `sync path` (SyncCommand): `Sync is OK`, or the failing code as `rc=`. */
import type { CommandContext, ShellCommand } from '../command.js';
import { isKeeperError } from '../errors.js';
import { checkPath, parseWords, usageError } from './support.js';

export const sync: ShellCommand = {
  name: 'sync',
  optionStr: 'path',
  options: { options: [] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    const path = cl.args[1];
    checkPath(path);
    try {
      await ctx.client.sync(path);
      ctx.out.println('Sync is OK');
    } catch (e) {
      if (!isKeeperError(e)) throw e;
      ctx.out.println(`Sync has failed. rc=${e.code}`);
    }
  },
};
