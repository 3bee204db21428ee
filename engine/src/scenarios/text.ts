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

type Vars = Record<string, string | number | bigint | boolean | null | undefined>;

/** `{name}` placeholders filled from `vars` (unknown names stay as written). */
export function fill(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => {
    const v = vars[name];
    return v === undefined ? all : String(v);
  });
}

/** One of the engine's own strings in both languages. */
export function t(key: StringKey, vars: Vars = {}): LocalizedText {
  return { en: fill(TABLES.en[key], vars), ko: fill(TABLES.ko[key], vars) };
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
  return { en: fill(text.en, vars), ko: fill(text.ko, vars) };
}

/** The language a process should speak by default: ZOOLAB_LANG, then LC_ALL / LC_MESSAGES / LANG. */
export function langFromEnv(env: Record<string, string | undefined>): ScenarioLang {
  for (const name of ['ZOOLAB_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const v = env[name];
    if (v) return /^ko\b|^ko[_-]/i.test(v) ? 'ko' : 'en';
  }
  return 'en';
}
