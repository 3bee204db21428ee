/**
 * The i18n core: typed message keys (dotted paths into the English catalogue, which is the
 * source of truth), `{name}` interpolation and `one | other` plurals chosen by `count`.
 * Pure, so stores, pure helpers and node:test can use it; the Vue side (locale detection,
 * the reactive current locale) is in ./index.ts.
 *
 * Adding a language is adding one file `messages/<code>.ts` exporting a `Catalogue`
 * (see messages/README in docs/ui.md): ./locales.ts picks every file up.
 */
import type { en } from './messages/en.js';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message key, e.g. `member.kill`. A typo is a compile error. */
export type MessageKey = Leaves<typeof en>;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** What a translation file exports: the English shape with its own strings. */
export type Catalogue = Widen<typeof en>;

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

function lookup(catalogue: unknown, key: string): string | undefined {
  let node: unknown = catalogue;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * `a | b` picks by `params.count` (1 → a, else b); then `{x}` is replaced. A key missing
 * from `catalogue` falls back to `fallback` (English), then to the key itself so a gap
 * shows as a readable key rather than an empty label.
 */
export function translate(catalogue: Catalogue, fallback: Catalogue, key: MessageKey, params?: Params): string {
  let text = lookup(catalogue, key) ?? lookup(fallback, key) ?? key;
  if (text.includes(' | ') && params && typeof params.count === 'number') {
    const [one, other] = text.split(' | ');
    text = (params.count === 1 ? one : other) ?? text;
  }
  if (params) text = text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  return text;
}

export function makeTranslate(catalogue: Catalogue, fallback: Catalogue): Translate {
  return (key, params) => translate(catalogue, fallback, key, params);
}

/** The best supported locale for the user's languages (`ko-KR` → `ko`), else `en`. */
export function pickLocale(preferred: readonly string[], supported: readonly string[]): string {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (supported.includes(lower)) return lower;
    const base = lower.split('-')[0]!;
    if (supported.includes(base)) return base;
  }
  return 'en';
}
