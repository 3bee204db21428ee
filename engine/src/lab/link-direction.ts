/**
 * One direction of one link (member i → member j, or client → member j): its settings and
 * counters. A direction is shared by every proxy whose connections carry bytes that way:
 * i → j traffic flows forward through proxy(i→j) (i dialled j) and backward through
 * proxy(j→i) (j dialled i), and both obey the same settings. Named like etcd's proxy verbs
 * (style.md A7, B5): a partition is nothing more than a documented set of these states.
 */
import type { LinkEnd, LinkSettings, LinkState } from './api.js';

export const PASS: Readonly<LinkSettings> = Object.freeze({ mode: 'pass', delayMs: 0, jitterMs: 0, lossPercent: 0 });

/** Upper bounds that keep a typo from wedging the lab (a minute of delay is already absurd). */
export const MAX_DELAY_MS = 60_000;

export class LinkSettingsError extends Error {
  override name = 'LinkSettingsError';
}

/** Checks a partial update and returns the complete new settings; throws a clear error on bad input. */
export function mergeLinkSettings(current: LinkSettings, change: Partial<LinkSettings>): LinkSettings {
  const next: LinkSettings = { ...current, ...change };
  if (next.mode !== 'pass' && next.mode !== 'blackhole' && next.mode !== 'reject') {
    throw new LinkSettingsError(`link mode must be pass, blackhole or reject, not ${JSON.stringify(next.mode)}`);
  }
  for (const key of ['delayMs', 'jitterMs'] as const) {
    const v = next[key];
    if (!Number.isFinite(v) || v < 0 || v > MAX_DELAY_MS) {
      throw new LinkSettingsError(`${key} must be between 0 and ${MAX_DELAY_MS} ms, not ${v}`);
    }
  }
  if (!Number.isFinite(next.lossPercent) || next.lossPercent < 0 || next.lossPercent > 100) {
    throw new LinkSettingsError(`lossPercent must be between 0 and 100, not ${next.lossPercent}`);
  }
  return next;
}

export function sameSettings(a: LinkSettings, b: LinkSettings): boolean {
  return a.mode === b.mode && a.delayMs === b.delayMs && a.jitterMs === b.jitterMs && a.lossPercent === b.lossPercent;
}

export function describeEnd(end: LinkEnd): string {
  return end === 'client' ? 'clients' : `member ${end}`;
}

export function describeSettings(s: LinkSettings): string {
  const parts: string[] = [s.mode];
  if (s.delayMs > 0 || s.jitterMs > 0) parts.push(`delay ${s.delayMs}ms±${s.jitterMs}ms`);
  if (s.lossPercent > 0) parts.push(`loss ${s.lossPercent}%`);
  return parts.join(', ');
}

type Listener = (previous: LinkSettings, current: LinkSettings) => void;

export class LinkDirection {
  private current: LinkSettings = { ...PASS };
  private readonly listeners = new Set<Listener>();
  connections = 0;
  /** Bytes read from senders; minus forwarded and dropped, what is held or delayed now. */
  bytesReceived = 0;
  bytesForwarded = 0;
  bytesDropped = 0;

  constructor(
    readonly from: LinkEnd,
    readonly to: LinkEnd,
  ) {}

  get settings(): Readonly<LinkSettings> {
    return this.current;
  }

  /** Applies a partial change; returns whether anything changed. Listeners run synchronously. */
  update(change: Partial<LinkSettings>): boolean {
    const next = mergeLinkSettings(this.current, change);
    if (sameSettings(next, this.current)) return false;
    const previous = this.current;
    this.current = next;
    for (const l of [...this.listeners]) l(previous, next);
    return true;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): LinkState {
    return {
      from: this.from,
      to: this.to,
      settings: { ...this.current },
      connections: this.connections,
      bytesForwarded: this.bytesForwarded,
      bytesDropped: this.bytesDropped,
    };
  }

  toString(): string {
    return `${describeEnd(this.from)} → ${describeEnd(this.to)}`;
  }
}
