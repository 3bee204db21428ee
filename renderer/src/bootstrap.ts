/**
 * Wires the stores to a LabApi once it is chosen: the lab store adopts it, every store
 * subscribes to its events, and the views get their first pictures.
 */
import type { LabApi } from '../../engine/src/lab/api.js';
import type { Actions } from './commands/actions.js';
import { useEnsembleStore } from './stores/ensemble.js';
import { useEventsStore } from './stores/events.js';
import { useLabStore, type Transport } from './stores/lab.js';
import { useNetworkStore } from './stores/network.js';
import { useNodeStore } from './stores/node.js';
import { useScenarioStore } from './stores/scenario.js';
import { useTerminalsStore } from './stores/terminals.js';
import { useTreeStore } from './stores/tree.js';

export async function startStores(api: LabApi, transport: Transport, actions: Actions): Promise<void> {
  const lab = useLabStore();
  await lab.attach(api, transport);
  useNetworkStore().bind();
  useTreeStore().bind();
  useNodeStore().bind();
  useTerminalsStore().bind();
  await Promise.allSettled([
    useEnsembleStore().bind(),
    useEventsStore().bind(),
    // A scenario run that moved the service to its own lab: every view reads the new one.
    useScenarioStore().bind({
      onLabSwitch: async () => {
        await lab.refresh().catch(() => {});
        await actions.afterLabChange();
      },
    }),
  ]);
  if (lab.hasLab) await actions.openTree(null);
}
