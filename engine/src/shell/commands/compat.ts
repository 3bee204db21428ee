/**
 * zkCli 3.8 still accepts the 3.4 forms `ls path watch`, `get path watch`, `stat path watch`:
 * with a third word it warns on stderr, overwrites the *third word typed* with `-w` and
 * parses again (so `get -s /a x` turns into `get -s -w x`). Kept as is: scripts written
 * for zkCli see the same result.
 */
import type { OptionTable, ParsedOptions } from '../cli-options.js';
import type { CommandContext } from '../command.js';
import { parseWords } from './support.js';

export function retainWatchCompatibility(
  table: OptionTable,
  words: string[],
  parsed: ParsedOptions,
  ctx: CommandContext,
  warning: string,
): ParsedOptions {
  if (parsed.args.length <= 2) return parsed;
  words[2] = '-w';
  ctx.err.println(warning);
  return parseWords(table, words);
}
