/**
 * The HostApi (host-api.ts), main side: native save/open dialogs, reading and writing
 * the chosen files, the labs folder. Same envelope and sender check as the lab channel.
 * Dialog and file functions are injected so tests run without Electron.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNELS, isHostCommand, type FileFilter, type HostCommands, type HostCommandName } from './host-api.js';
import { toEnvelopeError, type Envelope } from './ipc-adapter.js';

const MAX_TEXT_BYTES = 64 * 1024 * 1024;
const MAX_BINARY_BYTES = 512 * 1024 * 1024;

export interface HostDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  /** dialog.showSaveDialog for the window; resolves the chosen path or null. */
  showSave(o: { title: string; defaultPath: string; filters: FileFilter[] }): Promise<string | null>;
  /** dialog.showOpenDialog for one file; the chosen path or null. */
  showOpen(o: { title: string; filters: FileFilter[] }): Promise<string | null>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  fileSize(path: string): Promise<number>;
  labsDir(): string;
}

type Handlers = { [K in HostCommandName]: (arg: HostCommands[K]['request']) => Promise<HostCommands[K]['response']> };

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function hostHandlers(d: HostDeps): Handlers {
  const readLimited = async (path: string, max: number) => {
    const size = await d.fileSize(path);
    if (size > max) throw Object.assign(new Error(`${basename(path)} is ${size} bytes; at most ${max} can be opened here`), { code: 'too-large' });
    return d.readFile(path);
  };
  return {
    'host.chooseSavePath': (a) => d.showSave({ title: a.title, defaultPath: a.defaultName, filters: a.filters }),
    'host.chooseOpenPath': (a) => d.showOpen({ title: a.title, filters: a.filters }),
    'host.saveText': async (a) => {
      const path = await d.showSave({ title: a.title, defaultPath: a.defaultName, filters: a.filters });
      if (!path) return null;
      await d.writeFile(path, a.text);
      return path;
    },
    'host.openText': async (a) => {
      const path = await d.showOpen({ title: a.title, filters: a.filters });
      if (!path) return null;
      return { name: basename(path), text: new TextDecoder().decode(await readLimited(path, MAX_TEXT_BYTES)) };
    },
    'host.saveBytes': async (a) => {
      const path = await d.showSave({ title: a.title, defaultPath: a.defaultName, filters: a.filters });
      if (!path) return null;
      await d.writeFile(path, Buffer.from(a.dataBase64, 'base64'));
      return path;
    },
    'host.openBytes': async (a) => {
      const path = await d.showOpen({ title: a.title, filters: a.filters });
      if (!path) return null;
      return { name: basename(path), dataBase64: Buffer.from(await readLimited(path, MAX_BINARY_BYTES)).toString('base64') };
    },
    'host.labsDir': async () => d.labsDir(),
  };
}

export function registerHostIpc(d: HostDeps): () => void {
  const handlers = hostHandlers(d);
  d.ipcMain.handle(CHANNELS.hostInvoke, async (event, name: unknown, arg: unknown): Promise<Envelope> => {
    if (!d.isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'this page may not use the desktop host' } };
    if (!isHostCommand(name)) return { ok: false, error: { code: 'unknown-command', message: `unknown host command ${JSON.stringify(name)}` } };
    if (arg === null || typeof arg !== 'object') return { ok: false, error: { code: 'bad-request', message: `the argument of ${name} must be an object` } };
    try {
      return { ok: true, value: await (handlers[name] as (a: unknown) => Promise<unknown>)(arg) };
    } catch (e) {
      return { ok: false, error: toEnvelopeError(e) };
    }
  });
  return () => d.ipcMain.removeHandler(CHANNELS.hostInvoke);
}
