/**
 * Runs one scenario against a lab, step by step: narration, the lab's actions (`do`), the
 * learner's part (performed by "show me", or at once when headless), a condition to wait
 * for, more actions (`then`), then checks with pass/fail and the file's explanation. After every change it
 * publishes the whole run as one `ScenarioRun` (api.ts), so a side panel can draw progress,
 * the current step, what to highlight, and every check, from the latest event alone.
 *
 * A failed check marks the step (and the run) failed and the run goes on; an action that
 * fails unexpectedly, or a condition that never comes true, ends the run: later steps
 * would build on something that did not happen.
 */
import type { BugSwitchName, LabEvent, LocalizedText, ScenarioCheckResult, ScenarioLang, ScenarioRun, ScenarioStepStatus, ScenarioStepView } from '../lab/api.js';
import { ACTIONS, CHECKS_BY_NAME, CONDITIONS_BY_NAME } from './catalog.js';
import { ClientPool } from './clients.js';
import type { RunContext } from './context.js';
import type { ActionSpec, CheckSpec, ConditionSpec, ScenarioDoc, StepSpec } from './document.js';
import { errorName, errorText } from './actions/zk-ops.js';
import { describePointer } from './jsonc.js';
import { LabDriver, type ScenarioLabApi } from './lab-driver.js';
import { SafetyMonitor } from './safety/safety-monitor.js';
import { checkObject, type Issue } from './schema.js';
import { join, pick, same, t } from './text.js';
import { display, lookup, resolveDeep, type Vars } from './values.js';

export interface RunnerOptions {
  runId: string;
  doc: ScenarioDoc;
  /** The lab, with every command recorded as actor `scenario`. */
  lab: ScenarioLabApi;
  lang: ScenarioLang;
  pace: 'guided' | 'auto';
  bugSwitches: readonly BugSwitchName[];
  /** Starts (or readies) the lab the scenario runs in; returns its directory. */
  prepareLab(doc: ScenarioDoc, bugSwitches: readonly BugSwitchName[]): Promise<string>;
  onProgress(run: ScenarioRun): void;
  /** The safety view changed. */
  onSafety?(run: ScenarioRun): void;
  now?: () => number;
  /** How often waits re-test their condition besides change notifications (default 100 ms). */
  pollMs?: number;
  /** How long every member must stay in place before the first step (default 1200 ms). */
  settleMs?: number;
}

/** The scenario cannot run here (the lab cannot be shaped as it needs): the run ends `unavailable`. */
export class ScenarioUnavailable extends Error {
  override name = 'ScenarioUnavailable';
}

/** How long every member must stay in place before the first step. */
const SETTLE_MS = 1200;

class StoppedError extends Error {
  override name = 'StoppedError';
}
class RunAbort extends Error {
  override name = 'RunAbort';
  constructor(readonly text: LocalizedText) {
    super(text.en);
  }
}

interface StepState {
  view: ScenarioStepView;
}

export class ScenarioRunner {
  private readonly driver: LabDriver;
  private readonly clients: ClientPool;
  private readonly safety: SafetyMonitor;
  private readonly vars: Vars = new Map();
  private readonly helpers = new Map<string, unknown>();
  private readonly abort = new AbortController();
  private readonly steps: StepState[];
  private readonly now: () => number;
  private state: ScenarioRun['state'] = 'running';
  private message: LocalizedText = t('run.starting');
  private current = 0;
  private labDir: string | null = null;
  private readonly startedAt: number;
  private endedAt: number | null = null;
  private runStartSeq = 0;
  private stepStartSeq = 0;
  private stepStartTime = 0;
  private wakeups = new Set<() => void>();
  private learnerSignal: 'show-me' | 'continue' | null = null;
  private learnerListeners = new Set<() => void>();
  private showingMe = false;
  private finished: Promise<ScenarioRun> | null = null;

  constructor(private readonly options: RunnerOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.driver = new LabDriver(options.lab);
    this.clients = new ClientPool(this.now);
    this.safety = new SafetyMonitor(options.bugSwitches);
    this.safety.setVoters(options.doc.lab.members);
    this.steps = options.doc.steps.map((s, i) => ({
      view: {
        index: i + 1,
        id: s.id,
        title: s.title,
        narration: s.say,
        highlight: s.highlight,
        status: 'pending',
        learner: s.learner ? { ask: s.learner.ask, where: s.learner.where, command: s.learner.command, canShowMe: true } : null,
        waitingFor: null,
        log: [],
        checks: [],
      },
    }));
    this.driver.onChange(() => this.wake());
    this.driver.onEvent((e) => this.observe(e));
  }

