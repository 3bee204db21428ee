/** The snapshots tab: cluster download and inspection, subtree JSON download and upload. */
import type { Download, Page } from 'playwright-core';

export class SnapshotsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.locator('[data-testid=tab-snapshots]').click();
    await this.page.locator('[data-testid=snapshots-view]').waitFor();
  }

  async downloadCluster(): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.locator('[data-testid=export-cluster]').click()]);
    return download;
  }

  /** Uploads an export file and waits for its manifest. Returns the znode count it reports. */
  async inspectCluster(file: string): Promise<number> {
    const [chooser] = await Promise.all([this.page.waitForEvent('filechooser'), this.page.locator('[data-testid=inspect-cluster]').click()]);
    await chooser.setFiles(file);
    const manifest = this.page.locator('[data-testid=manifest]');
    await manifest.waitFor();
    return Number(await manifest.getAttribute('data-znodes'));
  }

  async downloadSubtree(path: string): Promise<Download> {
    await this.page.locator('[data-testid=subtree-path]').fill(path);
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.locator('[data-testid=export-subtree]').click()]);
    return download;
  }

  async uploadSubtree(file: string, options: { target?: string; onConflict?: 'fail' | 'skip' | 'overwrite' } = {}): Promise<void> {
    const [chooser] = await Promise.all([this.page.waitForEvent('filechooser'), this.page.locator('[data-testid=import-subtree]').click()]);
    await chooser.setFiles(file);
    const dialog = this.page.locator('[data-testid=import-subtree-dialog]');
    await dialog.waitFor();
    if (options.target) await dialog.locator('[data-testid=import-target]').fill(options.target);
    if (options.onConflict) await dialog.locator('[data-testid=import-conflict]').selectOption(options.onConflict);
    await dialog.locator('[data-testid=import-submit]').click();
    await dialog.waitFor({ state: 'detached' });
  }
}
