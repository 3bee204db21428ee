/** The ensemble panel: member cards (data-testid contract), quick actions, quorum meter. */
import type { Locator, Page } from 'playwright-core';
import { confirmDialog } from './dialogs.js';
import { waitForAttr, waitUntil } from '../helpers/wait.js';

export type Role = 'leader' | 'follower' | 'observer' | 'looking' | 'down';

export class EnsemblePage {
  constructor(private readonly page: Page) {}

  cards(): Locator {
    return this.page.locator('[data-testid=member-card]');
  }

  card(id: number): Locator {
    return this.page.locator(`[data-testid=member-card][data-member-id="${id}"]`);
  }

  async roleOf(id: number): Promise<Role> {
    return (await this.card(id).getAttribute('data-role')) as Role;
  }

  async roles(): Promise<Record<number, Role>> {
    const out: Record<number, Role> = {};
    for (const c of await this.cards().all()) out[Number(await c.getAttribute('data-member-id'))] = (await c.getAttribute('data-role')) as Role;
    return out;
  }

  /** Waits until exactly one card shows the leader role (optionally not `not`) and returns its id. */
  async waitForLeader(options: { not?: number; timeoutMs?: number } = {}): Promise<number> {
    const roles = await waitUntil(
      this.page,
      () => this.roles(),
      (r) => {
        const leaders = Object.entries(r).filter(([, role]) => role === 'leader');
        return leaders.length === 1 && Number(leaders[0]![0]) !== options.not;
      },
      `one leader${options.not !== undefined ? ` other than ${options.not}` : ''}`,
      options.timeoutMs ?? 30_000,
    );
    return Number(Object.entries(roles).find(([, role]) => role === 'leader')![0]);
  }

  async waitForRole(id: number, role: Role | ((r: Role) => boolean), timeoutMs = 30_000): Promise<Role> {
    const ok = typeof role === 'function' ? role : (r: Role) => r === role;
    return waitUntil(this.page, () => this.roleOf(id), ok, `member ${id}'s role`, timeoutMs);
  }

  async waitForWritable(timeoutMs = 30_000): Promise<void> {
    await waitForAttr(this.page, this.quorum(), 'data-can-write', 'true', timeoutMs);
  }

  async waitInQuorum(id: number, inQuorum: boolean, timeoutMs = 30_000): Promise<void> {
    await waitForAttr(this.page, this.quorum().locator(`[data-member="${id}"]`), 'data-in-quorum', String(inQuorum), timeoutMs);
  }

  async waitStale(id: number, stale: boolean, timeoutMs = 30_000): Promise<void> {
    await waitForAttr(this.page, this.card(id), 'data-stale', String(stale), timeoutMs);
  }

  async kill(id: number): Promise<void> {
    await this.card(id).locator('[data-testid=kill-member]').click();
    await confirmDialog(this.page);
  }

  async restart(id: number): Promise<void> {
    await this.card(id).locator('[data-testid=restart-member]').click();
    // Restarting a running member asks first; starting a stopped one does not.
    if (await this.page.locator('[data-testid=confirm-dialog]').isVisible()) await confirmDialog(this.page);
  }

  async isolate(id: number): Promise<void> {
    await this.card(id).locator('[data-testid=isolate-member]').click();
  }

  async killLeader(): Promise<void> {
    await this.page.locator('[data-testid=kill-leader]').click();
    await confirmDialog(this.page);
  }

  async healAll(): Promise<void> {
    await this.page.locator('[data-testid=heal-all]').click();
  }

  quorum(): Locator {
    return this.page.locator('[data-testid=quorum-meter]');
  }

  async canWrite(): Promise<boolean> {
    return (await this.quorum().getAttribute('data-can-write')) === 'true';
  }

  /** Whether the quorum meter counts `id` in the working majority. */
  async inQuorum(id: number): Promise<boolean> {
    return (await this.quorum().locator(`[data-member="${id}"]`).getAttribute('data-in-quorum')) === 'true';
  }
}
