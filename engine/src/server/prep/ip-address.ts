/**
 * The `ip` ACL scheme's address handling (wire-protocol.md §15.2): parsing IPv4 and
 * IPv6 text into bytes, validating `addr[/bits]` ACL ids and matching a client address
 * against one. ZooKeeper 3.8 only understands IPv4 here; later versions (and ZooLab)
 * accept IPv6 too.
 */

/** Java's Integer.parseInt for small values: optional sign, decimal digits only. */
function parseJavaInt(s: string): number | null {
  if (!/^[+-]?\d{1,10}$/.test(s)) return null;
  const n = Number(s);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

function v4Bytes(addr: string): number[] | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    const v = parseJavaInt(p);
    if (v === null || v < 0 || v > 255) return null;
    out.push(v);
  }
  return out;
}

function v6Bytes(addr: string): number[] | null {
  let text = addr;
  // An embedded IPv4 tail (::ffff:1.2.3.4) stands for the last two groups.
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) >= 0) {
    const v4 = v4Bytes(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = v4;
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): string[] | null => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : null;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || rest === null) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(missing).fill('0'), ...rest];
  const out: number[] = [];
  for (const g of all) {
    const v = parseInt(g, 16);
    out.push(v >> 8, v & 0xff);
  }
  if (tail.length === 4) out.splice(12, 4, ...tail);
  return out;
}

/** An IPv4 or IPv6 address as bytes (4 or 16), or null when it is neither. */
export function addressBytes(addr: string): number[] | null {
  return addr.includes(':') ? v6Bytes(addr) : v4Bytes(addr);
}

/** Splits `addr[/bits]` into bytes and a prefix length; null when malformed. */
function parseIpAcl(id: string): { bytes: number[]; bits: number } | null {
  const slash = id.indexOf('/');
  const bytes = addressBytes(slash < 0 ? id : id.slice(0, slash));
  if (bytes === null) return null;
  let bits = bytes.length * 8;
  if (slash >= 0) {
    const b = parseJavaInt(id.slice(slash + 1));
    if (b === null || b < 0 || b > bytes.length * 8) return null;
    bits = b;
  }
  return { bytes, bits };
}

/** Whether `id` is a valid ip ACL id (`10.0.0.0/8`, `127.0.0.1`, `fe80::/10`). */
export function isValidIpAcl(id: string): boolean {
  return parseIpAcl(id) !== null;
}

/** Whether the client address `clientAddr` falls inside the ACL id's network. */
export function ipMatches(clientAddr: string, aclId: string): boolean {
  const acl = parseIpAcl(aclId);
  const client = addressBytes(clientAddr);
  if (acl === null || client === null || client.length !== acl.bytes.length) return false;
  for (let i = 0; i < client.length; i++) {
    const keep = Math.max(0, Math.min(8, acl.bits - 8 * i));
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((client[i]! & mask) !== (acl.bytes[i]! & mask)) return false;
  }
  return true;
}
