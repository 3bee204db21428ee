/**
 * The `scenario.*` namespace of the LabApi (a ScenarioProvider for LabService): the
 * scenario library, one run at a time with "show me" and "continue", recording, and the
 * live safety view of whatever lab is open (with or without a run).
 *
 * A run normally creates its own lab (the scenario says how many members) and switches the
 * service to it, as `lab.create` does. A service that serves one fixed lab (the zk-lab
 * supervisor) runs scenarios on that lab instead when its shape fits, after removing the
 * znodes the scenario owns (`paths`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Actor, BugSwitchName, CommandName, CommandResponse, EventName, EventPayload, LocalizedText, SafetyReport, ScenarioLang, ScenarioRun } from '../lab/api.js';
import type { LabService, ScenarioCommandName, ScenarioProvider } from '../lab/lab-service.js';
import { LabError } from '../lab/supervisor.js';
import * as v from '../lab/validate.js';
import { ZkClient } from '../client/index.js';
import { allBugSwitches, BUG_SWITCH_KEY, isBugSwitch, parseBugSwitches } from './bug-switches.js';
import { loadScenarioText, ScenarioFileError, type ScenarioDoc } from './document.js';
import { createScenarioLab } from './lab-setup.js';
import type { ScenarioLabApi } from './lab-driver.js';
import { builtInScenarioDir, ScenarioLibrary, ScenarioNotFound, type Capabilities } from './library.js';
import { ScenarioRecorder } from './recorder.js';
import { ScenarioRunner, ScenarioUnavailable } from './runner.js';
import { SafetyMonitor } from './safety/safety-monitor.js';
import { LANGS } from './text.js';

export interface ScenarioServiceOptions {
  /** The built-in course (default: resources/scenarios of this installation; null: none). */
  builtInDir?: string | null;
  /** More directories of scenario files. */
  extraDirs?: string[];
  /** Where runs create their labs (default: <tmp>/zoolab-scenarios). */
  labsRoot?: string;
  capabilities?: Capabilities;
  now?: () => number;
}

type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

const EVERYTHING: Capabilities = { has: () => true, why: () => '' };

export class ScenarioService implements ScenarioProvider {
  readonly library: ScenarioLibrary;
  private emit: Emit = () => {};
  private service: LabService | null = null;
  private runner: ScenarioRunner | null = null;
  private runs = new Map<string, { runner: ScenarioRunner; done: Promise<ScenarioRun> }>();
  private nextRun = 1;
  private recorder: ScenarioRecorder | null = null;
  private recordTitle: LocalizedText | undefined;
  private live: SafetyMonitor = new SafetyMonitor();
  private unwire: (() => void)[] = [];
  private readonly now: () => number;

  constructor(private readonly options: ScenarioServiceOptions = {}) {
    this.now = options.now ?? Date.now;
    this.library = new ScenarioLibrary(options.capabilities ?? EVERYTHING);
    const builtIn = options.builtInDir === undefined ? builtInScenarioDir() : options.builtInDir;
    if (builtIn) this.library.addDir(builtIn, 'built-in');
    for (const d of options.extraDirs ?? []) this.library.addDir(d, 'file');
  }

  attach(context: { emit: Emit; service: LabService }): void {
    this.emit = context.emit;
    this.service = context.service;
    this.unwire.push(
      context.service.on('lab.event', (e) => {
        if (this.live.observe(e)) this.emit('scenario.safety', this.live.report());
      }),
      context.service.on('lab.closed', () => this.resetLive()),
    );
    this.resetLive();
  }

  /** The lab the scenario engine drives (actor `scenario`). */
  private labApi(): ScenarioLabApi {
    const service = this.requireService();
    return { invoke: (name, arg) => service.invoke(name, arg, 'scenario'), on: (event, listener) => service.on(event, listener) };
  }

  private requireService(): LabService {
    if (!this.service) throw new LabError('no-lab', 'the scenario engine is not attached to a lab service');
    return this.service;
  }

  async invoke<K extends ScenarioCommandName>(name: K, arg: v.Obj, _actor: Actor): Promise<CommandResponse<K>> {
    return (await this.handle(name, arg)) as CommandResponse<K>;
  }

