/** The terminal dock ([data-testid=terminal]): tabs, typing into the active xterm, reading its screen. */
import type { Locator, Page } from 'playwright-core';
import { waitUntil } from '../helpers/wait.js';

export class TerminalPage {
  constructor(private readonly page: Page) {}

  root(): Locator {
    return this.page.locator('[data-testid=terminal]');
  }

  tabs(): Locator {
    return this.page.locator('[data-testid=terminal-tab]');
  }

  /** Opens a tab (on `member`, or any) and waits for the shell's prompt. Returns its shell id. */
  async newTab(member: number | null = null): Promise<string> {
    const before = await this.tabs().count();
    await this.page.locator('[data-testid=terminal-member]').selectOption(member === null ? '' : String(member));
    await this.page.locator('[data-testid=terminal-new]').click();
    await waitUntil(this.page, () => this.tabs().count(), (n) => n === before + 1, 'a new terminal tab');
    const id = (await this.tabs().last().getAttribute('data-shell-id'))!;
    // zkCli's prompt: [zk: host:port(CONNECTED) 0]
    await this.waitForText(id, /\[zk: .*\(CONNECTED\) \d+\]/);
    return id;
  }

  async activate(shellId: string): Promise<void> {
    await this.page.locator(`[data-testid=terminal-tab][data-shell-id="${shellId}"]`).click();
    await this.page.locator(`[data-testid=terminal-view][data-shell-id="${shellId}"][data-active=true]`).waitFor();
  }

  /** Types a line into a tab's terminal (activating it) and presses Enter. */
  async run(shellId: string, line: string): Promise<void> {
    await this.activate(shellId);
    await this.page.locator(`[data-testid=terminal-view][data-shell-id="${shellId}"] .xterm-helper-textarea`).focus();
    await this.page.keyboard.type(line, { delay: 5 });
    await this.page.keyboard.press('Enter');
  }

  /** The text xterm's DOM renderer shows for a tab (its visible rows). */
  async text(shellId: string): Promise<string> {
    return this.page.locator(`[data-testid=terminal-view][data-shell-id="${shellId}"] .xterm-rows`).innerText();
  }

  async waitForText(shellId: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const view = this.page.locator(`[data-testid=terminal-view][data-shell-id="${shellId}"]`);
      if (await view.isVisible()) {
        last = await this.text(shellId);
        if (pattern.test(last)) return last;
      } else {
        // Hidden tabs are not rendered by xterm's DOM renderer: look at it.
        await this.activate(shellId);
      }
      await this.page.waitForTimeout(100);
    }
    throw new Error(`terminal ${shellId} never showed ${pattern}; it shows:\n${last}`);
  }
}
