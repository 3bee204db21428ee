/**
 * The Learn panel's user actions, once (like ./actions.ts for the lab): what each asks
 * first, what it asks the lab, what it reports. Starting a scenario warns that it runs in
 * its own lab; switching on an instructor bug switch asks for an explicit confirmation;
 * a recording is saved through the Host (a download in the browser, a save dialog in
 * Electron) and a scenario file is loaded the same way.
 */
import type { BugSwitchName } from '../../../engine/src/lab/api.js';
import type { Translate } from '../i18n/translate.js';
import { pickText, scenarioLang } from '../lib/localized.js';
import type { Host } from '../platform/host.js';
import { useLabStore } from '../stores/lab.js';
import { useNoticesStore, type Message } from '../stores/notices.js';
import { useScenarioStore } from '../stores/scenario.js';

export interface ScenarioActionDeps {
  t: Translate;
  host: Host;
  /** The UI's current language code (scenario texts and the run's language follow it). */
  locale(): string;
}

const SCENARIO_FILES = [{ name: 'ZooLab scenario', extensions: ['json', 'jsonc'] }];

export function createScenarioActions({ t, host, locale }: ScenarioActionDeps) {
  const notices = () => useNoticesStore();
  const store = () => useScenarioStore();

  async function attempt<T>(what: Message, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      notices().error(what, e);
      return undefined;
    }
  }

  function titleOf(scenarioId: string): string {
    const s = store().library.find((x) => x.id === scenarioId);
    return s ? pickText(s.text.title, locale()) : scenarioId;
  }

  /** Warns first: a run switches to its own lab (the open one stops), and names any bug switch it will carry. */
  async function startScenario(scenarioId: string): Promise<boolean> {
    const summary = store().library.find((x) => x.id === scenarioId);
    if (!summary) return false;
    const title = titleOf(scenarioId);
    const lab = useLabStore();
    const bugs = store().armed;
    const ok = await notices().confirm({
      title: { key: 'learn.confirmStart.title', params: { title } },
      body: lab.hasLab && lab.info
        ? { key: 'learn.confirmStart.body', params: { count: summary.members, lab: lab.info.name } }
        : { key: 'learn.confirmStart.bodyNoLab', params: { count: summary.members } },
      ...(bugs.length ? { details: [t('learn.confirmStart.bugs', { names: bugs.join(', ') })] } : {}),
      confirm: { key: 'learn.confirmStart.confirm' },
      danger: bugs.length > 0,
    });
    if (!ok) return false;
    const run = await attempt({ key: 'learn.errors.start', params: { title } }, () => store().start(scenarioId, scenarioLang(locale())));
    return run !== undefined;
  }

  async function showMe(): Promise<boolean> {
    return (await attempt({ key: 'learn.errors.showMe' }, () => store().showMe())) !== undefined;
  }

  async function continueStep(): Promise<boolean> {
    return (await attempt({ key: 'learn.errors.continue' }, () => store().continueStep())) !== undefined;
  }

  async function stopScenario(): Promise<boolean> {
    return (await attempt({ key: 'learn.errors.stop' }, () => store().stop())) !== undefined;
  }

  /** Switching on asks first (the lab will break the protocol on purpose); switching off does not. */
  async function setBugSwitch(name: BugSwitchName, on: boolean): Promise<boolean> {
    if (!on) {
      store().setArmed(name, false);
      return true;
    }
    const infos = await attempt({ key: 'bugs.errors.list' }, () => store().loadBugSwitches());
    const info = infos?.find((b) => b.name === name);
    const ok = await notices().confirm({
      title: { key: 'bugs.confirm.title', params: { name } },
      body: { key: 'bugs.confirm.body' },
      details: info ? [pickText(info.changes, locale()), info.zooCfg] : [name],
      confirm: { key: 'bugs.confirm.confirm', params: { name } },
      danger: true,
    });
    if (!ok) return false;
    store().setArmed(name, true);
    return true;
  }

  async function startRecording(title: string): Promise<boolean> {
    const message = await attempt({ key: 'recording.errors.start' }, () => store().startRecording(title));
    if (message === undefined) return false;
    notices().info({ key: 'recording.started' }, message);
    return true;
  }

  async function stopRecording(title: string): Promise<boolean> {
    const r = await attempt({ key: 'recording.errors.stop' }, () => store().stopRecording(undefined, title));
    if (!r) return false;
    notices().success({ key: 'recording.stopped', params: { count: r.summary.stepCount, title: pickText(r.summary.text.title, locale()) } });
    return true;
  }

  /** Saves the last recording: a download in the browser, a save dialog in the desktop app. */
  async function saveRecording(): Promise<string | null> {
    const rec = store().lastRecording;
    if (!rec) return null;
    const where = await attempt({ key: 'errors.fileSave' }, () =>
      host.saveText({ title: t('recording.save'), defaultName: `${rec.summary.id}.json`, filters: SCENARIO_FILES, text: rec.text }),
    );
    if (!where) return null;
    notices().success({ key: 'recording.saved', params: { file: where } });
    return where;
  }

  /** Picks a scenario file and adds it to the course; a bad file's problems (with lines) show in the error. */
  async function loadScenarioFile(): Promise<string | null> {
    const file = await attempt({ key: 'recording.errors.load' }, () => host.openText({ title: t('recording.load'), filters: SCENARIO_FILES }));
    if (!file) return null;
    const summary = await attempt({ key: 'recording.errors.loadFile', params: { file: file.name } }, () => store().load(file.text, file.name));
    if (!summary) return null;
    notices().success({ key: 'recording.loaded', params: { title: pickText(summary.text.title, locale()) } });
    return summary.id;
  }

  return { startScenario, showMe, continueStep, stopScenario, setBugSwitch, startRecording, stopRecording, saveRecording, loadScenarioFile };
}

export type ScenarioActions = ReturnType<typeof createScenarioActions>;
