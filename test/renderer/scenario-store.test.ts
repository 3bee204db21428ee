/**
 * The Learn panel's store and actions (renderer/src/stores/scenario.ts,
 * commands/scenario-actions.ts) against the FakeLab's scenario engine on a manual clock:
 * starting warns first and follows the run into its own lab, a guided lesson with
 * "continue" and "show me", pointers and the views they bring forward, the instructor's
 * bug switches (off by default, confirmed, carried by the next run, named by the badge),
 * the safety view of a challenge, recording, saving and loading scenario files.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { EventName, EventPayload, LabApi } from '../../engine/src/lab/api.js';
import { createScenarioActions } from '../../renderer/src/commands/scenario-actions.js';
import { en } from '../../renderer/src/i18n/messages/en.js';
import { ko } from '../../renderer/src/i18n/messages/ko.js';
import { pickText, scenarioLang } from '../../renderer/src/lib/localized.js';
import { centerTabFor, pointerOf } from '../../renderer/src/lib/scenario-views.js';
import { useEnsembleStore } from '../../renderer/src/stores/ensemble.js';
import { useLabStore } from '../../renderer/src/stores/lab.js';
import { useNoticesStore } from '../../renderer/src/stores/notices.js';
import { usePreferencesStore } from '../../renderer/src/stores/preferences.js';
import { useScenarioStore } from '../../renderer/src/stores/scenario.js';
import { useTreeStore } from '../../renderer/src/stores/tree.js';
import { createPinia, setActivePinia } from 'pinia';
import { answerConfirm, recordingHost, settle, setup, t, type RecordingHost } from './helpers/fake-setup.js';

const calls = (lab: { calls: { name: string; arg: unknown }[] }, name: string) => lab.calls.filter((c) => c.name === name);

async function learnSetup(options: { members?: number; locale?: string; allowLabSwitch?: boolean; host?: RecordingHost } = {}) {
  const host = options.host ?? recordingHost();
  const env = await setup({ members: options.members ?? 3 }, { host, allowLabSwitch: options.allowLabSwitch ?? true });
  const learn = createScenarioActions({ t, host, locale: () => options.locale ?? 'en' });
  return { ...env, learn, store: useScenarioStore() };
}

/** Lets the fake engine take its next steps (due timers, then the promise chains they start). */
async function tick(sched: { advance(ms: number): void }, ms = 0): Promise<void> {
  sched.advance(ms);
  await settle();
}

async function startAccepted(learn: ReturnType<typeof createScenarioActions>, id: string): Promise<string> {
  const started = learn.startScenario(id);
  const title = await answerConfirm(true);
  assert.equal(await started, true);
  return title;
}

test('the course loads at startup: lessons and challenges in order, titles in both languages; no pointers without a run', async () => {
  const { store } = await learnSetup();
  assert.equal(store.libraryLoaded, true);
  assert.deepEqual(store.lessons.map((s) => s.id), ['leader-election']);
  assert.deepEqual(store.challenges.map((s) => s.id), ['two-leaders-one-epoch']);
  assert.equal(store.challenges[0]!.bugSwitch, 'smallQuorum');
  assert.equal(pickText(store.lessons[0]!.text.title, 'ko'), '리더 선출');
  assert.equal(store.pointer, null);
  assert.equal(store.pointsAtMember(1), false);
  assert.equal(store.safety?.holds, true, 'the live safety view of the open lab');
  assert.deepEqual(store.bugWarning, []);
});

test('start warns that the scenario switches labs; cancelled nothing runs; accepted it runs guided in the UI language and the views follow the new lab', async () => {
  const { lab, sched, learn, store } = await learnSetup({ locale: 'ko-KR' });
  const labStore = useLabStore();
  const before = labStore.info!.dir;

  const cancelled = learn.startScenario('leader-election');
  const notices = useNoticesStore();
  await settle();
  assert.equal(t(notices.pendingConfirm!.body.key, notices.pendingConfirm!.body.params), t('learn.confirmStart.body', { count: 3, lab: 'demo' }));
  assert.match(t('learn.confirmStart.body', { count: 3, lab: 'demo' }), /the lab open now \(demo\) is stopped/);
  notices.answer(false);
  assert.equal(await cancelled, false);
  assert.equal(calls(lab, 'scenario.run').length, 0);

  const title = await startAccepted(learn, 'leader-election');
  assert.equal(title, 'Start “리더 선출”?', 'the scenario title in the UI language (the test translates with the English catalogue)');
  assert.deepEqual(calls(lab, 'scenario.run')[0]!.arg, { scenarioId: 'leader-election', lang: 'ko', pace: 'guided' });
  assert.equal(usePreferencesStore().learnOpen, true, 'the panel opens on the run');
  assert.equal(store.showingRun, true);

  const treeOpens = calls(lab, 'tree.open').length;
  await tick(sched);
  assert.match(store.run!.labDir!, /^\/scenario-labs\/leader-election-/);
  assert.notEqual(labStore.info!.dir, before);
  assert.equal(labStore.info!.dir, store.run!.labDir, 'the lab store follows the switch');
  assert.equal(labStore.connection, 'connected');
  assert.equal(calls(lab, 'tree.open').length, treeOpens + 1, 'the tree browser reopened on the new lab');
  assert.equal(useTreeStore().mirror?.state, 'connected');
});

