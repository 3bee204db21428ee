/**
 * Component tests in Chromium for the Learn panel and the safety view: the built app on
 * the demo lab (`?lab=demo`, whose FakeLab carries a small scenario course). A lesson
 * followed with "continue" and "show me" while its pointers outline the leader's card and
 * tree rows; a challenge with the instructor's bug switch (confirm dialog, badge, the
 * violation in the safety view); Korean; the pointer colours' contrast in both themes.
 * Screenshots land in test-output/renderer/.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../e2e/helpers/browser.js';
import { waitForAttr, waitUntil } from '../e2e/helpers/wait.js';
import { cancelDialog, confirmDialog } from '../e2e/pages/dialogs.js';
import { EnsemblePage } from '../e2e/pages/ensemble-page.js';
import { LearnPage } from '../e2e/pages/learn-page.js';
import { demoApp } from './helpers/demo-app.js';

const demo = demoApp();

test('a lesson through the panel: warning first, the leader’s card pointed at, continue, show me, checks with explanations', async () => {
  const { page, errors } = await demo('&members=3');
  const learn = new LearnPage(page);
  const ensemble = new EnsemblePage(page);
  await ensemble.waitForLeader();
  await learn.open();
  assert.deepEqual(await learn.scenarioIds(), ['leader-election', 'two-leaders-one-epoch']);
  await screenshot(page, 'renderer', 'learn-01-course');

  await learn.startButton('leader-election').click();
  const warning = await page.locator('[data-testid=confirm-dialog]').innerText();
  assert.match(warning, /switches to it: the lab open now \(demo\) is stopped/);
  await cancelDialog(page);
  assert.equal(await learn.runView().count(), 0, 'cancelled: nothing started');

  await learn.start('leader-election');
  await learn.waitForStep('find-leader', 'waiting-for-learner');
  const leader = await ensemble.waitForLeader();
  await waitForAttr(page, ensemble.card(leader), 'data-pointed', 'true');
  const pointed = await page.locator('[data-testid=member-card][data-pointed=true]').count();
  assert.equal(pointed, 1, 'only the leader’s card is pointed at');
  assert.equal(await ensemble.card(leader).getAttribute('data-pointer-label'), 'step 1');
  assert.equal(await page.locator('[data-testid=quorum-meter]').getAttribute('data-pointed'), 'true');
  assert.equal(await learn.showMeButton().count(), 0, 'this step has nothing to show');
  await screenshot(page, 'renderer', 'learn-02-pointer-on-leader');

  await learn.continue();
  await learn.waitForStep('kill-leader', 'waiting-for-learner');
  assert.equal(await page.locator('[data-testid=tab-timeline]').getAttribute('aria-selected'), 'true', 'the events view came forward');
  assert.equal(await page.locator('[data-testid=learner-command]').innerText(), `kill ${leader}`);
  assert.match(await page.locator('[data-testid=waiting-for]').innerText(), /the leader to be killed/);
  await learn.showMe();
  await learn.waitForRunState('passed');
  await ensemble.waitForLeader({ not: leader });
  assert.equal(await page.locator('[data-testid=tab-data]').getAttribute('aria-selected'), 'true');
  assert.equal(await learn.runView().getAttribute('data-state'), 'passed');
  // Steps the run went through stay open in the list with their checks.
  const checks = page.locator('[data-testid=scenario-step][data-step="2"] [data-testid=check-result]');
  await waitUntil(page, () => checks.count(), (n) => n === 2, 'the checks of step 2');
  assert.equal(await page.locator('[data-testid=check-result][data-ok=false]').count(), 0);
  assert.match(await checks.first().innerText(), /PASS[\s\S]*Why:/);
  assert.equal(await page.locator('[data-pointed=true]').count(), 0, 'a finished run points at nothing');
  await screenshot(page, 'renderer', 'learn-03-lesson-passed');
  assert.deepEqual(errors, []);
});

test('the challenge with an instructor bug switch: hidden by default, confirmed, a permanent badge, the safety view reports the violation', async () => {
  const { page } = await demo('&members=5');
  const learn = new LearnPage(page);
  await learn.open();
  assert.equal(await page.locator('[data-testid=bug-switches]').count(), 0, 'instructor controls are off by default');
  assert.equal(await page.locator('[data-testid=bug-badge]').count(), 0);
  await page.locator('[data-testid=instructor-toggle]').check();
  const sw = page.locator('[data-testid=bug-switch][data-name=smallQuorum]');
  await sw.waitFor();
  assert.equal(await sw.getAttribute('data-on'), 'false');

  await sw.locator('[data-testid=bug-switch-toggle]').click();
  await cancelDialog(page);
  assert.equal(await sw.getAttribute('data-on'), 'false', 'cancelled: still off');
  await sw.locator('[data-testid=bug-switch-toggle]').click();
  assert.match(await confirmDialog(page), /Switch on smallQuorum\?/);
  await waitForAttr(page, sw, 'data-on', 'true');
  assert.equal(await sw.locator('[role=switch]').getAttribute('aria-checked'), 'true');
  assert.match(await page.locator('[data-testid=bug-badge]').innerText(), /BUG SWITCH ON: smallQuorum/);

  await learn.start('two-leaders-one-epoch');
  await learn.waitForStep('attack', 'waiting-for-learner');
  assert.equal(await page.locator('[data-testid=safety-view]').getAttribute('data-holds'), 'true');
  assert.match(await page.locator('[data-testid=safety-banner]').innerText(), /SAFETY HOLDS/);
  assert.equal(await page.locator('[data-testid=safety-view]').getAttribute('data-pointed'), 'true', 'the step points at the safety view');
  assert.equal(await page.locator('[data-testid=network-panel]').getAttribute('data-pointed'), 'true', 'and at the network, where the learner acts');
  assert.match(await page.locator('[data-testid=run-bug-banner]').innerText(), /smallQuorum/);
  await screenshot(page, 'renderer', 'learn-04-challenge-armed');

  await learn.showMe();
  await learn.waitForRunState('passed');
  await waitForAttr(page, page.locator('[data-testid=safety-view]'), 'data-holds', 'false');
  assert.match(await page.locator('[data-testid=safety-banner]').innerText(), /SAFETY VIOLATED/);
  const inv = page.locator('[data-testid=safety-invariant][data-invariant=one-leader-per-epoch]');
  assert.equal(await inv.getAttribute('data-ok'), 'false');
  const violation = await inv.locator('[data-testid=safety-violation]').innerText();
  assert.match(violation, /members \d and \d both lead epoch \d+/);
  assert.match(violation, /Members \d, \d/);
  assert.match(violation, /smallQuorum, 2 votes of 5 elect a leader/);
  for (const other of ['committed-prefix', 'zxid-monotonic', 'read-your-writes']) {
    assert.equal(await page.locator(`[data-testid=safety-invariant][data-invariant=${other}]`).getAttribute('data-ok'), 'true', other);
  }
  assert.equal(await page.locator('[data-testid=bug-badge]').count(), 1, 'the badge stays while the switch is on');
  await screenshot(page, 'renderer', 'learn-05-safety-violated');
});

test('Korean: the panel, the course and the narration follow the language switch', async () => {
  const { page } = await demo('&members=3');
  await page.locator('select.lang').selectOption('ko');
  const learn = new LearnPage(page);
  await learn.open();
  assert.equal(await page.locator('[data-testid=learn-toggle]').innerText(), '배우기');
  const item = page.locator('[data-testid=scenario-item][data-scenario-id=leader-election]');
  assert.match(await item.innerText(), /리더 선출/);
  assert.match(await item.innerText(), /멤버 3개 · 3단계/);
  await learn.start('leader-election');
  await learn.waitForStep('find-leader', 'waiting-for-learner');
  assert.match(await page.locator('[data-testid=narration]').innerText(), /세 멤버가 투표해/);
  assert.match(await page.locator('[data-testid=safety-view] summary').innerText(), /안전성 불변식/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
  await screenshot(page, 'renderer', 'learn-06-korean');
});

test('Korean follows the system language (navigator.languages) until the user chooses', async () => {
  const { page } = await demo('&members=1', { locale: 'ko-KR' });
  assert.equal(await page.locator('[data-testid=learn-toggle]').innerText(), '배우기');
  assert.equal(await page.locator('select.lang').inputValue(), 'auto');
});

test('pointer and safety colours keep their contrast in both themes; the panel in dark', async () => {
  for (const scheme of ['light', 'dark'] as const) {
    const { page } = await demo('&members=3', { colorScheme: scheme });
    const tokens = (await page.evaluate(
      `(() => { const s = getComputedStyle(document.documentElement); return Object.fromEntries(['--pointer','--pointer-text','--bg','--bg-panel','--ok','--ok-soft','--danger','--danger-soft'].map((k) => [k, s.getPropertyValue(k).trim()])); })()`,
    )) as Record<string, string>;
    const pairs: [string, string, number][] = [
      // WCAG 1.4.11: a non-text indicator needs 3:1 against what surrounds it; the tag's text 4.5:1.
      ['--pointer', '--bg-panel', 3],
      ['--pointer', '--bg', 3],
      ['--pointer-text', '--pointer', 4.5],
      ['--ok', '--ok-soft', 4.5],
      ['--danger', '--danger-soft', 4.5],
    ];
    for (const [fg, bg, min] of pairs) {
      const ratio = contrast(tokens[fg]!, tokens[bg]!);
      assert.ok(ratio >= min, `${scheme}: ${fg} on ${bg} is ${ratio.toFixed(2)}:1, needs ${min}:1`);
    }
    if (scheme === 'dark') {
      const learn = new LearnPage(page);
      await learn.open();
      await learn.start('leader-election');
      await learn.waitForStep('find-leader', 'waiting-for-learner');
      await screenshot(page, 'renderer', 'learn-07-dark');
    }
  }
});

function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const raw = hex.replace('#', '');
    // Minified CSS may shorten #ffffff to #fff.
    const n = raw.length === 3 ? [...raw].map((c) => c + c).join('') : raw;
    const [r, g, bl] = [0, 2, 4].map((i) => {
      const c = parseInt(n.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

