/**
 * Guided scenarios (lessons and break-it challenges) as the Learn panel sees them: the
 * course, the run in progress (the latest `scenario.progress` picture, engine api.ts
 * `ScenarioRun`), the live safety invariants (`scenario.safety`), the instructor's bug
 * switches for the next run, and recording.
 *
 * The lab engine owns the run; this store mirrors it. A run's whole picture travels in
 * every progress event, so the store simply keeps the newest one. What a step points at
 * (member cards, tree rows, views) is derived here so any view can ask "am I pointed at?".
 *
 * A run usually switches the lab service to the scenario's own lab: when a picture names
 * a lab other than the one the views were opened on, `onLabSwitch` (bootstrap.ts) re-reads
 * the lab and reopens the views.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  BugSwitchInfo,
  BugSwitchName,
  MemberId,
  SafetyReport,
  ScenarioLang,
  ScenarioRun,
  ScenarioSummary,
  ScenarioView,
} from '../../../engine/src/lab/api.js';
import { currentStep, isRunActive, pointerOf, tabToShow } from '../lib/scenario-views.js';
import { sameText } from '../lib/localized.js';
import { useLabStore } from './lab.js';
import { usePreferencesStore } from './preferences.js';

export interface Recording {
  text: string;
  summary: ScenarioSummary;
}

export interface BindOptions {
  /** The run moved the service to another lab: re-read it and reopen the views. */
  onLabSwitch?: (dir: string) => Promise<void> | void;
}

const byOrder = (a: ScenarioSummary, b: ScenarioSummary) => a.order - b.order || a.id.localeCompare(b.id);

