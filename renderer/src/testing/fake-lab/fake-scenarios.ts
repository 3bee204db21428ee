/**
 * The `scenario.*` namespace for the FakeLab: a small scenario engine that speaks the real
 * payloads (engine api.ts `ScenarioRun`, `SafetyReport`, …) so the Learn panel, its store
 * and the demo page work without a lab. It runs the little course in ./fake-course.ts one
 * step at a time on the lab's scheduler (a manual clock in tests): narration, "show me",
 * "continue", conditions re-tested on every lab change and every 100 ms, checks.
 *
 * Fidelity is "believable", like the FakeLab's: the challenge's violation under a bug switch
 * is staged by the course (the fake members do not implement the bug); the real engine is
 * engine/src/scenarios and is exercised by test/scenarios and the e2e suite.
 */
import type {
  BugSwitchInfo,
  BugSwitchName,
  CommandName,
  EventName,
  EventPayload,
  LabInfo,
  LabSpec,
  LabStatus,
  LocalizedText,
  MemberId,
  SafetyInvariantId,
  SafetyReport,
  SafetyViolation,
  ScenarioDetail,
  ScenarioLang,
  ScenarioRun,
  ScenarioStepView,
  ScenarioSummary,
} from '../../../../engine/src/lab/api.js';
import { FAKE_BUG_SWITCHES, FAKE_COURSE, INVARIANTS, recordedScenario, type FakeScenario, type FakeStep } from './fake-course.js';
import type { Scheduler } from './scheduler.js';

/** What the fake engine needs from the FakeLab. */
export interface FakeScenarioHost {
  scheduler: Scheduler;
  /** Runs a lab command as the scenario engine (synchronous effects in the FakeLab). */
  command(name: CommandName, arg: Record<string, unknown>): void;
  status(): LabStatus | null;
  info(): LabInfo | null;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Switches to a new lab for the run (or reuses a fixed lab of the right size); returns its directory. */
  prepareLab(spec: LabSpec, id: string): string;
  /** Creates or overwrites a znode (the course's own writes). */
  write(path: string, data: string): void;
  exists(path: string): boolean;
}

export interface RunContext {
  host: FakeScenarioHost;
  bugs: BugSwitchName[];
  saved: Record<string, number | null>;
  /** Whether every invariant holds so far. */
  holds(): boolean;
  /** Stages a violation (the fake members do not implement bug switches). */
  violate(v: Omit<SafetyViolation, 'at' | 'seq' | 'evidence'> & { evidence?: string[] }): void;
}

const err = (code: string, message: string) => Object.assign(new Error(message), { code });
const text = (en: string, ko: string): LocalizedText => ({ en, ko });
const POLL_MS = 100;
const WAIT_TIMEOUT_MS = 20_000;

type Phase = 'prepare' | 'settle' | 'start' | 'learner' | 'wait' | 'finish' | 'done';

class FakeRun {
  readonly runId: string;
  private phase: Phase = 'prepare';
  private index = 0;
  private state: ScenarioRun['state'] = 'running';
  private message = text('Preparing the lab…', '실습실을 준비하는 중…');
  private readonly views: ScenarioStepView[];
  private readonly ctx: RunContext;
  private labDir: string | null = null;
  private readonly startedAt: number;
  private endedAt: number | null = null;
  private deadline = 0;
  private cancelPoll: (() => void) | null = null;
  private learnerSignal: 'show-me' | 'continue' | null = null;
  readonly violations: SafetyViolation[] = [];

  constructor(
    id: string,
    private readonly def: FakeScenario,
    private readonly lang: ScenarioLang,
    readonly bugs: BugSwitchName[],
    private readonly host: FakeScenarioHost,
    private readonly publish: (run: FakeRun) => void,
  ) {
    this.runId = id;
    this.startedAt = host.scheduler.now();
    this.ctx = {
      host,
      bugs,
      saved: {},
      holds: () => this.violations.length === 0,
      violate: (v) => {
        this.violations.push({ ...v, at: host.scheduler.now(), seq: host.status()?.seq ?? null, evidence: v.evidence ?? [] });
      },
    };
    this.views = def.steps.map((s, i) => ({
      index: i + 1,
      id: s.id,
      title: s.title,
      // Filled in when the step starts (it may name values earlier steps save).
      narration: text('', ''),
      highlight: { members: [], paths: [], views: [] },
      status: 'pending',
      learner: null,
      waitingFor: null,
      log: [],
      checks: [],
    }));
    this.schedule(0);
  }

