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

  async heal(): Promise<void> {
    await this.page.locator('[data-testid=heal-links]').click();
  }
}
