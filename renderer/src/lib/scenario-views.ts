/**
 * Where a scenario step points (engine api.ts `ScenarioHighlight`, `ScenarioLearnerPrompt.where`)
 * in terms of this UI: which member cards, tree rows and views to outline, and which
 * centre tab or dock to bring forward when the step starts.
 */
import type { MemberId, ScenarioRun, ScenarioStepView, ScenarioView } from '../../../engine/src/lab/api.js';
import type { CenterTab } from '../stores/preferences.js';

export interface Pointer {
  /** 1-based step the pointer belongs to (for the "Step N" tag). */
  step: number;
  members: MemberId[];
  paths: string[];
  views: ScenarioView[];
}

/** The centre tab that shows a view; null for views that are always on screen (sidebar, dock, panel). */
export function centerTabFor(view: ScenarioView): CenterTab | null {
  switch (view) {
    case 'tree':
      return 'data';
    case 'events':
    case 'timeline':
      return 'timeline';
    case 'sessions':
      return 'sessions';
    case 'members':
    case 'quorum':
    case 'links':
    case 'terminal':
    case 'safety':
      return null;
  }
}

export function isRunActive(run: ScenarioRun | null): boolean {
  return run !== null && (run.state === 'running' || run.state === 'waiting-for-learner');
}

/** The step the run is on, or null before the first and after the end. */
export function currentStep(run: ScenarioRun | null): ScenarioStepView | null {
  if (!run || !isRunActive(run) || run.step < 1) return null;
  return run.steps[run.step - 1] ?? null;
}

/**
 * What the current step points at: its highlight, plus the place the learner acts while
 * the step waits for them (the learner's `where` comes first: it is where to look now).
 */
export function pointerOf(run: ScenarioRun | null): Pointer | null {
  const step = currentStep(run);
  if (!step) return null;
  const views: ScenarioView[] = [];
  if (step.status === 'waiting-for-learner' && step.learner) views.push(step.learner.where);
  for (const v of step.highlight.views) if (!views.includes(v)) views.push(v);
  return { step: step.index, members: [...step.highlight.members], paths: [...step.highlight.paths], views };
}

/** The first centre tab among the pointer's views (the one to bring forward), if any. */
export function tabToShow(pointer: Pointer | null): CenterTab | null {
  for (const v of pointer?.views ?? []) {
    const tab = centerTabFor(v);
    if (tab) return tab;
  }
  return null;
}

/** The scenario views a centre tab shows (a step naming one points at the tab). */
export function viewsOfTab(tab: CenterTab): ScenarioView[] {
  switch (tab) {
    case 'data':
      return ['tree'];
    case 'timeline':
      return ['timeline', 'events'];
    case 'sessions':
      return ['sessions'];
    case 'snapshots':
      return [];
  }
}
