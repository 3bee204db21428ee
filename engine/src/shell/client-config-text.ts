/**
 * `config -c` (ConfigUtils.getClientConfigStr): from the dynamic config text
 * (`server.N=host:p1:p2[:role];[clientHost:]clientPort` lines and `version=…`, wire-protocol.md
 * §8.2) it prints `<version> <host:port>,<host:port>…`.
 *
 * Java walks a `java.util.Properties`, whose order is a ConcurrentHashMap's bucket order
 * (JDK 9+): the shell computes the same order (String#hashCode, CHM's spread, a 16-bucket
 * table that doubles past 3/4 full) so the list reads as zkCli prints it.
 */

/** Properties#load, reduced to what config text holds: `key=value` / `key:value` lines, # and ! comments. */
function loadProperties(text: string): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]*)[ \t\f]*[=:]?[ \t\f]*(.*)$/.exec(line)!;
    const existing = entries.findIndex(([k]) => k === m[1]);
    if (existing >= 0) entries[existing][1] = m[2];
    else entries.push([m[1], m[2]]);
  }
  return entries;
}

function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** ConcurrentHashMap iteration order: bucket index ascending, insertion order within a bucket. */
function concurrentHashMapOrder<T>(entries: Array<[string, T]>): Array<[string, T]> {
  let tableSize = 16;
  while (entries.length >= tableSize - (tableSize >>> 2)) tableSize *= 2;
  const spread = (h: number): number => (h ^ (h >>> 16)) & 0x7fffffff;
  return entries
    .map((e, i) => ({ e, i, bucket: spread(javaStringHash(e[0])) & (tableSize - 1) }))
    .sort((a, b) => a.bucket - b.bucket || a.i - b.i)
    .map((x) => x.e);
}

/** The client address of one server line: `host:port` after `;`, `0.0.0.0:port` for a bare port, null if none. */
function clientAddress(serverSpec: string): string | null {
  const parts = serverSpec.split(';');
  if (parts.length < 2) return null;
  const client = parts[1].trim();
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(client);
  if (bracketed) return `${bracketed[1]}:${bracketed[2]}`;
  const colon = client.lastIndexOf(':');
  return colon === -1 ? `0.0.0.0:${client}` : `${client.slice(0, colon)}:${client.slice(colon + 1)}`;
}

export function clientConfigText(configData: string): string {
  let version = '';
  const addresses: string[] = [];
  for (const [rawKey, rawValue] of concurrentHashMapOrder(loadProperties(configData))) {
    const key = rawKey.trim();
    const value = rawValue.trim();
    if (key === 'version') version = value;
    if (!key.startsWith('server.')) continue;
    // Java appends the separator even when a server has no client address.
    addresses.push(clientAddress(value) ?? '');
  }
  return `${version} ${addresses.join(',')}`;
}
