/**
 * Saved values and comparisons. Steps save what an action returned (`"save": "a"`); later
 * parameters refer to it as `${a.stat.mzxid}` inside a string or `{"var": "a.stat.mzxid"}`
 * anywhere. Zxids and session ids stay bigint inside the run and print as `0x…` hex.
 */
import { isMatcherObject, isVarRef, type Matcher } from './schema.js';

export class ScenarioValueError extends Error {
  override name = 'ScenarioValueError';
}

export type Vars = Map<string, unknown>;

/** `a.stat.mzxid` → the value, or throws naming what is missing. */
export function lookup(vars: Vars, ref: string): unknown {
  const [head, ...rest] = ref.split('.');
  if (!vars.has(head!)) throw new ScenarioValueError(`no saved value named "${head}" (saved so far: ${[...vars.keys()].join(', ') || 'none'})`);
  let v: unknown = vars.get(head!);
  let at = head!;
  for (const key of rest) {
    if (v === null || typeof v !== 'object' || !(key in (v as object))) throw new ScenarioValueError(`${at} has no field "${key}"`);
    v = (v as Record<string, unknown>)[key];
    at += `.${key}`;
  }
  return v;
}

/** How a value prints inside a text or a template. */
export function display(v: unknown): string {
  if (typeof v === 'bigint') return `0x${BigInt.asUintN(64, v).toString(16)}`;
  if (typeof v === 'string') return v;
  if (v === undefined) return '(nothing)';
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `0x${BigInt.asUintN(64, x).toString(16)}` : x));
}

/** Fills templates everywhere in a parameter value. A string that is exactly `${x}` becomes x itself (number, bigint…). */
export function resolveDeep(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z_][\w.]*)\}$/.exec(value);
    if (whole) return lookup(vars, whole[1]!);
    return value.replace(/\$\{([A-Za-z_][\w.]*)\}/g, (_all, ref: string) => display(lookup(vars, ref)));
  }
  if (isVarRef(value)) return lookup(vars, value.var);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, vars));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveDeep(v, vars);
    return out;
  }
  return value;
}

/** Numbers, bigints and `0x…` strings compare as numbers; everything else by JSON equality. */
function asBig(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?0x[0-9a-f]+$/i.test(v)) return v.startsWith('-') ? -BigInt(v.slice(1)) : BigInt(v);
  return null;
}

export function equal(a: unknown, b: unknown): boolean {
  const x = asBig(a);
  const y = asBig(b);
  if (x !== null && y !== null) return x === y;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return display(a) === display(b);
}

function order(a: unknown, b: unknown): number | null {
  const x = asBig(a);
  const y = asBig(b);
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

/** Whether `actual` satisfies a (resolved) matcher; `why` says what was expected when it does not. */
export function matches(actual: unknown, m: Matcher): { ok: boolean; expected: string } {
  if (!isMatcherObject(m)) return { ok: equal(actual, m), expected: display(m) };
  const parts: string[] = [];
  let ok = true;
  const cmp = (name: string, want: unknown, test: (c: number) => boolean) => {
    parts.push(`${name} ${display(want)}`);
    const c = order(actual, want);
    if (c === null || !test(c)) ok = false;
  };
  for (const [op, want] of Object.entries(m)) {
    switch (op) {
      case 'eq':
        parts.push(`= ${display(want)}`);
        if (!equal(actual, want)) ok = false;
        break;
      case 'ne':
        parts.push(`≠ ${display(want)}`);
        if (equal(actual, want)) ok = false;
        break;
      case 'gt':
        cmp('>', want, (c) => c > 0);
        break;
      case 'ge':
        cmp('≥', want, (c) => c >= 0);
        break;
      case 'lt':
        cmp('<', want, (c) => c < 0);
        break;
      case 'le':
        cmp('≤', want, (c) => c <= 0);
        break;
      case 'oneOf':
        parts.push(`∈ ${display(want)}`);
        if (!Array.isArray(want) || !want.some((w) => equal(actual, w))) ok = false;
        break;
      case 'contains':
        parts.push(`∋ ${display(want)}`);
        if (Array.isArray(actual) ? !actual.some((x) => equal(x, want)) : typeof actual === 'string' ? !actual.includes(String(want)) : true) ok = false;
        break;
      case 'length': {
        const len = Array.isArray(actual) || typeof actual === 'string' ? actual.length : null;
        const inner = matches(len, want as Matcher);
        parts.push(`length ${inner.expected}`);
        if (!inner.ok) ok = false;
        break;
      }
    }
  }
  return { ok, expected: parts.join(', ') };
}
