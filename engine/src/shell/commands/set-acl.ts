/**
 * `setAcl [-s] [-v version] [-R] path acl` (SetAclCommand). With -R every node of the
 * subtree gets the ACL; a node that refuses prints its KeeperException message on stdout
 * without a newline and the walk goes on, as in zkCli.
 */
import type { CommandContext, ShellCommand } from '../command.js';
import { formatStat } from '../stat-printer.js';
import { parseAcl } from '../acl-text.js';
import { isKeeperError, keeperMessage } from '../errors.js';
import { checkAcl, checkPath, intFlag, parseWords, usageError, zk } from './support.js';
import { visitSubtree } from './subtree.js';

export const setAcl: ShellCommand = {
  name: 'setAcl',
  optionStr: '[-s] [-v version] [-R] path acl',
  options: {
    options: [
      { key: 's', hasArg: false, description: 'stats' },
      { key: 'v', hasArg: true, description: 'version' },
      { key: 'R', hasArg: false, description: 'recursive' },
    ],
  },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 3) throw usageError(this);
    const path = cl.args[1];
    const parsed = parseAcl(cl.args[2]);
    parsed.warnings.forEach((w) => ctx.err.println(w));
    const acl = parsed.acl;
    const version = intFlag(cl.value('v'), -1);
    if (cl.has('R')) {
      await visitSubtree(ctx.client, path, false, async (p) => {
        try {
          checkAcl(acl);
          await ctx.client.setACL(p, acl, version);
        } catch (e) {
          if (!isKeeperError(e)) throw e;
          ctx.out.print(keeperMessage(e));
        }
      });
      return;
    }
    checkPath(path);
    const stat = await zk(async () => {
      checkAcl(acl);
      return ctx.client.setACL(path, acl, version);
    });
    if (cl.has('s')) ctx.out.print(formatStat(stat, ctx.timeZone));
  },
};
