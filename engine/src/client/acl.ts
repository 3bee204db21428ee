/**
 * ACL helpers (wire-protocol.md §15): the well-known lists (ZooDefs.Ids), the digest id
 * of a user:password pair, and the `cdrwa` permission letters zkCli uses.
 */
import { createHash } from 'node:crypto';
import { Perms } from '../jute/constants.js';
import type { ACL, Id } from '../jute/records.js';
import { ZkArgumentError } from './errors.js';

export const ANYONE_ID: Id = { scheme: 'world', id: 'anyone' };
/** Used in create/setACL: expands to the caller's authenticated ids (§15.2). */
export const AUTH_IDS: Id = { scheme: 'auth', id: '' };

/** world:anyone with every permission — the default for create. */
export const OPEN_ACL_UNSAFE: readonly ACL[] = Object.freeze([{ perms: Perms.ALL, id: ANYONE_ID }]);
/** Every permission for the creator's authenticated ids. */
export const CREATOR_ALL_ACL: readonly ACL[] = Object.freeze([{ perms: Perms.ALL, id: AUTH_IDS }]);
/** world:anyone, read only. */
export const READ_ACL_UNSAFE: readonly ACL[] = Object.freeze([{ perms: Perms.READ, id: ANYONE_ID }]);

/** `user:base64(sha1("user:password"))`, the id a digest ACL names (§15.2). */
export function digestId(user: string, password: string): string {
  const hash = createHash('sha1').update(`${user}:${password}`, 'utf8').digest('base64');
  return `${user}:${hash}`;
}

/** A digest ACL entry for user/password with the given permissions. */
export function digestAcl(user: string, password: string, perms: number = Perms.ALL): ACL {
  return { perms, id: { scheme: 'digest', id: digestId(user, password) } };
}

const LETTERS: Array<[string, number]> = [
  ['c', Perms.CREATE],
  ['d', Perms.DELETE],
  ['r', Perms.READ],
  ['w', Perms.WRITE],
  ['a', Perms.ADMIN],
];

/** Permission bits as zkCli prints them, in its order `cdrwa`. */
export function permsToString(perms: number): string {
  return LETTERS.filter(([, bit]) => (perms & bit) !== 0)
    .map(([c]) => c)
    .join('');
}

/** Parses `cdrwa` letters (any order, any subset) into permission bits. */
export function parsePerms(text: string): number {
  let perms = 0;
  for (const ch of text) {
    const entry = LETTERS.find(([c]) => c === ch.toLowerCase());
    if (!entry) throw new ZkArgumentError(`unknown permission letter '${ch}' in "${text}"`);
    perms |= entry[1];
  }
  return perms;
}
