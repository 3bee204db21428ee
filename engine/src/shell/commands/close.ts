/** `close` (CloseCommand): ends the session; the shell stays, `connect` opens a new one. */
import type { CommandContext, ShellCommand } from '../command.js';
import { zk } from './support.js';

export const close: ShellCommand = {
  name: 'close',
  optionStr: '',
  options: { options: [] },
  async run(ctx: CommandContext) {
    await zk(() => ctx.client.close());
  },
};
