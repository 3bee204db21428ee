/**
 * What actions, conditions and checks get to work with during a run, and how each of them
 * is declared (one declaration gives the name, the typed parameters, the validator and the
 * texts). The runner implements `RunContext`.
 */
import type { BugSwitchName, LocalizedText, MemberId, ScenarioLang } from '../lab/api.js';
import type { ClientPool, ScenarioClient } from './clients.js';
import type { LabDriver } from './lab-driver.js';
import type { SafetyMonitor } from './safety/safety-monitor.js';
import type { Infer, Shape } from './schema.js';
import type { Vars } from './values.js';

export interface RunContext {
  readonly lang: ScenarioLang;
  readonly vars: Vars;
  readonly lab: LabDriver;
  readonly clients: ClientPool;
  readonly safety: SafetyMonitor;
  readonly bugSwitches: readonly BugSwitchName[];
  readonly signal: AbortSignal;
  /** Named helpers that live across steps (service monitors, lock demos…). */
  readonly helpers: Map<string, unknown>;
  /** Session timeout asked for when a step does not say (the lab clamps it to [2, 20] × tickTime). */
  readonly defaultSessionTimeoutMs: number;
  /** Lab event seq when the current step began (conditions on "events of this step"). */
  readonly stepStartSeq: number;
  /** Lab event seq when the run began. */
  readonly runStartSeq: number;
  /** When the current step began (ms, the run's clock). */
  readonly stepStartTime: number;
  now(): number;
  /** Waits, unless the run is stopped first. */
  sleep(ms: number): Promise<void>;
  /** Adds a line to the current step's log. */
  log(text: LocalizedText, ok?: boolean): void;
  /** Wakes waiting conditions (something they may depend on changed). */
  poke(): void;
  member(selector: number | string): Promise<MemberId>;
  client(name: string): ScenarioClient;
  /** A helper of the given kind, or a clear error. */
  helper<T>(name: string, kind: abstract new (...args: never[]) => T): T;
}

export interface ActionResult {
  /** Saved under the action's `save` name. */
  value?: unknown;
  /** Appended to the action's log line (e.g. the sequential name the server chose). */
  result?: LocalizedText;
}

export interface ActionDef<S extends Shape = Shape> {
  readonly name: string;
  readonly params: S;
  /** The log line, in both languages, before the result. */
  describe(p: Infer<S>): LocalizedText;
  run(ctx: RunContext, p: Infer<S>): Promise<ActionResult | void>;
}

export interface ConditionResult {
  ok: boolean;
  /** What is true right now (shown while waiting and on timeout). */
  detail?: LocalizedText;
  value?: unknown;
}

export interface ConditionDef<S extends Shape = Shape> {
  readonly name: string;
  readonly params: S;
  describe(p: Infer<S>): LocalizedText;
  test(ctx: RunContext, p: Infer<S>): Promise<ConditionResult> | ConditionResult;
}

export interface CheckOutcome {
  ok: boolean;
  /** What was expected and what was seen. */
  detail: LocalizedText;
}

export interface CheckDef<S extends Shape = Shape> {
  readonly name: string;
  readonly params: S;
  /** The check's title when the file gives none. */
  describe(p: Infer<S>): LocalizedText;
  evaluate(ctx: RunContext, p: Infer<S>): Promise<CheckOutcome> | CheckOutcome;
}

export const defineAction = <S extends Shape>(def: ActionDef<S>): ActionDef<S> => def;
export const defineCondition = <S extends Shape>(def: ConditionDef<S>): ConditionDef<S> => def;
export const defineCheck = <S extends Shape>(def: CheckDef<S>): CheckDef<S> => def;

// Registries hold definitions of many shapes; the runner validates parameters first, so
// calling through the erased type is sound.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyActionDef = ActionDef<any>;
export type AnyConditionDef = ConditionDef<any>;
export type AnyCheckDef = CheckDef<any>;
