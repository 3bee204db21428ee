/**
 * The desktop window's security settings in one place (electron docs/tutorial/security.md
 * checklist, style.md B6). Pure: main.ts applies them; test/electron checks them.
 */
import type { WebPreferences } from 'electron';

/** The privileged scheme the renderer is served from (a real origin, so CSP 'self' works). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'zoolab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The same policy as renderer/index.html's meta tag, also sent as a header by the app protocol. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // xterm.js and Vue style bindings set inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    // The renderer's JavaScript cannot reach the preload's world or Node.
    contextIsolation: true,
    // The renderer runs in Chromium's OS-level sandbox; the preload gets only a tiny, safe API.
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    // No <webview>: nothing may embed other content.
    webviewTag: false,
    // Spellcheck would send text to a dictionary service on some platforms.
    spellcheck: false,
    navigateOnDragDrop: false,
  };
}

/** Only the app's own pages may load in the window; everything else is blocked. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Links the app may hand to the system browser (documentation), never anything else. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && ['zookeeper.apache.org', 'github.com'].includes(u.hostname);
  } catch {
    return false;
  }
}
