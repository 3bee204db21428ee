/** `getAcl [-s] path` (GetAclCommand): one `'scheme,'id` / `: perms` pair per entry, then the Stat with -s. */
import type { CommandContext, ShellCommand } from '../command.js';
import { formatStat } from '../stat-printer.js';
import { formatAclEntry } from '../acl-text.js';
import { checkPath, parseWords, usageError, zk } from './support.js';

export const getAcl: ShellCommand = {
  name: 'getAcl',
  optionStr: '[-s] path',
  options: { options: [{ key: 's', hasArg: false, description: 'stats' }] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    const path = cl.args[1];
    checkPath(path);
    const { acl, stat } = await zk(() => ctx.client.getACL(path));
    for (const entry of acl) ctx.out.println(formatAclEntry(entry));
    if (cl.has('s')) ctx.out.print(formatStat(stat, ctx.timeZone));
  },
};
