/** `version` (VersionCommand): which CLI this is. zkCli prints its build; the shell names itself. */
import type { CommandContext, ShellCommand } from '../command.js';
import { parseWords, usageError } from './support.js';

/** The zkCli release whose behaviour the shell reproduces. */
export const COMPATIBLE_ZKCLI = '3.8.0';

export const version: ShellCommand = {
  name: 'version',
  optionStr: '',
  options: { options: [] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length > 1) throw usageError(this);
    ctx.out.println(`ZooKeeper CLI version: ${COMPATIBLE_ZKCLI}-zoolab (ZooLab zk-cli, zkCli.sh ${COMPATIBLE_ZKCLI} compatible)`);
  },
};