  get id(): string {
    return this.options.runId;
  }

  /** Runs to the end (or until stopped); resolves with the final picture. */
  run(): Promise<ScenarioRun> {
    this.finished ??= this.execute();
    return this.finished;
  }

  /** "Show me": perform the learner's part of the current step. */
  showMe(): void {
    const step = this.steps[this.current - 1];
    if (!step?.view.learner || step.view.status !== 'waiting-for-learner') throw new Error('the current step asks nothing of the learner');
    this.signalLearner('show-me');
  }

  /** The learner says they did it (for steps with nothing to wait for). */
  continue(): void {
    const step = this.steps[this.current - 1];
    if (!step || step.view.status !== 'waiting-for-learner') throw new Error('the run is not waiting for the learner');
    const until = this.options.doc.steps[this.current - 1]?.learner?.until;
    if (until) throw new Error(`this step goes on by itself once ${pick(this.describeCondition(until), 'en')} (or use show me)`);
    this.signalLearner('continue');
  }

  stop(): void {
    this.abort.abort();
    this.wake();
    this.learnerListeners.forEach((l) => l());
  }

  snapshot(): ScenarioRun {
    const doc = this.options.doc;
    const all = this.steps.flatMap((s) => s.view.checks);
    return {
      runId: this.options.runId,
      scenarioId: doc.id,
      state: this.state,
      step: this.current,
      message: this.message.en,
      messageText: this.message,
      title: doc.title,
      kind: doc.kind,
      lang: this.options.lang,
      stepCount: this.steps.length,
      steps: this.steps.map((s) => ({ ...s.view, log: [...s.view.log], checks: [...s.view.checks] })),
      checks: { passed: all.filter((c) => c.ok).length, failed: all.filter((c) => !c.ok).length },
      safety: this.safety.report(),
      bugSwitches: [...this.options.bugSwitches],
      labDir: this.labDir,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
    };
  }

  // ───────────────────────────── the run ─────────────────────────────

  private async execute(): Promise<ScenarioRun> {
    const doc = this.options.doc;
    try {
      this.publish();
      this.labDir = await this.options.prepareLab(doc, this.options.bugSwitches);
      this.driver.reset();
      await this.waitSettled();
      this.runStartSeq = this.driver.lastSeq;
      for (let i = 0; i < this.steps.length; i++) {
        this.throwIfStopped();
        await this.runStep(doc.steps[i]!, this.steps[i]!, i + 1);
      }
      const failed = this.steps.some((s) => s.view.status === 'failed');
      this.state = failed ? 'failed' : 'passed';
      this.message = failed ? t('run.failedChecks', { n: this.snapshot().checks.failed }) : t('run.passed', { n: this.snapshot().checks.passed });
    } catch (e) {
      if (e instanceof ScenarioUnavailable) {
        this.state = 'unavailable';
        this.message = t('run.unavailable', { reason: e.message });
      } else if (e instanceof StoppedError || this.abort.signal.aborted) {
        this.state = 'stopped';
        this.message = t('run.stopped');
        this.markCurrent('skipped');
      } else {
        this.state = 'failed';
        this.message = e instanceof RunAbort ? e.text : t('run.error', { error: errorText(e) });
        const step = this.steps[this.current - 1];
        if (step) {
          step.view.log.push({ at: this.now(), text: this.message, ok: false });
          step.view.status = 'failed';
        }
      }
      for (const s of this.steps) if (s.view.status === 'pending') s.view.status = 'skipped';
    } finally {
      this.endedAt = this.now();
      await this.cleanup();
      this.publish();
    }
    return this.snapshot();
  }

