/**
 * Building blocks shared by the recipes: sequence numbers of sequential nodes, a
 * "protected" sequential create that survives ConnectionLoss, retrying idempotent reads
 * across a reconnect, and a one-shot wait for a node's deletion.
 */
import { randomUUID } from 'node:crypto';
import { CreateMode, Err, ZkError, joinPath, type Data, type WatchedEvent, type ZkClient } from '../client/index.js';

/** The sequence number a sequential create appended (10 digits, §10.2; -2147483648 after overflow). */
export function sequenceOf(name: string): number {
  // Recipe names end in `-<seq>`; the sequence itself is negative only after overflow
  // (`…--2147483648`), so the dash before the digits is a separator, not a sign.
  const m = /-(-?\d{10})$/.exec(name) ?? /(\d{10})$/.exec(name);
  if (!m) throw new Error(`not a sequential node name: ${name}`);
  return Number(m[1]);
}

/** Child names sorted by their sequence numbers. */
export function bySequence(names: readonly string[]): string[] {
  return [...names].sort((a, b) => sequenceOf(a) - sequenceOf(b));
}

/** True for errors after which the same idempotent request may simply be retried. */
function isConnectionLoss(e: unknown): boolean {
  return ZkError.is(e, 'ConnectionLoss');
}

/** Resolves when the client is connected again; rejects if the session ends instead. */
export function reconnected(zk: ZkClient): Promise<void> {
  return zk.waitForConnected();
}

/** Runs an idempotent request, retrying it after ConnectionLoss once the session is back. */
export async function retrying<T>(zk: ZkClient, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isConnectionLoss(e)) throw e;
      await reconnected(zk);
    }
  }
}

/**
 * Creates an ephemeral-sequential child `<prefix><uuid>-<seq>` and returns its name. If the
 * create fails with ConnectionLoss it may still have happened: the unique uuid lets us
 * find our node instead of making a second one (Curator's "protected" mode).
 */
export async function createProtectedSequential(
  zk: ZkClient,
  dir: string,
  prefix: string,
  data: Data = '',
  mode: CreateMode = CreateMode.EPHEMERAL_SEQUENTIAL,
): Promise<string> {
  const tag = `${prefix}${randomUUID()}-`;
  for (;;) {
    try {
      const path = await zk.create(joinPath(dir, tag), data, { mode });
      return path.slice(path.lastIndexOf('/') + 1);
    } catch (e) {
      if (!isConnectionLoss(e)) throw e;
      await reconnected(zk);
      const found = (await retrying(zk, () => zk.getChildren(dir))).find((c) => c.startsWith(tag));
      if (found) return found;
    }
  }
}

/** Thrown when a recipe's wait runs past its deadline. */
export class RecipeTimeoutError extends ZkError {
  constructor(path: string) {
    super(Err.OperationTimeout, path);
    this.name = 'RecipeTimeoutError';
  }
}

/**
 * Arms a one-shot watch through `arm` and resolves when it fires (any event, including
 * the session-end event), or rejects at the deadline. `arm` returns false when there is
 * nothing to wait for (e.g. the node is already gone).
 */
export async function waitForWatch(
  arm: (watcher: (e: WatchedEvent) => void) => Promise<boolean>,
  deadline: number | null,
  path: string,
): Promise<void> {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  if (!(await arm(() => fire()))) return;
  if (deadline === null) return fired;
  const left = deadline - Date.now();
  if (left <= 0) throw new RecipeTimeoutError(path);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RecipeTimeoutError(path)), left);
  });
  try {
    await Promise.race([fired, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `Date.now() + timeoutMs`, or null for no deadline. */
export function deadlineOf(timeoutMs: number | undefined): number | null {
  return timeoutMs === undefined ? null : Date.now() + timeoutMs;
}

/** mkdirp that tolerates concurrent creators. */
export async function ensurePath(zk: ZkClient, path: string): Promise<void> {
  await retrying(zk, () => zk.mkdirp(path));
}
