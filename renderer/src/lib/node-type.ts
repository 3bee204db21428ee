/**
 * What kind of znode a node is, as far as the UI can tell (wire-protocol.md §10):
 * ephemeral when its Stat names an owner session; sequential when its name ends in the
 * 10-digit counter; container and TTL from the node's `mode` (and `ttlMs`), which the lab
 * reads from a member's database, or from the raw ephemeralOwner encoding (0x8000…0000
 * container; top byte 0xFF TTL, low 40 bits the ttl) — clients normally see 0 for both
 * (§10.3), so without the lab's help a TTL or container node shows as persistent.
 */
import type { NodeDetails } from '../../../engine/src/lab/api.js';
import { isSequentialName, nameOf } from './paths.js';
import { parseHex64 } from './zxid.js';

export interface NodeKind {
  ephemeral: boolean;
  sequential: boolean;
  container: boolean;
  ttlMs: number | null;
}

const CONTAINER_OWNER = -(1n << 63n);
const TTL_MASK = 0xff00000000000000n;
const TTL_BITS = (1n << 40n) - 1n;

export function nodeKind(d: NodeDetails): NodeKind {
  const owner = parseHex64(d.stat.ephemeralOwner) ?? 0n;
  const unsigned = BigInt.asUintN(64, owner);
  const signed = BigInt.asIntN(64, owner);
  // The lab's NodeMode; a create-mode name (`persistent-ttl`…) is read the same way.
  const mode: string | undefined = d.mode;
  const ttlFromOwner = (unsigned & TTL_MASK) === TTL_MASK ? Number(unsigned & TTL_BITS) : null;
  const container = mode === 'container' || signed === CONTAINER_OWNER;
  const ttlMode = mode === 'ttl' || (mode?.endsWith('-ttl') ?? false);
  const ttlMs = d.ttlMs ?? (ttlMode ? null : ttlFromOwner);
  const ephemeral = mode ? mode.startsWith('ephemeral') : owner !== 0n && !container && ttlFromOwner === null;
  // The mode leaves the sequential suffix out: it is only part of the name.
  const sequential = isSequentialName(nameOf(d.path));
  return { ephemeral, sequential, container, ttlMs: ttlMs ?? null };
}

/** ms left before a TTL node becomes removable (if it has no children), or null. */
export function ttlRemaining(kind: NodeKind, mtime: number, numChildren: number, now: number): number | null {
  if (kind.ttlMs === null || numChildren > 0) return null;
  return mtime + kind.ttlMs - now;
}
