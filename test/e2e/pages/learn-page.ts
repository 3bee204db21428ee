/**
 * The Learn side panel (renderer/src/components/learn): the course, a run's steps with
 * "show me" / "continue", the safety view and the instructor's bug switches. Waits read
 * the data-* contract the components document.
 */
import type { Locator, Page } from 'playwright-core';
import { confirmDialog } from './dialogs.js';
import { waitForAttr, waitUntil } from '../helpers/wait.js';

export type RunState = 'running' | 'waiting-for-learner' | 'passed' | 'failed' | 'stopped' | 'unavailable';

export class LearnPage {
  constructor(private readonly page: Page) {}

  panel(): Locator {
    return this.page.locator('[data-testid=learn-panel]');
  }

  async open(): Promise<void> {
    if ((await this.panel().count()) === 0) await this.page.locator('[data-testid=learn-toggle]').click();
    await this.panel().waitFor();
  }

  async scenarioIds(): Promise<string[]> {
    await this.page.locator('[data-testid=scenario-item]').first().waitFor();
    return Promise.all((await this.page.locator('[data-testid=scenario-item]').all()).map(async (i) => (await i.getAttribute('data-scenario-id'))!));
  }

  startButton(id: string): Locator {
    return this.page.locator(`[data-testid=scenario-item][data-scenario-id="${id}"] [data-testid=start-scenario]`);
  }

  /** Starts a scenario, accepting the warning that it switches labs. */
  async start(id: string): Promise<void> {
    await this.startButton(id).click();
    await confirmDialog(this.page);
    await this.runView().waitFor();
  }

  runView(): Locator {
    return this.page.locator('[data-testid=run-view]');
  }

  currentStep(): Locator {
    return this.page.locator('[data-testid=current-step]');
  }

  showMeButton(): Locator {
    return this.page.locator('[data-testid=show-me]');
  }

  continueButton(): Locator {
    return this.page.locator('[data-testid=continue]');
  }

  async showMe(): Promise<void> {
    const b = this.showMeButton();
    await waitUntil(this.page, () => b.isEnabled(), (ok) => ok, 'an enabled Show me button');
    await b.click();
  }

  async continue(): Promise<void> {
    await this.continueButton().click();
  }

  /** Waits until the run is on the step with id `stepId` (by its list entry) in `status`. */
  async waitForStep(stepId: string, status: string, timeoutMs = 30_000): Promise<number> {
    const read = async () => {
      const current = this.page.locator('[data-testid=scenario-step][data-current=true]');
      if ((await current.count()) === 0) return null;
      const index = Number(await current.getAttribute('data-step'));
      const id = await current.getAttribute('data-step-id');
      return { id, index, status: await current.getAttribute('data-status'), run: await this.runView().getAttribute('data-state') };
    };
    const seen = await waitUntil(this.page, read, (v) => (v?.id === stepId && v.status === status) || v?.run === 'failed' || v?.run === 'unavailable', `step ${stepId} ${status}`, timeoutMs);
    if (seen?.id !== stepId || seen.status !== status) throw new Error(`the run ended before step ${stepId}: ${await this.runMessage()}`);
    return seen.index;
  }

  async waitForRunState(state: RunState | RunState[], timeoutMs = 60_000): Promise<RunState> {
    const states = Array.isArray(state) ? state : [state];
    return (await waitUntil(this.page, () => this.runView().getAttribute('data-state'), (s) => states.includes(s as RunState), `run state ${states.join('|')}`, timeoutMs)) as RunState;
  }

  async runMessage(): Promise<string> {
    return this.page.locator('[data-testid=run-message]').innerText();
  }

  /**
   * Follows a run to its end the way a learner who always asks for help would: "Show me"
   * when a step offers it, else "Continue" when the step has nothing to wait for. Returns
   * the final state and every safety verdict seen on the way (data-holds of the view).
   */
  async followToEnd(timeoutMs = 180_000): Promise<{ state: RunState; safetySeen: Set<string> }> {
    const deadline = Date.now() + timeoutMs;
    const safetySeen = new Set<string>();
    const ended: RunState[] = ['passed', 'failed', 'stopped', 'unavailable'];
    for (;;) {
      const state = (await this.runView().getAttribute('data-state')) as RunState;
      const holds = await this.page.locator('[data-testid=safety-view]').getAttribute('data-holds').catch(() => null);
      if (holds) safetySeen.add(holds);
      if (ended.includes(state)) return { state, safetySeen };
      if (Date.now() > deadline) throw new Error(`the run did not end in ${timeoutMs} ms: ${await this.runMessage()}`);
      const current = this.page.locator('[data-testid=current-step][data-status=waiting-for-learner]');
      if ((await current.count()) > 0) {
        const showMe = this.showMeButton();
        if ((await showMe.count()) > 0 && (await showMe.isEnabled())) await showMe.click();
        else if ((await this.continueButton().count()) > 0) await this.continueButton().click();
      }
      await this.page.waitForTimeout(200);
    }
  }

  async waitSafety(holds: boolean, timeoutMs = 30_000): Promise<void> {
    await waitForAttr(this.page, this.page.locator('[data-testid=safety-view]'), 'data-holds', String(holds), timeoutMs);
  }
}
