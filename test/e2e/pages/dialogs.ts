/** Confirmation and other modal dialogs. */
import type { Page } from 'playwright-core';

/** Accepts the open confirmation dialog (every destructive action has one). */
export async function confirmDialog(page: Page): Promise<string> {
  const dialog = page.locator('[data-testid=confirm-dialog]');
  await dialog.waitFor();
  const title = (await dialog.getAttribute('aria-label')) ?? '';
  await dialog.locator('[data-testid=confirm-accept]').click();
  await dialog.waitFor({ state: 'detached' });
  return title;
}

export async function cancelDialog(page: Page): Promise<void> {
  const dialog = page.locator('[data-testid=confirm-dialog]');
  await dialog.locator('[data-testid=confirm-cancel]').click();
  await dialog.waitFor({ state: 'detached' });
}

/** The newest toast's text, once one of `kind` shows. */
export async function lastToast(page: Page, kind: 'success' | 'error' | 'info'): Promise<string> {
  const toast = page.locator(`[data-testid=toast][data-kind=${kind}]`).last();
  await toast.waitFor();
  return toast.innerText();
}
