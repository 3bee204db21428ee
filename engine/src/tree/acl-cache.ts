/**
 * Interned ACL lists (ZooKeeper's ReferenceCountedACLCache): most trees use a handful
 * of distinct ACLs, so each znode stores a small integer id instead of its own list.
 * Lists are reference counted and an id is recycled once nothing uses it.
 *
 * The lists handed out are shared: callers must treat them as read-only.
 */
import type { ACL } from '../jute/index.js';
import { hashString } from './digest.js';

export class AclCache {
  private readonly idsByKey = new Map<string, number>();
  private readonly lists: (readonly ACL[] | undefined)[] = [];
  private readonly keys: (string | undefined)[] = [];
  private readonly refs: number[] = [];
  /** Two 32-bit hash lanes per id, so the tree digest covers ACL contents cheaply. */
  private readonly hashes: number[] = [];
  private readonly free: number[] = [];

  /** Takes a reference on the list equal to `acl` (interning it if new) and returns its id. */
  acquire(acl: readonly ACL[]): number {
    const key = aclKey(acl);
    let id = this.idsByKey.get(key);
    if (id === undefined) {
      id = this.free.pop() ?? this.lists.length;
      this.idsByKey.set(key, id);
      this.lists[id] = acl.map((a) => ({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } }));
      this.keys[id] = key;
      this.refs[id] = 0;
      this.hashes[2 * id] = hashString(key, 0x9e3779b9);
      this.hashes[2 * id + 1] = hashString(key, 0x85ebca6b);
    }
    this.refs[id]!++;
    return id;
  }

  /** Takes one more reference on an id already held. */
  retain(id: number): void {
    this.check(id);
    this.refs[id]!++;
  }

  /** Drops a reference; the id is recycled when none remain. */
  release(id: number): void {
    this.check(id);
    if (--this.refs[id]! > 0) return;
    this.idsByKey.delete(this.keys[id]!);
    this.lists[id] = undefined;
    this.keys[id] = undefined;
    this.free.push(id);
  }

  get(id: number): readonly ACL[] {
    return this.check(id);
  }

  hashA(id: number): number {
    return this.hashes[2 * id]!;
  }
  hashB(id: number): number {
    return this.hashes[2 * id + 1]!;
  }

  /** Live (id, list) pairs, for snapshots. */
  *entries(): Generator<[number, readonly ACL[]]> {
    for (let id = 0; id < this.lists.length; id++) {
      const list = this.lists[id];
      if (list !== undefined) yield [id, list];
    }
  }

  /** Installs a list under a given id with no references yet (snapshot restore). */
  restore(id: number, acl: readonly ACL[]): void {
    if (this.lists[id] !== undefined) throw new Error(`ACL id ${id} appears twice in the snapshot`);
    const key = aclKey(acl);
    if (this.idsByKey.has(key)) throw new Error(`ACL list ${key} appears twice in the snapshot`);
    while (this.lists.length < id) {
      this.free.push(this.lists.length);
      this.lists.push(undefined);
    }
    this.idsByKey.set(key, id);
    this.lists[id] = acl.map((a) => ({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } }));
    this.keys[id] = key;
    this.refs[id] = 0;
    this.hashes[2 * id] = hashString(key, 0x9e3779b9);
    this.hashes[2 * id + 1] = hashString(key, 0x85ebca6b);
    const f = this.free.indexOf(id);
    if (f >= 0) this.free.splice(f, 1);
  }

  /** After a restore: recycle ids that no node references. */
  dropUnreferenced(): void {
    for (let id = 0; id < this.lists.length; id++) {
      if (this.lists[id] !== undefined && this.refs[id] === 0) {
        this.refs[id] = 1;
        this.release(id);
      }
    }
  }

  get size(): number {
    return this.idsByKey.size;
  }

  private check(id: number): readonly ACL[] {
    const list = this.lists[id];
    if (list === undefined) throw new Error(`unknown ACL id ${id}`);
    return list;
  }
}

/** An unambiguous text key for an ACL list (order matters, as in ZooKeeper): length-prefixed fields. */
export function aclKey(acl: readonly ACL[]): string {
  let key = '';
  for (const a of acl) key += `${a.perms}:${a.id.scheme.length}:${a.id.scheme}${a.id.id.length}:${a.id.id};`;
  return key;
}
