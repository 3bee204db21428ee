/**
 * The command list and usage text zkCli prints for an unknown command (ZooKeeperMain.usage,
 * on stderr): the header, then `\t<name> <options>` sorted by name (Java's String order,
 * which is JavaScript's default sort too).
 */
import { usageOf } from './command.js';
import { CLIENT_COMMANDS } from './commands/index.js';

/** Commands ZooKeeperMain handles itself rather than through a CliCommand. */
export const SESSION_COMMANDS: ReadonlyArray<{ name: string; optionStr: string }> = [
  { name: 'connect', optionStr: 'host:port' },
  { name: 'history', optionStr: '' },
  { name: 'redo', optionStr: 'cmdno' },
  { name: 'printwatches', optionStr: 'on|off' },
  { name: 'quit', optionStr: '' },
];

export const ALL_COMMANDS: ReadonlyArray<{ name: string; optionStr: string }> = [
  ...SESSION_COMMANDS,
  ...CLIENT_COMMANDS.values(),
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export const COMMAND_NAMES: readonly string[] = ALL_COMMANDS.map((c) => c.name);

export function isCommand(name: string): boolean {
  return COMMAND_NAMES.includes(name);
}

export function usageText(): string {
  const lines = ['ZooKeeper -server host:port -client-configuration properties-file cmd args'];
  for (const c of ALL_COMMANDS) lines.push(`\t${usageOf(c)}`);
  return lines.join('\n');
}