test('a guided lesson: continue, the leader pointed at, show me kills it, a new leader, every check passes', async () => {
  const { lab, sched, learn, store } = await learnSetup();
  const prefs = usePreferencesStore();
  prefs.centerTab = 'snapshots';
  await startAccepted(learn, 'leader-election');
  await tick(sched);

  const ensemble = useEnsembleStore();
  const leader = ensemble.leader!;
  assert.equal(store.run!.state, 'waiting-for-learner');
  assert.equal(store.current!.id, 'find-leader');
  assert.equal(store.canContinue, true, 'nothing to wait for: continue');
  assert.equal(store.canShowMe, false);
  assert.equal(store.pointsAtMember(leader), true, 'the leader’s card is pointed at');
  assert.equal(ensemble.memberIds.filter((id) => store.pointsAtMember(id)).length, 1);
  assert.equal(store.pointsAtView('quorum'), true);
  assert.equal(prefs.centerTab, 'snapshots', 'members and quorum are always on screen: the tab stays');
  assert.match(pickText(store.current!.narration, 'en'), new RegExp(`elected member ${leader}`));

  assert.equal(await learn.continueStep(), true);
  await tick(sched);
  assert.equal(store.current!.id, 'kill-leader');
  assert.equal(store.current!.status, 'waiting-for-learner');
  assert.equal(store.current!.learner?.command, `kill ${leader}`);
  assert.equal(prefs.centerTab, 'timeline', 'the step names the events: the timeline comes forward');
  assert.equal(store.canShowMe, true);
  assert.equal(store.canContinue, false, 'this step waits for the leader to die');

  // Continue is refused by the engine here; the toast says why and what to do.
  prefs.centerTab = 'data';
  assert.equal(await store.continueStep().then(() => 'ok', (e: { code: string }) => e.code), 'not-waiting');
  assert.equal(await learn.continueStep(), false);
  const n = useNoticesStore().notices.at(-1)!;
  assert.equal(n.kind, 'error');
  assert.equal(t(n.hint!.key), t('learn.hint.notWaiting'));
  assert.equal(prefs.centerTab, 'data', 'the learner may look elsewhere during a step');

  assert.equal(await learn.showMe(), true);
  await tick(sched);
  assert.equal(ensemble.members.find((m) => m.id === leader)?.state, 'killed');
  await tick(sched, 1000);
  assert.notEqual(ensemble.leader, null);
  assert.notEqual(ensemble.leader, leader);
  assert.equal(store.run!.state, 'passed', store.run!.message);
  assert.equal(store.run!.checks.failed, 0);
  assert.equal(store.run!.checks.passed, 4);
  assert.ok(store.run!.steps[1]!.log.some((l) => /Show me/.test(l.text.en)));
  assert.equal(store.active, false);
  assert.equal(store.pointer, null, 'a finished run points at nothing');
  assert.ok(calls(lab, 'scenario.showMe').length === 1);
});

test('the learner can act instead: killing the pointed-at member from the ensemble moves the step on', async () => {
  const { sched, learn, store, actions } = await learnSetup();
  await startAccepted(learn, 'leader-election');
  await tick(sched);
  await learn.continueStep();
  await tick(sched);
  const leader = useEnsembleStore().leader!;
  assert.equal(store.pointsAtMember(leader), true);
  const killing = actions.memberAction(leader, 'kill');
  await answerConfirm(true);
  assert.equal(await killing, true);
  await tick(sched, 100);
  assert.equal(store.current!.id, 'kill-leader');
  assert.equal(store.current!.status, 'running', 'the learner did it: the step now waits for the new leader');
  await tick(sched, 1000);
  assert.equal(store.run!.state, 'passed');
  assert.ok(!store.run!.steps[1]!.log.some((l) => /Show me/.test(l.text.en)), 'nobody pressed show me');
});

