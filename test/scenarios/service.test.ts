/**
 * The `scenario.*` LabApi on an in-process LabService with real members, as the desktop app
 * uses it: the library, a guided run that waits for the learner (show me, continue), the
 * progress pictures a side panel draws, stopping, recording what a learner does and
 * replaying it, uploads with line-numbered errors, the live safety view and the bug-switch list.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioRun } from '../../engine/src/lab/api.js';
import { LabService } from '../../engine/src/lab/lab-service.js';
import { RecentLabs } from '../../engine/src/lab/recent-labs.js';
import { ScenarioService } from '../../engine/src/scenarios/service.js';

const root = mkdtempSync(join(tmpdir(), 'zoolab-scenario-service-'));
const services: LabService[] = [];

function newService(): { svc: LabService; scenarios: ScenarioService; progress: ScenarioRun[] } {
  const scenarios = new ScenarioService({ labsRoot: join(root, 'labs') });
  const svc = new LabService({ allowLabSwitch: true, recent: new RecentLabs(join(root, 'recent.json')), scenarios });
  services.push(svc);
  const progress: ScenarioRun[] = [];
  svc.on('scenario.progress', (r) => progress.push(r));
  return { svc, scenarios, progress };
}

test.after(async () => {
  for (const s of services) {
    await s.invoke('lab.down', {}, 'ui').catch(() => {});
    await s.dispose();
  }
  rmSync(root, { recursive: true, force: true });
});

/** Resolves with the first progress picture matching `predicate` (already seen ones count). */
function progressWhere(svc: LabService, seen: ScenarioRun[], predicate: (r: ScenarioRun) => boolean, what: string, timeoutMs = 30_000): Promise<ScenarioRun> {
  const hit = seen.find(predicate);
  if (hit) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no progress with ${what} within ${timeoutMs} ms (last: ${seen.at(-1)?.message})`));
    }, timeoutMs);
    const off = svc.on('scenario.progress', (r) => {
      if (!predicate(r)) return;
      clearTimeout(timer);
      off();
      resolve(r);
    });
  });
}

const GUIDED = `{
  "format": "zoolab-scenario", "version": 1, "id": "guided-test", "kind": "lesson",
  "title": { "en": "Guided", "ko": "안내" }, "goal": { "en": "Test the guided pace.", "ko": "안내 속도 시험." },
  "lab": { "members": 1 }, "paths": ["/g"],
  "steps": [
    { "id": "setup", "title": { "en": "Setup", "ko": "준비" }, "say": { "en": "A client connects.", "ko": "클라이언트 접속." },
      "highlight": { "paths": ["/g"], "views": ["tree"] },
      "do": [{ "action": "client.open", "name": "a" }] },
    { "id": "learner-creates", "title": { "en": "Create /g", "ko": "/g 만들기" }, "say": { "en": "Your turn.", "ko": "직접 해 보세요." },
      "highlight": { "paths": ["/g"], "views": ["terminal"] },
      "learner": { "ask": { "en": "Create /g.", "ko": "/g를 만드세요." }, "where": "terminal", "command": "create /g",
        "showMe": [{ "action": "create", "client": "a", "path": "/g", "data": "shown" }],
        "until": { "condition": "node", "path": "/g" } },
      "check": [{ "check": "node", "path": "/g", "explain": { "en": "It is there.", "ko": "있습니다." } }] },
    { "id": "just-read", "title": { "en": "Read", "ko": "읽기" }, "say": { "en": "Read the text, then continue.", "ko": "읽고 계속하세요." },
      "learner": { "ask": { "en": "Press continue.", "ko": "계속을 누르세요." }, "where": "members", "showMe": [{ "action": "wait", "ms": 1 }] },
      "check": [{ "check": "compare", "value": 1, "is": 1, "explain": { "en": "Always.", "ko": "항상." } }] }
  ]
}`;

test('the library lists the course, details a scenario, and refuses unknown names', async () => {
  const { svc } = newService();
  const list = await svc.invoke('scenario.list', {}, 'ui');
  assert.ok(list.length >= 15);
  const first = list[0]!;
  assert.equal(first.id, 'znodes-and-stat');
  assert.equal(first.source, 'built-in');
  assert.ok(first.text.title.ko && first.text.goal.ko);
  const challenge = list.find((s) => s.kind === 'challenge')!;
  assert.ok(challenge.bugSwitch);
  const detail = await svc.invoke('scenario.get', { scenarioId: 'watches' }, 'ui');
  assert.equal(detail.steps.length, detail.summary.stepCount);
  assert.ok(detail.steps.some((s) => s.learner?.canShowMe));
  await assert.rejects(svc.invoke('scenario.get', { scenarioId: 'nope' }, 'ui'), (e: { code?: string }) => e.code === 'no-such-scenario');
  const bugs = await svc.invoke('scenario.bugSwitches', {}, 'ui');
  assert.deepEqual(bugs.map((b) => b.name), ['smallQuorum', 'ackBeforeFsync', 'staleReads']);
  assert.ok(bugs.every((b) => b.zooCfg.startsWith('zoolab.bugs=') && b.title.ko && b.changes.en));
});

test('an upload with mistakes is refused with the line of each one', async () => {
  const { svc } = newService();
  await assert.rejects(
    svc.invoke('scenario.load', { text: GUIDED.replace('"where": "members"', '"where": "kitchen"'), name: 'mine.json' }, 'ui'),
    (e: { code?: string; message?: string }) => e.code === 'bad-scenario' && /mine\.json:\d+:\d+: steps\[2\]\.learner\.where must be one of members/.test(e.message ?? ''),
  );
});

test('a guided run waits for the learner; show me and continue move it on; the panel gets every picture', { timeout: 120_000 }, async () => {
  const { svc, progress } = newService();
  const summary = await svc.invoke('scenario.load', { text: GUIDED, name: 'guided.json' }, 'ui');
  assert.equal(summary.source, 'file');
  const started = await svc.invoke('scenario.run', { scenarioId: 'guided-test', lang: 'ko' }, 'ui');
  assert.equal(started.state, 'running');
  assert.equal(started.stepCount, 3);

  const waiting = await progressWhere(svc, progress, (r) => r.state === 'running' && r.steps[1]!.status === 'waiting-for-learner', 'step 2 waiting');
  assert.equal(waiting.step, 2);
  assert.equal(waiting.lang, 'ko');
  assert.deepEqual(waiting.steps[1]!.learner, { ask: { en: 'Create /g.', ko: '/g를 만드세요.' }, where: 'terminal', command: 'create /g', canShowMe: true });
  assert.deepEqual(waiting.steps[1]!.highlight, { members: [], paths: ['/g'], views: ['terminal'] });
  assert.equal(waiting.steps[1]!.waitingFor?.en, '/g exists on the lab');
  assert.match(waiting.messageText.ko, /직접 해 보세요/);
  assert.equal(waiting.steps[0]!.status, 'passed');
  assert.ok(waiting.labDir, 'the run says which lab it drives');
  assert.deepEqual(waiting.safety?.holds, true);

  await assert.rejects(
    svc.invoke('scenario.continue', { runId: started.runId }, 'ui'),
    (e: { code?: string; message?: string }) => e.code === 'not-waiting' && /goes on by itself once \/g exists/.test(e.message ?? ''),
    'a step that waits for a condition is not skipped by continue',
  );
  const shown = await svc.invoke('scenario.showMe', { runId: started.runId }, 'ui');
  assert.equal(shown.runId, started.runId);
  const third = await progressWhere(svc, progress, (r) => r.steps[2]!.status === 'waiting-for-learner', 'step 3 waiting');
  assert.equal(third.steps[1]!.status, 'passed');
  assert.ok(third.steps[1]!.log.some((l) => /보여 주기/.test(l.text.ko)), 'the show-me is in the step log');
  assert.ok(third.steps[1]!.checks.every((c) => c.ok && c.explanation.ko === '있습니다.'));

  await svc.invoke('scenario.continue', { runId: started.runId }, 'ui');
  const done = await progressWhere(svc, progress, (r) => r.state === 'passed', 'the end');
  assert.equal(done.checks.failed, 0);
  assert.equal(done.checks.passed, 2);
  assert.ok(done.endedAt !== null);
  await assert.rejects(svc.invoke('scenario.showMe', { runId: started.runId }, 'ui'), (e: { code?: string }) => e.code === 'not-waiting');
});

test('a run can be stopped while it waits; the lab it made stays open for the learner', { timeout: 120_000 }, async () => {
  const { svc, progress } = newService();
  await svc.invoke('scenario.load', { text: GUIDED }, 'ui');
  const started = await svc.invoke('scenario.run', { scenarioId: 'guided-test' }, 'ui');
  await progressWhere(svc, progress, (r) => r.steps[1]!.status === 'waiting-for-learner', 'waiting');
  await assert.rejects(svc.invoke('scenario.run', { scenarioId: 'watches' }, 'ui'), (e: { code?: string }) => e.code === 'busy');
  const stopped = await svc.invoke('scenario.stop', { runId: started.runId }, 'ui');
  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.steps[1]!.status, 'skipped');
  assert.equal(stopped.steps[2]!.status, 'skipped');
  const info = await svc.invoke('lab.info', {}, 'ui');
  assert.equal(info?.running, true);
  assert.equal(info?.dir, stopped.labDir);
});

test('recording what a learner does gives a scenario that replays it, safety check included', { timeout: 180_000 }, async () => {
  const { svc, scenarios } = newService();
  await svc.invoke('lab.create', { dir: join(root, 'recorded-lab'), spec: { members: 1 } }, 'ui');
  await svc.invoke('scenario.record.start', { title: { en: 'My session', ko: '내 세션' } }, 'ui');
  const mirror = await svc.invoke('tree.open', { member: null }, 'ui');
  await svc.invoke('tree.create', { mirrorId: mirror.mirrorId, path: '/rec', dataBase64: Buffer.from('one').toString('base64') }, 'ui');
  await svc.invoke('tree.set', { mirrorId: mirror.mirrorId, path: '/rec', dataBase64: Buffer.from('two').toString('base64'), version: -1 }, 'ui');
  await svc.invoke('member.restart', { member: 1 }, 'cli');
  const stopped = await svc.invoke('scenario.record.stop', { id: 'my-session' }, 'ui');
  assert.equal(stopped.summary.source, 'recorded');
  assert.equal(stopped.summary.text.title.ko, '내 세션');
  assert.match(stopped.text, /"action": "member.restart"/);
  assert.match(stopped.text, /"data": "two"/);
  await assert.rejects(svc.invoke('scenario.record.stop', {}, 'ui'), (e: { code?: string }) => e.code === 'not-recording');

  const replay = await svc.invoke('scenario.run', { scenarioId: 'my-session', pace: 'auto' }, 'ui');
  const done = await scenarios.wait(replay.runId);
  assert.equal(done.state, 'passed', JSON.stringify(done.steps.map((s) => [s.id, s.status, s.log.map((l) => l.text.en)])));
  assert.equal(done.safety?.holds, true);
});

test('the live safety view follows whatever lab is open', { timeout: 60_000 }, async () => {
  const { svc } = newService();
  await svc.invoke('lab.create', { dir: join(root, 'live-lab'), spec: { members: 1 } }, 'ui');
  const report = await svc.invoke('scenario.safety', {}, 'ui');
  assert.equal(report.holds, true);
  assert.deepEqual(report.bugSwitches, []);
  assert.equal(report.invariants.length, 4);
});