  private async handle(name: ScenarioCommandName, arg: v.Obj): Promise<unknown> {
    switch (name) {
      case 'scenario.list':
        return this.library.list();
      case 'scenario.get':
        return this.wrap(() => this.library.detail(v.str(arg, 'scenarioId')));
      case 'scenario.run':
        return this.start(arg);
      case 'scenario.stop': {
        const run = this.run(arg);
        run.runner.stop();
        return run.done;
      }
      case 'scenario.status':
        return this.run(arg).runner.snapshot();
      case 'scenario.showMe':
        return this.learner(arg, (r) => r.showMe());
      case 'scenario.continue':
        return this.learner(arg, (r) => r.continue());
      case 'scenario.load': {
        const text = v.str(arg, 'text');
        const source = v.optStr(arg, 'name') ?? 'uploaded scenario';
        const doc = this.wrap(() => loadScenarioText(text, source));
        this.library.add(doc, 'file');
        return this.library.summary(doc, 'file');
      }
      case 'scenario.record.start': {
        const info = await this.labApi().invoke('lab.info', {});
        if (!info) throw new LabError('no-lab', 'open a lab before recording');
        this.recorder = new ScenarioRecorder(info, this.now());
        this.recordTitle = optText(arg.title);
        return { message: `recording what is done in ${info.name}; stop with scenario.record.stop` };
      }
      case 'scenario.record.stop': {
        if (!this.recorder) throw new LabError('not-recording', 'nothing is being recorded (start with scenario.record.start)');
        const id = v.optStr(arg, 'id') ?? `recorded-${new Date(this.now()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}`;
        if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new LabError('bad-request', 'id must be lowercase letters, digits and dashes');
        const text = this.recorder.finish({ id, title: optText(arg.title) ?? this.recordTitle, at: this.now() });
        this.recorder = null;
        const doc = this.wrap(() => loadScenarioText(text, `${id}.json`));
        this.library.add(doc, 'recorded');
        return { text, summary: this.library.summary(doc, 'recorded') };
      }
      case 'scenario.safety':
        return this.runner ? this.runner.snapshot().safety! : this.live.report();
      case 'scenario.bugSwitches':
        return allBugSwitches();
    }
  }

  /** The recording hook: LabService calls it after every successful lab command. */
  observe(name: CommandName, arg: v.Obj, actor: Actor, result: unknown): void {
    try {
      this.recorder?.observe(name, arg, actor, this.now(), result);
    } catch {
      // Recording must never disturb the lab.
    }
  }

  async dispose(): Promise<void> {
    for (const { runner, done } of this.runs.values()) {
      runner.stop();
      await done.catch(() => undefined);
    }
    for (const u of this.unwire) u();
    this.unwire = [];
  }

  /** Resolves when run `runId` has finished. */
  async wait(runId: string): Promise<ScenarioRun> {
    const r = this.runs.get(runId);
    if (!r) throw new LabError('no-such-run', `there is no scenario run ${JSON.stringify(runId)}`);
    return r.done;
  }

  // ───────────────────────────── runs ─────────────────────────────

  private start(arg: v.Obj): ScenarioRun {
    this.requireService();
    if (this.runner) {
      const s = this.runner.snapshot();
      if (s.state === 'running' || s.state === 'waiting-for-learner') throw new LabError('busy', `scenario ${s.scenarioId} is running (${s.runId}); stop it first`);
    }
    const doc = this.wrap(() => this.library.get(v.str(arg, 'scenarioId')));
    const lang = arg.lang === undefined ? 'en' : (LANGS as readonly string[]).includes(arg.lang as string) ? (arg.lang as ScenarioLang) : v.bad(`lang must be one of ${LANGS.join(', ')}`);
    const pace = arg.pace === undefined ? 'guided' : arg.pace === 'guided' || arg.pace === 'auto' ? arg.pace : v.bad('pace must be guided or auto');
    const bugs = arg.bugSwitches === undefined ? [] : Array.isArray(arg.bugSwitches) && arg.bugSwitches.every(isBugSwitch) ? (arg.bugSwitches as BugSwitchName[]) : v.bad(`bugSwitches must be a list of ${allBugSwitches().map((b) => b.name).join(', ')}`);
    const dir = v.optStr(arg, 'dir');
    const runId = `run-${this.nextRun++}`;
    const runner = new ScenarioRunner({
      runId,
      doc,
      lab: this.labApi(),
      lang,
      pace,
      bugSwitches: bugs,
      now: this.now,
      prepareLab: (d, b) => this.prepareLab(d, b, dir),
      onProgress: (run) => this.emit('scenario.progress', run),
      onSafety: (run) => this.emit('scenario.safety', run.safety!),
    });
    this.runner = runner;
    const done = runner.run();
    this.runs.set(runId, { runner, done });
    return runner.snapshot();
  }

  private run(arg: v.Obj): { runner: ScenarioRunner; done: Promise<ScenarioRun> } {
    const id = v.str(arg, 'runId');
    const r = this.runs.get(id);
    if (!r) throw new LabError('no-such-run', `there is no scenario run ${JSON.stringify(id)}`);
    return r;
  }

