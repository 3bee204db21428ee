/**
 * Attributes that mark what the current scenario step points at (member cards, tree rows,
 * views): the `pointed` class (styles/base.css: a dashed outline in the pointer colour
 * plus a "step N" tag, so the cue is not colour alone), `data-pointed` for tests and
 * tools, and an aria-description saying why it is outlined. Spread them with v-bind on an element or
 * a single-root component (Vue passes them to its root).
 */
import type { MemberId, ScenarioView } from '../../../engine/src/lab/api.js';
import { useI18n } from '../i18n/index.js';
import { viewsOfTab } from '../lib/scenario-views.js';
import type { CenterTab } from '../stores/preferences.js';
import { useScenarioStore } from '../stores/scenario.js';

export type PointerAttrs = Record<string, string | string[] | undefined>;

export function usePointer() {
  const store = useScenarioStore();
  const { t } = useI18n();

  /** `tagged`: also show the "step N" tag (needs an element that may be position: relative). */
  function attrs(on: boolean, tagged = true): PointerAttrs {
    if (!on) return { 'data-pointed': 'false' };
    const step = store.pointer?.step ?? 0;
    return {
      class: tagged ? ['pointed', 'pointed-tagged'] : ['pointed'],
      'data-pointed': 'true',
      ...(tagged ? { 'data-pointer-label': t('learn.pointerTag', { step }) } : {}),
      'aria-description': t('learn.pointedHint'),
    };
  }

  return {
    view: (v: ScenarioView, tagged = true) => attrs(store.pointsAtView(v), tagged),
    member: (id: MemberId) => attrs(store.pointsAtMember(id)),
    path: (p: string) => attrs(store.pointsAtPath(p), false),
    tab: (tab: CenterTab) => attrs(viewsOfTab(tab).some((v) => store.pointsAtView(v)), false),
  };
}
