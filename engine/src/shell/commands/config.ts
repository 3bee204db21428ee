/**
 * `config [-c] [-w] [-s]` (GetConfigCommand): the ensemble's dynamic config from
 * `/zookeeper/config` (empty on a standalone server), `-c` as the client connect list.
 */
import type { CommandContext, ShellCommand } from '../command.js';
import { formatStat } from '../stat-printer.js';
import { clientConfigText } from '../client-config-text.js';
import { dataText, parseWords, zk } from './support.js';

export const config: ShellCommand = {
  name: 'config',
  optionStr: '[-c] [-w] [-s]',
  options: {
    options: [
      { key: 's', hasArg: false, description: 'stats' },
      { key: 'w', hasArg: false, description: 'watch' },
      { key: 'c', hasArg: false, description: 'client connection string' },
    ],
  },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    const { data, stat } = await zk(() => ctx.client.getConfig(cl.has('w')));
    const text = dataText(data);
    ctx.out.println(cl.has('c') ? clientConfigText(text) : text);
    if (cl.has('s')) ctx.out.print(formatStat(stat, ctx.timeZone));
  },
};
