/** Applies the theme to <html data-theme>: the user's choice, or the system's when "system". */
import { onScopeDispose, ref, watchEffect } from 'vue';
import { usePreferencesStore } from '../stores/preferences.js';

export function useTheme() {
  const prefs = usePreferencesStore();
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const systemDark = ref(media.matches);
  const onChange = (e: MediaQueryListEvent) => (systemDark.value = e.matches);
  media.addEventListener('change', onChange);
  onScopeDispose(() => media.removeEventListener('change', onChange));

  const effective = ref<'light' | 'dark'>('light');
  watchEffect(() => {
    effective.value = prefs.theme === 'system' ? (systemDark.value ? 'dark' : 'light') : prefs.theme;
    document.documentElement.dataset.theme = effective.value;
  });
  return { effective };
}
