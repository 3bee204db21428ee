/**
 * A lab service like the desktop app's (electron/main.ts): an in-process LabService that
 * may switch labs, with the scenario engine, served to the browser build by the WebSocket
 * bridge. Unlike `zk-lab serve` (one fixed lab), a scenario run here creates its own lab —
 * the only way an instructor bug switch can be set (docs/teaching.md). Starts with no lab;
 * `stop()` takes any lab down and removes the scenario labs' folder — always call it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabService } from '../../../engine/src/lab/lab-service.js';
import { startWebBridge } from '../../../engine/src/lab/web-bridge.js';
import { ScenarioService } from '../../../engine/src/scenarios/service.js';
import { rendererBuild } from './browser.js';

export interface AppService {
  url: string;
  service: LabService;
  stop(): Promise<void>;
}

export async function startAppService(): Promise<AppService> {
  const labsRoot = mkdtempSync(join(tmpdir(), 'zoolab-e2e-scenario-labs-'));
  const service = new LabService({ allowLabSwitch: true, scenarios: new ScenarioService({ labsRoot }) });
  const bridge = await startWebBridge({
    backend: { invoke: (name, arg, actor) => service.invoke(name, arg, actor), on: (event, listener) => service.on(event, listener), info: () => service.lab?.info() ?? null },
    staticDir: rendererBuild(),
  });
  return {
    url: bridge.url,
    service,
    stop: async () => {
      await bridge.close().catch(() => {});
      await service.dispose().catch(() => {});
      await service.invoke('lab.down', {}, 'lab').catch(() => {});
      rmSync(labsRoot, { recursive: true, force: true });
    },
  };
}
