/**
 * Fakes of the Electron pieces main and preload touch (style.md A9, Lens's message-bridge
 * fake): an ipcMain with handle/removeHandler, an ipcRenderer joined to it in the same
 * process, webContents with event listeners. Only what our code uses; shaped by the
 * real type declarations where it matters.
 */
import type { IpcMainInvokeEvent } from 'electron';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

/** The main side's view of who sent a request. */
export interface FakeSender {
  frameUrl: string;
  trusted: boolean;
}

/** An ipcRenderer wired to a FakeIpcMain: invoke runs the main handler with a fake event; `deliver` plays webContents.send. */
export class FakeIpcRenderer {
  private readonly listeners = new Map<string, Set<(e: unknown, ...args: unknown[]) => void>>();
  /** Everything invoke sent, cloned like Electron's structured clone would. */
  readonly sent: { channel: string; args: unknown[] }[] = [];

  constructor(
    private readonly main: FakeIpcMain,
    public sender: FakeSender = { frameUrl: 'app://zoolab/index.html', trusted: true },
  ) {}

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const cloned = structuredClone(args);
    this.sent.push({ channel, args: cloned });
    const h = this.main.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    const event = { senderFrame: { url: this.sender.frameUrl }, sender: this.sender } as unknown as IpcMainInvokeEvent;
    return structuredClone(await h(event, ...cloned));
  }

  on(channel: string, listener: (e: unknown, ...args: unknown[]) => void): this {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }

  removeListener(channel: string, listener: (e: unknown, ...args: unknown[]) => void): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  /** What webContents.send(channel, ...args) does on the renderer side. */
  deliver(channel: string, ...args: unknown[]): void {
    for (const l of [...(this.listeners.get(channel) ?? [])]) l({}, ...structuredClone(args));
  }
}

/** A webContents that records listeners and handlers so tests can fire them. */
export class FakeWebContents {
  readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  permissionHandler: ((wc: unknown, permission: string, callback: (ok: boolean) => void) => void) | null = null;
  readonly session = {
    setPermissionRequestHandler: (h: FakeWebContents['permissionHandler']) => {
      this.permissionHandler = h;
    },
  };
  on(event: string, listener: (...args: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
  /** Fires `event` with a preventable event object; returns whether it was prevented. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    const e = { preventDefault: () => (prevented = true) };
    for (const l of this.listeners.get(event) ?? []) l(e, ...args);
    return prevented;
  }
}
