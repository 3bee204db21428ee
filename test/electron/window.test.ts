/**
 * The window's security: preferences, navigation and window-open guards, permissions,
 * the app:// protocol's path checks and CSP header.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAppPath, serveApp } from '../../electron/app-protocol.js';
import { CONTENT_SECURITY_POLICY, isAppUrl, isSafeExternalUrl, secureWebPreferences } from '../../electron/security.js';
import { createMainWindow, guardContents, windowOptions } from '../../electron/window.js';
import { FakeWebContents } from './helpers/fake-electron.js';

test('web preferences: isolation, sandbox, no Node, no webview', () => {
  const p = secureWebPreferences('/app/dist/electron/preload.cjs');
  assert.equal(p.contextIsolation, true);
  assert.equal(p.sandbox, true);
  assert.equal(p.nodeIntegration, false);
  assert.equal(p.nodeIntegrationInWorker, false);
  assert.equal(p.nodeIntegrationInSubFrames, false);
  assert.equal(p.webSecurity, true);
  assert.equal(p.allowRunningInsecureContent, false);
  assert.equal(p.webviewTag, false);
  assert.equal(p.preload, '/app/dist/electron/preload.cjs');
  const o = windowOptions({ preloadPath: '/p.cjs', backgroundColor: '#000' });
  assert.equal(o.show, false, 'shown when ready, no white flash');
  assert.deepEqual(o.webPreferences, secureWebPreferences('/p.cjs'));
});

test('navigation away from the app is cancelled; new windows are denied, safe links open outside', async () => {
  const contents = new FakeWebContents();
  const opened: string[] = [];
  guardContents(contents as never, async (url) => void opened.push(url));
  assert.equal(contents.fire('will-navigate', 'https://evil.example/'), true);
  assert.equal(contents.fire('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(contents.fire('will-navigate', 'app://zoolab/index.html'), false);
  assert.equal(contents.fire('will-redirect', 'http://127.0.0.1:1/'), true);
  assert.equal(contents.fire('will-attach-webview'), true);
  assert.deepEqual(contents.windowOpenHandler!({ url: 'https://zookeeper.apache.org/doc/' }), { action: 'deny' });
  assert.deepEqual(contents.windowOpenHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
  assert.deepEqual(opened, ['https://zookeeper.apache.org/doc/']);
  let granted: boolean | null = null;
  contents.permissionHandler!(contents, 'media', (ok) => (granted = ok));
  assert.equal(granted, false);
});

test('the main window loads the app page and shows itself when ready', () => {
  const contents = new FakeWebContents();
  const loaded: string[] = [];
  const once = new Map<string, () => void>();
  let shown = false;
  const win = createMainWindow({
    createWindow: (options) => {
      assert.equal(options.webPreferences?.sandbox, true);
      return { webContents: contents, loadURL: async (u: string) => void loaded.push(u), once: (e: string, f: () => void) => once.set(e, f), show: () => (shown = true) } as never;
    },
    openExternal: async () => {},
    preloadPath: '/p.cjs',
    backgroundColor: '#fff',
  });
  assert.ok(win);
  assert.deepEqual(loaded, ['app://zoolab/index.html']);
  once.get('ready-to-show')!();
  assert.equal(shown, true);
});

test('url checks: only app://zoolab is the app; only https links to known sites leave it', () => {
  assert.equal(isAppUrl('app://zoolab/assets/x.js'), true);
  assert.equal(isAppUrl('app://zoolab.evil/x'), false);
  assert.equal(isAppUrl('not a url'), false);
  assert.equal(isSafeExternalUrl('https://github.com/apache/zookeeper'), true);
  assert.equal(isSafeExternalUrl('http://github.com/'), false);
  assert.equal(isSafeExternalUrl('javascript:alert(1)'), false);
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval/);
});

test('the app protocol serves files inside the renderer build only, with the CSP header', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'zoolab-app-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>ZooLab</title>');
  writeFileSync(join(root, 'assets', 'a.js'), 'console.log(1)');
  const index = await serveApp(root, 'app://zoolab/');
  assert.equal(index.status, 200);
  assert.equal(index.headers['Content-Type'], 'text/html; charset=utf-8');
  assert.equal(index.headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
  assert.equal((await serveApp(root, 'app://zoolab/assets/a.js')).headers['Content-Type'], 'text/javascript; charset=utf-8');
  assert.equal((await serveApp(root, 'app://zoolab/missing.js')).status, 404);
  assert.equal((await serveApp(root, 'app://zoolab/..%2f..%2fetc%2fpasswd')).status, 403);
  assert.equal((await serveApp(root, 'app://other/index.html')).status, 403);
  // The URL parser folds encoded dot segments; either way the path stays inside the build.
  assert.equal(resolveAppPath(root, 'app://zoolab/%2e%2e/secret'), join(root, 'secret'));
});
