/** `whoami` (WhoAmICommand): the identities the server holds for this session (opcode 107). */
import type { CommandContext, ShellCommand } from '../command.js';
import { zk } from './support.js';

export const whoami: ShellCommand = {
  name: 'whoami',
  optionStr: '',
  options: { options: [] },
  async run(ctx: CommandContext) {
    const infos = await zk(() => ctx.client.whoAmI());
    ctx.out.println('Auth scheme: User');
    for (const info of infos) ctx.out.println(`${info.authScheme}: ${info.user}`);
  },
};
