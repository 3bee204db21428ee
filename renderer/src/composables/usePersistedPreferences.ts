/** Loads the user's preferences from localStorage and saves them when they change. */
import { watch } from 'vue';
import { setLanguageChoice } from '../i18n/index.js';
import { usePreferencesStore, type SavedPreferences } from '../stores/preferences.js';

const KEY = 'zoolab.preferences.v1';

export function usePersistedPreferences(): void {
  const prefs = usePreferencesStore();
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) prefs.restore(JSON.parse(raw) as SavedPreferences);
  } catch {
    // Unreadable preferences are ignored: defaults are fine.
  }
  setLanguageChoice(prefs.locale);
  watch(
    () => prefs.snapshot(),
    (snap) => {
      setLanguageChoice(snap.locale ?? 'auto');
      try {
        localStorage.setItem(KEY, JSON.stringify(snap));
      } catch {
        // Storage may be full or disabled; preferences then last for this session.
      }
    },
    { deep: true },
  );
}
