/**
 * The WebSocket bridges `zk-lab serve` runs: one for the lab it was started for, and one
 * more for every lab a browser imports beside it. A `zk-lab` supervisor serves one lab,
 * so `snapshot.import*` there starts the imported lab under its own supervisor
 * (lab-service.ts) and answers `switched: false`; this server then serves that lab too
 * and puts its URL in the answer, so the UI can open it in a new tab. A bridge closes when
 * its lab goes down; `close()` stops them all (the labs keep running).
 */
import type { CommandName, ImportedLab, LabInfo } from './api.js';
import { ControlClient } from './control-channel.js';
import { startWebBridge, type WebBridge } from './web-bridge.js';

export interface LabServerOptions {
  /** The renderer build; null serves the built-in status page. */
  staticDir: string | null;
  /** Told about every bridge started after the first (an imported lab). */
  onServed?: (dir: string, url: string) => void;
}

interface Served {
  bridge: WebBridge;
  client: ControlClient;
}

export class LabServer {
  private readonly served = new Map<string, Served>();
  private closed = false;

  constructor(private readonly options: LabServerOptions) {}

  /** Serves the running lab in `dir` (through its supervisor's control channel); `onDown` runs when that lab goes down. */
  async serve(dir: string, port = 0, onDown?: () => void): Promise<WebBridge> {
    const existing = this.served.get(dir);
    if (existing) return existing.bridge;
    const client = await ControlClient.connect(dir);
    client.actor = 'web';
    let info: LabInfo | null = client.hello.lab;
    client.on('lab.status', (s) => (info = s.lab));
    let bridge: WebBridge;
    try {
      bridge = await startWebBridge({
        backend: { invoke: (name, arg) => this.invoke(client, name, arg), on: (event, listener) => client.on(event, listener), info: () => info },
        port,
        staticDir: this.options.staticDir,
      });
    } catch (e) {
      client.close();
      throw e;
    }
    this.served.set(dir, { bridge, client });
    client.onClosed(() => {
      this.served.delete(dir);
      void bridge.close();
      onDown?.();
    });
    return bridge;
  }

  /** Stops every bridge (not the labs). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.served.values()];
    this.served.clear();
    await Promise.all(all.map(async ({ bridge, client }) => {
      await bridge.close();
      client.close();
    }));
  }

  private async invoke(client: ControlClient, name: CommandName, arg: unknown): Promise<unknown> {
    const result = await client.invoke(name, arg as never);
    if ((name !== 'snapshot.importBytes' && name !== 'snapshot.import') || this.closed) return result;
    const imported = result as ImportedLab;
    if (imported.switched) return imported;
    try {
      const bridge = await this.serve(imported.dir);
      this.options.onServed?.(imported.dir, bridge.url);
      return { ...imported, url: bridge.url, message: `${imported.message}; open it at ${bridge.url}` } satisfies ImportedLab;
    } catch (e) {
      return { ...imported, message: `${imported.message} (it could not be served here: ${(e as Error).message})` } satisfies ImportedLab;
    }
  }
}
