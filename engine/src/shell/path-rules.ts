/**
 * The client-side path check the Java client runs before sending a request
 * (PathUtils.validatePath; the same rules as wire-protocol.md §8.1). zkCli reports its
 * message verbatim (`Path must start with / character`), so the shell checks here, before
 * the request, with the same texts. Indices count UTF-16 code units, as Java's do.
 */

/** Returns the Java IllegalArgumentException message for a bad path, or null if valid. */
export function pathProblem(path: string, sequential = false): string | null {
  if (sequential) path = path + '1';
  if (path.length === 0) return 'Path length must be > 0';
  if (path[0] !== '/') return 'Path must start with / character';
  if (path.length === 1) return null;
  if (path.endsWith('/')) return 'Path must not end with / character';
  const reason = badCharacterReason(path);
  return reason === null ? null : `Invalid path string "${path}" caused by ${reason}`;
}

function isInvalidCodeUnit(c: number): boolean {
  return (
    (c > 0x00 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)
  );
}

function badCharacterReason(path: string): string | null {
  let last = '/';
  for (let i = 1; i < path.length; last = path[i], i++) {
    const c = path[i];
    const next = path[i + 1];
    const endsName = next === undefined || next === '/';
    if (c === '\0') return `null character not allowed @${i}`;
    if (c === '/' && last === '/') return `empty node name specified @${i}`;
    if (c === '.' && last === '.') {
      if (path[i - 2] === '/' && endsName) return `relative paths not allowed @${i}`;
    } else if (c === '.') {
      if (path[i - 1] === '/' && endsName) return `relative paths not allowed @${i}`;
    } else if (isInvalidCodeUnit(c.charCodeAt(0))) {
      return `invalid character @${i}`;
    }
  }
  return null;
}