export const useScenarioStore = defineStore('scenario', () => {
  const library = shallowRef<ScenarioSummary[]>([]);
  const libraryLoaded = ref(false);
  const run = shallowRef<ScenarioRun | null>(null);
  const safety = shallowRef<SafetyReport | null>(null);
  const bugSwitchInfo = shallowRef<BugSwitchInfo[]>([]);
  /** The instructor section is revealed (off by default; not saved). */
  const instructorOpen = ref(false);
  /** Bug switches the next run's lab is created with (off by default; not saved). */
  const armed = ref<BugSwitchName[]>([]);
  const recording = ref(false);
  const lastRecording = shallowRef<Recording | null>(null);
  /** The Learn panel is showing the run (true) or the course list (false). */
  const showingRun = ref(false);

  let onLabSwitch: BindOptions['onLabSwitch'];
  /** The lab directory the views were last opened on (a run naming another one switched labs). */
  let viewsDir: string | null = null;
  /** Counts adopted progress pictures, so a command's (older) reply never replaces a newer event. */
  let pictures = 0;
  /** What was last brought forward, so the learner can look elsewhere during a step. */
  let broughtForward = '';
  let unsubscribe: (() => void)[] = [];

  const active = computed(() => isRunActive(run.value));
  const current = computed(() => currentStep(run.value));
  const pointer = computed(() => pointerOf(run.value));
  const lessons = computed(() => library.value.filter((s) => s.kind === 'lesson').sort(byOrder));
  const challenges = computed(() => library.value.filter((s) => s.kind === 'challenge').sort(byOrder));
  const canShowMe = computed(() => current.value?.status === 'waiting-for-learner' && !!current.value.learner?.canShowMe);
  /** "Continue" is for learner steps with nothing to wait for (the engine refuses it otherwise). */
  const canContinue = computed(() => current.value?.status === 'waiting-for-learner' && !!current.value.learner && current.value.waitingFor === null);
  /** Bug switches on in the lab being watched or the run in progress. */
  const activeBugSwitches = computed<BugSwitchName[]>(() => {
    const names = new Set<BugSwitchName>(safety.value?.bugSwitches ?? []);
    if (active.value) for (const b of run.value!.bugSwitches) names.add(b);
    return [...names];
  });
  /** Everything the permanent warning badge names: active in a lab, or armed for the next run. */
  const bugWarning = computed<BugSwitchName[]>(() => [...new Set<BugSwitchName>([...activeBugSwitches.value, ...armed.value])]);

  function pointsAtMember(id: MemberId): boolean {
    return pointer.value?.members.includes(id) ?? false;
  }
  function pointsAtPath(path: string): boolean {
    return pointer.value?.paths.includes(path) ?? false;
  }
  function pointsAtView(view: ScenarioView): boolean {
    return pointer.value?.views.includes(view) ?? false;
  }

  function lab() {
    return useLabStore();
  }

  async function bind(options: BindOptions = {}): Promise<void> {
    for (const u of unsubscribe) u();
    onLabSwitch = options.onLabSwitch;
    viewsDir = lab().info?.dir ?? null;
    unsubscribe = [
      lab().on('scenario.progress', (r) => {
        pictures++;
        adopt(r);
      }),
      lab().on('scenario.safety', (s) => (safety.value = s)),
    ];
    await Promise.allSettled([refreshLibrary(), refreshSafety()]);
  }

  async function refreshLibrary(): Promise<void> {
    library.value = await lab().call('scenario.list', {});
    libraryLoaded.value = true;
  }

  async function refreshSafety(): Promise<void> {
    if (!lab().hasLab) return;
    safety.value = await lab().call('scenario.safety', {});
  }

  async function loadBugSwitches(): Promise<BugSwitchInfo[]> {
    if (bugSwitchInfo.value.length === 0) bugSwitchInfo.value = await lab().call('scenario.bugSwitches', {});
    return bugSwitchInfo.value;
  }

  /** Keeps the newest picture; follows a lab switch; brings the step's view forward. */
  function adopt(r: ScenarioRun): void {
    const isNew = run.value?.runId !== r.runId;
    run.value = r;
    // A run that starts (here, in another window or from the CLI) opens the panel on it.
    if (isNew && isRunActive(r)) {
      usePreferencesStore().learnOpen = true;
      showingRun.value = true;
    }
    if (r.safety) safety.value = r.safety;
    if (r.labDir && r.labDir !== viewsDir) {
      viewsDir = r.labDir;
      void onLabSwitch?.(r.labDir);
    }
    bringForward();
  }

  /** Adopts a command's reply unless a progress event arrived after the command was sent. */
  function adoptReply(r: ScenarioRun, picturesBefore: number): ScenarioRun {
    if (pictures === picturesBefore || run.value?.runId !== r.runId) adopt(r);
    return run.value ?? r;
  }

  function bringForward(): void {
    const p = pointer.value;
    const step = current.value;
    if (!p || !step || !run.value) return;
    const key = `${run.value.runId}:${step.index}:${step.status === 'waiting-for-learner'}`;
    if (key === broughtForward) return;
    broughtForward = key;
    const prefs = usePreferencesStore();
    const tab = tabToShow(p);
    if (tab) prefs.centerTab = tab;
    if (p.views.includes('terminal')) prefs.dockOpen = true;
  }

  async function start(scenarioId: string, lang: ScenarioLang): Promise<ScenarioRun> {
    const before = pictures;
    viewsDir = lab().info?.dir ?? null;
    const bugSwitches = [...armed.value];
    const r = await lab().call('scenario.run', { scenarioId, lang, pace: 'guided', ...(bugSwitches.length ? { bugSwitches } : {}) });
    showingRun.value = true;
    return adoptReply(r, before);
  }

  async function learnerCommand(name: 'scenario.showMe' | 'scenario.continue' | 'scenario.stop'): Promise<ScenarioRun | null> {
    const r = run.value;
    if (!r) return null;
    const before = pictures;
    return adoptReply(await lab().call(name, { runId: r.runId }), before);
  }

  const showMe = () => learnerCommand('scenario.showMe');
  const continueStep = () => learnerCommand('scenario.continue');
  const stop = () => learnerCommand('scenario.stop');

  function backToList(): void {
    showingRun.value = false;
  }

  function setArmed(name: BugSwitchName, on: boolean): void {
    armed.value = on ? [...new Set([...armed.value, name])] : armed.value.filter((b) => b !== name);
  }

  async function startRecording(title: string): Promise<string> {
    const r = await lab().call('scenario.record.start', title.trim() ? { title: sameText(title.trim()) } : {});
    recording.value = true;
    lastRecording.value = null;
    return r.message;
  }

  async function stopRecording(id: string | undefined, title: string): Promise<Recording> {
    const r = await lab().call('scenario.record.stop', { ...(id ? { id } : {}), ...(title.trim() ? { title: sameText(title.trim()) } : {}) });
    recording.value = false;
    lastRecording.value = r;
    await refreshLibrary().catch(() => {});
    return r;
  }

  /** Adds a scenario file's text to the course (the engine checks it; errors carry line numbers). */
  async function load(text: string, name: string): Promise<ScenarioSummary> {
    const summary = await lab().call('scenario.load', { text, name });
    await refreshLibrary().catch(() => {});
    return summary;
  }

  return {
    library, libraryLoaded, run, safety, bugSwitchInfo, instructorOpen, armed, recording, lastRecording, showingRun,
    active, current, pointer, lessons, challenges, canShowMe, canContinue, activeBugSwitches, bugWarning,
    pointsAtMember, pointsAtPath, pointsAtView,
    bind, refreshLibrary, refreshSafety, loadBugSwitches, start, showMe, continueStep, stop, backToList, setArmed,
    startRecording, stopRecording, load,
  };
});
