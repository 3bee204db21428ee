/**
 * The LabApi over Electron IPC, main side: one invoke channel for every command (allowed
 * names only, from api.ts `LAB_COMMANDS`), one event channel carrying every lab event
 * to the window. Replies are envelopes (`{ok, value}` / `{ok: false, error}`) because
 * Electron flattens thrown errors to a message; the preload turns them back into
 * rejections with the LabError shape.
 *
 * Each request's sender frame is checked (electron security checklist: validate the IPC
 * sender): only the app's own top-level page may drive the lab.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { LAB_EVENTS, isCommandName, type Actor, type CommandName, type EventName, type LabError } from '../engine/src/lab/api.js';
import { CHANNELS } from './host-api.js';

/** What the adapter drives: the LabService (engine/src/lab/lab-service.ts) fits. */
export interface LabBackend {
  invoke(name: CommandName, arg: unknown, actor: Actor): Promise<unknown>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

export type Envelope = { ok: true; value: unknown } | { ok: false; error: LabError };

export interface LabIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  backend: LabBackend;
  /** True when the event comes from the app's own page (checked on every request). */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  /** Delivers an event to the window (webContents.send), if it is still open. */
  send(channel: string, name: EventName, payload: unknown): void;
}

export function toEnvelopeError(e: unknown): LabError {
  const x = e as { code?: unknown; message?: unknown };
  return { code: typeof x?.code === 'string' ? x.code : 'failed', message: typeof x?.message === 'string' ? x.message : String(e) };
}

/** Registers the lab channels; returns a function that removes them and unsubscribes. */
export function registerLabIpc(o: LabIpcOptions): () => void {
  o.ipcMain.handle(CHANNELS.labInvoke, async (event, name: unknown, arg: unknown): Promise<Envelope> => {
    if (!o.isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'this page may not use the lab' } };
    if (!isCommandName(name)) return { ok: false, error: { code: 'unknown-command', message: `unknown command ${JSON.stringify(name)}` } };
    try {
      return { ok: true, value: await o.backend.invoke(name, arg ?? {}, 'ui') };
    } catch (e) {
      return { ok: false, error: toEnvelopeError(e) };
    }
  });
  const unsubscribe = LAB_EVENTS.map((name) => o.backend.on(name, (payload) => o.send(CHANNELS.labEvent, name, payload)));
  return () => {
    o.ipcMain.removeHandler(CHANNELS.labInvoke);
    for (const u of unsubscribe) u();
  };
}