  private async runStep(spec: StepSpec, step: StepState, index: number): Promise<void> {
    this.current = index;
    this.stepStartSeq = this.driver.lastSeq;
    this.stepStartTime = this.now();
    this.resolveView(spec, step);
    step.view.status = 'running';
    this.message = t('run.step', { i: index, n: this.steps.length, title: pick(spec.title, this.options.lang) });
    this.publish();

    for (const a of spec.do) await this.runAction(a, step);

    if (spec.learner) {
      const learner = spec.learner;
      this.resolveView(spec, step);
      step.view.status = 'waiting-for-learner';
      step.view.waitingFor = learner.until ? this.describeCondition(learner.until) : null;
      this.message = join([t('run.learner'), learner.ask]);
      this.publish();
      if (this.options.pace === 'auto') {
        await this.performShowMe(learner.showMe, step);
      } else {
        await this.waitForLearner(learner.showMe, learner.until, step);
      }
      if (learner.until) await this.waitCondition(learner.until, step);
      step.view.status = 'running';
      step.view.waitingFor = null;
      this.publish();
    }

    if (spec.waitFor) await this.waitCondition(spec.waitFor, step);

    for (const a of spec.then) await this.runAction(a, step);

    for (const c of spec.check) await this.runCheck(c, step, `${spec.id}/${step.view.checks.length + 1}`);

    step.view.status = step.view.checks.some((c) => !c.ok) ? 'failed' : 'passed';
    this.publish();
  }

  /**
   * Fills `${…}` in what the panel shows (narration, the learner's prompt, highlighted member
   * ids and paths) from the values saved so far; a reference not saved yet stays as written.
   */
  private resolveView(spec: StepSpec, step: StepState): void {
    const text = (x: LocalizedText): LocalizedText => ({ en: this.fillLenient(x.en), ko: this.fillLenient(x.ko) });
    step.view.title = text(spec.title);
    step.view.narration = text(spec.say);
    step.view.highlight = {
      members: spec.highlight.members.map((m) => Number(this.fillLenient(String(m)))).filter((m) => Number.isInteger(m) && m > 0),
      paths: spec.highlight.paths.map((p) => this.fillLenient(p)),
      views: spec.highlight.views,
    };
    if (spec.learner && step.view.learner) {
      step.view.learner = { ...step.view.learner, ask: text(spec.learner.ask), command: spec.learner.command === null ? null : this.fillLenient(spec.learner.command) };
    }
  }

  private fillLenient(s: string): string {
    return s.replace(/\$\{([A-Za-z_][\w.]*)\}/g, (all, ref: string) => {
      try {
        return display(lookup(this.vars, ref));
      } catch {
        return all;
      }
    });
  }

  /**
   * A lab that just took writes may still have members finishing their election or sync:
   * steps that say "follower:2" need every member in place first.
   */
  private async waitSettled(): Promise<void> {
    const deadline = this.now() + 60_000;
    let since: number | null = null;
    for (;;) {
      this.throwIfStopped();
      const s = await this.driver.refresh();
      const settled = s.quorum.canWrite && s.members.every((m) => m.state === 'running' && ['leader', 'follower', 'observer', 'standalone'].includes(m.role));
      // Settled for a while (members report every 500 ms): a member may briefly fall back to looking.
      if (!settled) since = null;
      else if (since === null) since = this.now();
      else if (this.now() - since >= (this.options.settleMs ?? SETTLE_MS)) return;
      if (this.now() > deadline) throw new RunAbort(t('run.notSettled', { why: s.quorum.explanation.join(' ') }));
      await this.nextWake(100);
    }
  }

  private async performShowMe(actions: ActionSpec[], step: StepState): Promise<void> {
    this.showingMe = true;
    try {
      step.view.log.push({ at: this.now(), text: t('run.showMe'), ok: true });
      for (const a of actions) await this.runAction(a, step);
    } finally {
      this.showingMe = false;
    }
  }

  /** Guided pace: the learner acts (and `until` becomes true), or asks "show me", or says "continue". */
  private async waitForLearner(showMe: ActionSpec[], until: ConditionSpec | null, step: StepState): Promise<void> {
    this.learnerSignal = null;
    for (;;) {
      this.throwIfStopped();
      if (this.learnerSignal === 'show-me') {
        this.learnerSignal = null;
        await this.performShowMe(showMe, step);
        return;
      }
      if (this.learnerSignal === 'continue') {
        this.learnerSignal = null;
        return;
      }
      if (until && (await this.testCondition(until)).ok) return;
      await this.nextWake(until ? this.options.pollMs ?? 100 : 60_000, true);
    }
  }

  private signalLearner(signal: 'show-me' | 'continue'): void {
    if (this.showingMe) return;
    this.learnerSignal = signal;
    this.learnerListeners.forEach((l) => l());
    this.wake();
  }

  // ───────────────────────────── actions, conditions, checks ─────────────────────────────

