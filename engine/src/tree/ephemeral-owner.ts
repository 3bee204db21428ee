/**
 * The stored `ephemeralOwner` and what it says about a znode (wire-protocol.md §10.3,
 * §10.4): 0 = persistent; Long.MIN_VALUE = container; top byte 0xFF with a zero 16-bit
 * type field = TTL (low 40 bits hold the ttl in ms); anything else = the owning
 * session of an ephemeral. The tree keeps it as two int32 halves (node-store.ts).
 *
 * Because 0xFF in the top byte always means "extended type" here, server ids must be
 * ≤ 254 (ZooKeeper imposes the same limit when extended types are enabled).
 */
import { CONTAINER_EPHEMERAL_OWNER, MAX_TTL_MS, TTL_OWNER_MASK } from '../jute/index.js';

export const NodeKind = {
  persistent: 0,
  ephemeral: 1,
  container: 2,
  ttl: 3,
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

const TWO_32 = 4294967296;

export function kindOfOwner(hi: number, lo: number): NodeKind {
  if (hi === 0 && lo === 0) return NodeKind.persistent;
  if (hi === -0x80000000 && lo === 0) return NodeKind.container;
  if (hi >>> 24 === 0xff && ((hi >>> 8) & 0xffff) === 0) return NodeKind.ttl;
  return NodeKind.ephemeral;
}

export function kindOf(owner: bigint): NodeKind {
  return kindOfOwner(ownerHi(owner), ownerLo(owner));
}

/** The ttl (ms) held by a TTL owner. */
export function ttlOfOwner(hi: number, lo: number): number {
  return (hi & 0xff) * TWO_32 + (lo >>> 0);
}

export function ownerHi(owner: bigint): number {
  return Number(BigInt.asIntN(32, owner >> 32n));
}
export function ownerLo(owner: bigint): number {
  return Number(BigInt.asIntN(32, owner));
}
export function ownerOf(hi: number, lo: number): bigint {
  if (hi === 0 && lo === 0) return 0n;
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

/** The stored owner of a TTL node (§10.3). */
export function ttlOwner(ttl: number | bigint): bigint {
  const t = BigInt(ttl);
  if (t < 1n || t > MAX_TTL_MS) throw new RangeError(`ttl ${t} is outside 1..${MAX_TTL_MS}`);
  return BigInt.asIntN(64, TTL_OWNER_MASK | t);
}

export const CONTAINER_OWNER = CONTAINER_EPHEMERAL_OWNER;

/** What clients see as ephemeralOwner: the session for ephemerals, otherwise 0 (§11). */
export function visibleOwner(owner: bigint): bigint {
  return kindOf(owner) === NodeKind.ephemeral ? owner : 0n;
}
