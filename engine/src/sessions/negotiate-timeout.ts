/**
 * Session timeout negotiation (wire-protocol.md §4.2 step 3, §13.2): the requested value
 * is clamped to [min, max]; unset bounds default to 2 × and 20 × tickTime
 * (4000 / 40000 ms with tick 2000 ✔: 1 → 4000, 0 → 4000, −5 → 4000, 100000 → 40000).
 */

export interface TimeoutBounds {
  min: number;
  max: number;
}

/** The bounds for a tickTime and optional configured values (ZooKeeper treats −1 as unset). */
export function timeoutBounds(tickTime: number, minSessionTimeout?: number, maxSessionTimeout?: number): TimeoutBounds {
  const min = minSessionTimeout === undefined || minSessionTimeout < 0 ? 2 * tickTime : minSessionTimeout;
  const max = maxSessionTimeout === undefined || maxSessionTimeout < 0 ? 20 * tickTime : maxSessionTimeout;
  return { min, max };
}

export function negotiateTimeout(requested: number, bounds: TimeoutBounds): number {
  if (requested < bounds.min) return bounds.min;
  if (requested > bounds.max) return bounds.max;
  return requested;
}