  private learner(arg: v.Obj, act: (r: ScenarioRunner) => void): ScenarioRun {
    const r = this.run(arg).runner;
    try {
      act(r);
    } catch (e) {
      throw new LabError('not-waiting', (e as Error).message);
    }
    return r.snapshot();
  }

  private async prepareLab(doc: ScenarioDoc, bugs: readonly BugSwitchName[], dirArg: string | undefined): Promise<string> {
    const service = this.requireService();
    const root = this.options.labsRoot ?? join(tmpdir(), 'zoolab-scenarios');
    mkdirSync(root, { recursive: true });
    const dir = dirArg ? resolve(dirArg) : mkdtempSync(join(root, `${doc.id}-`));
    try {
      await createScenarioLab(dir, `scenario ${doc.id}`, doc.lab, bugs, this.now());
      await service.invoke('lab.open', { dir }, 'scenario');
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code === 'refused') {
        // This service serves one fixed lab: the directory made for a new one is not needed.
        if (!dirArg) rmSync(dir, { recursive: true, force: true });
        return this.useCurrentLab(doc, bugs);
      }
      if (/ensemble mode is not available/.test(err.message ?? '')) throw new ScenarioUnavailable(`this build's members cannot form an ensemble yet (${doc.lab.members} members needed)`);
      throw e;
    }
    if (bugs.length > 0) await this.checkBugSwitchesHonoured(bugs);
    this.resetLive(bugs);
    return dir;
  }

  /** A fixed-lab service (zk-lab supervisor): run on its lab when the shape fits. */
  private async useCurrentLab(doc: ScenarioDoc, bugs: readonly BugSwitchName[]): Promise<string> {
    const status = await this.labApi().invoke('lab.status', {});
    const voters = status.members.filter((m) => m.kind === 'participant').length;
    if (voters !== doc.lab.members) {
      throw new ScenarioUnavailable(`this lab has ${voters} member(s) and ${doc.id} needs ${doc.lab.members}; run it in its own lab (zk-lab scenario run ${doc.id})`);
    }
    if (bugs.length > 0) throw new ScenarioUnavailable('bug switches are set when a lab is created; run the challenge in its own lab');
    const zk = await ZkClient.connect({ connectString: status.lab.connectString, sessionTimeout: 10_000 }, 15_000);
    try {
      for (const p of doc.paths) if (await zk.exists(p)) await zk.deleteRecursive(p);
    } finally {
      await zk.close();
    }
    return status.lab.dir;
  }

  /** Members that do not know `zoolab.bugs` log it as an unknown key: then the challenge cannot show its violation. */
  private async checkBugSwitchesHonoured(bugs: readonly BugSwitchName[]): Promise<void> {
    const status = await this.labApi().invoke('lab.status', {});
    for (const m of status.members) {
      const { lines } = await this.labApi().invoke('member.logs', { member: m.id, lines: 200 });
      if (lines.some((l) => l.includes(`unknown config key ${BUG_SWITCH_KEY}`))) {
        throw new ScenarioUnavailable(`this build's members ignore ${BUG_SWITCH_KEY} (the quorum core has no bug-switch hooks yet: docs/teaching.md "Hooks needed from the quorum core"), so ${bugs.join(', ')} cannot be switched on`);
      }
    }
  }

  private resetLive(bugs?: readonly BugSwitchName[]): void {
    this.live = new SafetyMonitor(bugs ?? this.currentLabBugs());
    const voters = this.service?.lab?.config.members.filter((m) => m.kind === 'participant').length;
    if (voters) this.live.setVoters(voters);
  }

  private currentLabBugs(): BugSwitchName[] {
    const lines = this.service?.lab?.config.extraZooCfgLines ?? [];
    const line = lines.find((l) => l.startsWith(`${BUG_SWITCH_KEY}=`));
    try {
      return line ? parseBugSwitches(line.slice(BUG_SWITCH_KEY.length + 1)) : [];
    } catch {
      return [];
    }
  }

  /** Scenario-file and lookup errors as LabErrors the adapters pass on. */
  private wrap<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ScenarioFileError) throw new LabError('bad-scenario', e.message);
      if (e instanceof ScenarioNotFound) throw new LabError('no-such-scenario', e.message);
      throw e;
    }
  }
}

function optText(v: unknown): LocalizedText | undefined {
  if (v === undefined || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o !== 'object' || typeof o.en !== 'string' || typeof o.ko !== 'string') throw new LabError('bad-request', 'title must be {"en": "…", "ko": "…"}');
  return { en: o.en, ko: o.ko };
}

export type { SafetyReport };
