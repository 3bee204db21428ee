/**
 * Finds znode paths by substring or glob (the lab's whole-tree search, parent request
 * `search-paths`). Runs inside the member against its own tree, so a search over a
 * 100 000-node tree costs one in-memory walk instead of 100 000 getChildren round trips.
 *
 * Query language (one text box in the UI):
 *   - no `*` or `?`: a case-insensitive substring of the full path (`lock` finds /app/locks/x);
 *   - a glob with a `/`: matched against the whole path (`/app/*\/lock-*`);
 *   - a glob without `/`: matched against the node's name, like `find -name` (`lock-0*`).
 *   In globs `*` is any run of characters within one path segment, `**` any run across
 *   segments, `?` one character other than `/`; globs are case-sensitive, as znode names are.
 *
 * The walk is depth first with siblings in name order (parents before children), so
 * pages are stable while the tree does not change. It stops after `maxVisited` nodes and
 * says so (`complete: false`): a search must not stall a member serving clients.
 */

export interface PathSearchResult {
  /** The requested page of matching paths, in tree order. */
  matches: string[];
  /** Matches seen in the part of the tree that was walked. */
  total: number;
  /** Nodes examined. */
  visited: number;
  /** False when the walk stopped at `maxVisited` before the end of the tree. */
  complete: boolean;
}

export interface PathSearchOptions {
  offset?: number;
  limit?: number;
  /** Nodes to examine at most (default 1 000 000). */
  maxVisited?: number;
}

export const DEFAULT_MAX_VISITED = 1_000_000;

export class PathQueryError extends Error {
  override name = 'PathQueryError';
}

/** Turns the query text into a predicate on full paths; throws PathQueryError for an empty query. */
export function compilePathQuery(query: string): (path: string) => boolean {
  const q = query.trim();
  if (q === '') throw new PathQueryError('the search text is empty');
  if (!/[*?]/.test(q)) {
    const needle = q.toLowerCase();
    return (path) => path.toLowerCase().includes(needle);
  }
  const re = globToRegExp(q);
  if (q.includes('/')) return (path) => re.test(path);
  return (path) => re.test(path.slice(path.lastIndexOf('/') + 1));
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

/**
 * Walks the tree from `/` through `childrenOf` (null when a node vanished) and returns
 * one page of the paths `matches` accepts.
 */
export function searchPaths(
  childrenOf: (path: string) => string[] | null,
  matches: (path: string) => boolean,
  options: PathSearchOptions = {},
): PathSearchResult {
  const offset = Math.max(0, options.offset ?? 0);
  const limit = Math.max(0, options.limit ?? 100);
  const maxVisited = options.maxVisited ?? DEFAULT_MAX_VISITED;
  const page: string[] = [];
  let total = 0;
  let visited = 0;
  const stack = ['/'];
  while (stack.length > 0) {
    if (visited >= maxVisited) return { matches: page, total, visited, complete: false };
    const path = stack.pop()!;
    visited++;
    if (matches(path)) {
      if (total >= offset && page.length < limit) page.push(path);
      total++;
    }
    const children = childrenOf(path);
    if (!children || children.length === 0) continue;
    const prefix = path === '/' ? '/' : `${path}/`;
    // Reverse name order on the stack pops the children in name order.
    const sorted = [...children].sort();
    for (let i = sorted.length - 1; i >= 0; i--) stack.push(prefix + sorted[i]!);
  }
  return { matches: page, total, visited, complete: true };
}
