/**
 * Shared plumbing for steps that talk to ZooKeeper: create modes by name, Stat as a
 * saved value, error names, and requests with a deadline (a request to a member that lost
 * its quorum waits for a connection that may never come, wire-protocol.md §13.2).
 */
import { CreateMode, ZkArgumentError, ZkError, type Stat } from '../../client/index.js';
import type { CreateModeName } from '../../lab/api.js';
import type { ScenarioClient } from '../clients.js';
import type { RunContext } from '../context.js';

export const CREATE_MODES: readonly CreateModeName[] = [
  'persistent',
  'ephemeral',
  'persistent-sequential',
  'ephemeral-sequential',
  'container',
  'persistent-ttl',
  'persistent-sequential-ttl',
];

export const MODE_FLAGS: Record<CreateModeName, CreateMode> = {
  persistent: CreateMode.PERSISTENT,
  ephemeral: CreateMode.EPHEMERAL,
  'persistent-sequential': CreateMode.PERSISTENT_SEQUENTIAL,
  'ephemeral-sequential': CreateMode.EPHEMERAL_SEQUENTIAL,
  container: CreateMode.CONTAINER,
  'persistent-ttl': CreateMode.PERSISTENT_WITH_TTL,
  'persistent-sequential-ttl': CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
};

/** A Stat as steps save it: zxids and the owner stay bigint (they print as 0x…). */
export interface SavedStat {
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
}

export function savedStat(s: Stat): SavedStat {
  return {
    czxid: s.czxid,
    mzxid: s.mzxid,
    pzxid: s.pzxid,
    ctime: Number(s.ctime),
    mtime: Number(s.mtime),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: s.ephemeralOwner,
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

export const STAT_FIELDS = ['czxid', 'mzxid', 'pzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion', 'ephemeralOwner', 'dataLength', 'numChildren'] as const;

/** A request that got no answer in time (our name, next to ZooKeeper's error names). */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
  readonly codeName = 'Timeout';
}

/** `NoNode`, `BadVersion`, … , `Timeout`, or the error's class name. */
export function errorName(e: unknown): string {
  if (e instanceof ZkError) return e.codeName;
  if (e instanceof NoAnswerError) return 'Timeout';
  // Refused by the client library before sending, as Java's IllegalArgumentException.
  if (e instanceof ZkArgumentError) return 'IllegalArgument';
  const err = e as { name?: string; codeName?: string };
  return err?.codeName ?? err?.name ?? 'Error';
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const DEFAULT_OP_TIMEOUT_MS = 10_000;

/**
 * Runs a request with a deadline. When it passes, the client is closed: a queued write
 * must not reach the server later, behind the learner's back.
 */
export async function withDeadline<T>(ctx: RunContext, client: ScenarioClient, op: Promise<T>, timeoutMs = DEFAULT_OP_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswerError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([op, deadline]);
  } catch (e) {
    if (e instanceof NoAnswerError) {
      op.catch(() => undefined);
      await ctx.clients.close(client.name);
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

export function dataText(data: Buffer | null): string | null {
  return data === null ? null : data.toString('utf8');
}
