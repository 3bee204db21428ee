/** The desktop host when the preload exposed `window.zoolabHost`, otherwise the browser's. */
import type { HostBridge } from '../../../electron/host-api.js';
import { base64ToBytes, bytesToBase64 } from '../lib/bytes.js';
import type { FileFilter, Host } from './host.js';

declare global {
  interface Window {
    zoolabHost?: HostBridge;
  }
}

export function chooseHost(): Host {
  const bridge = window.zoolabHost;
  if (bridge) return desktopHost(bridge);
  return browserHost();
}

function desktopHost(bridge: HostBridge): Host {
  return {
    kind: 'desktop',
    chooseSavePath: (o) => bridge.invoke('host.chooseSavePath', o),
    chooseOpenPath: (o) => bridge.invoke('host.chooseOpenPath', o),
    saveText: (o) => bridge.invoke('host.saveText', o),
    openText: (o) => bridge.invoke('host.openText', o),
    saveBytes: (o) => bridge.invoke('host.saveBytes', o),
    openBytes: (o) => bridge.invoke('host.openBytes', o),
    labsDir: () => bridge.invoke('host.labsDir', {}),
    onMenuCommand: (listener) => bridge.on('host.menu', (p) => listener(p.command)),
  };
}

/** Hands a blob to the browser's download manager. */
function download(blob: Blob, name: string): string {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the click has been handed to the download manager.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** Asks for one file with a hidden file input; null when cancelled. */
function pick(filters: FileFilter[]): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = filters.flatMap((f) => f.extensions.map((e) => `.${e}`)).join(',');
    input.style.display = 'none';
    input.dataset.testid = 'file-input';
    input.addEventListener('change', () => {
      const file = input.files?.[0] ?? null;
      input.remove();
      resolve(file);
    });
    input.addEventListener('cancel', () => {
      input.remove();
      resolve(null);
    });
    document.body.append(input);
    input.click();
  });
}

function browserHost(): Host {
  return {
    kind: 'browser',
    chooseSavePath: async () => null,
    chooseOpenPath: async () => null,
    saveText: async (o) => download(new Blob([o.text], { type: o.defaultName.endsWith('.svg') ? 'image/svg+xml' : 'application/json' }), o.defaultName),
    openText: async (o) => {
      const file = await pick(o.filters);
      return file ? { name: file.name, text: await file.text() } : null;
    },
    saveBytes: async (o) => download(new Blob([base64ToBytes(o.dataBase64) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), o.defaultName),
    openBytes: async (o) => {
      const file = await pick(o.filters);
      return file ? { name: file.name, dataBase64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) } : null;
    },
    labsDir: async () => null,
    onMenuCommand: () => () => {},
  };
}
