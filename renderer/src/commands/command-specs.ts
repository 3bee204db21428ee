/**
 * The app's commands as data: id, group, label and keyboard shortcut. The renderer binds
 * each id to an action (./command-table.ts) for the keyboard and the help overlay; the
 * Electron main process builds its menu from the same list (electron/menu.ts), so a
 * shortcut is defined once. Pure data: no stores, no DOM.
 */
import type { MessageKey } from '../i18n/translate.js';

export type CommandGroup = 'ensemble' | 'network' | 'tree' | 'terminal' | 'timeline' | 'snapshots' | 'app';

export interface CommandSpec {
  id: string;
  group: CommandGroup;
  label: MessageKey;
  /** parseShortcut syntax (lib/shortcuts.ts); omitted for commands reached only by button or menu. */
  shortcut?: string;
  /** Shown in the help overlay instead of the shortcut (for key ranges such as 1–9). */
  shortcutText?: string;
  /** Destructive: the action confirms first. */
  destructive?: boolean;
}

export const COMMAND_SPECS: readonly CommandSpec[] = [
  { id: 'ensemble.killLeader', group: 'ensemble', label: 'commands.killLeader', shortcut: 'Shift+K', destructive: true },
  { id: 'ensemble.killMajority', group: 'ensemble', label: 'commands.killMajority', shortcut: 'Shift+M', destructive: true },
  { id: 'ensemble.healAll', group: 'ensemble', label: 'commands.healAll', shortcut: 'Shift+H' },
  { id: 'ensemble.select', group: 'ensemble', label: 'commands.selectMember', shortcutText: '1 … 9' },
  { id: 'ensemble.kill', group: 'ensemble', label: 'commands.killSelected', shortcut: 'k', destructive: true },
  { id: 'ensemble.pause', group: 'ensemble', label: 'commands.pauseSelected', shortcut: 'p' },
  { id: 'ensemble.restart', group: 'ensemble', label: 'commands.restartSelected', shortcut: 'r', destructive: true },
  { id: 'ensemble.start', group: 'ensemble', label: 'commands.startSelected', shortcut: 's' },
  { id: 'ensemble.wipe', group: 'ensemble', label: 'commands.wipeSelected', shortcut: 'Shift+W', destructive: true },

  { id: 'network.isolateLeader', group: 'network', label: 'commands.isolateLeader', shortcut: 'Alt+1' },
  { id: 'network.majorityMinority', group: 'network', label: 'commands.majorityMinority', shortcut: 'Alt+2' },
  { id: 'network.leaderMinority', group: 'network', label: 'commands.leaderMinority', shortcut: 'Alt+3' },
  { id: 'network.halves', group: 'network', label: 'commands.halves', shortcut: 'Alt+4' },
  { id: 'network.bridge', group: 'network', label: 'commands.bridge', shortcut: 'Alt+5' },
  { id: 'network.ring', group: 'network', label: 'commands.ring', shortcut: 'Alt+6' },
  { id: 'network.heal', group: 'network', label: 'commands.healLinks', shortcut: 'Alt+0' },

  { id: 'tree.jump', group: 'tree', label: 'commands.jump', shortcut: '/' },
  { id: 'tree.newNode', group: 'tree', label: 'commands.newNode', shortcut: 'n' },
  { id: 'tree.editNode', group: 'tree', label: 'commands.editNode', shortcut: 'e' },
  { id: 'tree.deleteNode', group: 'tree', label: 'commands.deleteNode', shortcut: 'Delete', destructive: true },
  { id: 'tree.toggleLive', group: 'tree', label: 'commands.toggleLive', shortcut: 'l' },
  { id: 'tree.reloadNode', group: 'tree', label: 'commands.reloadNode', shortcut: 'Shift+R' },

  { id: 'terminal.new', group: 'terminal', label: 'commands.newTerminal', shortcut: 'Alt+T' },
  { id: 'terminal.close', group: 'terminal', label: 'commands.closeTerminal', shortcut: 'Alt+W' },
  { id: 'terminal.next', group: 'terminal', label: 'commands.nextTerminal', shortcut: 'Alt+N' },
  { id: 'terminal.toggleDock', group: 'terminal', label: 'commands.toggleDock', shortcut: 'Alt+J' },
  { id: 'terminal.focus', group: 'terminal', label: 'commands.focusTerminal', shortcut: 't' },

  { id: 'view.data', group: 'app', label: 'commands.tabData', shortcut: 'Alt+D' },
  { id: 'view.timeline', group: 'app', label: 'commands.tabTimeline', shortcut: 'Alt+E' },
  { id: 'view.sessions', group: 'app', label: 'commands.tabSessions', shortcut: 'Alt+S' },
  { id: 'view.snapshots', group: 'app', label: 'commands.tabSnapshots', shortcut: 'Alt+X' },

  { id: 'timeline.pause', group: 'timeline', label: 'commands.timelinePause', shortcut: ' ' },
  { id: 'timeline.back', group: 'timeline', label: 'commands.timelineBack', shortcut: ',' },
  { id: 'timeline.forward', group: 'timeline', label: 'commands.timelineForward', shortcut: '.' },
  { id: 'timeline.export', group: 'timeline', label: 'commands.timelineExport', shortcut: 'Shift+G' },

  { id: 'snapshots.exportCluster', group: 'snapshots', label: 'commands.exportCluster', shortcut: 'Shift+X' },
  { id: 'snapshots.exportSubtree', group: 'snapshots', label: 'commands.exportSubtree', shortcut: 'Shift+S' },
  { id: 'snapshots.importSubtree', group: 'snapshots', label: 'commands.importSubtree', shortcut: 'Shift+I' },
  { id: 'sessions.refresh', group: 'app', label: 'commands.refreshSessions', shortcut: 'Shift+U' },

  { id: 'app.help', group: 'app', label: 'commands.help', shortcut: '?' },
  { id: 'app.theme', group: 'app', label: 'commands.theme', shortcut: 'Shift+T' },
  { id: 'app.newLab', group: 'app', label: 'commands.newLab' },
  { id: 'app.labDown', group: 'app', label: 'commands.labDown', destructive: true },
];

export function commandSpec(id: string): CommandSpec | undefined {
  return COMMAND_SPECS.find((c) => c.id === id);
}
