/**
 * The scenario file: its shape, and the loader that turns text into a checked
 * `ScenarioDoc`. The format is JSON with comments (jsonc.ts); every problem is reported
 * with its line, column and the line itself, all problems at once, e.g.
 *
 *   knobs.json:42:19: steps[3].do[0].member must be a member id (1–255), "leader", … not "leadr"
 *     "do": [{ "action": "member.kill", "member": "leadr" }],
 *                                                  ^
 *
 * Steps name actions, conditions and checks from catalog.ts; each declares its own
 * parameters (schema.ts), so the loader knows every field. docs/teaching.md is the reference.
 */
import type { BugSwitchName, LocalizedText, SafetyInvariantId, ScenarioHighlight, ScenarioKind, ScenarioView } from '../lab/api.js';
import { BUG_SWITCH_KEY, BUG_SWITCHES } from './bug-switches.js';
import { ACTIONS, CHECKS_BY_NAME, CONDITIONS_BY_NAME } from './catalog.js';
import { describePointer, parseJsonc, SourceError, type ParsedJsonc } from './jsonc.js';
import { INVARIANTS } from './safety/safety-monitor.js';
import { anyObject, arrayOf, bool, checkObject, int, objectOf, oneOf, opt, path, str, text, type Field, type Issue, type Shape } from './schema.js';

