/**
 * Chromium for the UI tests: Debian's /usr/bin/chromium driven by playwright-core,
 * headless, no sandbox (containers), no network chatter. Screenshots go under
 * test-output/ in the repository (gitignored) so a reviewer can look at end states.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.ZOOLAB_CHROMIUM ?? '/usr/bin/chromium';

/** The repository root: the folder holding electron-builder.yml above this file. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'electron-builder.yml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

/** The renderer build the tests load (ZOOLAB_RENDERER_DIR, else dist/renderer); a clear error when it was not built. */
export function rendererBuild(): string {
  const dir = process.env.ZOOLAB_RENDERER_DIR ?? join(repoRoot(), 'dist', 'renderer');
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`no renderer build in ${dir}: run npm run build (or npm run build:renderer) first`);
  return dir;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

/** How a page's browser context is set up: the system colour scheme and language it reports. */
export interface PageOptions {
  colorScheme?: 'light' | 'dark';
  locale?: string;
}

export async function openPage(browser: Browser, url: string, options: PageOptions = {}): Promise<OpenPage> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    colorScheme: options.colorScheme ?? 'light',
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.locator('[data-testid=app][data-ready=true]').waitFor({ timeout: 20_000 });
  return { context, page, errors };
}

/** Saves a full-window screenshot as test-output/<suite>/<name>.png and returns its path. */
export async function screenshot(page: Page, suite: string, name: string): Promise<string> {
  const dir = join(repoRoot(), 'test-output', suite);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}
