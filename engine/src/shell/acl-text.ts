/**
 * ACLs as zkCli reads and writes them: `scheme:id:perms` lists in, and the jute
 * `Id#toString` form (`'world,'anyone` + newline) followed by `: cdrwa` out.
 */
import type { ACL } from '../jute/records.js';
import { Perms } from '../jute/constants.js';

/** Permission letters in the order zkCli prints them (ZKUtil.getPermString): c d r w a. */
const PRINT_ORDER: ReadonlyArray<[number, string]> = [
  [Perms.CREATE, 'c'],
  [Perms.DELETE, 'd'],
  [Perms.READ, 'r'],
  [Perms.WRITE, 'w'],
  [Perms.ADMIN, 'a'],
];

const LETTER_BITS: Record<string, number> = { r: Perms.READ, w: Perms.WRITE, c: Perms.CREATE, d: Perms.DELETE, a: Perms.ADMIN };

export function permString(perms: number): string {
  return PRINT_ORDER.filter(([bit]) => (perms & bit) !== 0)
    .map(([, letter]) => letter)
    .join('');
}

/** Jute's toString escaping of a string field (ToStringOutputArchive): `'` + escaped text. */
function juteString(s: string): string {
  const escapes: Record<string, string> = { '\0': '%00', '\n': '%0A', '\r': '%0D', ',': '%2C', '}': '%7D', '%': '%25' };
  return "'" + s.replace(/[\0\n\r,}%]/g, (c) => escapes[c]);
}

/** One `getAcl` entry: `'world,'anyone\n: cdrwa` (the newline ends jute's Id record). */
export function formatAclEntry(acl: ACL): string {
  return `${juteString(acl.id.scheme)},${juteString(acl.id.id)}\n: ${permString(acl.perms)}`;
}

export interface ParsedAcl {
  acl: ACL[];
  /** Lines zkCli prints to stderr while parsing (malformed entries, unknown letters). */
  warnings: string[];
}

/**
 * `AclParser.parse`: comma-separated `scheme:id:perms`; the id runs from the first to the
 * last colon (digest ids contain one). A malformed entry is skipped with a warning, an
 * unknown letter is ignored with a warning, like zkCli.
 */
export function parseAcl(text: string): ParsedAcl {
  const acl: ACL[] = [];
  const warnings: string[] = [];
  for (const entry of javaSplit(text, ',')) {
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    if (first === -1 || first === last) {
      warnings.push(`${entry} does not have the form scheme:id:perm`);
      continue;
    }
    let perms = 0;
    for (const letter of entry.slice(last + 1)) {
      const bit = LETTER_BITS[letter];
      if (bit === undefined) warnings.push(`Unknown perm type: ${letter}`);
      else perms |= bit;
    }
    acl.push({ perms, id: { scheme: entry.slice(0, first), id: entry.slice(first + 1, last) } });
  }
  return { acl, warnings };
}

/**
 * `String#split` with a literal separator: trailing empty strings are dropped (so `,,` gives
 * no parts) except that an empty input gives one empty part, as Java does.
 */
export function javaSplit(text: string, separator: string): string[] {
  if (text === '') return [''];
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** `ZooDefs.Ids.OPEN_ACL_UNSAFE`, what `create` uses when no ACL is given. */
export const OPEN_ACL_UNSAFE: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
