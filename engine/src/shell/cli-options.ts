/**
 * Option parsing with the exact behaviour of Apache commons-cli 1.5 `DefaultParser`, which
 * every zkCli command uses: flags may appear anywhere (`get /a -s`), letters combine
 * (`-sw`), a value may be attached (`-v3`, `-v=3`) or follow (`-v 3`, also `-v -1`), `--`
 * ends the flags, and errors carry commons-cli's texts (`Unrecognized option: -x`).
 */

export interface OptionSpec {
  /** The letter after `-`. */
  key: string;
  hasArg: boolean;
  /** commons-cli's description; it appears in some error texts. */
  description: string;
}

export interface OptionTable {
  options: readonly OptionSpec[];
  /** A commons-cli OptionGroup: at most one of these keys; maybe at least one. */
  group?: { keys: readonly string[]; required: boolean };
}

/** A commons-cli ParseException; `javaClass` is what zkCli prints before the message. */
export class OptionParseError extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
    this.name = 'OptionParseError';
  }

  /** What zkCli prints: `Throwable#toString` of the commons-cli exception. */
  get cliText(): string {
    return `org.apache.commons.cli.${this.javaClass}: ${this.message}`;
  }
}

export interface ParsedOptions {
  /** Non-option words, the command name first (as commons-cli returns them to zkCli). */
  args: string[];
  has(key: string): boolean;
  /** The first value given for `key`. */
  value(key: string): string | undefined;
}

/** Java's `Double.parseDouble` accepts it (commons-cli lets `-1` be an option's value). */
const JAVA_DOUBLE =
  /^[\x00-\x20]*[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)|(0[xX]([0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?\d+[fFdD]?))[\x00-\x20]*$/;

/** commons-cli `Util.stripLeadingAndTrailingQuotes`, applied to a separate option value. */
function stripQuotes(s: string): string {
  if (s.length > 1 && s.startsWith('"') && s.endsWith('"') && !s.slice(1, -1).includes('"')) return s.slice(1, -1);
  return s;
}

class Parse {
  private readonly values = new Map<string, string[]>();
  private readonly args: string[] = [];
  private current: { spec: OptionSpec; values: string[] } | null = null;
  private skipRest = false;
  private selected: string | null = null;

  constructor(private readonly table: OptionTable) {}

  private spec(key: string): OptionSpec | undefined {
    return this.table.options.find((o) => o.key === key);
  }

  private isShortOption(token: string): boolean {
    if (!token.startsWith('-') || token.length === 1) return false;
    const eq = token.indexOf('=');
    const name = eq === -1 ? token.slice(1) : token.slice(1, eq);
    return this.spec(name) !== undefined || (name.length > 0 && this.spec(name[0]) !== undefined);
  }

  private isArgument(token: string): boolean {
    return !this.isShortOption(token) || JAVA_DOUBLE.test(token);
  }

  private checkRequiredArg(): void {
    if (this.current && this.current.values.length === 0) {
      throw new OptionParseError('MissingArgumentException', `Missing argument for option: ${this.current.spec.key}`);
    }
  }

  private handleOption(spec: OptionSpec): void {
    this.checkRequiredArg();
    const group = this.table.group;
    if (group?.keys.includes(spec.key)) {
      if (this.selected !== null && this.selected !== spec.key) {
        throw new OptionParseError(
          'AlreadySelectedException',
          `The option '${spec.key}' was specified but an option from this group has already been selected: '${this.selected}'`,
        );
      }
      this.selected = spec.key;
    }
    const list = this.values.get(spec.key) ?? [];
    this.values.set(spec.key, list);
    this.current = spec.hasArg ? { spec, values: [] } : null;
  }

  private addValue(value: string): void {
    if (!this.current) return;
    this.current.values.push(value);
    this.values.get(this.current.spec.key)!.push(value);
  }

  private unknown(token: string): void {
    if (token.startsWith('-') && token.length > 1) {
      throw new OptionParseError('UnrecognizedOptionException', `Unrecognized option: ${token}`);
    }
    this.args.push(token);
  }

  private concatenated(token: string): void {
    for (let i = 1; i < token.length; i++) {
      const spec = this.spec(token[i]);
      if (!spec) {
        this.unknown(token);
        return;
      }
      this.handleOption(spec);
      if (this.current && token.length !== i + 1) {
        this.addValue(token.slice(i + 1));
        this.current = null;
        return;
      }
    }
  }

  private shortOption(token: string): void {
    const t = token.slice(1);
    const eq = t.indexOf('=');
    if (t.length === 1 || (eq === -1 && this.spec(t))) {
      const spec = this.spec(t);
      if (spec) this.handleOption(spec);
      else this.unknown(token);
    } else if (eq === -1) {
      this.concatenated(token);
    } else {
      const spec = eq === 1 ? this.spec(t.slice(0, 1)) : undefined;
      if (!spec?.hasArg) return this.unknown(token);
      this.handleOption(spec);
      this.addValue(t.slice(eq + 1));
      this.current = null;
    }
  }

  token(token: string): void {
    if (this.skipRest) this.args.push(token);
    else if (token === '--') this.skipRest = true;
    else if (this.current && this.isArgument(token)) this.addValue(stripQuotes(token));
    // No zkCli command has long options, so `--x` is always unknown.
    else if (token.startsWith('--')) this.unknown(token);
    else if (token.startsWith('-') && token !== '-') this.shortOption(token);
    else this.unknown(token);
    if (this.current && this.current.values.length > 0) this.current = null;
  }

  finish(): ParsedOptions {
    this.checkRequiredArg();
    const group = this.table.group;
    if (group?.required && this.selected === null) {
      const names = group.keys.map((k) => `-${k} ${this.spec(k)?.description ?? ''}`.trimEnd());
      throw new OptionParseError('MissingOptionException', `Missing required option: [${names.join(', ')}]`);
    }
    const values = this.values;
    return {
      args: this.args,
      has: (key) => values.has(key),
      value: (key) => values.get(key)?.[0],
    };
  }
}

/** Parses a command's words (the command name included, as zkCli passes them). */
export function parseOptions(table: OptionTable, words: readonly string[]): ParsedOptions {
  const parse = new Parse(table);
  for (const w of words) parse.token(w);
  return parse.finish();
}
