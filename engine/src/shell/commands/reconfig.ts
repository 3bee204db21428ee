/**
 * `reconfig` (ReconfigCommand): incremental (`-add`, `-remove`) or whole-membership
 * (`-members`, `-file`) dynamic reconfiguration, `-v` the expected config version in hex.
 * Prints the committed configuration. Servers without reconfig answer an error code.
 */
import { readFileSync } from 'node:fs';
import type { CommandContext, ShellCommand } from '../command.js';
import { CliError } from '../errors.js';
import { formatStat } from '../stat-printer.js';
import { parseJavaLong } from '../java-numbers.js';
import { dataText, parseWords, usageError, zk } from './support.js';

/** The `server.N=…` lines of a dynamic config file, as the members list reconfig sends. */
function membersFromFile(file: string): string {
  const text = readFileSync(file, 'utf8');
  const servers = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^server\.\d+\s*=/.test(l));
  if (servers.length === 0) throw new Error(' has no server.N lines');
  return servers.join(',');
}

export const reconfig: ShellCommand = {
  name: 'reconfig',
  optionStr:
    '[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]',
  options: {
    options: [
      { key: 's', hasArg: false, description: 'stats' },
      { key: 'v', hasArg: true, description: 'required current config version' },
      { key: 'file', hasArg: true, description: 'path of config file to parse for membership' },
      { key: 'members', hasArg: true, description: 'comma-separated list of config strings for non-incremental reconfig' },
      { key: 'add', hasArg: true, description: 'comma-separated list of config strings for new servers' },
      { key: 'remove', hasArg: true, description: 'comma-separated list of server IDs to remove' },
    ],
  },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    const whole = cl.has('file') || cl.has('members');
    const incremental = cl.has('add') || cl.has('remove');
    if (!whole && !incremental) throw usageError(this);
    let version = -1n;
    if (cl.has('v')) {
      try {
        version = parseJavaLong(cl.value('v')!, 16);
      } catch {
        throw new CliError('-v must be followed by a long (configuration version)');
      }
    }
    if (whole && incremental) {
      throw new CliError(
        "Can't use -file or -members together with -add or -remove (mixing incremental and non-incremental modes is not allowed)",
      );
    }
    if (cl.has('file') && cl.has('members')) {
      throw new CliError("Can't use -file and -members together (conflicting non-incremental modes)");
    }
    const joining = cl.value('add')?.toLowerCase() ?? null;
    const leaving = cl.value('remove')?.toLowerCase() ?? null;
    let members = cl.value('members')?.toLowerCase() ?? null;
    if (cl.has('file')) {
      try {
        members = membersFromFile(cl.value('file')!);
      } catch (e) {
        throw new CliError(`Error processing ${cl.value('file')}${(e as Error).message}`);
      }
    }
    const { data, stat } = await zk(() => ctx.client.reconfig(joining, leaving, members, version));
    ctx.out.println(`Committed new configuration:\n${dataText(data)}`);
    if (cl.has('s')) ctx.out.print(formatStat(stat, ctx.timeZone));
  },
};
