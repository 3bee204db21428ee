/**
 * End to end: lessons followed through the Learn panel in Chromium, on a real `zk-lab serve`
 * over 3 real members. `zk-lab serve` serves one fixed lab, so the scenario engine runs the
 * lessons on it (after removing the znodes they use). Lesson 7 (leader election): the
 * leader's card is pointed at, "Show me" kills it, the lab elects another and the lesson
 * goes on through DIFF, TRUNC and SNAP re-syncs. Lesson 8 (writes through the leader): the
 * learner slows a link in the network panel themselves and presses "Continue".
 * Screenshots of the key steps go to test-output/e2e/learn-*.png.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, screenshot, type OpenPage } from './helpers/browser.js';
import { startLab, type RunningLab } from './helpers/lab.js';
import { waitForAttr, waitUntil } from './helpers/wait.js';
import { EnsemblePage } from './pages/ensemble-page.js';
import { LearnPage } from './pages/learn-page.js';
import { NetworkPage } from './pages/network-page.js';

let lab: RunningLab;
let browser: Browser;
let ui: OpenPage;
let learn: LearnPage;
let ensemble: EnsemblePage;

test.before(async () => {
  lab = await startLab(3);
  browser = await launchChromium();
  ui = await openPage(browser, lab.url);
  learn = new LearnPage(ui.page);
  ensemble = new EnsemblePage(ui.page);
});

test.after(async () => {
  await browser?.close().catch(() => {});
  await lab?.stop();
});

test('the Learn panel lists the built-in course: lessons, then challenges', async () => {
  await ensemble.waitForLeader();
  await learn.open();
  const ids = await learn.scenarioIds();
  assert.ok(ids.includes('watches') && ids.includes('leader-election') && ids.includes('writes-through-the-leader'), ids.join(' '));
  const kinds = await Promise.all((await ui.page.locator('[data-testid=scenario-item]').all()).map((i) => i.getAttribute('data-kind')));
  assert.equal(kinds.indexOf('challenge'), kinds.length - 3, 'the three challenges come after the lessons');
  assert.match(await ui.page.locator('[data-testid=scenario-item][data-scenario-id=two-leaders-one-epoch]').innerText(), /5 members/);
  await screenshot(ui.page, 'e2e', 'learn-00-course');
});

test('lesson 7, leader election: the leader is pointed at, "Show me" kills it, a new epoch, re-syncs by DIFF, TRUNC and SNAP', async () => {
  const dir = await ui.page.locator('[data-testid=lab-name]').innerText();
  await learn.start('leader-election');
  await learn.waitForStep('kill-leader', 'waiting-for-learner', 90_000);
  const leader = await ensemble.waitForLeader();
  await waitForAttr(ui.page, ensemble.card(leader), 'data-pointed', 'true');
  assert.equal(await ui.page.locator('[data-testid=member-card][data-pointed=true]').count(), 1, 'only the leader’s card');
  assert.equal(await ui.page.locator(`[data-testid=pointer-member][data-member-id="${leader}"]`).count(), 1);
  assert.match(await ui.page.locator('[data-testid=learner-ask]').innerText(), new RegExp(`Kill the leader \\(member ${leader}\\)`));
  assert.equal(await ui.page.locator('[data-testid=learner-command]').innerText(), `kill ${leader}`);
  await screenshot(ui.page, 'e2e', 'learn-01-leader-pointed-at');

  await learn.showMe();
  await ensemble.waitForLeader({ not: leader, timeoutMs: 90_000 });
  await waitForAttr(ui.page, ui.page.locator('[data-testid=scenario-step][data-step-id=kill-leader]'), 'data-status', 'passed', 90_000);
  await waitForAttr(ui.page, ui.page.locator('[data-testid=scenario-step][data-step-id=new-epoch-zxids]'), 'data-status', 'passed', 60_000);
  await screenshot(ui.page, 'e2e', 'learn-02-new-leader-new-epoch');

  const state = await learn.waitForRunState(['passed', 'failed'], 180_000);
  await screenshot(ui.page, 'e2e', 'learn-03-leader-election-done');
  assert.equal(state, 'passed', await learn.runMessage());
  const failed = await ui.page.locator('[data-testid=run-view] [data-testid=check-result][data-ok=false]').count();
  assert.equal(failed, 0);
  assert.match(await ui.page.locator('[data-testid=run-checks]').innerText(), /\d+ passed · 0 failed/);
  assert.equal(await ui.page.locator('[data-testid=lab-name]').innerText(), dir, 'zk-lab serve: the lesson ran on this lab');
  assert.equal(await ui.page.locator('[data-testid=safety-view]').getAttribute('data-holds'), 'true', 'the real protocol keeps every invariant');
});

test('lesson 8, writes through the leader: the learner slows a link in the network panel, then "Continue"', async () => {
  // One run at a time: a run still going (an earlier test gave up) is stopped first.
  if ((await ui.page.locator('[data-testid=stop-scenario]').count()) > 0) {
    await ui.page.locator('[data-testid=stop-scenario]').click();
    await learn.waitForRunState(['stopped', 'passed', 'failed'], 30_000);
  }
  await ui.page.locator('[data-testid=back-to-list]').click();
  await ensemble.waitForWritable(60_000);
  await learn.start('writes-through-the-leader');
  await learn.waitForStep('slow-follower', 'waiting-for-learner', 90_000);
  const command = await ui.page.locator('[data-testid=learner-command]').innerText();
  const m = /^delay (\d+)-(\d+) 700ms$/.exec(command);
  assert.ok(m, `the exact command is shown: ${command}`);
  const [leader, follower] = [Number(m[1]), Number(m[2])];
  assert.equal(await ensemble.card(follower).getAttribute('data-pointed'), 'true', 'the slow follower’s card is pointed at');
  assert.equal(await ui.page.locator('[data-testid=network-panel]').getAttribute('data-pointed'), 'true', 'the network panel is where to act');
  assert.equal(await ui.page.locator('[data-testid=tab-timeline]').getAttribute('aria-selected'), 'true', 'the timeline came forward');
  assert.equal(await learn.continueButton().count(), 1, 'nothing to wait for: Continue is offered');
  await screenshot(ui.page, 'e2e', 'learn-04-slow-follower-asked');

  // The learner does it: right-click the cell, 700 ms both ways, apply — then Continue.
  const network = new NetworkPage(ui.page);
  await network.setDelay(leader, follower, 700, true);
  await waitUntil(ui.page, () => network.stateOf(leader, follower), (s) => s === 'slow', 'the slowed link');
  assert.equal(await network.stateOf(follower, leader), 'slow');
  await learn.continue();
  const state = await learn.waitForRunState(['passed', 'failed'], 120_000);
  await screenshot(ui.page, 'e2e', 'learn-05-writes-through-the-leader-done');
  assert.equal(state, 'passed', await learn.runMessage());
  const step = ui.page.locator('[data-testid=scenario-step][data-step-id=slow-follower]');
  assert.equal(await step.getAttribute('data-status'), 'passed');
  assert.equal(await step.locator('[data-testid=check-result][data-ok=true]').count(), 2, 'a quick commit, and the slow follower does not see it yet');
  assert.equal(await network.stateOf(leader, follower), 'up', 'the lesson healed the link');
  assert.deepEqual(ui.errors.filter((e) => !/Failed to load resource/.test(e)), [], 'no page errors during the lessons');
});
