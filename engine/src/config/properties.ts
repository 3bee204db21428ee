/**
 * Reads the Java `.properties` text zoo.cfg is written in (ZooKeeper loads it with
 * java.util.Properties): `key=value`, `key: value` or `key value`; `#` and `!` start
 * comment lines; a trailing backslash continues a logical line; surrounding blanks are
 * trimmed (QuorumPeerConfig trims values too). Later keys override earlier ones, as in
 * Properties; the line number is kept for messages.
 */
export interface Property {
  key: string;
  value: string;
  line: number;
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
    e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (ESCAPES[e] ?? e),
  );
}

/** Index of the first unescaped separator (`=`, `:` or blank) in a logical line. */
function separatorAt(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') return i;
  }
  return -1;
}

function splitLogicalLine(line: string): { key: string; value: string } {
  const at = separatorAt(line);
  if (at < 0) return { key: unescape(line), value: '' };
  const key = line.slice(0, at);
  // Blanks around the separator belong to neither side; one `=`/`:` may follow blanks.
  let rest = line.slice(at).replace(/^[ \t\f]*/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1);
  return { key: unescape(key), value: unescape(rest.trim()) };
}

export function parseProperties(text: string): Property[] {
  const physical = text.split(/\r\n|\r|\n/);
  const out: Property[] = [];
  for (let i = 0; i < physical.length; i++) {
    const startLine = i + 1;
    let line = physical[i].replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    // An odd number of trailing backslashes continues the line.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < physical.length) {
      line = line.slice(0, -1) + physical[++i].replace(/^[ \t\f]+/, '');
    }
    const { key, value } = splitLogicalLine(line);
    out.push({ key, value, line: startLine });
  }
  return out;
}
