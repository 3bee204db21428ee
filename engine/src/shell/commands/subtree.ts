/**
 * The two tree walks zkCli uses (ZKUtil): a depth-first visit that lists each node's sorted
 * children before descending (`ls -R`, `setAcl -R`, the quota checks), and a breadth-first
 * listing (`deleteall`).
 */
import type { ShellClient } from '../command.js';
import { Err } from '../../jute/error-codes.js';
import { cliErrorFor } from '../errors.js';
import { checkPath, zk } from './support.js';

const childPath = (parent: string, child: string): string => (parent === '/' ? '' : parent) + '/' + child;

function isNoNode(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: number }).code === Err.NoNode;
}

/**
 * Visits `path` then its subtree: the root must exist (read with getData, setting a data
 * watch if asked); nodes that vanish during the walk are skipped.
 */
export async function visitSubtree(
  client: ShellClient,
  path: string,
  watch: boolean,
  visit: (path: string) => void | Promise<void>,
): Promise<void> {
  checkPath(path);
  await zk(() => client.getData(path, watch));
  await visit(path);
  await visitChildren(client, path, watch, visit);
}

async function visitChildren(
  client: ShellClient,
  path: string,
  watch: boolean,
  visit: (path: string) => void | Promise<void>,
): Promise<void> {
  let children: string[];
  try {
    children = [...(await client.getChildren(path, watch)).children].sort();
  } catch (e) {
    if (isNoNode(e)) return;
    throw cliErrorFor(e);
  }
  for (const child of children) await visit(childPath(path, child));
  for (const child of children) await visitChildren(client, childPath(path, child), watch, visit);
}

/** Every path of the subtree, parents before children, level by level. */
export async function listSubtreeBreadthFirst(client: ShellClient, root: string): Promise<string[]> {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    const node = tree[i];
    const { children } = await zk(() => client.getChildren(node, false));
    for (const child of children) tree.push(childPath(node, child));
  }
  return tree;
}
