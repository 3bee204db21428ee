/** The network panel: link matrix cells, presets, heal. */
import type { Locator, Page } from 'playwright-core';

export class NetworkPage {
  constructor(private readonly page: Page) {}

  cell(from: number | 'client', to: number | 'client'): Locator {
    return this.page.locator(`[data-testid=link-cell][data-from="${from}"][data-to="${to}"]`);
  }

  async stateOf(from: number | 'client', to: number | 'client'): Promise<string> {
    return (await this.cell(from, to).getAttribute('data-state')) ?? '';
  }

  async preset(kind: string): Promise<void> {
    await this.page.locator(`[data-testid=preset-${kind}]`).click();
  }

  /** Right-click a matrix cell, set a delay (optionally both ways) in the link editor, apply. */
  async setDelay(from: number | 'client', to: number | 'client', delayMs: number, bothWays: boolean): Promise<void> {
    await this.cell(from, to).click({ button: 'right' });
    const dialog = this.page.locator('[data-testid=link-editor]');
    await dialog.waitFor();
    await dialog.locator('[data-testid=link-delay]').fill(String(delayMs));
    if (bothWays) await dialog.locator('label.check input[type=checkbox]').check();
    await dialog.locator('[data-testid=link-apply]').click();
    await dialog.waitFor({ state: 'detached' });
  }

  async heal(): Promise<void> {
    await this.page.locator('[data-testid=heal-links]').click();
  }
}