  get active(): boolean {
    return this.state === 'running' || this.state === 'waiting-for-learner';
  }

  snapshot(safety: SafetyReport): ScenarioRun {
    const checks = this.views.flatMap((v) => v.checks);
    return {
      runId: this.runId,
      scenarioId: this.def.id,
      state: this.state,
      step: this.index,
      message: this.message.en,
      messageText: this.message,
      title: this.def.title,
      kind: this.def.kind,
      lang: this.lang,
      stepCount: this.views.length,
      steps: this.views.map((v) => ({ ...v, log: [...v.log], checks: [...v.checks], highlight: { ...v.highlight } })),
      checks: { passed: checks.filter((c) => c.ok).length, failed: checks.filter((c) => !c.ok).length },
      safety,
      bugSwitches: [...this.bugs],
      labDir: this.labDir,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
    };
  }

  private get step(): FakeStep {
    return this.def.steps[this.index - 1]!;
  }
  private get view(): ScenarioStepView {
    return this.views[this.index - 1]!;
  }

  showMe(): void {
    const s = this.index > 0 ? this.step : null;
    if (!s?.learner || this.view.status !== 'waiting-for-learner' || !s.learner.showMe) throw err('not-waiting', 'the current step asks nothing of the learner');
    this.learnerSignal = 'show-me';
    this.schedule(0);
  }

  continue(): void {
    const s = this.index > 0 ? this.step : null;
    if (!s || this.view.status !== 'waiting-for-learner') throw err('not-waiting', 'the run is not waiting for the learner');
    if (s.learner?.until) throw err('not-waiting', `this step goes on by itself once ${s.learner.until.describe.en} (or use show me)`);
    this.learnerSignal = 'continue';
    this.schedule(0);
  }

  stop(): void {
    if (!this.active) return;
    if (this.index > 0) this.view.status = 'skipped';
    this.end('stopped', text('Stopped by the learner.', '학습자가 멈췄습니다.'));
  }

  /** Lab status changed: re-test what the run waits for. */
  poke(): void {
    if (this.active) this.schedule(0);
  }

  private schedule(ms: number): void {
    this.cancelPoll?.();
    this.cancelPoll = this.host.scheduler.after(ms, () => {
      this.cancelPoll = null;
      this.advance();
    });
  }

  /** Moves the run as far as it can go now; polls again while it waits. */
  private advance(): void {
    for (let guard = 0; guard < 100 && this.active; guard++) {
      const before = `${this.phase}:${this.index}`;
      try {
        this.stepOnce();
      } catch (e) {
        const m = (e as Error).message;
        this.fail(text(`The lab refused: ${m}`, `실습실이 거부했습니다: ${m}`));
        break;
      }
      if (`${this.phase}:${this.index}` === before) break;
    }
    this.publish(this);
    if (this.active && (this.phase === 'settle' || this.phase === 'wait' || this.phase === 'learner')) this.schedule(POLL_MS);
  }

