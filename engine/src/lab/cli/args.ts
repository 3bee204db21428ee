/**
 * zk-lab's argument parsing: `zk-lab <command> [positionals] [--flag value | --flag]`.
 * Flags may appear anywhere; `--flag=value` works too. Unknown flags are errors.
 */
export interface ParsedArgs {
  command: string | null;
  positionals: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Flags that take a value; every other flag is a switch. */
const VALUE_FLAGS = new Set(['dir', 'members', 'observers', 'tick-time', 'jitter', 'since', 'lines', 'port', 'static', 'limit', 'lang', 'scenarios', 'bug']);
const SWITCH_FLAGS = new Set(['json', 'follow', 'reject', 'help', 'one-way', 'no-open']);

export function parseArgs(argv: string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') {
      flags.set('help', true);
      continue;
    }
    if (!a.startsWith('--') || a === '--') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (VALUE_FLAGS.has(name)) {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (SWITCH_FLAGS.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  const command = positionals.shift() ?? null;
  return { command, positionals, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagInt(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${v}`);
  return Number(v);
}

export function memberArg(args: ParsedArgs, what: string): number {
  const v = args.positionals[0];
  if (v === undefined) throw new UsageError(`${what} needs a member id, e.g. zk-lab ${what} 2`);
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 255) throw new UsageError(`${JSON.stringify(v)} is not a member id`);
  return Number(v);
}

/** `200ms`, `1.5s`, `200` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${JSON.stringify(text)} is not a duration (use e.g. 200ms or 1.5s)`);
  const n = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  return Math.round(n);
}

/** `10%`, `10`, `0.5%` → percent. */
export function parsePercent(text: string): number {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  if (!m || Number(m[1]) > 100) throw new UsageError(`${JSON.stringify(text)} is not a percentage from 0 to 100 (use e.g. 10%)`);
  return Number(m[1]);
}

/**
 * A link: `1-2` (both directions between members 1 and 2), `1->2` / `1>2` (one direction),
 * `client-3` or `3-client` (the client link of member 3, both ways), `client->3`.
 */
export function parseLink(text: string): { from: number | 'client'; to: number | 'client'; bothWays: boolean } {
  const m = /^(client|\d+)(->|>|-)(client|\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`${JSON.stringify(text)} is not a link (use e.g. 1-2 for both ways, 1->2 for one direction, client-3)`);
  const end = (s: string): number | 'client' => (s === 'client' ? 'client' : Number(s));
  const from = end(m[1]!);
  const to = end(m[3]!);
  if (from === to) throw new UsageError(`a link needs two different ends, not ${text}`);
  if (from === 'client' && to === 'client') throw new UsageError('a client link needs a member at one end');
  return { from, to, bothWays: m[2] === '-' };
}
