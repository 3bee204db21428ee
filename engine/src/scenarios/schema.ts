/**
 * A small typed schema for scenario parameters: each action, condition and check declares
 * its fields once, and gets both the validator (clear messages naming the field) and the
 * TypeScript type of its parameters from that one declaration.
 *
 * Values may be templates: a string `${name.field}` refers to a value saved by an earlier
 * step, and `{"var": "name.field"}` does the same anywhere. Fields marked as accepting
 * templates are checked loosely when the file is loaded and strictly once the template is
 * filled in at run time (see `resolve.ts`).
 */
import type { JsonValue } from './jsonc.js';
import type { LocalizedText } from './text.js';
import { LANGS } from './text.js';

export interface Issue {
  /** JSON pointer of the offending value. */
  pointer: string;
  message: string;
}

export interface Field<T> {
  /** What a valid value looks like, for messages. */
  readonly expects: string;
  readonly optional: boolean;
  /** Checks `value`; pushes issues. `loose` accepts templates where the field allows them. */
  check(value: unknown, pointer: string, issues: Issue[], loose: boolean): void;
  /** Phantom: the parameter's type. */
  readonly __type?: T;
}

export type Shape = Record<string, Field<unknown>>;
export type Infer<S extends Shape> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

const TEMPLATE = /\$\{[A-Za-z_][\w.]*\}/;
export function isTemplate(v: unknown): boolean {
  return (typeof v === 'string' && TEMPLATE.test(v)) || isVarRef(v);
}
export function isVarRef(v: unknown): v is { var: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { var?: unknown }).var === 'string';
}

function field<T>(expects: string, test: (v: unknown) => string | null, templates = false): Field<T> {
  return {
    expects,
    optional: false,
    check(value, pointer, issues, loose) {
      if (loose && templates && isTemplate(value)) return;
      const problem = test(value);
      if (problem !== null) issues.push({ pointer, message: problem });
    },
  };
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x)));

export function str(options: { pattern?: RegExp; what?: string; templates?: boolean } = {}): Field<string> {
  const what = options.what ?? 'a string';
  return field<string>(
    what,
    (v) => (typeof v !== 'string' || v === '' ? `must be ${what}, not ${show(v)}` : options.pattern && !options.pattern.test(v) ? `must be ${what}, not ${show(v)}` : null),
    options.templates ?? true,
  );
}

export function oneOf<const V extends string>(values: readonly V[]): Field<V> {
  return field<V>(`one of ${values.join(', ')}`, (v) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? null : `must be one of ${values.join(', ')}, not ${show(v)}`));
}

