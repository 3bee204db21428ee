/**
 * The application menu built from the renderer's command list, and `npm start`'s
 * decision between the Electron window and the headless `zk-lab serve`.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, toAccelerator } from '../../electron/menu.js';
import { probeElectron } from '../../electron/launch.js';
import { COMMAND_SPECS } from '../../renderer/src/commands/command-specs.js';
import { en } from '../../renderer/src/i18n/messages/en.js';
import { translate } from '../../renderer/src/i18n/translate.js';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? items(m.submenu) : [])]);
}

test('the menu lists every command once, with display-only accelerators, and sends its id', () => {
  const sent: string[] = [];
  const template = buildMenuTemplate((k) => translate(en, en, k), (id) => sent.push(id), 'linux', false);
  const withIds = items(template).filter((i) => i.id);
  const expected = COMMAND_SPECS.filter((c) => c.id !== 'ensemble.select').map((c) => c.id).sort();
  assert.deepEqual(withIds.map((i) => i.id).sort(), expected);
  for (const i of withIds) if (i.accelerator) assert.equal(i.registerAccelerator, false, `${i.id} must not grab its key from text fields`);
  const kill = withIds.find((i) => i.id === 'ensemble.killLeader')!;
  assert.equal(kill.label, 'Kill the leader…', 'destructive items end with an ellipsis: they ask first');
  assert.equal(kill.accelerator, 'Shift+K');
  (kill.click as () => void)();
  assert.deepEqual(sent, ['ensemble.killLeader']);
  assert.ok(template.some((m) => m.role === 'editMenu'), 'copy and paste keep working');
  assert.ok(!items(template).some((i) => i.role === 'toggleDevTools'), 'no devtools in a packaged build');
  assert.ok(items(buildMenuTemplate((k) => k, () => {}, 'darwin', true)).some((i) => i.role === 'toggleDevTools'));
});

test('accelerators translate our shortcut syntax or are left out', () => {
  assert.equal(toAccelerator('Shift+K'), 'Shift+K');
  assert.equal(toAccelerator('k'), 'K');
  assert.equal(toAccelerator('Alt+1'), 'Alt+1');
  assert.equal(toAccelerator('Mod+Shift+p'), 'CmdOrCtrl+Shift+P');
  assert.equal(toAccelerator(' '), 'Space');
  assert.equal(toAccelerator('Delete'), 'Delete');
  assert.equal(toAccelerator('?'), null);
  assert.equal(toAccelerator(undefined), null);
});

test('npm start falls back to the headless UI when the binary is missing or there is no display', () => {
  const missing = probeElectron({ DISPLAY: ':0' }, 'linux', () => {
    throw new Error('node_modules/electron has no downloaded binary (path.txt is missing)\nsecond line');
  });
  assert.deepEqual(missing, { ok: false, reason: 'the Electron binary is not installed (node_modules/electron has no downloaded binary (path.txt is missing))' });
  assert.deepEqual(probeElectron({}, 'linux', () => '/e/electron'), { ok: false, reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' });
  assert.deepEqual(probeElectron({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', () => '/e/electron'), { ok: true, binary: '/e/electron' });
  assert.deepEqual(probeElectron({}, 'darwin', () => '/e/Electron.app'), { ok: true, binary: '/e/Electron.app' });
});
