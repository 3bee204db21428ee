/** `listquota path` (ListQuotaCommand): the limits and the usage the server keeps for path. */
import type { CommandContext, ShellCommand } from '../command.js';
import { CliError } from '../errors.js';
import { Err } from '../../jute/error-codes.js';
import { limitPath } from '../stats-track.js';
import { parseWords, usageError } from './support.js';
import { readQuota } from './quota-tree.js';

export const listquota: ShellCommand = {
  name: 'listquota',
  optionStr: 'path',
  options: { options: [] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    const path = cl.args[1];
    ctx.err.println(`absolute path is ${limitPath(path)}`);
    try {
      const [quota, usage] = await readQuota(ctx.client, path);
      ctx.out.println(`Output quota for ${path} ${quota}`);
      ctx.out.println(`Output stat for ${path} ${usage}`);
    } catch (e) {
      if (!(e instanceof CliError && e.keeperCode === Err.NoNode)) throw e;
      ctx.err.println(`quota for ${path} does not exist.`);
    }
  },
};
