/**
 * `create [-s] [-e] [-c] [-t ttl] path [data] [acl]` (CreateCommand): prints `Created <path>`
 * on stderr, as zkCli does. Flag conflicts and TTL bounds are checked with zkCli's texts
 * (wire-protocol.md §10.1, §10.3).
 */
import type { CommandContext, CreateModeName, ShellCommand } from '../command.js';
import { CliError, cliErrorFor, keeperMessage } from '../errors.js';
import { OPEN_ACL_UNSAFE, parseAcl } from '../acl-text.js';
import { MAX_TTL_MS } from '../../jute/constants.js';
import { Err } from '../../jute/error-codes.js';
import { parseJavaLong } from '../java-numbers.js';
import { checkAcl, checkPath, parseWords, usageError, utf8 } from './support.js';

function modeFor(e: boolean, s: boolean, c: boolean, t: boolean): CreateModeName {
  if (e && s) return 'EPHEMERAL_SEQUENTIAL';
  if (e) return 'EPHEMERAL';
  if (s) return t ? 'PERSISTENT_SEQUENTIAL_WITH_TTL' : 'PERSISTENT_SEQUENTIAL';
  if (c) return 'CONTAINER';
  return t ? 'PERSISTENT_WITH_TTL' : 'PERSISTENT';
}

function ttlFlag(value: string | undefined): bigint {
  if (value === undefined) return 0n;
  try {
    return parseJavaLong(value);
  } catch {
    throw new CliError('-t argument must be a long value');
  }
}

export const create: ShellCommand = {
  name: 'create',
  optionStr: '[-s] [-e] [-c] [-t ttl] path [data] [acl]',
  options: {
    options: [
      { key: 'e', hasArg: false, description: 'ephemeral' },
      { key: 's', hasArg: false, description: 'sequential' },
      { key: 'c', hasArg: false, description: 'container' },
      { key: 't', hasArg: true, description: 'ttl' },
    ],
  },
  async run(ctx: CommandContext, words: string[]) {
    const cl = parseWords(this.options, words);
    if (cl.args.length < 2) throw usageError(this);
    const [e, s, c, t] = ['e', 's', 'c', 't'].map((k) => cl.has(k));
    if (c && (e || s)) throw new CliError('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.');
    const ttl = ttlFlag(cl.value('t'));
    if (t && e) throw new CliError('TTLs cannot be used with Ephemeral znodes');
    if (t && c) throw new CliError('TTLs cannot be used with Container znodes');
    if (t && (ttl <= 0n || ttl > MAX_TTL_MS)) {
      throw new CliError(`ttl must be positive and cannot be larger than: ${MAX_TTL_MS}`);
    }
    const mode = modeFor(e, s, c, t);
    const path = cl.args[1];
    const data = cl.args.length > 2 ? utf8(cl.args[2]) : null;
    let acl = OPEN_ACL_UNSAFE;
    if (cl.args.length > 3) {
      const parsed = parseAcl(cl.args[3]);
      parsed.warnings.forEach((w) => ctx.err.println(w));
      acl = parsed.acl;
    }
    try {
      checkPath(path, mode.includes('SEQUENTIAL'));
      checkAcl(acl);
      const created = await ctx.client.create(path, data, acl, mode, t ? Number(ttl) : undefined);
      ctx.err.println(`Created ${created}`);
    } catch (error) {
      if (error instanceof CliError) throw error;
      const failure = cliErrorFor(error);
      const code = (error as { code?: number }).code;
      if (code === Err.EphemeralOnLocalSession) ctx.err.println('Unable to create ephemeral node on a local session');
      if (code === Err.InvalidACL) ctx.err.println(keeperMessage(error as { code: number; path?: string }));
      throw failure;
    }
  },
};
