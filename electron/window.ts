/**
 * The main window: secure preferences, the app:// page, and the guards that keep it the
 * only thing this window ever shows — navigation elsewhere is cancelled, new windows are
 * denied (safe https links go to the system browser), permission requests refused.
 * Electron's classes are injected so test/electron can check all of it with fakes.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Event, HandlerDetails, WebContents } from 'electron';
import { APP_ORIGIN, isAppUrl, isSafeExternalUrl, secureWebPreferences } from './security.js';

export interface WindowDeps {
  createWindow(options: BrowserWindowConstructorOptions): BrowserWindow;
  openExternal(url: string): Promise<void>;
  preloadPath: string;
  iconPath?: string;
  backgroundColor: string;
}

export function windowOptions(d: Pick<WindowDeps, 'preloadPath' | 'iconPath' | 'backgroundColor'>): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 920,
    minWidth: 980,
    minHeight: 600,
    title: 'ZooLab',
    show: false,
    backgroundColor: d.backgroundColor,
    ...(d.iconPath ? { icon: d.iconPath } : {}),
    webPreferences: secureWebPreferences(d.preloadPath),
  };
}

/** Applies the navigation, window-open and permission guards to a window's contents. */
export function guardContents(contents: WebContents, openExternal: (url: string) => Promise<void>): void {
  contents.on('will-navigate', (event: Event, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event: Event, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    if (isSafeExternalUrl(details.url)) void openExternal(details.url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

export function createMainWindow(d: WindowDeps): BrowserWindow {
  const win = d.createWindow(windowOptions(d));
  guardContents(win.webContents, d.openExternal);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** The IPC sender check: the request must come from this window's main frame on the app origin. */
export function isTrustedFrame(win: BrowserWindow | null, frame: { url: string } | null, sender: WebContents): boolean {
  if (!win || win.isDestroyed() || sender !== win.webContents || !frame) return false;
  return isAppUrl(frame.url);
}