  private params(defParams: Record<string, never> | object, raw: Record<string, unknown>, pointer: string): Record<string, unknown> {
    const resolved = resolveDeep(raw, this.vars) as Record<string, unknown>;
    const issues: Issue[] = [];
    checkObject(resolved, defParams as never, pointer, issues, false);
    if (issues.length > 0) {
      throw new RunAbort(same(issues.map((i) => `${describePointer(i.pointer)} ${i.message}`).join('; ')));
    }
    return resolved;
  }

  private async runAction(spec: ActionSpec, step: StepState): Promise<void> {
    this.throwIfStopped();
    const def = ACTIONS.get(spec.name)!;
    const p = this.params(def.params, spec.params, spec.pointer);
    const line = def.describe(p);
    let value: unknown;
    let result: LocalizedText | undefined;
    let failure: unknown = null;
    try {
      const r = await def.run(this.context(), p);
      value = r?.value;
      result = r?.result;
    } catch (e) {
      if (this.abort.signal.aborted) throw new StoppedError();
      failure = e;
    }
    if (failure !== null) {
      const name = errorName(failure);
      step.view.log.push({ at: this.now(), text: join([line, t('run.actionFailed', { error: name, message: errorText(failure) })]), ok: spec.expect !== null || spec.tolerateFailure });
      if (spec.tolerateFailure) {
        if (spec.save) this.vars.set(spec.save, { error: name });
        this.publish();
        return;
      }
      if (!spec.expect) throw new RunAbort(t('run.actionError', { action: pick(line, this.options.lang), error: errorText(failure) }));
      const ok = spec.expect.errors.length > 0 && (spec.expect.errors.includes('any') || spec.expect.errors.includes(name));
      this.record(step, {
        id: `${step.view.id}/${step.view.checks.length + 1}`,
        ok,
        title: spec.expect.title ?? (spec.expect.errors.length > 0 ? t('check.expect.error', { action: pick(line, 'en'), errors: spec.expect.errors.join(' / ') }) : t('check.expect.ok', { action: pick(line, 'en') })),
        explanation: spec.expect.explain,
        detail: t('detail.expect.failed', { error: name, message: errorText(failure) }),
      });
      if (spec.save) this.vars.set(spec.save, { error: name });
      return;
    }
    step.view.log.push({ at: this.now(), text: result ? join([line, same('→'), result]) : line, ok: true });
    if (spec.save) this.vars.set(spec.save, value);
    this.vars.set('last', value);
    if (spec.expect) {
      const ok = spec.expect.errors.length === 0;
      this.record(step, {
        id: `${step.view.id}/${step.view.checks.length + 1}`,
        ok,
        title: spec.expect.title ?? (ok ? t('check.expect.ok', { action: pick(line, 'en') }) : t('check.expect.error', { action: pick(line, 'en'), errors: spec.expect.errors.join(' / ') })),
        explanation: spec.expect.explain,
        detail: t('detail.expect.succeeded'),
      });
    }
    this.publish();
  }

  private describeCondition(spec: ConditionSpec): LocalizedText {
    if (spec.title) return spec.title;
    const def = CONDITIONS_BY_NAME.get(spec.name)!;
    try {
      return def.describe(resolveDeep(spec.params, this.vars) as never);
    } catch {
      return same(spec.name);
    }
  }

  private async testCondition(spec: ConditionSpec): Promise<{ ok: boolean; detail?: LocalizedText; value?: unknown }> {
    const def = CONDITIONS_BY_NAME.get(spec.name)!;
    const p = this.params(def.params, spec.params, spec.pointer);
    try {
      return await def.test(this.context(), p);
    } catch (e) {
      if (e instanceof RunAbort) throw e;
      return { ok: false, detail: same(errorText(e)) };
    }
  }

