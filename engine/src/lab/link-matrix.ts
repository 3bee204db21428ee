/**
 * Every link of a lab, one `LinkDirection` per ordered pair of members plus, for each
 * member, `client → member` and `member → client`. The matrix is the lab's network state:
 * proxies read it, presets and `links.set` write it, status shows it.
 */
import type { LinkEnd, LinkSettings, LinkState, MemberId, PartitionMode } from './api.js';
import { LinkDirection, PASS, mergeLinkSettings } from './link-direction.js';
import type { PresetPlan } from './partition-presets.js';

export class LinkMatrixError extends Error {
  override name = 'LinkMatrixError';
}

type ChangeListener = (changed: LinkState[]) => void;

export class LinkMatrix {
  private readonly directions = new Map<string, LinkDirection>();
  private readonly listeners = new Set<ChangeListener>();

  constructor(readonly members: readonly MemberId[]) {
    for (const a of members) {
      for (const b of members) if (a !== b) this.add(a, b);
      this.add('client', a);
      this.add(a, 'client');
    }
  }

  direction(from: LinkEnd, to: LinkEnd): LinkDirection {
    const d = this.directions.get(key(from, to));
    if (!d) {
      if (from === to) throw new LinkMatrixError(`a link needs two different ends, got ${from} twice`);
      const unknown = [from, to].find((e) => e !== 'client' && !this.members.includes(e));
      if (unknown !== undefined) throw new LinkMatrixError(`there is no member ${unknown} (members are ${this.members.join(', ')})`);
      throw new LinkMatrixError(`there is no link from ${from} to ${to}`);
    }
    return d;
  }

  /** Whether member→member bytes are stopped in that direction. */
  isCut(from: MemberId, to: MemberId): boolean {
    return this.direction(from, to).settings.mode !== 'pass';
  }

  /** Changes one direction (both with `bothWays`); validates everything before changing anything. */
  set(from: LinkEnd, to: LinkEnd, change: Partial<LinkSettings>, bothWays = false): LinkState[] {
    const targets = bothWays ? [this.direction(from, to), this.direction(to, from)] : [this.direction(from, to)];
    return this.applyAll(targets.map((d) => [d, change]));
  }

  /** Heals member links to `pass` (keeping delay and loss), then cuts the plan's pairs. */
  applyPlan(plan: PresetPlan, mode: PartitionMode): LinkState[] {
    const cut = new Set(plan.cut.map(([a, b]) => key(a, b)));
    const changes: [LinkDirection, Partial<LinkSettings>][] = [];
    for (const [k, d] of this.directions) {
      if (d.from === 'client' || d.to === 'client') continue;
      changes.push([d, { mode: cut.has(k) ? mode : 'pass' }]);
    }
    return this.applyAll(changes);
  }

  /** Every direction back to plain pass: no cuts, no delay, no loss. */
  heal(): LinkState[] {
    return this.applyAll([...this.directions.values()].map((d) => [d, { ...PASS }]));
  }

  snapshot(): LinkState[] {
    return [...this.directions.values()].map((d) => d.snapshot());
  }

  /** Directions whose settings differ from plain pass (what `status` highlights). */
  faulty(): LinkState[] {
    return this.snapshot().filter((l) => l.settings.mode !== 'pass' || l.settings.delayMs > 0 || l.settings.jitterMs > 0 || l.settings.lossPercent > 0);
  }

  /** Restores saved settings (a restarted supervisor keeps its faults); unknown ends are ignored. */
  restore(saved: { from: LinkEnd; to: LinkEnd; settings: LinkSettings }[]): void {
    const changes: [LinkDirection, Partial<LinkSettings>][] = [];
    for (const s of saved) {
      const d = this.directions.get(key(s.from, s.to));
      if (d) changes.push([d, s.settings]);
    }
    this.applyAll(changes);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private add(from: LinkEnd, to: LinkEnd): void {
    this.directions.set(key(from, to), new LinkDirection(from, to));
  }

  private applyAll(changes: [LinkDirection, Partial<LinkSettings>][]): LinkState[] {
    // Validate all first, so a bad value anywhere changes nothing.
    for (const [d, change] of changes) mergeLinkSettings(d.settings, change);
    const changed: LinkState[] = [];
    for (const [d, change] of changes) if (d.update(change)) changed.push(d.snapshot());
    if (changed.length > 0) for (const l of [...this.listeners]) l(changed);
    return changed;
  }
}

function key(from: LinkEnd, to: LinkEnd): string {
  return `${from}>${to}`;
}
