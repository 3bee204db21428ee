/** Every action, condition and check a scenario file may name, by name. */
import { APP_ACTIONS } from './actions/app-actions.js';
import { CLIENT_ACTIONS } from './actions/client-actions.js';
import { LAB_ACTIONS } from './actions/lab-actions.js';
import { SHELL_ACTIONS } from './actions/shell-actions.js';
import { CHECKS } from './checks/index.js';
import { CONDITIONS } from './conditions/index.js';
import type { AnyActionDef, AnyCheckDef, AnyConditionDef } from './context.js';

function byName<T extends { name: string }>(defs: readonly T[]): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const d of defs) {
    if (map.has(d.name)) throw new Error(`two definitions named ${d.name}`);
    map.set(d.name, d);
  }
  return map;
}

export const ACTIONS: ReadonlyMap<string, AnyActionDef> = byName([...LAB_ACTIONS, ...CLIENT_ACTIONS, ...APP_ACTIONS, ...SHELL_ACTIONS]);
export const CONDITIONS_BY_NAME: ReadonlyMap<string, AnyConditionDef> = byName(CONDITIONS);
export const CHECKS_BY_NAME: ReadonlyMap<string, AnyCheckDef> = byName(CHECKS);
