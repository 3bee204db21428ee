/**
 * The reactive side of i18n: the current language (the user's choice, else the system's,
 * else English) and `t()` bound to it. Components call `useI18n()`.
 */
import { computed, ref } from 'vue';
import { en } from './messages/en.js';
import { catalogues } from './locales.js';
import { pickLocale, translate, type MessageKey, type Params } from './translate.js';

export type { MessageKey, Params } from './translate.js';

const systemLanguages = ref<readonly string[]>(typeof navigator !== 'undefined' ? navigator.languages : ['en']);
/** 'auto' or a language code. */
const choice = ref<string>('auto');

const available = Object.keys(catalogues).sort();
const locale = computed(() => (choice.value !== 'auto' && catalogues[choice.value] ? choice.value : pickLocale(systemLanguages.value, available)));
const catalogue = computed(() => catalogues[locale.value] ?? en);

function t(key: MessageKey, params?: Params): string {
  return translate(catalogue.value, en, key, params);
}

if (typeof window !== 'undefined') {
  window.addEventListener('languagechange', () => (systemLanguages.value = navigator.languages));
}

export function setLanguageChoice(code: string): void {
  choice.value = code;
}

export function useI18n() {
  return {
    t,
    locale,
    available: available.map((code) => ({ code, name: translate(catalogues[code]!, en, 'meta.languageName') })),
  };
}
