/**
 * The global keyboard handler: every command with a shortcut (commands/command-specs.ts),
 * plus the digits that select a member. Keys typed into a text field or the terminal are
 * left alone; Escape closes the help overlay and dialogs.
 */
import { onScopeDispose } from 'vue';
import { COMMAND_SPECS } from '../commands/command-specs.js';
import { TAB_SCOPED, type CommandRunner } from '../commands/command-table.js';
import { isTypingTarget, matches, parseShortcut } from '../lib/shortcuts.js';
import { useEnsembleStore } from '../stores/ensemble.js';
import { useNoticesStore } from '../stores/notices.js';
import { usePreferencesStore } from '../stores/preferences.js';
import { useUiStore } from '../stores/ui.js';

export function useShortcuts(commands: Map<string, CommandRunner>): void {
  const bound = COMMAND_SPECS.filter((c) => c.shortcut).map((c) => ({ id: c.id, shortcut: parseShortcut(c.shortcut!) }));
  const ui = useUiStore();
  const prefs = usePreferencesStore();
  const notices = useNoticesStore();
  const ensemble = useEnsembleStore();

  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    if (e.key === 'Escape') {
      if (ui.helpOpen) ui.helpOpen = false;
      return;
    }
    if (isTypingTarget(e.target as HTMLElement | null)) return;
    // While a dialog is open only its own keys count.
    if (ui.dialog || notices.pendingConfirm) return;
    if (!e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && /^Digit[1-9]$/.test(e.code)) {
      const id = Number(e.code.slice(5));
      ensemble.select(ensemble.selected === id ? null : id);
      e.preventDefault();
      return;
    }
    for (const b of bound) {
      if (!matches(b.shortcut, e)) continue;
      const scope = TAB_SCOPED[b.id];
      if (scope && prefs.centerTab !== scope) continue;
      e.preventDefault();
      void commands.get(b.id)?.();
      return;
    }
  };
  window.addEventListener('keydown', onKey);
  onScopeDispose(() => window.removeEventListener('keydown', onKey));
}