  private stepOnce(): void {
    const now = this.host.scheduler.now();
    switch (this.phase) {
      case 'prepare':
        try {
          this.labDir = this.host.prepareLab({ members: this.def.members, name: `scenario ${this.def.id}` }, this.def.id);
        } catch (e) {
          this.end('unavailable', text(`Cannot run here: ${(e as Error).message}`, `여기서는 실행할 수 없습니다: ${(e as Error).message}`));
          return;
        }
        for (const p of this.def.paths) this.host.write(p, '');
        this.phase = 'settle';
        this.deadline = now + WAIT_TIMEOUT_MS;
        return;
      case 'settle':
        if (this.host.status()?.quorum.canWrite) {
          this.phase = 'start';
          this.index = 1;
        } else if (now > this.deadline) this.fail(text('The lab did not settle.', '실습실이 안정되지 않았습니다.'));
        return;
      case 'start': {
        const s = this.step;
        const v = this.view;
        v.status = 'running';
        this.message = text(`Step ${this.index} of ${this.views.length}: ${s.title.en}`, `${this.views.length}단계 중 ${this.index}단계: ${s.title.ko}`);
        // Actions first: the narration and the pointers may name what they saved.
        for (const a of s.do ?? []) this.log(a(this.ctx));
        v.narration = s.say(this.ctx);
        v.highlight = s.highlight(this.ctx);
        if (s.learner) {
          v.learner = { ask: s.learner.ask(this.ctx), where: s.learner.where, command: s.learner.command?.(this.ctx) ?? null, canShowMe: !!s.learner.showMe };
          v.status = 'waiting-for-learner';
          v.waitingFor = s.learner.until?.describe ?? null;
          this.state = 'waiting-for-learner';
          this.message = text(`Your turn: ${v.learner.ask.en}`, `내 차례: ${v.learner.ask.ko}`);
          this.learnerSignal = null;
          this.phase = 'learner';
        } else this.toWait();
        // Like the real runner: every step start is published (a quick step is still seen).
        this.publish(this);
        return;
      }
      case 'learner': {
        const s = this.step;
        const l = s.learner!;
        if (this.learnerSignal === 'show-me' && l.showMe) {
          this.log(text('Show me: the lab does it for you.', '보여 주기: 실습실이 대신 합니다.'));
          for (const a of l.showMe) this.log(a(this.ctx));
        }
        const done = this.learnerSignal !== null || (l.until?.test(this.ctx) ?? false);
        if (!done) return;
        this.learnerSignal = null;
        this.view.status = 'running';
        this.view.waitingFor = null;
        this.state = 'running';
        this.toWait();
        return;
      }
      case 'wait': {
        const w = this.step.waitFor;
        if (!w || w.test(this.ctx)) {
          this.view.waitingFor = null;
          this.phase = 'finish';
        } else if (now > this.deadline) this.fail(text(`Timed out waiting for ${w.describe.en}.`, `${w.describe.ko}을(를) 기다리다 시간이 다 됐습니다.`));
        return;
      }
      case 'finish': {
        const s = this.step;
        const v = this.view;
        for (const a of s.then ?? []) this.log(a(this.ctx));
        (s.check?.(this.ctx) ?? []).forEach((c, i) => v.checks.push({ id: `${s.id}/${i + 1}`, ...c }));
        v.status = v.checks.some((c) => !c.ok) ? 'failed' : 'passed';
        if (this.index < this.views.length) {
          this.index++;
          this.phase = 'start';
          return;
        }
        const failed = this.views.some((x) => x.status === 'failed');
        const n = this.views.flatMap((x) => x.checks).length;
        this.end(failed ? 'failed' : 'passed', failed ? text('Some checks failed.', '일부 확인이 실패했습니다.') : text(`Passed: every check held (${n}).`, `통과: 확인 ${n}개 모두 성공.`));
        return;
      }
      case 'done':
        return;
    }
  }

  private log(entry: LocalizedText, ok = true): void {
    this.view.log.push({ at: this.host.scheduler.now(), text: entry, ok });
  }

  private toWait(): void {
    const w = this.step.waitFor;
    this.view.waitingFor = w?.describe ?? null;
    this.deadline = this.host.scheduler.now() + WAIT_TIMEOUT_MS;
    this.phase = 'wait';
  }

  private fail(message: LocalizedText): void {
    if (this.index > 0) {
      this.view.status = 'failed';
      this.log(message, false);
    }
    this.end('failed', message);
  }

