/**
 * Terminal flow control for one shell (VS Code's FlowControlConstants, style.md B6). The
 * lab counts the output characters it sent and the renderer has not yet acknowledged
 * (`shell.ack`); above the high-water mark the shell is paused, below the low-water mark it
 * resumes. Our shell runs in-process, so "paused" means its next ZooKeeper request waits
 * (`gatedClientFactory`): commands that stream output as they walk the tree (`ls -R`,
 * `deleteall`, quota checks) stop at their next step. What a single reply produces still
 * goes out, so the overshoot is at most one request's worth of output.
 */
import { SHELL_FLOW_CONTROL } from './api.js';
import type { ClientFactory, ShellClient } from '../shell/command.js';

export interface FlowLimits {
  highWaterChars: number;
  lowWaterChars: number;
}

export class ShellFlowControl {
  private unacked = 0;
  private paused = false;
  private released = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly limits: FlowLimits = SHELL_FLOW_CONTROL,
    private readonly onChange: (paused: boolean) => void = () => {},
  ) {}

  /** Characters sent and not yet acknowledged. */
  get pending(): number {
    return this.unacked;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** `chars` of output went to the renderer. */
  sent(chars: number): void {
    this.unacked += chars;
    if (!this.paused && !this.released && this.unacked > this.limits.highWaterChars) {
      this.paused = true;
      this.onChange(true);
    }
  }

  /** The renderer wrote `chars` more to its terminal. Acknowledging more than was sent only empties the count. */
  ack(chars: number): void {
    this.unacked = Math.max(0, this.unacked - Math.max(0, chars));
    if (this.paused && this.unacked < this.limits.lowWaterChars) this.resume();
  }

  /** Resolves at once while running; while paused, once resumed. */
  gate(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The shell is closing: nothing waits any more, and it never pauses again. */
  release(): void {
    this.released = true;
    if (this.paused) this.resume();
  }

  private resume(): void {
    this.paused = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    this.onChange(false);
  }
}

/** Properties of a ShellClient that are not requests (read or called synchronously). */
const UNGATED = new Set<PropertyKey>(['state', 'sessionId', 'addAuth', 'close']);

/** Wraps a client factory so every request of the clients it opens first waits for `gate()`. */
export function gatedClientFactory(inner: ClientFactory, gate: () => Promise<void>): ClientFactory {
  return (connectString, options, listener) => {
    const client = inner(connectString, options, listener);
    return new Proxy(client, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function' || UNGATED.has(prop)) return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => gate().then(() => method.apply(target, args));
      },
    }) as ShellClient;
  };
}
