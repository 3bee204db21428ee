/**
 * HostApi — what the desktop shell offers the renderer besides the lab: native file
 * dialogs, the folder new labs go in, and menu commands. One definition, types plus the
 * channel list the preload allows (like engine/src/lab/api.ts for the lab). The browser
 * build implements the same interface with downloads and file inputs
 * (renderer/src/platform/browser-host.ts), so the UI never asks which one it has.
 */

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface HostCommands {
  /** Native "Save as…"; resolves with the chosen path or null when cancelled. */
  'host.chooseSavePath': { request: { title: string; defaultName: string; filters: FileFilter[] }; response: string | null };
  /** Native "Open…"; the chosen path or null. */
  'host.chooseOpenPath': { request: { title: string; filters: FileFilter[] }; response: string | null };
  /** Save dialog, then writes `text` there; resolves with the path or null when cancelled. */
  'host.saveText': { request: { title: string; defaultName: string; filters: FileFilter[]; text: string }; response: string | null };
  /** Open dialog, then reads the file as UTF-8 (at most 64 MiB); null when cancelled. */
  'host.openText': { request: { title: string; filters: FileFilter[] }; response: { name: string; text: string } | null };
  /** Save dialog, then writes the bytes there; the path or null. */
  'host.saveBytes': { request: { title: string; defaultName: string; filters: FileFilter[]; dataBase64: string }; response: string | null };
  /** Open dialog, then reads the file's bytes (at most 512 MiB); null when cancelled. */
  'host.openBytes': { request: { title: string; filters: FileFilter[] }; response: { name: string; dataBase64: string } | null };
  /** Where the app keeps labs it creates (inside the user's app data folder). */
  'host.labsDir': { request: Record<string, never>; response: string };
}

export interface HostEvents {
  /** A menu item was chosen; `command` is a renderer command id (renderer/src/commands). */
  'host.menu': { command: string };
}

export type HostCommandName = keyof HostCommands;
export type HostEventName = keyof HostEvents;

export interface HostBridge {
  invoke<K extends HostCommandName>(name: K, arg: HostCommands[K]['request']): Promise<HostCommands[K]['response']>;
  on<E extends HostEventName>(event: E, listener: (payload: HostEvents[E]) => void): () => void;
}

export const HOST_COMMANDS = ['host.chooseSavePath', 'host.chooseOpenPath', 'host.saveText', 'host.openText', 'host.saveBytes', 'host.openBytes', 'host.labsDir'] as const satisfies readonly HostCommandName[];
export const HOST_EVENTS = ['host.menu'] as const satisfies readonly HostEventName[];

type Missing<All, Listed> = Exclude<All, Listed>;
const commandsComplete: Missing<HostCommandName, (typeof HOST_COMMANDS)[number]> extends never ? true : false = true;
const eventsComplete: Missing<HostEventName, (typeof HOST_EVENTS)[number]> extends never ? true : false = true;
void commandsComplete;
void eventsComplete;

export function isHostCommand(name: unknown): name is HostCommandName {
  return typeof name === 'string' && (HOST_COMMANDS as readonly string[]).includes(name);
}
export function isHostEvent(name: unknown): name is HostEventName {
  return typeof name === 'string' && (HOST_EVENTS as readonly string[]).includes(name);
}

/** IPC channel names, spelled once. */
export const CHANNELS = {
  labInvoke: 'zoolab:lab-invoke',
  labEvent: 'zoolab:lab-event',
  hostInvoke: 'zoolab:host-invoke',
  hostEvent: 'zoolab:host-event',
} as const;
