/** The data tree and the node panel ([data-testid=tree-node] with data-path; [data-testid=node-data]). */
import type { Locator, Page } from 'playwright-core';
import { waitForAttr } from '../helpers/wait.js';

export class TreePage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.locator('[data-testid=tab-data]').click();
    await this.page.locator('[data-testid=tree-view]').waitFor();
  }

  node(path: string): Locator {
    return this.page.locator(`[data-testid=tree-node][data-path="${path}"]`);
  }

  async expand(path: string): Promise<void> {
    const row = this.node(path);
    if ((await row.getAttribute('data-expanded')) !== 'true') await row.locator('[data-testid=tree-toggle]').click();
    await waitForAttr(this.page, row, 'data-expanded', 'true');
  }

  async select(path: string): Promise<void> {
    await this.node(path).click();
    await this.page.locator(`[data-testid=node-panel][data-path="${path}"]`).waitFor();
  }

  async jumpTo(path: string): Promise<void> {
    const input = this.page.locator('[data-testid=tree-jump]');
    await input.fill(path);
    await input.press('Enter');
    await this.page.locator(`[data-testid=node-panel][data-path="${path}"]`).waitFor();
  }

  /** Creates `name` under the selected node with the create dialog. */
  async createChild(parent: string, name: string, data: string, mode = 'persistent'): Promise<void> {
    await this.select(parent);
    await this.page.locator('[data-testid=node-create]').click();
    const dialog = this.page.locator('[data-testid=create-node-dialog]');
    await dialog.locator('[data-testid=create-name]').fill(name);
    await dialog.locator('[data-testid=create-mode]').selectOption(mode);
    await dialog.locator('[data-testid=create-data]').fill(data);
    await dialog.locator('[data-testid=create-submit]').click();
    await dialog.waitFor({ state: 'detached' });
  }

  async deleteSelected(recursive: boolean): Promise<void> {
    await this.page.locator('[data-testid=node-delete]').click();
    const dialog = this.page.locator('[data-testid=delete-node-dialog]');
    await dialog.waitFor();
    if (recursive) await dialog.locator('[data-testid=delete-recursive]').check();
    await dialog.locator('[data-testid=delete-submit]').click();
    await dialog.waitFor({ state: 'detached' });
  }

  data(): Locator {
    return this.page.locator('[data-testid=node-data]');
  }

  async view(v: 'text' | 'json' | 'hex' | 'base64'): Promise<void> {
    await this.page.locator(`[data-testid=view-${v}]`).click();
    await this.page.locator(`[data-testid=node-data][data-view=${v}]`).waitFor();
  }

  async edit(text: string): Promise<void> {
    await this.page.locator('[data-testid=node-edit]').click();
    await this.page.locator('[data-testid=node-editor]').fill(text);
    await this.page.locator('[data-testid=node-save]').click();
  }

  /** Tree rows currently in the DOM (the virtual list renders only what is near the view). */
  async renderedRows(): Promise<number> {
    return this.page.locator('[data-testid=tree-node], [data-testid=tree-node-loading]').count();
  }

  async totalRows(): Promise<number> {
    return Number(await this.page.locator('[data-testid=tree-view]').getAttribute('data-rows'));
  }
}
