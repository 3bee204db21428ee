/**
 * Where scenarios come from: the built-in course in resources/scenarios (found next to
 * this installation, never via the working directory), extra directories, single files,
 * and texts loaded at run time (a recording, an upload). Each is validated on load.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioDetail, ScenarioSummary } from '../lab/api.js';
import { loadScenarioText, type Capability, type ScenarioDoc } from './document.js';

/** resources/scenarios of this installation: the first ancestor of this file that has it. */
export function builtInScenarioDir(from = fileURLToPath(import.meta.url)): string | null {
  let dir = dirname(from);
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'resources', 'scenarios');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** Reads and validates one file. */
export function loadScenarioFile(file: string): ScenarioDoc {
  return loadScenarioText(readFileSync(file, 'utf8'), resolve(file));
}

/** Every `*.json` / `*.jsonc` scenario in a directory, sorted by order then id. Invalid files throw. */
export function loadScenarioDir(dir: string): ScenarioDoc[] {
  return readdirSync(dir)
    .filter((f) => /\.jsonc?$/.test(f))
    .map((f) => loadScenarioFile(join(dir, f)))
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

export type ScenarioSource = ScenarioSummary['source'];

/** What this build can do, for `requires` (the ensemble arrives with the quorum driver). */
export interface Capabilities {
  has(c: Capability): boolean;
  why(c: Capability): string;
}

export class ScenarioLibrary {
  private readonly docs = new Map<string, { doc: ScenarioDoc; source: ScenarioSource }>();

  constructor(private readonly capabilities: Capabilities) {}

  add(doc: ScenarioDoc, source: ScenarioSource): ScenarioDoc {
    this.docs.set(doc.id, { doc, source });
    return doc;
  }

  addDir(dir: string, source: ScenarioSource = 'file'): void {
    for (const doc of loadScenarioDir(dir)) this.add(doc, source);
  }

  get(idOrFile: string): ScenarioDoc {
    const hit = this.docs.get(idOrFile);
    if (hit) return hit.doc;
    if (/[\\/]|\.jsonc?$/.test(idOrFile) && existsSync(idOrFile)) return this.add(loadScenarioFile(idOrFile), 'file');
    throw new ScenarioNotFound(idOrFile, [...this.docs.keys()]);
  }

  list(): ScenarioSummary[] {
    return [...this.docs.values()]
      .sort((a, b) => a.doc.order - b.doc.order || a.doc.id.localeCompare(b.doc.id))
      .map(({ doc, source }) => this.summary(doc, source));
  }

  summary(doc: ScenarioDoc, source: ScenarioSource = this.docs.get(doc.id)?.source ?? 'file'): ScenarioSummary {
    return {
      id: doc.id,
      title: doc.title.en,
      description: doc.goal.en,
      kind: doc.kind,
      order: doc.order,
      text: { title: doc.title, goal: doc.goal },
      members: doc.lab.members,
      stepCount: doc.steps.length,
      requires: [...doc.requires],
      unavailable: this.unavailable(doc),
      source,
      bugSwitch: doc.challenge?.bugSwitch ?? null,
    };
  }

  detail(id: string): ScenarioDetail {
    const doc = this.get(id);
    return {
      summary: this.summary(doc),
      steps: doc.steps.map((s) => ({
        id: s.id,
        title: s.title,
        narration: s.say,
        highlight: s.highlight,
        learner: s.learner ? { ask: s.learner.ask, where: s.learner.where, command: s.learner.command, canShowMe: true } : null,
      })),
    };
  }

  /** Why `doc` cannot run on this build, or null. */
  unavailable(doc: ScenarioDoc): string | null {
    const needs: Capability[] = [...doc.requires];
    if (doc.lab.members > 1 && !needs.includes('ensemble')) needs.push('ensemble');
    const missing = needs.filter((c) => !this.capabilities.has(c));
    return missing.length === 0 ? null : missing.map((c) => this.capabilities.why(c)).join('; ');
  }
}

export class ScenarioNotFound extends Error {
  override name = 'ScenarioNotFound';
  readonly code = 'no-such-scenario';
  constructor(id: string, known: string[]) {
    super(`there is no scenario ${JSON.stringify(id)} (known: ${known.join(', ') || 'none'}; a path to a .json file works too)`);
  }
}

export function scenarioIdFromFile(file: string): string {
  return basename(file).replace(/\.jsonc?$/, '');
}