  private async waitCondition(spec: ConditionSpec, step: StepState): Promise<void> {
    const what = this.describeCondition(spec);
    step.view.waitingFor = what;
    this.publish();
    const started = this.now();
    const deadline = started + spec.timeoutMs;
    for (;;) {
      this.throwIfStopped();
      const r = await this.testCondition(spec);
      if (r.ok) {
        if (spec.save) this.vars.set(spec.save, r.value ?? null);
        step.view.waitingFor = null;
        step.view.log.push({ at: this.now(), text: join([t('run.waited', { ms: this.now() - started }), what]), ok: true });
        this.publish();
        return;
      }
      if (this.now() >= deadline) {
        step.view.waitingFor = null;
        if (spec.bugMayPrevent && this.options.bugSwitches.length > 0) {
          step.view.log.push({ at: this.now(), text: join([t('run.timeoutUnderBug', { ms: spec.timeoutMs, bugs: this.options.bugSwitches.join(', ') }), what]), ok: false });
          this.publish();
          return;
        }
        throw new RunAbort(join([t('run.timeout', { ms: spec.timeoutMs }), what, r.detail ? join([same('—'), r.detail]) : same('')]));
      }
      await this.nextWake(Math.min(this.options.pollMs ?? 100, Math.max(1, deadline - this.now())));
    }
  }

  private async runCheck(spec: CheckSpec, step: StepState, id: string): Promise<void> {
    this.throwIfStopped();
    const def = CHECKS_BY_NAME.get(spec.name)!;
    const p = this.params(def.params, spec.params, spec.pointer);
    let ok: boolean;
    let detail: LocalizedText;
    try {
      const r = await def.evaluate(this.context(), p);
      ok = r.ok;
      detail = r.detail;
    } catch (e) {
      if (this.abort.signal.aborted) throw new StoppedError();
      ok = false;
      detail = t('detail.checkError', { error: errorText(e) });
    }
    this.record(step, { id, ok, title: spec.title ?? def.describe(p), explanation: spec.explain, detail });
  }

  private record(step: StepState, result: ScenarioCheckResult): void {
    step.view.checks.push(result);
    this.publish();
  }

  // ───────────────────────────── plumbing ─────────────────────────────

  private context(): RunContext {
    const self = this;
    return {
      lang: this.options.lang,
      vars: this.vars,
      lab: this.driver,
      clients: this.clients,
      safety: this.safety,
      bugSwitches: this.options.bugSwitches,
      signal: this.abort.signal,
      helpers: this.helpers,
      defaultSessionTimeoutMs: this.options.doc.lab.sessionTimeoutMs,
      stepStartSeq: this.stepStartSeq,
      runStartSeq: this.runStartSeq,
      stepStartTime: this.stepStartTime,
      now: this.now,
      sleep: (ms) => self.sleep(ms),
      log: (text, ok = true) => {
        self.steps[self.current - 1]?.view.log.push({ at: self.now(), text, ok });
        self.publish();
      },
      poke: () => self.wake(),
      member: (sel) => self.driver.member(sel),
      client: (name) => self.clients.get(name),
      helper<T>(name: string, kind: abstract new (...args: never[]) => T): T {
        const h = self.helpers.get(name);
        if (!(h instanceof kind)) throw new Error(`there is no ${kind.name} called "${name}" (start it in an earlier step)`);
        return h as T;
      },
    };
  }

  private observe(e: LabEvent): void {
    if (this.safety.observe(e)) {
      this.publish();
      this.options.onSafety?.(this.snapshot());
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.abort.signal.aborted) return reject(new StoppedError());
      const timer = setTimeout(() => {
        this.abort.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new StoppedError());
      };
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Resolves on the next change notification, learner signal, or after `ms`. */
  private nextWake(ms: number, learner = false): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeups.delete(done);
        this.learnerListeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeups.add(done);
      if (learner) this.learnerListeners.add(done);
    });
  }

  private wake(): void {
    for (const w of [...this.wakeups]) w();
  }

  private throwIfStopped(): void {
    if (this.abort.signal.aborted) throw new StoppedError();
    if (this.driver.closedReason) throw new RunAbort(t('run.labClosed', { reason: this.driver.closedReason }));
  }

  private markCurrent(status: ScenarioStepStatus): void {
    const s = this.steps[this.current - 1];
    if (s && (s.view.status === 'running' || s.view.status === 'waiting-for-learner')) s.view.status = status;
  }

  private publish(): void {
    try {
      this.options.onProgress(this.snapshot());
    } catch {
      // A listener's failure is its own.
    }
  }

  private async cleanup(): Promise<void> {
    for (const h of this.helpers.values()) {
      const x = h as { stop?: () => void; close?: () => Promise<void> };
      try {
        x.stop?.();
        await x.close?.();
      } catch {
        // best effort
      }
    }
    this.helpers.clear();
    await this.clients.closeAll();
    this.driver.dispose();
  }
}
