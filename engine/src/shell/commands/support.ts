/**
 * Steps every command shares: parsing its words the commons-cli way, the Java client's
 * client-side checks (path rules, non-empty ACL), and turning failures into zkCli's texts.
 */
import { OptionParseError, parseOptions, type OptionTable, type ParsedOptions } from '../cli-options.js';
import { CliError, cliErrorFor } from '../errors.js';
import { pathProblem } from '../path-rules.js';
import { NumberFormatError, parseJavaInt } from '../java-numbers.js';
import type { ACL } from '../../jute/records.js';
import { usageOf, type ShellCommand } from '../command.js';

/** Parses a command's words; a commons-cli failure becomes `org.apache.commons.cli.X: …`. */
export function parseWords(table: OptionTable, words: readonly string[]): ParsedOptions {
  try {
    return parseOptions(table, words);
  } catch (e) {
    if (e instanceof OptionParseError) throw new CliError(e.cliText);
    throw e;
  }
}

/** The usage line as a CliParseException / MalformedCommandException message. */
export function usageError(command: Pick<ShellCommand, 'name' | 'optionStr'>): CliError {
  return new CliError(usageOf(command));
}

/** PathUtils.validatePath as the Java client runs it before a request (MalformedPathException). */
export function checkPath(path: string, sequential = false): void {
  const problem = pathProblem(path, sequential);
  if (problem !== null) throw new CliError(problem);
}

/** The Java client refuses an empty ACL list before sending: InvalidACLException without a path. */
export class EmptyAclError extends Error {
  readonly code = -114;
  readonly path = undefined;
}

export function checkAcl(acl: ACL[]): void {
  if (acl.length === 0) throw new EmptyAclError('KeeperErrorCode = InvalidACL');
}

/**
 * `Integer.parseInt` of a flag value. zkCli lets the NumberFormatException escape (a stack
 * trace); the shell reports Java's message as a failed command instead.
 */
export function intFlag(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  try {
    return parseJavaInt(value);
  } catch (e) {
    if (e instanceof NumberFormatError) throw new CliError(e.message);
    throw e;
  }
}

/** Runs a client call; ZooKeeper errors become CliWrapperException's wording. */
export async function zk<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw cliErrorFor(e);
  }
}

/** `new String(bytes, UTF_8)` of node data, with zkCli's `null` for null data. */
export function dataText(data: Buffer | null): string {
  return data === null ? 'null' : data.toString('utf8');
}

/** `String#getBytes(UTF_8)`. */
export const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
