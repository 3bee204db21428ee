/**
 * Conveniences built only on the public API: mkdirp, recursive delete, subtree listing
 * and children with their Stats. Each pipelines its requests (FIFO order on one
 * connection guarantees parents are created before children and deleted after them).
 */
import { CreateMode } from '../jute/constants.js';
import type { ACL, Stat } from '../jute/records.js';
import { ZkError } from './errors.js';
import { joinPath, validatePath } from './paths.js';
import type { ChildWithStat, Data } from './types.js';
import type { ZkClient } from './zk-client.js';

export interface MkdirpOptions {
  /** Data of the last node (ancestors get empty data). */
  data?: Data;
  acl?: ACL[];
  /** Mode of the last node (ancestors are persistent). */
  mode?: CreateMode;
}

/** Ancestors of a path, outermost first, ending with the path itself ('/a/b' → ['/a', '/a/b']). */
export function pathPrefixes(path: string): string[] {
  const out: string[] = [];
  let at = 0;
  while ((at = path.indexOf('/', at + 1)) > 0) out.push(path.slice(0, at));
  if (path !== '/') out.push(path);
  return out;
}

export async function mkdirp(zk: ZkClient, path: string, options: MkdirpOptions = {}): Promise<void> {
  validatePath(path);
  const prefixes = pathPrefixes(path);
  const creates = prefixes.map((p, i) => {
    const last = i === prefixes.length - 1;
    const mode = last ? (options.mode ?? CreateMode.PERSISTENT) : CreateMode.PERSISTENT;
    return zk.create(p, last ? (options.data ?? '') : '', { acl: options.acl, mode }).then(
      () => undefined,
      (e: unknown) => {
        if (!ZkError.is(e, 'NodeExists')) throw e;
      },
    );
  });
  const results = await Promise.allSettled(creates);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
}

/** Breadth-first list of the node and every descendant; nodes deleted meanwhile are skipped. */
export async function listSubtree(zk: ZkClient, path: string): Promise<string[]> {
  validatePath(path);
  const out: string[] = [];
  let level = [path];
  let first = true;
  while (level.length > 0) {
    const lists = await Promise.all(
      level.map((p) =>
        zk.getChildren(p).catch((e: unknown) => {
          if (ZkError.is(e, 'NoNode') && !first) return null;
          throw e;
        }),
      ),
    );
    const next: string[] = [];
    level.forEach((p, i) => {
      const children = lists[i];
      if (children === null) return;
      out.push(p);
      for (const c of children.sort()) next.push(joinPath(p, c));
    });
    level = next;
    first = false;
  }
  return out;
}

/**
 * Deletes a subtree, deepest nodes first (all deletes pipelined). NoNode is ignored; if a
 * node gained a child meanwhile (NotEmpty), the walk is repeated a few times.
 */
export async function deleteRecursive(zk: ZkClient, path: string, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let nodes: string[];
    try {
      nodes = await listSubtree(zk, path);
    } catch (e) {
      if (ZkError.is(e, 'NoNode')) return;
      throw e;
    }
    const results = await Promise.allSettled(nodes.reverse().map((p) => zk.delete(p)));
    const errors = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => r.reason as unknown)
      .filter((e) => !ZkError.is(e, 'NoNode'));
    if (errors.length === 0) return;
    if (attempt >= attempts || !errors.every((e) => ZkError.is(e, 'NotEmpty'))) throw errors[0];
  }
}

export async function childrenWithStats(zk: ZkClient, path: string): Promise<ChildWithStat[]> {
  const names = (await zk.getChildren(path)).sort();
  const stats = await Promise.all(names.map((n) => zk.exists(joinPath(path, n))));
  const out: ChildWithStat[] = [];
  names.forEach((name, i) => {
    const stat: Stat | null = stats[i];
    if (stat) out.push({ name, path: joinPath(path, name), stat });
  });
  return out;
}
