/**
 * What the user chose about the app itself: theme, language, which centre tab is open,
 * the terminal dock's height. Saved by the app (composables/usePersistedPreferences) —
 * the store stays free of browser storage so it runs under node:test.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type CenterTab = 'data' | 'timeline' | 'sessions' | 'snapshots';
export const CENTER_TABS: readonly CenterTab[] = ['data', 'timeline', 'sessions', 'snapshots'];

export interface SavedPreferences {
  theme?: ThemeChoice;
  /** 'auto' follows the system language. */
  locale?: string;
  dockHeight?: number;
  dockOpen?: boolean;
  /** The Learn side panel is open. */
  learnOpen?: boolean;
}

export const usePreferencesStore = defineStore('preferences', () => {
  const theme = ref<ThemeChoice>('system');
  const locale = ref<string>('auto');
  const centerTab = ref<CenterTab>('data');
  const dockHeight = ref(260);
  const dockOpen = ref(true);
  const learnOpen = ref(false);

  function restore(saved: SavedPreferences): void {
    if (saved.theme === 'system' || saved.theme === 'light' || saved.theme === 'dark') theme.value = saved.theme;
    if (typeof saved.locale === 'string') locale.value = saved.locale;
    if (typeof saved.dockHeight === 'number' && saved.dockHeight >= 120 && saved.dockHeight <= 2000) dockHeight.value = saved.dockHeight;
    if (typeof saved.dockOpen === 'boolean') dockOpen.value = saved.dockOpen;
    if (typeof saved.learnOpen === 'boolean') learnOpen.value = saved.learnOpen;
  }

  function snapshot(): SavedPreferences {
    return { theme: theme.value, locale: locale.value, dockHeight: dockHeight.value, dockOpen: dockOpen.value, learnOpen: learnOpen.value };
  }

  function cycleTheme(): void {
    theme.value = theme.value === 'system' ? 'light' : theme.value === 'light' ? 'dark' : 'system';
  }

  return { theme, locale, centerTab, dockHeight, dockOpen, learnOpen, restore, snapshot, cycleTheme };
});
