/**
 * The application menu, built from the renderer's command list
 * (renderer/src/commands/command-specs.ts) so labels and shortcuts are defined once.
 * Accelerators are shown but not registered (`registerAccelerator: false`): the
 * renderer's keyboard handler owns the keys, so a shortcut never fires twice and plain
 * letters never steal typing from text fields. Choosing an item sends its command id.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { COMMAND_SPECS, type CommandGroup, type CommandSpec } from '../renderer/src/commands/command-specs.js';
import type { MessageKey } from '../renderer/src/i18n/translate.js';

export type Translate = (key: MessageKey) => string;

/** Our shortcut syntax → an Electron accelerator; null when Electron has no spelling for it. */
export function toAccelerator(spec: string | undefined): string | null {
  if (!spec) return null;
  const parts = spec.split('+');
  const key = parts.pop()!;
  const mods = parts.map((p) => (p.toLowerCase() === 'mod' ? 'CmdOrCtrl' : p[0]!.toUpperCase() + p.slice(1).toLowerCase()));
  let k: string;
  if (key === ' ') k = 'Space';
  else if (/^[a-z0-9]$/i.test(key)) k = key.toUpperCase();
  else if (['Delete', 'Backspace', 'Enter', 'Escape', 'Home', 'End', '/', ',', '.'].includes(key)) k = key;
  else return null;
  return [...mods, k].join('+');
}

const GROUP_MENUS: { group: CommandGroup; label: MessageKey }[] = [
  { group: 'ensemble', label: 'help.groups.ensemble' },
  { group: 'network', label: 'help.groups.network' },
  { group: 'tree', label: 'help.groups.tree' },
  { group: 'terminal', label: 'help.groups.terminal' },
  { group: 'timeline', label: 'help.groups.timeline' },
  { group: 'snapshots', label: 'help.groups.snapshots' },
];

/** Commands that only make sense from the keyboard (digit selection) stay out of menus. */
const NOT_IN_MENU = new Set(['ensemble.select']);

function item(c: CommandSpec, t: Translate, send: (id: string) => void): MenuItemConstructorOptions {
  const accelerator = toAccelerator(c.shortcut);
  return {
    id: c.id,
    label: t(c.label) + (c.destructive ? '…' : ''),
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
    click: () => send(c.id),
  };
}

export function buildMenuTemplate(t: Translate, send: (id: string) => void, platform: NodeJS.Platform, dev: boolean): MenuItemConstructorOptions[] {
  const byGroup = (g: CommandGroup) => COMMAND_SPECS.filter((c) => c.group === g && !NOT_IN_MENU.has(c.id)).map((c) => item(c, t, send));
  const app = COMMAND_SPECS.filter((c) => c.group === 'app').map((c) => item(c, t, send));
  const template: MenuItemConstructorOptions[] = [];
  if (platform === 'darwin') template.push({ role: 'appMenu' });
  template.push({
    label: t('topbar.labMenu'),
    submenu: [...app, { type: 'separator' }, platform === 'darwin' ? { role: 'close' } : { role: 'quit' }],
  });
  // Edit keeps copy / paste / select-all working in text fields and the terminal.
  template.push({ role: 'editMenu' });
  for (const g of GROUP_MENUS) template.push({ label: t(g.label), submenu: byGroup(g.group) });
  template.push({
    role: 'viewMenu',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(dev ? ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
    ],
  });
  template.push({ role: 'windowMenu' });
  return template;
}
