/**
 * Picks the LabApi implementation at startup; nothing else in the renderer knows which
 * one it got (style.md B6, Hoppscotch `PlatformDef`):
 * - Electron: the preload exposed `window.lab` (contextBridge over IPC);
 * - browser: the page was opened from `zk-lab serve`'s URL, whose `?token=` authorises the
 *   WebSocket bridge on the same host (`/api`);
 * - demo: `?lab=demo` runs an in-memory simulated lab (for trying the UI and for the
 *   renderer's component tests); its code is a separate chunk loaded only then.
 */
import type { LabApi } from '../../../engine/src/lab/api.js';
import { connectWebSocketLab } from './websocket-client.js';

export type ClientChoice =
  | { kind: 'ready'; api: LabApi; transport: 'electron' | 'websocket' | 'demo' }
  | { kind: 'missing' }
  | { kind: 'failed'; message: string };

declare global {
  interface Window {
    lab?: LabApi;
  }
}

export async function chooseLabClient(location: Location): Promise<ClientChoice> {
  if (window.lab) return { kind: 'ready', api: window.lab, transport: 'electron' };
  const params = new URLSearchParams(location.search);
  if (params.get('lab') === 'demo') {
    const { createDemoLab } = await import('../testing/fake-lab/demo.js');
    return { kind: 'ready', api: createDemoLab(params), transport: 'demo' };
  }
  const token = params.get('token');
  if (!token) return { kind: 'missing' };
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  try {
    const api = await connectWebSocketLab(`${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`, (url, handlers) => {
      const ws = new WebSocket(url);
      ws.onmessage = (ev) => handlers.message(String(ev.data));
      ws.onclose = (ev) => handlers.close(ev.code, ev.reason);
      return ws;
    });
    return { kind: 'ready', api, transport: 'websocket' };
  } catch (e) {
    return { kind: 'failed', message: (e as { message?: string }).message ?? String(e) };
  }
}
