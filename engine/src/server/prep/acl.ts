/**
 * ACLs and authentication (wire-protocol.md §15): the permission check every op uses,
 * the ACL fix-up of create/setACL (InvalidACL rules, `auth` expansion, de-duplication),
 * and digest auth helpers. Exported for the server's read path and auth packets too.
 *
 *   checkAcl(acl, Perms.READ, authIds)                   → boolean
 *   digestId('alice:secret')                             → 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E='
 *   digestAuthIds(Buffer.from('alice:secret'), superDigest) → [digest id] (+ super:"" when it matches)
 *   fixupAcl(acl, authIds)                               → the ACL to store, or null = InvalidACL
 */
import { createHash } from 'node:crypto';
import type { ACL, Id } from '../../jute/index.js';
import { ipMatches, isValidIpAcl } from './ip-address.js';

export const SCHEME_WORLD = 'world';
export const SCHEME_AUTH = 'auth';
export const SCHEME_DIGEST = 'digest';
export const SCHEME_IP = 'ip';
export const SCHEME_SUPER = 'super';

/** `user:` + base64(SHA-1("user:password")), the id digest auth gives and digest ACLs name (§15.2). */
export function digestId(userPassword: string): string {
  const colon = userPassword.indexOf(':');
  const user = colon < 0 ? userPassword : userPassword.slice(0, colon);
  return `${user}:${createHash('sha1').update(userPassword, 'utf8').digest('base64')}`;
}

/**
 * The ids a digest auth packet adds to a connection: `digest:<user>:<hash>`, plus
 * `super:""` when that id equals the configured superDigest (`super:<base64 sha1>`).
 * Digest auth never fails (§15.2).
 */
export function digestAuthIds(auth: Buffer, superDigest?: string | null): Id[] {
  const id = digestId(auth.toString('utf8'));
  const ids: Id[] = [{ scheme: SCHEME_DIGEST, id }];
  if (superDigest && id === superDigest) ids.push({ scheme: SCHEME_SUPER, id: '' });
  return ids;
}

export interface AclCheckOptions {
  /** `zookeeper.skipACL=yes`: every check passes. */
  skipACL?: boolean;
}

/**
 * ZooKeeper's checkACL (§15.1): skipACL or a `super` id allows all; an empty ACL allows
 * all; otherwise some entry granting one of `perm`'s bits must match — `world:anyone`
 * always, `ip` by network, any other scheme by equal ids.
 */
export function checkAcl(acl: readonly ACL[], perm: number, authIds: readonly Id[], options: AclCheckOptions = {}): boolean {
  if (options.skipACL) return true;
  if (acl.length === 0) return true;
  for (const a of authIds) if (a.scheme === SCHEME_SUPER) return true;
  for (const entry of acl) {
    if ((entry.perms & perm) === 0) continue;
    const { scheme, id } = entry.id;
    if (scheme === SCHEME_WORLD) {
      if (id === 'anyone') return true;
      continue;
    }
    if (!KNOWN_MATCHERS.has(scheme)) continue;
    for (const a of authIds) {
      if (a.scheme !== scheme) continue;
      if (scheme === SCHEME_IP ? ipMatches(a.id, id) : a.id === id) return true;
    }
  }
  return false;
}

/** Schemes whose ids we can match (ZooKeeper's registered providers, §15.2). */
const KNOWN_MATCHERS = new Set([SCHEME_DIGEST, SCHEME_IP]);

/** Java's `id.split(":").length == 2` (trailing empty parts dropped), DigestAuthenticationProvider.isValid. */
function isValidDigestAcl(id: string): boolean {
  const parts = id.split(':');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.length === 2;
}

/** Whether an ACL id is valid for a scheme we know; unknown schemes are never valid. */
export function isValidAclId(scheme: string, id: string): boolean {
  switch (scheme) {
    case SCHEME_DIGEST:
      return isValidDigestAcl(id);
    case SCHEME_IP:
      return isValidIpAcl(id);
    default:
      return false;
  }
}

/** ACL lists lose exact duplicates, keeping the first of each (ZooKeeper's removeDuplicates). */
export function removeDuplicateAcls(acl: readonly ACL[]): ACL[] {
  const seen = new Set<string>();
  const out: ACL[] = [];
  for (const a of acl) {
    const key = `${a.perms}\u0000${a.id.scheme}\u0000${a.id.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

/** Auth ids that the `auth` pseudo-scheme expands to: authenticated ones only (not `ip`, not `super`). */
function expandsAuth(id: Id): boolean {
  return id.scheme !== SCHEME_IP && id.scheme !== SCHEME_SUPER && id.scheme !== SCHEME_WORLD;
}

/**
 * ZooKeeper's fixupACL (§15.2): de-duplicate; refuse an empty list; keep
 * `world:anyone`; expand `auth` to every authenticated id of the caller (refused if there
 * is none); keep other entries whose scheme knows the id as valid. Returns the list to
 * store, or null for InvalidACL.
 */
export function fixupAcl(acl: readonly ACL[], authIds: readonly Id[]): ACL[] | null {
  const unique = removeDuplicateAcls(acl);
  if (unique.length === 0) return null;
  const out: ACL[] = [];
  for (const a of unique) {
    const { scheme, id } = a.id;
    if (scheme === SCHEME_WORLD && id === 'anyone') {
      out.push({ perms: a.perms, id: { scheme, id } });
    } else if (scheme === SCHEME_AUTH) {
      let any = false;
      for (const cid of authIds) {
        if (!expandsAuth(cid)) continue;
        any = true;
        out.push({ perms: a.perms, id: { scheme: cid.scheme, id: cid.id } });
      }
      if (!any) return null;
    } else if (isValidAclId(scheme, id)) {
      out.push({ perms: a.perms, id: { scheme, id } });
    } else {
      return null;
    }
  }
  return out;
}
