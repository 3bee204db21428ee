/**
 * Znode path rules (wire-protocol.md §8): syntax validation, parent/name splitting, the
 * reserved nodes and the sequential suffix. Pure string functions, shared by the tree,
 * prep and the server's read path.
 */

export const ROOT = '/';
export const ZOOKEEPER_PATH = '/zookeeper';
export const QUOTA_PATH = '/zookeeper/quota';
export const CONFIG_PATH = '/zookeeper/config';

/** Nodes every member starts with, which `delete` refuses with BadArguments (§8.2). */
export const PROTECTED_PATHS: ReadonlySet<string> = new Set([ROOT, ZOOKEEPER_PATH, QUOTA_PATH, CONFIG_PATH]);

/**
 * Why `path` is not a valid znode path (§8.1), or null when it is valid. The checks and
 * their order follow ZooKeeper's PathUtils.validatePath, so the reasons match its messages.
 */
export function pathError(path: string): string | null {
  if (path.length === 0) return 'Path length must be > 0';
  if (path.charCodeAt(0) !== 0x2f) return 'Path must start with / character';
  if (path.length === 1) return null;
  if (path.charCodeAt(path.length - 1) === 0x2f) return 'Path must not end with / character';
  let last = 0x2f;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    // Fast lane for the common case (digits, letters, most punctuation): nothing to check.
    if (c > 0x2f && c < 0x7f) {
      last = c;
      continue;
    }
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`;
    if (c === 0x2e) {
      // A segment that is exactly "." or "..": the dot run starts after a slash and ends at one.
      const endsSegment = i + 1 === path.length || path.charCodeAt(i + 1) === 0x2f;
      const single = last === 0x2f;
      const double = last === 0x2e && path.charCodeAt(i - 2) === 0x2f;
      if (endsSegment && (single || double)) return `relative paths not allowed @${i}`;
    }
    if (
      (c > 0x00 && c <= 0x1f) ||
      (c >= 0x7f && c <= 0x9f) ||
      // U+D800–U+F8FF covers every surrogate, so non-BMP characters are refused (§8.1).
      (c >= 0xd800 && c <= 0xf8ff) ||
      c >= 0xfff0
    ) {
      return `invalid character @${i}`;
    }
    last = c;
  }
  return null;
}

export function isValidPath(path: string): boolean {
  return pathError(path) === null;
}

/**
 * The parent as ZooKeeper's prep computes it: the text before the last `/`, with `""`
 * (the root's alias) mapped to `/`. Returns null when there is no `/` at all.
 * No syntax check: `/a//b` has parent `/a/`, which simply does not exist (§8.3).
 */
export function parentOf(path: string): string | null {
  const i = path.lastIndexOf('/');
  if (i < 0) return null;
  return i === 0 ? ROOT : path.slice(0, i);
}

/** The last segment of a valid path (`''` for the root). */
export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `/a` + `b` → `/a/b`; `/` + `b` → `/b`. */
export function childPath(parent: string, name: string): string {
  return parent === ROOT ? ROOT + name : parent + '/' + name;
}

/**
 * The sequential suffix (§10.2): the parent's internal child counter as a signed decimal
 * zero-padded to 10 characters, sign included (Java's `%010d`), so after the 32-bit
 * wrap it reads `-2147483648`.
 */
export function sequenceSuffix(counter: number): string {
  const n = counter | 0;
  if (n >= 0) return String(n).padStart(10, '0');
  return '-' + String(-n).padStart(9, '0');
}

/** Every ancestor of `path`, nearest first, ending with `/` (none for `/` itself). */
export function* ancestorsOf(path: string): Generator<string> {
  let p = parentOf(path);
  while (p !== null && path !== ROOT) {
    yield p;
    if (p === ROOT) return;
    p = parentOf(p);
  }
}

/** Orders strings by UTF-16 code units (locale-free, identical on every member). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
