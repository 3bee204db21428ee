/**
 * ZooLab's Electron main process — thin on purpose (style.md B6): it creates the window
 * and menu, serves the renderer at app://zoolab/, runs a LabService in-process (members
 * are child processes run by Electron's own binary with ELECTRON_RUN_AS_NODE, so users
 * need no Node install) and adapts it to IPC. All lab logic is in engine/src/lab.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, shell } from 'electron';
import { mkdirSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabService } from '../engine/src/lab/lab-service.js';
import { ScenarioService } from '../engine/src/scenarios/service.js';
import { en } from '../renderer/src/i18n/messages/en.js';
import { translate } from '../renderer/src/i18n/translate.js';
import { serveApp } from './app-protocol.js';
import { CHANNELS } from './host-api.js';
import { registerHostIpc } from './host-handlers.js';
import { registerLabIpc } from './ipc-adapter.js';
import { buildMenuTemplate } from './menu.js';
import { APP_SCHEME } from './security.js';
import { createMainWindow, isTrustedFrame } from './window.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/electron → the project (or app.asar) root. */
const root = join(here, '..', '..');
const rendererDir = join(root, 'dist', 'renderer');
const preloadPath = join(here, 'preload.cjs');

// The scheme must be privileged before the app is ready: standard (relative URLs work),
// secure (a secure context), and allowed to fetch its own files.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  // A second launch focuses the first window instead of starting a second lab host.
  app.quit();
}

/**
 * In a packaged app the member program runs from app.asar.unpacked (electron-builder.yml
 * unpacks dist/engine and the native modules): a child process started with
 * ELECTRON_RUN_AS_NODE loads better-sqlite3 and the storage worker from real files there.
 */
function memberScript(): string | undefined {
  if (!app.isPackaged) return undefined;
  return join(process.resourcesPath, 'app.asar.unpacked', 'dist', 'engine', 'bin', 'zk-server.js');
}

let win: BrowserWindow | null = null;
const labsDir = join(app.getPath('userData'), 'labs');
const service = new LabService({
  allowLabSwitch: true,
  supervisorOptions: { execPath: process.execPath, ...(memberScript() ? { memberScript: memberScript()! } : {}) },
  // The Learn panel's lessons and challenges (docs/teaching.md); a run opens its own lab
  // beside the user's labs, which the learner can keep using after the run.
  scenarios: new ScenarioService({ labsRoot: join(labsDir, 'scenarios') }),
});

function trusted(event: Electron.IpcMainInvokeEvent): boolean {
  return isTrustedFrame(win, event.senderFrame, event.sender);
}

app.on('second-instance', () => {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
});

app.whenReady().then(() => {
  mkdirSync(labsDir, { recursive: true });
  protocol.handle(APP_SCHEME, async (request) => {
    const r = await serveApp(rendererDir, request.url);
    return new Response(typeof r.body === 'string' ? r.body : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength), { status: r.status, headers: r.headers });
  });

  registerLabIpc({
    ipcMain,
    backend: service,
    isTrustedSender: trusted,
    send: (channel, name, payload) => {
      if (win && !win.isDestroyed()) win.webContents.send(channel, name, payload);
    },
  });
  registerHostIpc({
    ipcMain,
    isTrustedSender: trusted,
    showSave: async (o) => {
      const r = await dialog.showSaveDialog(win!, { title: o.title, defaultPath: join(app.getPath('documents'), o.defaultPath), filters: o.filters });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    showOpen: async (o) => {
      const r = await dialog.showOpenDialog(win!, { title: o.title, filters: o.filters, properties: ['openFile'] });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
    },
    readFile: async (p) => readFile(p),
    writeFile: (p, data) => writeFile(p, data),
    fileSize: async (p) => (await stat(p)).size,
    labsDir: () => labsDir,
  });

  const t = (key: Parameters<typeof translate>[2]) => translate(en, en, key);
  const sendMenu = (command: string) => {
    if (win && !win.isDestroyed()) win.webContents.send(CHANNELS.hostEvent, 'host.menu', { command });
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(t, sendMenu, process.platform, !app.isPackaged)));

  win = createMainWindow({
    createWindow: (options) => new BrowserWindow(options),
    openExternal: (url) => shell.openExternal(url),
    preloadPath,
    iconPath: join(root, 'resources', 'icons', '512x512.png'),
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f1115' : '#f6f7f9',
  });
  win.on('closed', () => (win = null));
});

// The lab's members are this process's children: stop them before quitting.
let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  quitting = true;
  event.preventDefault();
  void service
    .invoke('lab.down', {}, 'ui')
    .catch(() => {})
    // Ends a scenario run still in progress (its clients and helpers) before quitting.
    .then(() => service.dispose())
    .finally(() => app.quit());
});

app.on('window-all-closed', () => app.quit());
