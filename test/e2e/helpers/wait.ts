/**
 * Polling waits that read the page through locators (no in-page functions, so these files
 * need no DOM typings). They give up after a deadline with what they last saw.
 */
import type { Locator, Page } from 'playwright-core';

export async function waitUntil<T>(page: Page, read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // The element may be re-rendering; try again.
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms (last seen: ${JSON.stringify(last)})`);
    await page.waitForTimeout(100);
  }
}

/** Waits until an attribute of the first element `locator` finds equals `value`. */
export async function waitForAttr(page: Page, locator: Locator, name: string, value: string, timeoutMs = 20_000): Promise<void> {
  await waitUntil(page, () => locator.first().getAttribute(name, { timeout: 1000 }), (v) => v === value, `${name}="${value}" on ${locator}`, timeoutMs);
}
