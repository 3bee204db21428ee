/**
 * Quota bookkeeping zkCli does on the client (SetQuotaCommand.createQuota, DelQuotaCommand):
 * quotas live as ordinary nodes under `/zookeeper/quota` (wire-protocol.md §8.2); a quota
 * cannot nest inside another quota's subtree.
 */
import type { CommandContext, Printer, ShellClient } from '../command.js';
import { CliError, cliErrorFor } from '../errors.js';
import { OPEN_ACL_UNSAFE, javaSplit } from '../acl-text.js';
import { Err } from '../../jute/error-codes.js';
import { LIMIT_NODE, QUOTA_ROOT, STAT_NODE, StatsTrack, limitPath, quotaPath, statPath } from '../stats-track.js';
import { visitSubtree } from './subtree.js';
import { checkPath, utf8, zk } from './support.js';

const codeOf = (e: unknown): number | undefined => (e as { code?: number })?.code;

async function createIfMissing(client: ShellClient, path: string, data: Buffer | null): Promise<void> {
  if ((await zk(() => client.exists(path, false))) !== null) return;
  try {
    await client.create(path, data, OPEN_ACL_UNSAFE, 'PERSISTENT');
  } catch (e) {
    if (codeOf(e) !== Err.NodeExists) throw cliErrorFor(e);
  }
}

async function readTrack(client: ShellClient, path: string): Promise<StatsTrack> {
  const { data } = await zk(() => client.getData(path, false));
  return StatsTrack.parse(data === null ? '' : data.toString('utf8'));
}

/** A quota below `path` already exists: zkCli refuses (IllegalArgumentException text). */
async function refuseChildQuota(client: ShellClient, path: string): Promise<void> {
  const own = quotaPath(path);
  // No quota node for path yet: nothing below it either.
  if ((await zk(() => client.exists(own, false))) === null) return;
  await visitSubtree(client, own, false, async (node) => {
    let children: string[];
    try {
      children = (await client.getChildren(node, false)).children;
    } catch (e) {
      if (codeOf(e) === Err.NoNode) return;
      throw cliErrorFor(e);
    }
    if (node !== own && children.includes(LIMIT_NODE)) {
      throw new CliError(`${path} has a child ${node.slice(QUOTA_ROOT.length)} which has a quota`);
    }
  });
}

/** A quota above `path` already exists. */
async function refuseParentQuota(client: ShellClient, path: string): Promise<void> {
  const parts = javaSplit(path, '/');
  let node = QUOTA_ROOT;
  for (let i = 1; i < parts.length - 1; i++) {
    node += '/' + parts[i];
    let children: string[];
    try {
      children = (await client.getChildren(node, false)).children;
    } catch (e) {
      if (codeOf(e) === Err.NoNode) return;
      throw cliErrorFor(e);
    }
    if (children.length === 0) return;
    if (node !== quotaPath(path) && children.includes(LIMIT_NODE)) {
      throw new CliError(`${path} has a parent ${node.slice(QUOTA_ROOT.length)} which has a quota`);
    }
  }
}

/** SetQuotaCommand.checkQuota's warnings go to System.out. */
function warnBelowUsage(out: Printer, quota: StatsTrack, usage: StatsTrack): void {
  const below = (limit: bigint, used: bigint) => limit > -1n && limit < used;
  if (below(quota.get('count'), usage.get('count')) || below(quota.get('countHardLimit'), usage.get('count'))) {
    out.println(`[Warning]: the count quota you create is less than the existing count:${usage.get('count')}`);
  }
  if (below(quota.get('bytes'), usage.get('bytes')) || below(quota.get('byteHardLimit'), usage.get('bytes'))) {
    out.println(`[Warning]: the bytes quota you create is less than the existing bytes:${usage.get('bytes')}`);
  }
}

export async function createQuota(ctx: CommandContext, path: string, quota: StatsTrack): Promise<void> {
  const { client } = ctx;
  checkPath(path);
  if ((await zk(() => client.exists(path, false))) === null) throw new CliError(`${path} does not exist.`);
  await refuseChildQuota(client, path);
  await refuseParentQuota(client, path);
  await createIfMissing(client, '/zookeeper', null);
  await createIfMissing(client, QUOTA_ROOT, null);
  let node = QUOTA_ROOT;
  for (const part of javaSplit(path, '/').slice(1)) {
    node += '/' + part;
    await createIfMissing(client, node, null);
  }
  const limits = `${node}/${LIMIT_NODE}`;
  const stats = `${node}/${STAT_NODE}`;
  if ((await zk(() => client.exists(limits, false))) === null) {
    await zk(() => client.create(limits, utf8(quota.toString()), OPEN_ACL_UNSAFE, 'PERSISTENT'));
    const zero = new StatsTrack();
    zero.set('count', 0n);
    zero.set('bytes', 0n);
    await zk(() => client.create(stats, utf8(zero.toString()), OPEN_ACL_UNSAFE, 'PERSISTENT'));
    warnBelowUsage(ctx.out, await readTrack(client, limits), await readTrack(client, stats));
    return;
  }
  const current = await readTrack(client, limits);
  for (const key of ['count', 'bytes', 'countHardLimit', 'byteHardLimit'] as const) {
    if (quota.get(key) > -1n) current.set(key, quota.get(key));
  }
  warnBelowUsage(ctx.out, current, await readTrack(client, stats));
  await zk(() => client.setData(limits, utf8(current.toString()), -1));
}

/** Deletes now-empty quota directories up to /zookeeper/quota. */
async function trimQuotaDirs(client: ShellClient, path: string): Promise<void> {
  for (let node = path; node !== QUOTA_ROOT; node = node.slice(0, node.lastIndexOf('/'))) {
    const { children } = await zk(() => client.getChildren(node, false));
    if (children.length > 0) return;
    await zk(() => client.delete(node, -1));
  }
}

/** Removes the whole quota (`which` null) or only the flagged limits. */
export async function deleteQuota(ctx: CommandContext, path: string, which: StatsTrack | null): Promise<void> {
  const { client } = ctx;
  if ((await zk(() => client.exists(limitPath(path), false))) === null) {
    ctx.out.println(`Quota does not exist for ${path}`);
    return;
  }
  const track = await readTrack(client, limitPath(path));
  if (which === null) {
    const dir = quotaPath(path);
    for (const child of (await zk(() => client.getChildren(dir, false))).children) {
      await zk(() => client.delete(`${dir}/${child}`, -1));
    }
    await trimQuotaDirs(client, dir);
    return;
  }
  for (const key of ['count', 'bytes', 'countHardLimit', 'byteHardLimit'] as const) {
    if (which.get(key) > 0n) track.set(key, -1n);
  }
  await zk(() => client.setData(limitPath(path), utf8(track.toString()), -1));
}

export async function readQuota(client: ShellClient, path: string): Promise<[StatsTrack, StatsTrack]> {
  return [await readTrack(client, limitPath(path)), await readTrack(client, statPath(path))];
}
