#!/usr/bin/env node
/**
 * Renders resources/icon.svg to the PNGs electron-builder packs (resources/icon.png at
 * 1024 px for macOS/Windows, resources/icons/NxN.png for Linux) with the system's
 * Chromium through playwright-core. Run after changing the SVG; the PNGs are committed.
 *   node resources/render-icons.mjs [/path/to/chromium]
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const svg = readFileSync(join(here, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.argv[2] ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  mkdirSync(join(here, 'icons'), { recursive: true });
  for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`);
    const png = join(here, 'icons', `${size}x${size}.png`);
    await page.screenshot({ path: png, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    if (size === 1024) await page.screenshot({ path: join(here, 'icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  }
} finally {
  await browser.close();
}