  private end(state: ScenarioRun['state'], message: LocalizedText): void {
    this.state = state;
    this.message = message;
    this.phase = 'done';
    this.endedAt = this.host.scheduler.now();
    this.cancelPoll?.();
    for (const v of this.views) if (v.status === 'pending') v.status = 'skipped';
    this.publish(this);
  }
}

export class FakeScenarios {
  private readonly library = new Map<string, { def: FakeScenario; source: ScenarioSummary['source'] }>();
  private runs = new Map<string, FakeRun>();
  private current: FakeRun | null = null;
  private nextRun = 1;
  private recording: { since: number; steps: { command: string; arg: Record<string, unknown>; at: number }[]; title?: LocalizedText } | null = null;

  constructor(private readonly host: FakeScenarioHost) {
    for (const def of FAKE_COURSE) this.library.set(def.id, { def, source: 'built-in' });
  }

  /** The lab changed (status published): running conditions are re-tested. */
  labChanged(): void {
    this.current?.poke();
  }

  /** Every successful lab command (the recorder's input). */
  observe(name: CommandName, arg: Record<string, unknown>): void {
    if (this.recording && /^(member\.|links\.(heal|preset)$)/.test(name)) this.recording.steps.push({ command: name, arg, at: this.host.scheduler.now() });
  }

  safety(): SafetyReport {
    const violations = this.current?.violations ?? [];
    // The lab a run created keeps its switches after the run ends (it stays open).
    const bugs = this.current ? [...this.current.bugs] : [];
    const invariants = INVARIANTS.map((inv) => {
      const mine = violations.filter((v) => v.invariant === inv.id);
      return { ...inv, ok: mine.length === 0, violations: mine };
    });
    return { holds: invariants.every((i) => i.ok), bugSwitches: bugs, invariants, eventsSeen: this.host.status()?.seq ?? 0 };
  }

  invoke(name: CommandName, a: Record<string, unknown>): unknown {
    switch (name) {
      case 'scenario.list':
        return [...this.library.values()].map(({ def, source }) => summary(def, source));
      case 'scenario.get': {
        const { def, source } = this.lookup(String(a.scenarioId));
        const detail: ScenarioDetail = { summary: summary(def, source), steps: def.steps.map((s) => ({ id: s.id, title: s.title, narration: s.say({ host: this.host, bugs: [], saved: {}, holds: () => true, violate: () => {} }), highlight: { members: [], paths: [], views: [] }, learner: null })) };
        return detail;
      }
      case 'scenario.run': {
        if (this.current?.active) throw err('busy', `scenario ${this.current.runId} is running; stop it first`);
        const { def } = this.lookup(String(a.scenarioId));
        const bugs = (a.bugSwitches as BugSwitchName[] | undefined) ?? [];
        const run = new FakeRun(`run-${this.nextRun++}`, def, a.lang === 'ko' ? 'ko' : 'en', bugs, this.host, (r) => this.publish(r));
        this.runs.set(run.runId, run);
        this.current = run;
        this.publish(run);
        return run.snapshot(this.safety());
      }
      case 'scenario.status':
        return this.run(a).snapshot(this.safety());
      case 'scenario.showMe':
        this.run(a).showMe();
        return this.run(a).snapshot(this.safety());
      case 'scenario.continue':
        this.run(a).continue();
        return this.run(a).snapshot(this.safety());
      case 'scenario.stop':
        this.run(a).stop();
        return this.run(a).snapshot(this.safety());
      case 'scenario.load': {
        const def = parseScenarioText(String(a.text), String(a.name ?? 'uploaded scenario'));
        this.library.set(def.id, { def, source: 'file' });
        return summary(def, 'file');
      }
      case 'scenario.record.start': {
        const info = this.host.info();
        if (!info?.running) throw err('no-lab', 'open a lab before recording');
        this.recording = { since: this.host.scheduler.now(), steps: [], ...(a.title ? { title: a.title as LocalizedText } : {}) };
        return { message: `recording what is done in ${info.name}; stop with scenario.record.stop` };
      }
      case 'scenario.record.stop': {
        const rec = this.recording;
        if (!rec) throw err('not-recording', 'nothing is being recorded (start with scenario.record.start)');
        this.recording = null;
        const id = String(a.id ?? `recorded-${this.nextRun++}`);
        const title = (a.title as LocalizedText | undefined) ?? rec.title ?? text(`Recorded ${id}`, `녹화 ${id}`);
        const fileText = recordingText(id, title, this.host.info()?.members ?? 1, rec.steps);
        const def = parseScenarioText(fileText, `${id}.json`);
        this.library.set(def.id, { def, source: 'recorded' });
        return { text: fileText, summary: summary(def, 'recorded') };
      }
      case 'scenario.safety':
        return this.safety();
      case 'scenario.bugSwitches':
        return FAKE_BUG_SWITCHES satisfies BugSwitchInfo[];
      default:
        throw err('unknown-command', `unknown command ${name}`);
    }
  }

