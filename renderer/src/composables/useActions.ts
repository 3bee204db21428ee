/** The shared actions and command table, provided once by the app and injected by components. */
import { inject, provide, type InjectionKey } from 'vue';
import type { Actions } from '../commands/actions.js';
import type { CommandRunner } from '../commands/command-table.js';
import type { ScenarioActions } from '../commands/scenario-actions.js';
import type { Host } from '../platform/host.js';

export interface AppServices {
  actions: Actions;
  /** The Learn panel's actions (scenarios, bug switches, recording). */
  learn: ScenarioActions;
  commands: Map<string, CommandRunner>;
  host: Host;
}

const KEY: InjectionKey<AppServices> = Symbol('zoolab-services');

export function provideServices(s: AppServices): void {
  provide(KEY, s);
}

export function useServices(): AppServices {
  const s = inject(KEY);
  if (!s) throw new Error('useServices() called outside the app (no services provided)');
  return s;
}

export function useActions(): Actions {
  return useServices().actions;
}

export function useScenarioActions(): ScenarioActions {
  return useServices().learn;
}
