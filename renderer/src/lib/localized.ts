/**
 * Scenario texts arrive in every language the product speaks (`LocalizedText`, engine
 * api.ts); the UI shows the one matching its own language. Korean falls back to English
 * only for an empty string (the engine's loader refuses files missing a language).
 */
import type { LocalizedText, ScenarioLang } from '../../../engine/src/lab/api.js';

/** The scenario language for a UI locale code (`ko` → ko, anything else → en). */
export function scenarioLang(locale: string): ScenarioLang {
  return locale.toLowerCase().split('-')[0] === 'ko' ? 'ko' : 'en';
}

export function pickText(text: LocalizedText | null | undefined, locale: string): string {
  if (!text) return '';
  return scenarioLang(locale) === 'ko' && text.ko ? text.ko : text.en;
}

/** One text for both languages (what a learner types, e.g. a recording's title). */
export function sameText(text: string): LocalizedText {
  return { en: text, ko: text };
}