test('bug switches: off by default; switching one on asks first; the next run carries it; the badge names it; the challenge shows the violation', async () => {
  const { lab, sched, learn, store } = await learnSetup({ members: 5 });
  assert.deepEqual(store.armed, []);
  assert.equal(store.instructorOpen, false);

  const asked = learn.setBugSwitch('smallQuorum', true);
  assert.equal(await answerConfirm(false), 'Switch on smallQuorum?');
  assert.equal(await asked, false);
  assert.deepEqual(store.armed, [], 'cancelled: still off');

  const confirmed = learn.setBugSwitch('smallQuorum', true);
  await settle();
  assert.ok(useNoticesStore().pendingConfirm!.danger);
  assert.ok(useNoticesStore().pendingConfirm!.details!.includes('zoolab.bugs=smallQuorum'));
  await answerConfirm(true);
  assert.equal(await confirmed, true);
  assert.deepEqual(store.bugWarning, ['smallQuorum'], 'the badge shows while a switch is armed');

  const started = learn.startScenario('two-leaders-one-epoch');
  await settle();
  assert.deepEqual(useNoticesStore().pendingConfirm!.details, [t('learn.confirmStart.bugs', { names: 'smallQuorum' })]);
  await answerConfirm(true);
  await started;
  assert.deepEqual((calls(lab, 'scenario.run')[0]!.arg as { bugSwitches: string[] }).bugSwitches, ['smallQuorum']);
  await tick(sched);
  assert.equal(store.current!.id, 'attack');
  assert.equal(store.pointsAtView('safety'), true);
  assert.deepEqual(store.activeBugSwitches, ['smallQuorum']);
  await learn.showMe();
  await tick(sched);
  await tick(sched, 500);
  assert.equal(store.run!.state, 'passed', store.run!.message);
  assert.equal(store.safety!.holds, false);
  const inv = store.safety!.invariants.find((i) => i.id === 'one-leader-per-epoch')!;
  assert.equal(inv.ok, false);
  assert.equal(inv.violations.length, 1);
  assert.equal(inv.violations[0]!.members.length, 2, 'which two leaders');
  assert.match(inv.violations[0]!.explanation.en, /smallQuorum/);

  await learn.setBugSwitch('smallQuorum', false);
  assert.deepEqual(store.armed, []);
  assert.deepEqual(store.bugWarning, ['smallQuorum'], 'still on in the lab the run created');
});

test('without the bug switch the challenge keeps SAFETY HOLDS', async () => {
  const { sched, learn, store } = await learnSetup({ members: 5 });
  await startAccepted(learn, 'two-leaders-one-epoch');
  await tick(sched);
  await learn.showMe();
  await tick(sched);
  await tick(sched, 500);
  assert.equal(store.run!.state, 'passed');
  assert.equal(store.safety!.holds, true);
  assert.ok(store.safety!.invariants.every((i) => i.ok));
  assert.deepEqual(store.bugWarning, []);
});

test('stop ends the run and frees the list; a second start while one runs is refused by the engine', async () => {
  const { lab, sched, learn, store } = await learnSetup();
  await startAccepted(learn, 'leader-election');
  await tick(sched);
  assert.equal(await store.start('two-leaders-one-epoch', 'en').then(() => 'ok', (e: { code: string }) => e.code), 'busy');
  assert.equal(await learn.stopScenario(), true);
  assert.equal(store.run!.state, 'stopped');
  assert.equal(store.active, false);
  store.backToList();
  assert.equal(store.showingRun, false);
  assert.equal(calls(lab, 'scenario.stop').length, 1);
});

test('a lab that cannot switch (zk-lab serve) runs a scenario of its size on itself; another size ends unavailable with the reason', async () => {
  const { sched, learn, store } = await learnSetup({ members: 3, allowLabSwitch: false });
  const dir = useLabStore().info!.dir;
  await startAccepted(learn, 'leader-election');
  await tick(sched);
  assert.equal(store.run!.labDir, dir);
  assert.equal(store.run!.state, 'waiting-for-learner');
  await learn.stopScenario();

  await startAccepted(learn, 'two-leaders-one-epoch');
  await tick(sched);
  assert.equal(store.run!.state, 'unavailable');
  assert.match(store.run!.messageText.en, /this lab has 3 member\(s\) and two-leaders-one-epoch needs 5/);
});

