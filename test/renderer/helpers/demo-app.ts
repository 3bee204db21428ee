/**
 * The built app on the simulated demo lab (`?lab=demo`) in Chromium, for component tests:
 * one static server and one browser per test file, started before its tests and closed —
 * with every page opened — after them.
 */
import test from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, rendererBuild, type OpenPage, type PageOptions } from '../../e2e/helpers/browser.js';
import { serveStatic } from './static-server.js';

/** Registers the file's before/after hooks; the returned function opens a demo page (`query` adds URL parameters). */
export function demoApp(): (query?: string, options?: PageOptions) => Promise<OpenPage> {
  let browser: Browser | undefined;
  let server: { url: string; close(): Promise<void> } | undefined;
  const opened: OpenPage[] = [];
  test.before(async () => {
    server = await serveStatic(rendererBuild());
    browser = await launchChromium();
  });
  test.after(async () => {
    for (const o of opened) await o.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close();
  });
  return async (query = '', options = {}) => {
    const o = await openPage(browser!, `${server!.url}?lab=demo${query}`, options);
    opened.push(o);
    return o;
  };
}
