/**
 * `removewatches path [-c|-d|-a] [-l]` (RemoveWatchesCommand): removes this session's
 * watches of a kind on path (opcode 18, wire-protocol.md §12.6); the removal events print
 * like any other (`type:DataWatchRemoved`…).
 */
import type { CommandContext, RemoveWatchKind, ShellCommand } from '../command.js';
import { checkPath, parseWords, usageError, zk } from './support.js';

export const removewatches: ShellCommand = {
  name: 'removewatches',
  optionStr: 'path [-c|-d|-a] [-l]',
  options: {
    options: [
      { key: 'c', hasArg: false, description: 'child watcher type' },
      { key: 'd', hasArg: false, description: 'data watcher type' },
      { key: 'a', hasArg: false, description: 'any watcher type' },
      { key: 'l', hasArg: false, description: 'remove locally when there is no server connection' },
    ],
  },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    const kind: RemoveWatchKind = cl.has('c') ? 'children' : cl.has('d') ? 'data' : 'any';
    const path = cl.args[1];
    checkPath(path);
    await zk(() => ctx.client.removeAllWatches(path, kind, cl.has('l')));
  },
};
