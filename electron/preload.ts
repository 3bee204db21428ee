/**
 * The preload: exposes `window.lab` and `window.zoolabHost` and nothing else. Runs
 * sandboxed, so it is bundled to CommonJS (electron/preload.vite.config.ts →
 * dist/electron/preload.cjs) with everything it imports inlined except `electron`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createHostBridge, createLabBridge } from './preload-api.js';

contextBridge.exposeInMainWorld('lab', createLabBridge(ipcRenderer));
contextBridge.exposeInMainWorld('zoolabHost', createHostBridge(ipcRenderer));
