/**
 * Subtree export and import in our own JSON (`SubtreeJson`, api.ts): path-keyed like
 * zoocreeper, each node with base64 data, Stat, ACL with named permissions and its
 * creation mode (product-anchors.md §4). Both directions go through an ordinary client
 * session, so they work on any running lab.
 *
 * A client sees ephemeralOwner 0 for containers and TTL nodes (wire-protocol.md §10.3–10.4),
 * so a subtree export records those as persistent; the cluster export keeps them exact.
 * Import recreates nodes under their exact names (sequential suffixes included, as
 * persistent nodes), parents first; ephemeral nodes are skipped unless asked to become
 * persistent, since their owning sessions do not exist in the target.
 */
import { CreateMode } from '../jute/constants.js';
import { ZkClient, ZkError } from '../client/index.js';
import type { SubtreeImportResult, SubtreeJson, SubtreeNodeJson } from './api.js';
import { aclFromJson, aclToJson, createModeFromName, statToJson } from './tree-json.js';
import { RequestError } from './validate.js';

/** A subtree bigger than this is refused rather than built in memory. */
export const MAX_SUBTREE_NODES = 200_000;

export async function exportSubtree(client: ZkClient, root: string, now: number): Promise<SubtreeJson> {
  const nodes: Record<string, SubtreeNodeJson> = {};
  let level = [root];
  let count = 0;
  while (level.length > 0) {
    const next: string[] = [];
    const read = await Promise.all(
      level.map(async (path) => {
        try {
          const [data, acl, children] = await Promise.all([client.getData(path), client.getACL(path), client.getChildren(path)]);
          return { path, data, acl, children };
        } catch (e) {
          if (ZkError.is(e, 'NoNode') && path !== root) return null; // deleted while we walked
          throw e;
        }
      }),
    );
    for (const r of read) {
      if (!r) continue;
      if (++count > MAX_SUBTREE_NODES) throw new RequestError(`${root} has more than ${MAX_SUBTREE_NODES} nodes; export a smaller subtree`);
      nodes[r.path] = {
        data: r.data.data === null ? null : r.data.data.toString('base64'),
        stat: statToJson(r.data.stat),
        acl: aclToJson(r.acl.acl),
        mode: r.data.stat.ephemeralOwner !== 0n ? 'ephemeral' : 'persistent',
      };
      for (const c of r.children.sort()) {
        const child = r.path === '/' ? `/${c}` : `${r.path}/${c}`;
        if (child !== '/zookeeper') next.push(child);
      }
    }
    level = next;
  }
  return { format: 'zoolab-subtree', version: 1, root, exportedAt: now, nodes };
}

export interface SubtreeImportOptions {
  targetPath?: string;
  onConflict?: 'fail' | 'skip' | 'overwrite';
  ephemeralsAsPersistent?: boolean;
}

export function checkSubtreeJson(json: unknown): SubtreeJson {
  const j = json as Partial<SubtreeJson>;
  if (!j || typeof j !== 'object' || j.format !== 'zoolab-subtree') throw new RequestError('not a ZooLab subtree export (format must be "zoolab-subtree")');
  if (j.version !== 1) throw new RequestError(`unsupported subtree export version ${JSON.stringify(j.version)} (this ZooLab reads version 1)`);
  if (typeof j.root !== 'string' || !j.root.startsWith('/')) throw new RequestError('the subtree export has no valid root path');
  if (!j.nodes || typeof j.nodes !== 'object') throw new RequestError('the subtree export has no nodes');
  for (const [path, node] of Object.entries(j.nodes)) {
    if (path !== j.root && !path.startsWith(j.root === '/' ? '/' : `${j.root}/`)) throw new RequestError(`node ${path} lies outside the export's root ${j.root}`);
    if (!node || typeof node !== 'object' || !Array.isArray(node.acl)) throw new RequestError(`node ${path} is malformed`);
    if (node.data !== null && typeof node.data !== 'string') throw new RequestError(`node ${path}: data must be base64 text or null`);
    createModeFromName(node.mode);
    aclFromJson(node.acl);
  }
  return j as SubtreeJson;
}

export async function importSubtree(client: ZkClient, jsonArg: unknown, options: SubtreeImportOptions): Promise<SubtreeImportResult> {
  const json = checkSubtreeJson(jsonArg);
  const target = options.targetPath ?? json.root;
  if (!target.startsWith('/')) throw new RequestError('targetPath must be an absolute path');
  const mapPath = (p: string) => {
    const rest = p === json.root ? '' : json.root === '/' ? p : p.slice(json.root.length);
    if (target === '/') return rest === '' ? '/' : rest;
    return target + rest;
  };
  const conflict = options.onConflict ?? 'fail';
  // Lexicographic order puts every parent before its descendants.
  const entries = Object.entries(json.nodes)
    .map(([p, n]) => [mapPath(p), n] as const)
    .filter(([p]) => p !== '/' && p !== '/zookeeper' && !p.startsWith('/zookeeper/'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const result: SubtreeImportResult = { created: 0, updated: 0, skipped: 0, skippedEphemerals: [] };
  if (conflict === 'fail') {
    const existing = await Promise.all(entries.map(([p]) => client.exists(p)));
    const clash = entries.find((_, i) => existing[i] !== null);
    if (clash) throw new RequestError(`${clash[0]} already exists; nothing was imported (choose onConflict skip or overwrite, or another targetPath)`);
  }
  const parent = target.slice(0, target.lastIndexOf('/')) || '/';
  if (parent !== '/') await client.mkdirp(parent);
  for (const [path, node] of entries) {
    if (node.mode === 'ephemeral' || node.mode === 'ephemeral-sequential') {
      if (!options.ephemeralsAsPersistent) {
        result.skippedEphemerals.push(path);
        continue;
      }
    }
    const data = node.data === null ? null : Buffer.from(node.data, 'base64');
    const acl = aclFromJson(node.acl);
    try {
      if (node.mode === 'container') await client.createContainer(path, data, acl);
      else if ((node.mode === 'persistent-ttl' || node.mode === 'persistent-sequential-ttl') && node.ttlMs) await client.createTTL(path, data, node.ttlMs, { acl });
      else await client.create(path, data, { mode: CreateMode.PERSISTENT, acl });
      result.created++;
    } catch (e) {
      if (!ZkError.is(e, 'NodeExists')) throw e;
      if (conflict === 'overwrite') {
        await client.setData(path, data);
        await client.setACL(path, acl);
        result.updated++;
      } else if (conflict === 'skip') {
        result.skipped++;
      } else {
        throw new RequestError(`${path} appeared while importing; the import stopped there`);
      }
    }
  }
  return result;
}
