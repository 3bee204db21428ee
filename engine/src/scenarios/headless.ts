/**
 * Runs a scenario without a UI: an in-process LabService creates the scenario's own lab,
 * the run goes at `auto` pace (the lab performs every learner step itself), and each step
 * is printed as it happens — narration, what the lab did, what was waited for, every check
 * with its explanation — then the safety verdict. Used by `zk-lab scenario run` and by the
 * scenario tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BugSwitchName, ScenarioLang, ScenarioRun } from '../lab/api.js';
import { LabService } from '../lab/lab-service.js';
import { RecentLabs } from '../lab/recent-labs.js';
import type { SupervisorOptions } from '../lab/supervisor.js';
import { ScenarioService, type ScenarioServiceOptions } from './service.js';
import { pick, t, type LocalizedText } from './text.js';

export interface HeadlessOptions {
  /** A scenario id (built-in or from `extraDirs`) or a path to a scenario file. */
  scenario: string;
  /** Where to create the lab (kept afterwards); default a temporary directory, removed. */
  dir?: string;
  lang?: ScenarioLang;
  bugSwitches?: BugSwitchName[];
  out?: (line: string) => void;
  service?: ScenarioServiceOptions;
  supervisorOptions?: Omit<SupervisorOptions, 'dir'>;
  /** Stops the run (the lab is then taken down as usual). */
  signal?: AbortSignal;
}

export async function runHeadless(options: HeadlessOptions): Promise<ScenarioRun> {
  const lang = options.lang ?? 'en';
  const out = options.out ?? (() => {});
  const work = mkdtempSync(join(tmpdir(), 'zoolab-scenario-'));
  const provider = new ScenarioService({ labsRoot: work, ...options.service });
  const service = new LabService({ allowLabSwitch: true, recent: new RecentLabs(join(work, 'recent-labs.json')), scenarios: provider, supervisorOptions: options.supervisorOptions });
  const printer = new ProgressPrinter(lang, out);
  const off = service.on('scenario.progress', (run) => printer.update(run));
  try {
    const doc = provider.library.get(options.scenario);
    printer.header(doc.id, doc.title, doc.goal, doc.lab.members, doc.lab.tickTimeMs, options.bugSwitches ?? []);
    const started = await service.invoke(
      'scenario.run',
      { scenarioId: doc.id, lang, pace: 'auto', bugSwitches: options.bugSwitches ?? [], ...(options.dir ? { dir: resolve(options.dir) } : {}) },
      'cli',
    );
    const stop = () => void service.invoke('scenario.stop', { runId: started.runId }, 'cli').catch(() => undefined);
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
    const run = await provider.wait(started.runId);
    options.signal?.removeEventListener('abort', stop);
    printer.update(run);
    printer.footer(run);
    return run;
  } finally {
    off();
    await service.invoke('lab.down', {}, 'cli').catch(() => undefined);
    await service.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Prints a run as it progresses, each line once. */
export class ProgressPrinter {
  private printedSteps = 0;
  private readonly printedLog = new Map<number, number>();
  private readonly printedChecks = new Map<number, number>();
  private readonly printedWaits = new Map<number, string>();
  private readonly printedAsk = new Set<number>();

  constructor(
    private readonly lang: ScenarioLang,
    private readonly out: (line: string) => void,
  ) {}

  private s(text: LocalizedText): string {
    return pick(text, this.lang);
  }

  header(id: string, title: LocalizedText, goal: LocalizedText, members: number, tick: number, bugs: readonly string[]): void {
    this.out(this.s(t('headless.header', { id, title: this.s(title) })));
    this.out(this.s(t('headless.goal', { goal: this.s(goal) })));
    this.out(this.s(t('headless.lab', { members, tick, bugs: bugs.length ? this.s(t('headless.bugs', { bugs: bugs.join(', ') })) : '' })));
  }

  update(run: ScenarioRun): void {
    for (const step of run.steps) {
      if (step.status === 'pending' || step.status === 'skipped') continue;
      if (step.index > this.printedSteps) {
        this.out('');
        this.out(`[${step.index}/${run.stepCount}] ${this.s(step.title)}`);
        for (const line of wrap(this.s(step.narration), 88)) this.out(`    ${line}`);
        this.printedSteps = step.index;
      }
      const logged = this.printedLog.get(step.index) ?? 0;
      for (const entry of step.log.slice(logged)) {
        const [first, ...rest] = this.s(entry.text).split('\n');
        this.out(`  ${entry.ok ? '·' : '!'} ${first}`);
        for (const r of rest) this.out(`      ${r}`);
      }
      this.printedLog.set(step.index, step.log.length);
      if (step.learner && !this.printedAsk.has(step.index) && (step.status === 'waiting-for-learner' || step.status === 'passed' || step.status === 'failed')) {
        this.printedAsk.add(step.index);
        this.out(`  ? ${this.s(t('headless.ask', { ask: this.s(step.learner.ask) }))}`);
        if (step.learner.command) this.out(`    ${this.s(t('headless.command', { command: step.learner.command }))}`);
      }
      if (step.waitingFor && this.printedWaits.get(step.index) !== this.s(step.waitingFor)) {
        this.printedWaits.set(step.index, this.s(step.waitingFor));
        this.out(`  … ${this.s(t('headless.waiting', { what: this.s(step.waitingFor) }))}`);
      }
      const checked = this.printedChecks.get(step.index) ?? 0;
      for (const c of step.checks.slice(checked)) {
        this.out(`  ${c.ok ? '✓' : '✗'} ${this.s(c.title)} — ${this.s(c.detail)}`);
        for (const line of wrap(this.s(t('headless.why', { why: this.s(c.explanation) })), 84)) this.out(`      ${line}`);
      }
      this.printedChecks.set(step.index, step.checks.length);
    }
  }

  footer(run: ScenarioRun): void {
    this.out('');
    const safety = run.safety;
    if (safety && safety.eventsSeen > 0) {
      if (safety.holds) this.out(this.s(t('headless.safety.holds', { n: safety.eventsSeen })));
      else {
        this.out(this.s(t('headless.safety.violated')));
        for (const inv of safety.invariants) {
          for (const v of inv.violations) {
            this.out(`  ✗ ${this.s(inv.title)}: ${this.s(v.summary)}`);
            for (const line of wrap(this.s(v.explanation), 84)) this.out(`      ${line}`);
            for (const e of v.evidence) this.out(`      - ${e}`);
          }
        }
      }
    }
    const total = run.checks.passed + run.checks.failed;
    if (run.state === 'passed') this.out(this.s(t('headless.passed', { passed: run.checks.passed })));
    else if (run.state === 'unavailable') this.out(this.s(t('headless.unavailable', { reason: this.s(run.messageText) })));
    else if (run.state === 'stopped') this.out(this.s(t('headless.stopped')));
    else this.out(`${this.s(t('headless.failed', { failed: run.checks.failed, total }))} ${this.s(run.messageText)}`);
  }
}

/** Greedy word wrap (Korean wraps at spaces as well). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

