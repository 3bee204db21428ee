/**
 * Tab completion (JLineZNodeCompleter, extended): the first word completes to a command,
 * a word starting with `/` to a znode path (children of its parent, fetched when asked), a
 * word starting with `-` to the command's flags. Pure apart from the lister it is given.
 */
import { CLIENT_COMMANDS } from './commands/index.js';
import { COMMAND_NAMES } from './usage.js';

/** Lists the children of a path (getChildren without a watch). */
export type ChildrenLister = (path: string) => Promise<string[]>;

/** node readline's completer result: candidates and the text they replace. */
export type Completion = [string[], string];

const VALUE_CHOICES: Record<string, string[]> = { printwatches: ['on', 'off'] };

export async function completeLine(line: string, listChildren: ChildrenLister): Promise<Completion> {
  const words = line.split(' ');
  const token = words[words.length - 1];
  const firstWord = words.slice(0, -1).every((w) => w === '');
  if (firstWord) return [COMMAND_NAMES.filter((c) => c.startsWith(token)), token];
  if (token.startsWith('/')) return [await completePath(token, listChildren), token];
  const command = words.find((w) => w !== '') ?? '';
  if (token.startsWith('-')) {
    const flags = (CLIENT_COMMANDS.get(command)?.options.options ?? []).map((o) => `-${o.key}`);
    return [flags.filter((f) => f.startsWith(token)).sort(), token];
  }
  return [(VALUE_CHOICES[command] ?? []).filter((v) => v.startsWith(token)), token];
}

async function completePath(token: string, listChildren: ChildrenLister): Promise<string[]> {
  const slash = token.lastIndexOf('/');
  const dir = token.slice(0, slash);
  const prefix = token.slice(slash + 1);
  let children: string[];
  try {
    children = await listChildren(dir === '' ? '/' : dir);
  } catch {
    return [];
  }
  return children
    .filter((c) => c.startsWith(prefix))
    .sort()
    .map((c) => `${dir}/${c}`);
}
