/**
 * `deleteall path [-b batch size]` (DeleteAllCommand / ZKUtil.deleteRecursive): lists the
 * subtree breadth-first, then deletes it deepest-first in multis of `batch` deletes.
 */
import type { CommandContext, ShellCommand } from '../command.js';
import { CliError } from '../errors.js';
import { parseJavaInt } from '../java-numbers.js';
import { checkPath, parseWords, usageError } from './support.js';
import { listSubtreeBreadthFirst } from './subtree.js';

function batchFlag(value: string | undefined): number {
  if (value === undefined) return 1000;
  try {
    return parseJavaInt(value);
  } catch {
    throw new CliError('-b argument must be an int value');
  }
}

export const deleteall: ShellCommand = {
  name: 'deleteall',
  optionStr: 'path [-b batch size]',
  options: { options: [{ key: 'b', hasArg: true, description: 'batch size' }] },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    const batchSize = batchFlag(cl.value('b'));
    const path = cl.args[1];
    checkPath(path);
    const tree = await listSubtreeBreadthFirst(ctx.client, path);
    let ok = true;
    let batch: string[] = [];
    for (let i = tree.length - 1; i >= 0; i--) {
      batch.push(tree[i]);
      if (batch.length === batchSize || i === 0) {
        if (!(await ctx.client.deleteBatch(batch))) {
          ok = false;
          break;
        }
        batch = [];
      }
    }
    if (!ok) ctx.err.println('Failed to delete some node(s) in the subtree!');
  },
};
