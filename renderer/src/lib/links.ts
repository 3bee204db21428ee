/**
 * The network panel's view of the lab's links: a matrix of ordered pairs (one-way cuts
 * are real: ZAB needs PROPOSAL out and ACK back), pair summaries for the ring diagram,
 * and the geometry of that ring. Pure.
 */
import type { LinkEnd, LinkSettings, LinkState, MemberId } from '../../../engine/src/lab/api.js';

/** How one direction behaves, coarsely, for colour: up, cut or slow (delay, jitter or loss). */
export type LinkCondition = 'up' | 'cut' | 'slow';

export function conditionOf(s: LinkSettings | undefined): LinkCondition {
  if (!s) return 'up';
  if (s.mode !== 'pass') return 'cut';
  if (s.delayMs > 0 || s.jitterMs > 0 || s.lossPercent > 0) return 'slow';
  return 'up';
}

export const endKey = (from: LinkEnd, to: LinkEnd): string => `${from}>${to}`;

export class LinkTable {
  private readonly byKey = new Map<string, LinkState>();

  constructor(readonly links: readonly LinkState[]) {
    for (const l of links) this.byKey.set(endKey(l.from, l.to), l);
  }

  get(from: LinkEnd, to: LinkEnd): LinkState | undefined {
    return this.byKey.get(endKey(from, to));
  }

  condition(from: LinkEnd, to: LinkEnd): LinkCondition {
    return conditionOf(this.get(from, to)?.settings);
  }

  /** Both directions of a pair: `cut` if both are cut, `one-way` if exactly one is, else the worse of up/slow. */
  pair(a: LinkEnd, b: LinkEnd): PairCondition {
    const ab = this.condition(a, b);
    const ba = this.condition(b, a);
    if (ab === 'cut' && ba === 'cut') return 'cut';
    if (ab === 'cut' || ba === 'cut') return 'one-way';
    if (ab === 'slow' || ba === 'slow') return 'slow';
    return 'up';
  }

  /** Whether any link differs from a plain pass-through. */
  anyFault(): boolean {
    return this.links.some((l) => conditionOf(l.settings) !== 'up');
  }
}

export type PairCondition = 'up' | 'slow' | 'one-way' | 'cut';

export interface RingNode {
  id: MemberId;
  x: number;
  y: number;
}

/** Members evenly on a circle, member 1 at the top, clockwise. */
export function ringLayout(ids: MemberId[], cx: number, cy: number, r: number): RingNode[] {
  const n = ids.length;
  return ids.map((id, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    return { id, x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) };
  });
}

/** Every unordered member pair once, for drawing the ring's chords. */
export function memberPairs(ids: MemberId[]): [MemberId, MemberId][] {
  const out: [MemberId, MemberId][] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) out.push([ids[i]!, ids[j]!]);
  return out;
}

/** The next mode when a matrix cell is clicked: a cut heals, anything else is cut. */
export function toggledMode(s: LinkSettings | undefined): LinkSettings['mode'] {
  return s && s.mode !== 'pass' ? 'pass' : 'blackhole';
}