test('recording: start, act in the lab, stop; save hands JSON to the host; the recording replays; a loaded file joins the course', async () => {
  const host = recordingHost('desktop');
  const { lab, sched, learn, store, actions } = await learnSetup({ host });
  assert.equal(await learn.startRecording('my drill'), true);
  assert.equal(store.recording, true);
  assert.deepEqual(calls(lab, 'scenario.record.start')[0]!.arg, { title: { en: 'my drill', ko: 'my drill' } });
  await actions.healAll();
  const killing = actions.memberAction(1, 'kill');
  await answerConfirm(true);
  await killing;
  assert.equal(await learn.stopRecording('my drill'), true);
  assert.equal(store.recording, false);
  const rec = store.lastRecording!;
  assert.equal(rec.summary.source, 'recorded');
  assert.ok(store.library.some((s) => s.id === rec.summary.id), 'the recording is in the course');
  const file = JSON.parse(rec.text) as { format: string; steps: { do: { action: string }[] }[] };
  assert.equal(file.format, 'zoolab-scenario');
  assert.ok(file.steps.some((s) => s.do.some((a) => a.action === 'member.kill')));

  const where = await learn.saveRecording();
  assert.equal(where, `${rec.summary.id}.json`);
  assert.equal(host.saved.at(-1)!.text, rec.text);

  await startAccepted(learn, rec.summary.id);
  await tick(sched);
  await tick(sched, 1000);
  assert.equal(store.run!.scenarioId, rec.summary.id);
  assert.equal(store.run!.state, 'passed', store.run!.message);

  host.nextOpenText = { name: 'shared.json', text: rec.text.replace(rec.summary.id, 'shared-drill') };
  assert.equal(await learn.loadScenarioFile(), 'shared-drill');
  assert.equal(store.library.find((s) => s.id === 'shared-drill')?.source, 'file');
});

test('a bad scenario file is refused with the engine’s own message, and nothing is added', async () => {
  const host = recordingHost();
  const { learn, store } = await learnSetup({ host });
  const before = store.library.length;
  host.nextOpenText = { name: 'broken.json', text: '{ "format": "something-else" }' };
  assert.equal(await learn.loadScenarioFile(), null);
  const n = useNoticesStore().notices.at(-1)!;
  assert.equal(n.kind, 'error');
  assert.equal(t(n.title.key, n.title.params), 'Could not load broken.json');
  assert.match(n.detail!, /broken\.json:1:1: "format" must be "zoolab-scenario"/);
  assert.equal(store.library.length, before);
});

test('a WebSocket lab that switched labs keeps its connection; one that closed is lost', async () => {
  setActivePinia(createPinia());
  const listeners = new Map<EventName, ((p: unknown) => void)[]>();
  const api: LabApi = {
    invoke: (async (name: string) => (name === 'lab.info' ? null : [])) as LabApi['invoke'],
    on: <E extends EventName>(event: E, l: (p: EventPayload<E>) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), l as (p: unknown) => void]);
      return () => {};
    },
  };
  const lab = useLabStore();
  await lab.attach(api, 'websocket');
  for (const l of listeners.get('lab.closed')!) l({ reason: 'switched to lab /tmp/zoolab-scenarios/watches-1' });
  assert.equal(lab.connection, 'connected');
  for (const l of listeners.get('lab.closed')!) l({ reason: 'the connection to the lab was lost (1006)' });
  assert.equal(lab.connection, 'lost');
});

test('pointers: the learner’s place comes first; views map to centre tabs; languages pick their text', () => {
  assert.equal(centerTabFor('tree'), 'data');
  assert.equal(centerTabFor('events'), 'timeline');
  assert.equal(centerTabFor('sessions'), 'sessions');
  assert.equal(centerTabFor('members'), null);
  const step = {
    index: 2, id: 's', title: { en: 'T', ko: '티' }, narration: { en: 'N', ko: '엔' },
    highlight: { members: [3], paths: ['/a'], views: ['events' as const] },
    status: 'waiting-for-learner' as const,
    learner: { ask: { en: 'A', ko: '에이' }, where: 'tree' as const, command: null, canShowMe: true },
    waitingFor: null, log: [], checks: [],
  };
  const run = { state: 'waiting-for-learner', step: 2, steps: [{ ...step, index: 1, status: 'passed' as const }, step] } as never;
  assert.deepEqual(pointerOf(run), { step: 2, members: [3], paths: ['/a'], views: ['tree', 'events'] });
  assert.equal(scenarioLang('ko-KR'), 'ko');
  assert.equal(scenarioLang('en-GB'), 'en');
  assert.equal(pickText({ en: 'hello', ko: '' }, 'ko'), 'hello', 'an empty translation falls back to English');
});

test('the Korean catalogue has every English key, none empty, and the same {parameters}', () => {
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (typeof a === 'string') {
      assert.equal(typeof b, 'string', `${path} missing in ko`);
      assert.ok((b as string).trim().length > 0, `${path} is empty in ko`);
      const params = (s: string) => [...new Set(s.match(/\{\w+\}/g) ?? [])].sort();
      assert.deepEqual(params(b as string), params(a), `${path}: parameters differ`);
      return;
    }
    for (const k of Object.keys(a as object)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    assert.deepEqual(Object.keys(b as object).sort(), Object.keys(a as object).sort(), `${path}: keys differ`);
  };
  walk(en, ko, '');
});
