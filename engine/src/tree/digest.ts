/**
 * Hashing for the tree digest. The digest of a tree is the sum (mod 2^32, per lane) of
 * one hash per znode, so it does not depend on the order nodes were created or listed,
 * and `apply` keeps it up to date by subtracting a node's old hash and adding its new
 * one. Two independent 32-bit lanes (a murmur3-style lane and an FNV-1a lane) make a
 * 64-bit value. Plain integer arithmetic, no allocation: restoring a million nodes
 * hashes every one of them.
 *
 * This is ZooLab's own digest (the `hash` 4lw, the lab's convergence view, the
 * simulator, snapshot verification); it is not ZooKeeper's CRC-based one.
 */

/** One murmur3 mixing round of `k` into `h`. */
export function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3's final avalanche. */
export function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string's UTF-16 code units. */
export function hashString(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return finish(h ^ s.length);
}

/**
 * Hashes a node's path and data (a latin1 "byte string", or null) into two lanes,
 * written to `out[2*i]` and `out[2*i+1]`. Null and empty data hash differently.
 * Code units are mixed two at a time (restore hashes every byte of every node).
 */
export function hashPathData(path: string, data: string | null, out: Uint32Array, i: number): void {
  let a = 0x2545f491;
  let b = 0x811c9dc5 | 0;
  let j = 0;
  for (; j + 1 < path.length; j += 2) {
    const c = path.charCodeAt(j) | (path.charCodeAt(j + 1) << 16);
    a = mix(a, c);
    b = Math.imul(b ^ c, 16777619);
  }
  if (j < path.length) {
    a = mix(a, path.charCodeAt(j));
    b = Math.imul(b ^ path.charCodeAt(j), 16777619);
  }
  const marker = data === null ? 0x10001 : 0x10002;
  a = mix(a, marker);
  b = Math.imul(b ^ marker, 16777619);
  if (data !== null) {
    // Latin1 chars are bytes: pack four per step.
    let k = 0;
    for (; k + 3 < data.length; k += 4) {
      const c =
        data.charCodeAt(k) | (data.charCodeAt(k + 1) << 8) | (data.charCodeAt(k + 2) << 16) | (data.charCodeAt(k + 3) << 24);
      a = mix(a, c);
      b = Math.imul(b ^ c, 16777619);
    }
    for (; k < data.length; k++) {
      a = mix(a, data.charCodeAt(k));
      b = Math.imul(b ^ data.charCodeAt(k), 16777619);
    }
  }
  out[2 * i] = finish(a ^ path.length);
  out[2 * i + 1] = finish(b ^ (data === null ? -1 : data.length));
}

/** The low 32 bits of an integral number below 2^53 (negative values too). */
export function lo32(n: number): number {
  return n | 0;
}
/** The high 32 bits of an integral number below 2^53 (negative values too). */
export function hi32(n: number): number {
  return Math.floor(n / 4294967296) | 0;
}

/** The two digest lanes as one unsigned 64-bit value. */
export function digestValue(laneA: number, laneB: number): bigint {
  return (BigInt(laneA >>> 0) << 32n) | BigInt(laneB >>> 0);
}

/** `0123456789abcdef`: 16 hex digits, as the `hash` 4lw and the lab print it. */
export function digestHex(digest: bigint): string {
  return digest.toString(16).padStart(16, '0');
}
