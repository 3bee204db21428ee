/**
 * Background writers for cluster tests: each client creates distinct znodes in a loop
 * and remembers which creates were acknowledged, so a test can check that none of them
 * is ever lost. A write that fails (connection loss during a failover) has an unknown
 * outcome and is not counted.
 */
import { ZkClient } from '../../../engine/src/client/index.js';

export interface Writers {
  /** Paths whose create was acknowledged. */
  readonly acked: string[];
  /** Wall time at which the first write issued after `markFrom()` was acknowledged; rejects after `timeoutMs`. */
  firstAckAfterMark(timeoutMs?: number): Promise<number>;
  markFrom(time: number): void;
  stop(): Promise<void>;
}

export async function startWriters(connectString: string, count: number, prefix: string, sessionTimeout = 10_000): Promise<Writers> {
  const acked: string[] = [];
  let running = true;
  let mark = Number.POSITIVE_INFINITY;
  let firstAfter: number | null = null;
  let notify: (() => void) | null = null;
  const clients: ZkClient[] = [];
  for (let i = 0; i < count; i++) clients.push(await ZkClient.connect({ connectString, sessionTimeout }, 15_000));
  await clients[0]!.create(prefix, '').catch(() => undefined);
  const loops = clients.map(async (c, i) => {
    for (let n = 0; running; n++) {
      const path = `${prefix}/c${i}-${n}`;
      const issuedAt = Date.now();
      try {
        await c.create(path, String(n));
        acked.push(path);
        // Only a write issued after the mark counts (one in flight before it proves nothing).
        if (issuedAt >= mark && firstAfter === null) {
          firstAfter = Date.now();
          notify?.();
        }
      } catch {
        // Unknown outcome (connection lost): the client reconnects on its own.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    acked,
    markFrom(time) {
      mark = time;
      firstAfter = null;
    },
    firstAckAfterMark(timeoutMs = 60_000) {
      if (firstAfter !== null) return Promise.resolve(firstAfter);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no write acknowledged within ${timeoutMs} ms`)), timeoutMs);
        notify = () => {
          clearTimeout(timer);
          resolve(firstAfter!);
        };
      });
    },
    async stop() {
      running = false;
      // Close first: a create still in flight then fails at once instead of waiting for a
      // member that may never answer (each close is bounded by the client).
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await Promise.all(loops);
    },
  };
}

/** Checks every path exists, reading from one member after a sync; returns the missing ones. */
export async function missingOn(connectString: string, paths: readonly string[]): Promise<string[]> {
  const c = await ZkClient.connect({ connectString, sessionTimeout: 10_000 }, 15_000);
  try {
    await c.sync('/');
    const missing: string[] = [];
    for (const p of paths) if ((await c.exists(p)) === null) missing.push(p);
    return missing;
  } finally {
    await c.close();
  }
}
