/**
 * `addWatch [-m mode] path` (AddWatchCommand): a persistent watch, recursive unless
 * `-m PERSISTENT` (wire-protocol.md §12.4). Its events go to the session's printer.
 * (zkCli keeps the last -m for later calls without -m; the shell does not copy that bug.)
 */
import type { CommandContext, ShellCommand } from '../command.js';
import { checkPath, parseWords, usageError, zk } from './support.js';

const MODES = ['PERSISTENT', 'PERSISTENT_RECURSIVE'] as const;

export const addWatch: ShellCommand = {
  name: 'addWatch',
  optionStr: `[-m mode] path # optional mode is one of [${MODES.join(', ')}] - default is PERSISTENT_RECURSIVE`,
  options: { options: [{ key: 'm', hasArg: true, description: '' }] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length !== 2) throw usageError(this);
    let recursive = true;
    const mode = cl.value('m');
    if (mode !== undefined) {
      const name = mode.toUpperCase();
      if (!(MODES as readonly string[]).includes(name)) throw usageError(this);
      recursive = name === 'PERSISTENT_RECURSIVE';
    }
    const path = cl.args[1];
    checkPath(path);
    await zk(() => ctx.client.addWatch(path, recursive));
  },
};