  private publish(run: FakeRun): void {
    const safety = this.safety();
    this.host.emit('scenario.progress', run.snapshot(safety));
    this.host.emit('scenario.safety', safety);
  }

  private lookup(id: string) {
    const s = this.library.get(id);
    if (!s) throw err('no-such-scenario', `there is no scenario ${JSON.stringify(id)}`);
    return s;
  }

  private run(a: Record<string, unknown>): FakeRun {
    const r = this.runs.get(String(a.runId));
    if (!r) throw err('no-such-run', `there is no scenario run ${JSON.stringify(a.runId)}`);
    return r;
  }
}

function summary(def: FakeScenario, source: ScenarioSummary['source']): ScenarioSummary {
  return {
    id: def.id,
    title: def.title.en,
    description: def.goal.en,
    kind: def.kind,
    order: def.order,
    text: { title: def.title, goal: def.goal },
    members: def.members,
    stepCount: def.steps.length,
    requires: def.members > 1 ? ['ensemble'] : [],
    unavailable: null,
    source,
    bugSwitch: def.bugSwitch,
  };
}

/** A recording as a scenario file (the real engine's format: engine/src/scenarios/document.ts). */
function recordingText(id: string, title: LocalizedText, members: number, steps: { command: string; arg: Record<string, unknown> }[]): string {
  const doc = {
    format: 'zoolab-scenario',
    version: 1,
    id,
    kind: 'lesson',
    order: 5000,
    title,
    goal: text('Replays what was recorded.', '녹화한 것을 다시 실행합니다.'),
    lab: { members },
    steps: steps.map((s, i) => ({
      id: `step-${i + 1}`,
      title: text(s.command, s.command),
      say: text(`The lab runs ${s.command}.`, `실습실이 ${s.command}을(를) 실행합니다.`),
      do: [{ action: s.command, ...s.arg }],
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Reads a scenario file the fake can replay (lab actions only); problems carry a line like the engine's. */
export function parseScenarioText(fileText: string, source: string): FakeScenario {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(fileText) as Record<string, unknown>;
  } catch (e) {
    throw err('bad-scenario', `${source}:1:1: not a scenario file: ${(e as Error).message}`);
  }
  if (doc.format !== 'zoolab-scenario') throw err('bad-scenario', `${source}:1:1: "format" must be "zoolab-scenario"`);
  if (typeof doc.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(doc.id)) throw err('bad-scenario', `${source}: "id" must be lowercase letters, digits and dashes`);
  const title = doc.title as LocalizedText | undefined;
  if (!title || typeof title.en !== 'string' || typeof title.ko !== 'string') throw err('bad-scenario', `${source}: "title" needs "en" and "ko"`);
  const steps = (doc.steps as { id: string; title: LocalizedText; say: LocalizedText; do?: { action: string; [k: string]: unknown }[] }[] | undefined) ?? [];
  return recordedScenario(doc.id, title, (doc.goal as LocalizedText | undefined) ?? title, Number((doc.lab as { members?: number } | undefined)?.members ?? 1), steps, source);
}

export type { SafetyInvariantId, MemberId };