export const SCENARIO_FORMAT = 'zoolab-scenario';
export const SCENARIO_VERSION = 1;
export const VIEWS: readonly ScenarioView[] = ['members', 'tree', 'terminal', 'links', 'events', 'timeline', 'sessions', 'quorum', 'safety'];
/** Capabilities a scenario may require of the build it runs on. */
export const CAPABILITIES = ['ensemble'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface ActionSpec {
  name: string;
  params: Record<string, unknown>;
  save: string | null;
  expect: ExpectSpec | null;
  /** A failure is logged and the run goes on (challenges: an attack may or may not work). */
  tolerateFailure: boolean;
  pointer: string;
}
export interface ExpectSpec {
  /** Error names that count as the expected outcome (`any` = any failure); empty = success expected. */
  errors: string[];
  explain: LocalizedText;
  title: LocalizedText | null;
}
export interface ConditionSpec {
  name: string;
  params: Record<string, unknown>;
  timeoutMs: number;
  /**
   * With an instructor bug switch on, this may never happen (a split brain that does not
   * heal): a timeout then goes on to the step's checks, which show why, instead of ending the run.
   */
  bugMayPrevent: boolean;
  save: string | null;
  title: LocalizedText | null;
  pointer: string;
}
export interface CheckSpec {
  name: string;
  params: Record<string, unknown>;
  title: LocalizedText | null;
  explain: LocalizedText;
  pointer: string;
}
export interface LearnerSpec {
  ask: LocalizedText;
  where: ScenarioView;
  command: string | null;
  showMe: ActionSpec[];
  until: ConditionSpec | null;
}
export interface StepSpec {
  id: string;
  title: LocalizedText;
  say: LocalizedText;
  highlight: ScenarioHighlight;
  do: ActionSpec[];
  learner: LearnerSpec | null;
  waitFor: ConditionSpec | null;
  /** Actions after the learner's part and the wait, before the checks (e.g. read back what the learner wrote). */
  then: ActionSpec[];
  check: CheckSpec[];
  pointer: string;
}
export interface LabSetup {
  members: number;
  observers: number;
  tickTimeMs: number;
  /** How often members reap containers and TTL nodes (zoo.cfg znode.container.checkIntervalMs). */
  containerCheckIntervalMs: number | null;
  /** Session timeout clients ask for unless a step says otherwise. */
  sessionTimeoutMs: number;
  /** More zoo.cfg settings for every member (e.g. `commitLogCount`, `zoolab.fsyncDelayMs`). */
  zooCfg: Record<string, string>;
}
export interface ScenarioDoc {
  id: string;
  kind: ScenarioKind;
  order: number;
  title: LocalizedText;
  goal: LocalizedText;
  lab: LabSetup;
  requires: Capability[];
  paths: string[];
  challenge: { bugSwitch: BugSwitchName; invariant: SafetyInvariantId } | null;
  steps: StepSpec[];
  /** Where it came from (file path or a name) and its text, for messages and recording. */
  source: string;
  text: string;
}

export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length} problem(s) in the scenario file\n${problems.join('\n')}`);
  }
}

const slug = (what: string) => str({ pattern: /^[a-z0-9][a-z0-9-]*$/, what, templates: false });
const saveName = () => str({ pattern: /^[A-Za-z_]\w*$/, what: 'a name to save the result under', templates: false });

const TOP: Shape = {
  $schema: opt(str({ templates: false })),
  format: oneOf([SCENARIO_FORMAT] as const),
  version: int(SCENARIO_VERSION, SCENARIO_VERSION),
  id: slug('an id of lowercase letters, digits and dashes'),
  kind: oneOf(['lesson', 'challenge'] as const),
  order: opt(int(0, 100_000)),
  title: text(),
  goal: text(),
  lab: objectOf(
    {
      members: int(1, 9),
      observers: opt(int(0, 9)),
      tickTimeMs: opt(int(10, 60_000)),
      containerCheckIntervalMs: opt(int(10, 600_000)),
      sessionTimeoutMs: opt(int(1, 600_000)),
      zooCfg: opt(zooCfgMap()),
    },
    'the lab to start ({"members": 3, …})',
  ),
  requires: opt(arrayOf(oneOf(CAPABILITIES))),
  paths: opt(arrayOf(path())),
  challenge: opt(objectOf({ bugSwitch: oneOf(BUG_SWITCHES), invariant: oneOf(INVARIANTS) }, 'the challenge ({"bugSwitch": …, "invariant": …})')),
  steps: arrayOf(anyObject('a step'), { min: 1 }),
};

const STEP: Shape = {
  id: slug('a step id of lowercase letters, digits and dashes'),
  title: text(),
  say: text(),
  highlight: opt(objectOf({ members: opt(arrayOf(int(1, 255))), paths: opt(arrayOf(path())), views: opt(arrayOf(oneOf(VIEWS))) }, 'what to highlight')),
  do: opt(arrayOf(anyObject('an action'))),
  learner: opt(anyObject('a learner prompt')),
  waitFor: opt(anyObject('a condition')),
  then: opt(arrayOf(anyObject('an action'))),
  check: opt(arrayOf(anyObject('a check'))),
};

const LEARNER: Shape = {
  ask: text(),
  where: oneOf(VIEWS),
  command: opt(str({ templates: false })),
  showMe: arrayOf(anyObject('an action'), { min: 1 }),
  until: opt(anyObject('a condition')),
};

const ACTION_COMMON: Shape = { action: str({ templates: false }), save: opt(saveName()), expect: opt(anyObject('an expectation')), tolerateFailure: opt(bool()) };
const EXPECT: Shape = { error: opt(str({ templates: false })), errors: opt(arrayOf(str({ templates: false }))), explain: text(), title: opt(text()) };
const CONDITION_COMMON: Shape = { condition: str({ templates: false }), timeoutMs: opt(int(1, 600_000)), bugMayPrevent: opt(bool()), save: opt(saveName()), title: opt(text()) };
const CHECK_COMMON: Shape = { check: str({ templates: false }), title: opt(text()), explain: text() };

const DEFAULT_WAIT_MS = 20_000;

/** `{"commitLogCount": 20}`: plain zoo.cfg keys; bug switches are never set this way (instructor flag only). */
function zooCfgMap(): Field<Record<string, string | number>> {
  return {
    expects: 'zoo.cfg settings ({"key": value})',
    optional: false,
    check(value, pointer, issues) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void issues.push({ pointer, message: 'must be an object of zoo.cfg key → value' });
      for (const [k, v] of Object.entries(value)) {
        if (!/^[A-Za-z][\w.]*$/.test(k)) issues.push({ pointer: `${pointer}/${k}`, message: `"${k}" is not a zoo.cfg key` });
        else if (k === BUG_SWITCH_KEY) issues.push({ pointer: `${pointer}/${k}`, message: `bug switches cannot be set by a scenario file; an instructor turns them on for a run (docs/teaching.md)` });
        else if (typeof v !== 'string' && typeof v !== 'number') issues.push({ pointer: `${pointer}/${k}`, message: 'must be a string or a number' });
        else if (/[\r\n]/.test(String(v))) issues.push({ pointer: `${pointer}/${k}`, message: 'must be on one line' });
      }
    },
  };
}

/** Parses and validates a scenario file. Throws ScenarioFileError listing every problem with its line. */
export function loadScenarioText(textIn: string, source: string): ScenarioDoc {
  let parsed: ParsedJsonc;
  try {
    parsed = parseJsonc(textIn, source);
  } catch (e) {
    if (e instanceof SourceError) throw new ScenarioFileError(source, [e.message]);
    throw e;
  }
  const issues: Issue[] = [];
  const root = parsed.value as Record<string, unknown>;
  checkObject(root, TOP, '', issues, true, 'a scenario ({"format": "zoolab-scenario", …})');
  if (issues.length > 0) throw fileError(source, parsed, issues);

  const lab = root.lab as Record<string, number | undefined>;
  const steps = (root.steps as Record<string, unknown>[]).map((s, i) => readStep(s, `/steps/${i}`, issues));
  const ids = new Set<string>();
  steps.forEach((s, i) => {
    if (ids.has(s.id)) issues.push({ pointer: `/steps/${i}/id`, message: `another step is already called "${s.id}"` });
    ids.add(s.id);
  });
  checkSavedNames(steps, issues);
  if (root.kind === 'challenge' && root.challenge === undefined) issues.push({ pointer: '/kind', message: 'a challenge needs "challenge": {"bugSwitch": …, "invariant": …}' });
  if (issues.length > 0) throw fileError(source, parsed, issues);

  const challenge = root.challenge as { bugSwitch: BugSwitchName; invariant: SafetyInvariantId } | undefined;
  return {
    id: root.id as string,
    kind: root.kind as ScenarioKind,
    order: (root.order as number | undefined) ?? 1000,
    title: root.title as LocalizedText,
    goal: root.goal as LocalizedText,
    lab: {
      members: lab.members!,
      observers: lab.observers ?? 0,
      tickTimeMs: lab.tickTimeMs ?? 250,
      containerCheckIntervalMs: lab.containerCheckIntervalMs ?? null,
      sessionTimeoutMs: lab.sessionTimeoutMs ?? 2000,
      zooCfg: Object.fromEntries(Object.entries((root.lab as { zooCfg?: Record<string, string | number> }).zooCfg ?? {}).map(([k, v]) => [k, String(v)])),
    },
    requires: (root.requires as Capability[] | undefined) ?? [],
    paths: (root.paths as string[] | undefined) ?? [],
    challenge: challenge ?? null,
    steps,
    source,
    text: textIn,
  };
}

function readStep(s: Record<string, unknown>, pointer: string, issues: Issue[]): StepSpec {
  checkObject(s, STEP, pointer, issues, true, 'a step');
  const h = (s.highlight ?? {}) as Partial<ScenarioHighlight>;
  const learnerRaw = s.learner as Record<string, unknown> | undefined;
  let learner: LearnerSpec | null = null;
  if (learnerRaw !== undefined) {
    const before = issues.length;
    checkObject(learnerRaw, LEARNER, `${pointer}/learner`, issues, true, 'a learner prompt');
    if (issues.length === before) {
      learner = {
        ask: learnerRaw.ask as LocalizedText,
        where: learnerRaw.where as ScenarioView,
        command: (learnerRaw.command as string | undefined) ?? null,
        showMe: (learnerRaw.showMe as Record<string, unknown>[]).map((a, i) => readAction(a, `${pointer}/learner/showMe/${i}`, issues)),
        until: learnerRaw.until === undefined ? null : readCondition(learnerRaw.until as Record<string, unknown>, `${pointer}/learner/until`, issues),
      };
    }
  }
  const list = (key: string) => (Array.isArray(s[key]) ? (s[key] as Record<string, unknown>[]) : []);
  return {
    id: String(s.id),
    title: s.title as LocalizedText,
    say: s.say as LocalizedText,
    highlight: { members: h.members ?? [], paths: h.paths ?? [], views: h.views ?? [] },
    do: list('do').map((a, i) => readAction(a, `${pointer}/do/${i}`, issues)),
    learner,
    waitFor: s.waitFor === undefined || typeof s.waitFor !== 'object' ? null : readCondition(s.waitFor as Record<string, unknown>, `${pointer}/waitFor`, issues),
    then: list('then').map((a, i) => readAction(a, `${pointer}/then/${i}`, issues)),
    check: list('check').map((c, i) => readCheck(c, `${pointer}/check/${i}`, issues)),
    pointer,
  };
}

/** Splits `{ "<kind>": name, common…, params… }` and checks the params against the named definition. */
function split(raw: Record<string, unknown>, kindKey: string, common: Shape, defs: ReadonlyMap<string, { params: Shape }>, pointer: string, issues: Issue[], what: string): { name: string; params: Record<string, unknown> } | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const name = raw[kindKey];
  if (typeof name !== 'string') {
    issues.push({ pointer, message: `needs "${kindKey}": the ${what} to use (one of ${[...defs.keys()].join(', ')})` });
    return null;
  }
  const def = defs.get(name);
  if (!def) {
    issues.push({ pointer: `${pointer}/${kindKey}`, message: `there is no ${what} called "${name}" (known: ${[...defs.keys()].join(', ')})` });
    return null;
  }
  const params: Record<string, unknown> = {};
  const commonValues: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) (k in common ? commonValues : params)[k] = v;
  checkObject(commonValues, common, pointer, issues, true, `a ${what}`, Object.keys(def.params));
  checkObject(params, def.params, pointer, issues, true, `a ${what}`, Object.keys(common));
  return { name, params };
}

function readAction(raw: Record<string, unknown>, pointer: string, issues: Issue[]): ActionSpec {
  const r = split(raw, 'action', ACTION_COMMON, ACTIONS, pointer, issues, 'action');
  let expect: ExpectSpec | null = null;
  if (raw && typeof raw.expect === 'object' && raw.expect !== null) {
    const e = raw.expect as Record<string, unknown>;
    checkObject(e, EXPECT, `${pointer}/expect`, issues, false, 'an expectation');
    const errors = [...(typeof e.error === 'string' ? [e.error] : []), ...(Array.isArray(e.errors) ? (e.errors as string[]) : [])];
    expect = { errors, explain: e.explain as LocalizedText, title: (e.title as LocalizedText | undefined) ?? null };
  }
  if (expect && raw?.tolerateFailure) issues.push({ pointer: `${pointer}/tolerateFailure`, message: 'an action with "expect" cannot also tolerate failure' });
  return { name: r?.name ?? '?', params: r?.params ?? {}, save: (raw?.save as string | undefined) ?? null, expect, tolerateFailure: raw?.tolerateFailure === true, pointer };
}

function readCondition(raw: Record<string, unknown>, pointer: string, issues: Issue[]): ConditionSpec {
  const r = split(raw, 'condition', CONDITION_COMMON, CONDITIONS_BY_NAME, pointer, issues, 'condition');
  return {
    name: r?.name ?? '?',
    params: r?.params ?? {},
    timeoutMs: (raw?.timeoutMs as number | undefined) ?? DEFAULT_WAIT_MS,
    bugMayPrevent: raw?.bugMayPrevent === true,
    save: (raw?.save as string | undefined) ?? null,
    title: (raw?.title as LocalizedText | undefined) ?? null,
    pointer,
  };
}

function readCheck(raw: Record<string, unknown>, pointer: string, issues: Issue[]): CheckSpec {
  const r = split(raw, 'check', CHECK_COMMON, CHECKS_BY_NAME, pointer, issues, 'check');
  return { name: r?.name ?? '?', params: r?.params ?? {}, title: (raw?.title as LocalizedText | undefined) ?? null, explain: raw?.explain as LocalizedText, pointer };
}

/** A `${name…}` must refer to something an earlier step (or action) saved. */
function checkSavedNames(steps: StepSpec[], issues: Issue[]): void {
  const saved = new Set<string>(['last']);
  const refs = (v: unknown, pointer: string): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/\$\{([A-Za-z_]\w*)/g)) if (!saved.has(m[1]!)) issues.push({ pointer, message: `refers to "${m[1]}", which no earlier action or condition saves (saved so far: ${[...saved].join(', ')})` });
    } else if (Array.isArray(v)) v.forEach((x, i) => refs(x, `${pointer}/${i}`));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.var === 'string' && Object.keys(o).length === 1) refs(`\${${o.var}}`, pointer);
      else for (const [k, x] of Object.entries(o)) refs(x, `${pointer}/${k}`);
    }
  };
  const action = (a: ActionSpec) => {
    refs(a.params, a.pointer);
    if (a.save) saved.add(a.save);
  };
  for (const s of steps) {
    s.do.forEach(action);
    if (s.learner) {
      s.learner.showMe.forEach(action);
      if (s.learner.until) {
        refs(s.learner.until.params, s.learner.until.pointer);
        if (s.learner.until.save) saved.add(s.learner.until.save);
      }
    }
    if (s.waitFor) {
      refs(s.waitFor.params, s.waitFor.pointer);
      if (s.waitFor.save) saved.add(s.waitFor.save);
    }
    s.then.forEach(action);
    for (const c of s.check) refs(c.params, c.pointer);
  }
}

function fileError(source: string, parsed: ParsedJsonc, issues: Issue[]): ScenarioFileError {
  const problems = issues.map((i) => {
    const at = parsed.locate(i.pointer);
    return `${source}:${at.line}:${at.column}: ${describePointer(i.pointer)} ${i.message}\n${parsed.excerpt(at)}`;
  });
  return new ScenarioFileError(source, problems);
}