export function int(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Field<number> {
  const what = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  return field<number>(what, (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : `must be ${what}, not ${show(v)}`), true);
}

export function bool(): Field<boolean> {
  return field<boolean>('true or false', (v) => (typeof v === 'boolean' ? null : `must be true or false, not ${show(v)}`));
}

/** Free-form value (literal or saved value): data, comparison operands. */
export function any(): Field<unknown> {
  return field<unknown>('any value', (v) => (v === undefined ? 'is required' : null), true);
}

/**
 * A member: its id (1–255), `leader`, `follower` (the lowest-id follower), `follower:N`
 * (the N-th follower by id), `other-than:N`... kept small: `not-leader` is an alias of follower.
 */
export const MEMBER_SELECTOR = /^(leader|follower|not-leader|follower:[1-9]|any)$/;
export function member(): Field<number | string> {
  return field<number | string>(
    'a member id, "leader", "follower" or "follower:N"',
    (v) =>
      (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 255) || (typeof v === 'string' && MEMBER_SELECTOR.test(v))
        ? null
        : `must be a member id (1–255), "leader", "follower" or "follower:N", not ${show(v)}`,
    true,
  );
}

/** One end of a link: a member (as `member()`) or `client`. */
export function linkEnd(): Field<number | string> {
  const m = member();
  return {
    expects: 'a member or "client"',
    optional: false,
    check(value, pointer, issues, loose) {
      if (value !== 'client') m.check(value, pointer, issues, loose);
    },
  };
}

/** A znode path (templates allowed; the server is the judge of validity, lessons show its errors). */
export function path(): Field<string> {
  return str({ what: 'a znode path starting with /', pattern: /^\// });
}

/** `{ "en": "...", "ko": "..." }` — every text a learner reads exists in both languages. */
export function text(): Field<LocalizedText> {
  return field<LocalizedText>('a text in every language ({"en": …, "ko": …})', (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `must be {"en": "…", "ko": "…"}, not ${show(v)}`;
    const o = v as Record<string, unknown>;
    const missing = LANGS.filter((l) => typeof o[l] !== 'string' || (o[l] as string).trim() === '');
    if (missing.length > 0) return `needs a non-empty text in ${missing.join(' and ')}`;
    const extra = Object.keys(o).filter((k) => !(LANGS as readonly string[]).includes(k));
    if (extra.length > 0) return `has unknown language(s) ${extra.join(', ')} (languages are ${LANGS.join(', ')})`;
    return null;
  });
}

export function opt<T>(f: Field<T>): Field<T | undefined> {
  return {
    expects: f.expects,
    optional: true,
    check(value, pointer, issues, loose) {
      if (value !== undefined) f.check(value, pointer, issues, loose);
    },
  };
}

export function arrayOf<T>(item: Field<T>, options: { min?: number } = {}): Field<T[]> {
  return {
    expects: `a list of ${item.expects}`,
    optional: false,
    check(value, pointer, issues, loose) {
      if (loose && isVarRef(value)) return;
      if (!Array.isArray(value)) return void issues.push({ pointer, message: `must be a list of ${item.expects}, not ${show(value)}` });
      if (options.min !== undefined && value.length < options.min) issues.push({ pointer, message: `needs at least ${options.min} item(s)` });
      value.forEach((v, i) => item.check(v, `${pointer}/${i}`, issues, loose));
    },
  };
}

export function objectOf<S extends Shape>(shape: S, what = 'an object'): Field<Infer<S>> {
  return {
    expects: what,
    optional: false,
    check(value, pointer, issues, loose) {
      checkObject(value, shape, pointer, issues, loose, what);
    },
  };
}

/** Any object; its fields are checked elsewhere (steps, actions: their shape depends on a name inside). */
export function anyObject(what: string): Field<Record<string, unknown>> {
  return field<Record<string, unknown>>(what, (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? null : `must be ${what}, not ${show(v)}`));
}

/** Either of two shapes, told apart by `pick`. */
export function union<A, B>(what: string, pick: (v: unknown) => 'a' | 'b' | null, a: Field<A>, b: Field<B>): Field<A | B> {
  return {
    expects: what,
    optional: false,
    check(value, pointer, issues, loose) {
      const which = pick(value);
      if (which === null) issues.push({ pointer, message: `must be ${what}, not ${show(value)}` });
      else (which === 'a' ? a : b).check(value, pointer, issues, loose);
    },
  };
}

/** Checks an object against a shape: required fields, their values, no unknown keys. */
export function checkObject(value: unknown, shape: Shape, pointer: string, issues: Issue[], loose: boolean, what = 'an object', allowed: readonly string[] = []): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({ pointer, message: `must be ${what}, not ${show(value)}` });
    return;
  }
  const o = value as Record<string, unknown>;
  for (const [key, f] of Object.entries(shape)) {
    if (o[key] === undefined) {
      if (!f.optional) issues.push({ pointer, message: `needs "${key}" (${f.expects})` });
    } else f.check(o[key], `${pointer}/${key}`, issues, loose);
  }
  const known = [...Object.keys(shape), ...allowed];
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) issues.push({ pointer: `${pointer}/${key}`, message: `unknown field "${key}" (known: ${known.join(', ')})` });
  }
}

// ─────────────────────────────── matchers ───────────────────────────────

/** Comparison operators a matcher object may use; several in one object must all hold. */
export const MATCH_OPS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'oneOf', 'contains', 'length'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];
/** A literal (equality) or `{ "gt": 3, "le": {"var": "x"} }`. */
export type Matcher = JsonValue | bigint | { [op in MatchOp]?: unknown };

export function matcher(): Field<Matcher> {
  return field<Matcher>('a value or a comparison such as {"gt": 3}', (v) => {
    if (v === undefined) return 'is required';
    if (isMatcherObject(v)) {
      const bad = Object.keys(v as object).filter((k) => !(MATCH_OPS as readonly string[]).includes(k));
      if (bad.length > 0) return `has unknown comparison(s) ${bad.join(', ')} (use ${MATCH_OPS.join(', ')})`;
    }
    return null;
  }, true);
}

export function isMatcherObject(v: unknown): v is { [op in MatchOp]?: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isVarRef(v) && typeof v !== 'bigint';
}

export function describeJson(v: unknown): string {
  return show(v);
}
