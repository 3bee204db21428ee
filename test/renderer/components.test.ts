/**
 * Component tests in Chromium: the built app (dist/renderer) on the simulated demo lab
 * (`?lab=demo`, renderer/src/testing/fake-lab), driven through the same page objects as
 * the end-to-end suite. They cover what the e2e suite does not reach: the automation
 * contract on every card, the virtual tree at 100,000 children, the node panel's views,
 * edit conflicts, the link matrix, help, themes and contrast, the welcome screen, the
 * timeline and the keyboard. Screenshots land in test-output/renderer/.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshot } from '../e2e/helpers/browser.js';
import { waitForAttr, waitUntil } from '../e2e/helpers/wait.js';
import { cancelDialog, confirmDialog, lastToast } from '../e2e/pages/dialogs.js';
import { EnsemblePage } from '../e2e/pages/ensemble-page.js';
import { NetworkPage } from '../e2e/pages/network-page.js';
import { TerminalPage } from '../e2e/pages/terminal-page.js';
import { TreePage } from '../e2e/pages/tree-page.js';
import { demoApp } from './helpers/demo-app.js';

const openDemo = demoApp();
const demo = async (query = '', colorScheme: 'light' | 'dark' = 'light'): Promise<Page> => (await openDemo(query, { colorScheme })).page;

test('every member card carries the automation contract; killing the leader from its card elects another', async () => {
  const page = await demo('&members=5');
  const ensemble = new EnsemblePage(page);
  await ensemble.cards().nth(4).waitFor();
  for (const card of await ensemble.cards().all()) {
    assert.match((await card.getAttribute('data-member-id'))!, /^[1-5]$/);
    assert.ok(['leader', 'follower', 'observer', 'looking', 'down'].includes((await card.getAttribute('data-role'))!));
    for (const button of ['kill-member', 'restart-member', 'pause-member']) assert.equal(await card.locator(`[data-testid=${button}]`).count(), 1, button);
  }
  const leader = await ensemble.waitForLeader();
  await ensemble.kill(leader);
  assert.equal(await ensemble.roleOf(leader), 'down');
  const next = await ensemble.waitForLeader({ not: leader, timeoutMs: 5000 });
  assert.notEqual(next, leader);
  await page.locator(`[data-testid=member-card][data-member-id="${leader}"] [data-testid=pause-member]`).isDisabled();
  await ensemble.restart(leader);
  await ensemble.waitForRole(leader, 'follower', 5000);
  await screenshot(page, 'renderer', 'member-cards');
});

test('the tree stays virtual with 100,000 children under one node', async (t) => {
  const page = await demo('&members=1&wide=100000');
  const tree = new TreePage(page);
  await tree.node('/wide').waitFor();
  await tree.expand('/wide');
  // The root, its four children (app, services, wide, zookeeper) and the 100,000 under /wide.
  await waitUntil(page, () => tree.totalRows(), (n) => n === 100_005, '100,005 rows');
  const rendered = await tree.renderedRows();
  assert.ok(rendered < 150, `only ${rendered} rows are in the DOM`);
  const started = Date.now();
  await page.locator('[data-testid=tree-view]').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await tree.node('/wide/item-099999').waitFor();
  t.diagnostic(`scroll to the end of 100,000 children and render its page: ${Date.now() - started} ms`);
  assert.ok((await tree.renderedRows()) < 150);
  await tree.jumpTo('/wide/item-050000');
  assert.equal(await page.locator('[data-testid=tree-node][data-path="/wide/item-050000"]').getAttribute('aria-selected'), 'true');
  await screenshot(page, 'renderer', 'tree-100k-children');
});

test('the node panel shows data as text, JSON, hex and base64, and decodes the Stat', async () => {
  const page = await demo();
  const tree = new TreePage(page);
  await tree.jumpTo('/app/config');
  await waitForAttr(page, tree.data(), 'data-view', 'json');
  assert.match(await tree.data().innerText(), /"featureFlags": \{\n\s+"checkout": true/);
  await tree.view('hex');
  assert.match(await tree.data().innerText(), /^00000000\s+7b 0a 20 20 22 66 65 61/);
  await tree.view('base64');
  assert.match(await tree.data().innerText(), /^ewogICJmZWF0dXJlRmxhZ3Mi/);
  await tree.view('text');
  const stat = await page.locator('[data-testid=node-stat]').innerText();
  assert.match(stat, /czxid \(created\)\s+0x0 — epoch 0, counter 0/);
  assert.match(stat, /numChildren\s+0/);
  assert.match(await page.locator('[data-testid=node-type]').innerText(), /persistent/);
  assert.match(await page.locator('[data-testid=node-acl]').innerText(), /world:anyone/);
  await screenshot(page, 'renderer', 'node-panel');
});

test('an edit saves with the version read; a concurrent write opens the conflict dialog', async () => {
  const page = await demo();
  const tree = new TreePage(page);
  await tree.jumpTo('/services/api');
  await tree.edit('10.0.0.8:8080');
  await lastToast(page, 'success');
  assert.equal(await tree.data().innerText(), '10.0.0.8:8080');
  assert.match(await page.locator('[data-testid=node-stat]').innerText(), /version \(data\)\s+1/);

  await page.locator('[data-testid=node-edit]').click();
  await page.locator('[data-testid=node-editor]').fill('mine');
  const terminal = new TerminalPage(page);
  const shell = await terminal.newTab();
  await terminal.run(shell, 'set /services/api theirs');
  await page.locator('[data-testid=node-outdated]').waitFor();
  await page.locator('[data-testid=node-save]').click();
  const dialog = page.locator('[data-testid=conflict-dialog]');
  await dialog.waitFor();
  assert.equal(await dialog.locator('[data-testid=conflict-mine]').innerText(), 'mine');
  assert.equal(await dialog.locator('[data-testid=conflict-theirs]').innerText(), 'theirs');
  await screenshot(page, 'renderer', 'edit-conflict');
  await dialog.locator('[data-testid=conflict-overwrite]').click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await tree.data().innerText(), 'mine');
});

test('delete previews the subtree and needs "whole subtree" for a node with children', async () => {
  const page = await demo();
  const tree = new TreePage(page);
  await tree.jumpTo('/app');
  await page.locator('[data-testid=node-delete]').click();
  const dialog = page.locator('[data-testid=delete-node-dialog]');
  await dialog.waitFor();
  assert.deepEqual((await dialog.locator('[data-testid=delete-preview] li').allInnerTexts()).map((s) => s.trim()), ['/app/config', '/app/locks', '/app']);
  assert.equal(await dialog.locator('[data-testid=delete-submit]').isDisabled(), true);
  await dialog.locator('[data-testid=delete-recursive]').check();
  await screenshot(page, 'renderer', 'delete-preview');
  await dialog.locator('[data-testid=delete-submit]').click();
  await tree.node('/app').waitFor({ state: 'detached' });
});

test('the link matrix cuts one way on click and both ways on shift-click; the ring shows it', async () => {
  const page = await demo('&members=3');
  const network = new NetworkPage(page);
  await network.cell(1, 2).click();
  await waitForAttr(page, network.cell(1, 2), 'data-state', 'cut');
  assert.equal(await network.stateOf(2, 1), 'up');
  assert.equal(await page.locator('[data-testid=ring-diagram] [data-link="1>2"]').getAttribute('data-state'), 'cut');
  await network.cell(2, 3).click({ modifiers: ['Shift'] });
  await waitForAttr(page, network.cell(3, 2), 'data-state', 'cut');
  await screenshot(page, 'renderer', 'link-matrix');
  await network.heal();
  await waitForAttr(page, network.cell(1, 2), 'data-state', 'up');
});

test('keyboard: ? opens the shortcut help; Shift+K asks to kill the leader and Escape cancels', async () => {
  const page = await demo();
  await page.locator('body').press('?');
  const help = page.locator('[data-testid=help-overlay]');
  await help.waitFor();
  assert.match(await help.innerText(), /Kill the leader/);
  assert.ok((await help.locator('[data-command]').count()) >= 35);
  await screenshot(page, 'renderer', 'help-overlay');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  await page.keyboard.press('Shift+K');
  const confirm = page.locator('[data-testid=confirm-dialog]');
  await confirm.waitFor();
  assert.match((await confirm.getAttribute('aria-label'))!, /^Kill the leader \(member 5\)\?$/);
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await new EnsemblePage(page).roleOf(5), 'leader');
  await page.keyboard.press('Shift+K');
  await cancelDialog(page);
});

/** WCAG relative luminance contrast of two #rgb / #rrggbb colours (the CSS minifier shortens some). */
function contrast(a: string, b: string): number {
  const full = (hex: string) => (/^#[0-9a-f]{3}$/i.test(hex) ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex);
  const lum = (short: string) => {
    const hex = full(short);
    assert.match(hex, /^#[0-9a-f]{6}$/i, `a colour token is ${short}`);
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

test('light and dark themes follow the system and keep text contrast at WCAG AA', async () => {
  for (const scheme of ['light', 'dark'] as const) {
    const page = await demo('', scheme);
    assert.equal(await page.locator('html').getAttribute('data-theme'), scheme);
    const tokens = (await page.evaluate(
      `(() => { const s = getComputedStyle(document.documentElement); return Object.fromEntries(['--bg','--bg-panel','--bg-sunken','--text','--text-muted','--text-faint','--danger','--ok','--warn','--role-leader','--role-leader-soft','--role-follower','--role-follower-soft','--role-observer','--role-observer-soft','--role-looking','--role-looking-soft','--role-down','--role-down-soft','--danger-soft','--ok-soft','--warn-soft'].map((k) => [k, s.getPropertyValue(k).trim()])); })()`,
    )) as Record<string, string>;
    const pairs: [string, string, number][] = [
      ['--text', '--bg', 4.5],
      ['--text', '--bg-panel', 4.5],
      ['--text-muted', '--bg-panel', 4.5],
      ['--text-muted', '--bg-sunken', 4.5],
      ['--text-faint', '--bg-panel', 4.5],
      ['--danger', '--danger-soft', 4.5],
      ['--ok', '--ok-soft', 4.5],
      ['--warn', '--warn-soft', 4.5],
      ['--role-leader', '--role-leader-soft', 4.5],
      ['--role-follower', '--role-follower-soft', 4.5],
      ['--role-observer', '--role-observer-soft', 4.5],
      ['--role-looking', '--role-looking-soft', 4.5],
      ['--role-down', '--role-down-soft', 4.5],
    ];
    for (const [fg, bg, min] of pairs) {
      const ratio = contrast(tokens[fg]!, tokens[bg]!);
      assert.ok(ratio >= min, `${scheme}: ${fg} on ${bg} is ${ratio.toFixed(2)}:1, needs ${min}:1`);
    }
    await screenshot(page, 'renderer', `theme-${scheme}`);
  }
});

test('with no lab, the welcome screen starts a 5-member ensemble in one click', async () => {
  const page = await demo('&members=0');
  await page.locator('[data-testid=welcome]').waitFor();
  await screenshot(page, 'renderer', 'welcome');
  await page.locator('[data-testid=start-5]').click();
  const ensemble = new EnsemblePage(page);
  await waitUntil(page, () => ensemble.cards().count(), (n) => n === 5, 'five member cards');
  await ensemble.waitForLeader();
});

test('the timeline draws the election, pauses, steps and exports SVG', async () => {
  const page = await demo('&members=3');
  await page.locator('[data-testid=tab-timeline]').click();
  const timeline = page.locator('[data-testid=timeline]');
  await waitUntil(page, async () => Number(await timeline.getAttribute('data-arrows')), (n) => n > 0, 'message arrows');
  const rows = Number(await timeline.getAttribute('data-rows'));
  assert.ok(rows > 10, `${rows} rows`);
  await page.locator('[data-testid=timeline-follow]').click();
  await waitForAttr(page, timeline, 'data-following', 'false');
  await page.locator('[data-testid=timeline-back]').click();
  assert.match(await page.locator('.count').innerText(), new RegExp(`Event ${rows - 1} of ${rows}`));
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=timeline-export]').click()]);
  assert.match(download.suggestedFilename(), /^zoolab-timeline-.*\.svg$/);
  await screenshot(page, 'renderer', 'timeline');
});

test('errors say what failed and why: going to a missing path', async () => {
  const page = await demo();
  const input = page.locator('[data-testid=tree-jump]');
  await input.fill('/does/not/exist');
  await input.press('Enter');
  const text = await lastToast(page, 'error');
  assert.match(text, /Could not go to \/does\/not\/exist/);
  assert.match(text, /\/does\/not\/exist does not exist/);
  await screenshot(page, 'renderer', 'error-toast');
});

test('the demo page loads without console errors', async () => {
  const o = await openDemo();
  await new EnsemblePage(o.page).waitForLeader();
  await confirmDialogNotOpen(o.page);
  assert.deepEqual(o.errors, []);
});

async function confirmDialogNotOpen(page: Page): Promise<void> {
  assert.equal(await page.locator('[data-testid=confirm-dialog]').count(), 0);
  void confirmDialog;
}
