/**
 * Texts in both languages. Scenario files carry their own `{en, ko}` texts; everything the
 * engine itself says comes from strings/en.ts and strings/ko.ts (one file per language, the
 * same keys: the compiler checks that Korean has every English key).
 */
import type { LocalizedText, ScenarioLang } from '../lab/api.js';
import { EN } from './strings/en.js';
import { KO } from './strings/ko.js';

export type { LocalizedText, ScenarioLang };
export const LANGS: readonly ScenarioLang[] = ['en', 'ko'];

export type StringKey = keyof typeof EN;
const TABLES: Record<ScenarioLang, Record<StringKey, string>> = { en: EN, ko: KO };

type Scalar = string | number | bigint | boolean | null | undefined;
/** Placeholder values; a LocalizedText value is filled in each language with its own text. */
type Vars = Record<string, Scalar | LocalizedText>;

function inLang(vars: Vars, lang: ScenarioLang): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = v !== null && typeof v === 'object' ? v[lang] : v;
  return out;
}

/** `{name}` placeholders filled from `vars` (unknown names stay as written). */
export function fill(template: string, vars: Record<string, Scalar> = {}): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => {
    const v = vars[name];
    return v === undefined ? all : String(v);
  });
}

/** One of the engine's own strings in both languages. */
export function t(key: StringKey, vars: Vars = {}): LocalizedText {
  return { en: fill(TABLES.en[key], inLang(vars, 'en')), ko: fill(TABLES.ko[key], inLang(vars, 'ko')) };
}

/** The same text in every language (member ids, paths, commands). */
export function same(text: string): LocalizedText {
  return { en: text, ko: text };
}

export function pick(text: LocalizedText, lang: ScenarioLang): string {
  return text[lang] || text.en;
}

/** Joins localized pieces language by language. */
export function join(parts: readonly LocalizedText[], separator = ' '): LocalizedText {
  return { en: parts.map((p) => p.en).join(separator), ko: parts.map((p) => p.ko).join(separator) };
}

/** Fills `{name}` placeholders in both languages of a scenario-file text. */
export function fillText(text: LocalizedText, vars: Vars): LocalizedText {
  return { en: fill(text.en, inLang(vars, 'en')), ko: fill(text.ko, inLang(vars, 'ko')) };
}

/** The language a process should speak by default: ZOOLAB_LANG, then LC_ALL / LC_MESSAGES / LANG. */
export function langFromEnv(env: Record<string, string | undefined>): ScenarioLang {
  for (const name of ['ZOOLAB_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const v = env[name];
    if (v) return /^ko\b|^ko[_-]/i.test(v) ? 'ko' : 'en';
  }
  return 'en';
}
