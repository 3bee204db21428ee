/** `addauth scheme auth` (AddAuthCommand): sends the credentials and returns at once; a refusal arrives as an AuthFailed event. */
import type { CommandContext, ShellCommand } from '../command.js';
import { parseWords, usageError, utf8 } from './support.js';

export const addauth: ShellCommand = {
  name: 'addauth',
  optionStr: 'scheme auth',
  options: { options: [] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    ctx.client.addAuth(cl.args[1], cl.args.length >= 3 ? utf8(cl.args[2]) : null);
  },
};
