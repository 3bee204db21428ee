/**
 * ZooKeeper keeps a connection's auth ids in a hash set (a ConcurrentHashMap key set), so
 * whoAmI lists them in that map's iteration order, not in the order they were added
 * (checked against 3.8: after `digest alice`, `digest super` and `digest bob` it answers
 * alice, super, bob, super:"", ip). This reproduces that order so whoAmI replies match
 * byte for byte: bucket index of Id.hashCode (jute's 17/37 scheme over Java String
 * hashes) in a table of the size ConcurrentHashMap would have, insertion order within
 * a bucket.
 */
import type { Id } from '../jute/records.js';

/** Java's String.hashCode over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The hashCode jute generates for Id {scheme, id}. */
export function javaIdHash(id: Id): number {
  let r = 17;
  r = (Math.imul(37, r) + javaStringHash(id.scheme)) | 0;
  r = (Math.imul(37, r) + javaStringHash(id.id)) | 0;
  return r;
}

/** ConcurrentHashMap.spread. */
function spread(h: number): number {
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** The table size after inserting `n` keys into a default ConcurrentHashMap (16, resize at 3/4). */
function tableSize(n: number): number {
  let size = 16;
  while (n >= size - (size >>> 2)) size *= 2;
  return size;
}

/** `ids` (in insertion order) as a Java ConcurrentHashMap key set iterates them. */
export function javaHashSetOrder<T extends Id>(ids: readonly T[]): T[] {
  const mask = tableSize(ids.length) - 1;
  return ids
    .map((id, i) => ({ id, i, bucket: spread(javaIdHash(id)) & mask }))
    .sort((a, b) => a.bucket - b.bucket || a.i - b.i)
    .map((x) => x.id);
}
