/**
 * What the preload exposes, built from an ipcRenderer (real or fake): `window.lab`
 * (LabApi) and `window.zoolabHost` (HostBridge). Only names in the tables pass; replies
 * arrive as envelopes and become values or rejections with {code, message}; `on`
 * returns its own unsubscribe. ipcRenderer itself is never exposed (electron ipc.md).
 *
 * Bundled into the sandboxed CommonJS preload (electron/preload.ts → dist/electron/preload.cjs).
 */
import { isCommandName, isEventName, type LabApi } from '../engine/src/lab/api.js';
import { CHANNELS, isHostCommand, isHostEvent, type HostBridge } from './host-api.js';

type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
/** The part of ipcRenderer the bridges use (Electron's ipcRenderer fits; tests pass a fake). */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function unwrap(env: Envelope): unknown {
  if (env && env.ok === true) return env.value;
  // A plain object crosses the context bridge intact (an Error would lose its code).
  throw env && env.ok === false ? { code: env.error.code, message: env.error.message } : { code: 'failed', message: 'no answer from the main process' };
}

/** One listener per channel on ipcRenderer, fanned out to subscribers by event name. */
function eventHub(ipc: IpcLike, channel: string) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let attached = false;
  const onMessage = (_e: unknown, name: unknown, payload: unknown) => {
    for (const l of [...(listeners.get(String(name)) ?? [])]) l(payload);
  };
  return (name: string, listener: (payload: unknown) => void): (() => void) => {
    if (!attached) {
      ipc.on(channel, onMessage);
      attached = true;
    }
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    // Wrap so the same function subscribed twice unsubscribes independently.
    const wrapped = (p: unknown) => listener(p);
    set.add(wrapped);
    return () => {
      set!.delete(wrapped);
      if ([...listeners.values()].every((s) => s.size === 0) && attached) {
        ipc.removeListener(channel, onMessage);
        attached = false;
      }
    };
  };
}

export function createLabBridge(ipc: IpcLike): LabApi {
  const subscribe = eventHub(ipc, CHANNELS.labEvent);
  return {
    invoke: (async (name: unknown, arg: unknown) => {
      if (!isCommandName(name)) throw { code: 'unknown-command', message: `unknown command ${JSON.stringify(name)}` };
      return unwrap((await ipc.invoke(CHANNELS.labInvoke, name, arg)) as Envelope);
    }) as LabApi['invoke'],
    on: ((event: unknown, listener: (payload: unknown) => void) => {
      if (!isEventName(event)) throw { code: 'unknown-event', message: `unknown event ${JSON.stringify(event)}` };
      if (typeof listener !== 'function') throw { code: 'bad-request', message: 'listener must be a function' };
      return subscribe(event, listener);
    }) as LabApi['on'],
  };
}

export function createHostBridge(ipc: IpcLike): HostBridge {
  const subscribe = eventHub(ipc, CHANNELS.hostEvent);
  return {
    invoke: (async (name: unknown, arg: unknown) => {
      if (!isHostCommand(name)) throw { code: 'unknown-command', message: `unknown host command ${JSON.stringify(name)}` };
      return unwrap((await ipc.invoke(CHANNELS.hostInvoke, name, arg)) as Envelope);
    }) as HostBridge['invoke'],
    on: ((event: unknown, listener: (payload: unknown) => void) => {
      if (!isHostEvent(event)) throw { code: 'unknown-event', message: `unknown host event ${JSON.stringify(event)}` };
      if (typeof listener !== 'function') throw { code: 'bad-request', message: 'listener must be a function' };
      return subscribe(event, listener);
    }) as HostBridge['on'],
  };
}
