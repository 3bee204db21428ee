/**
 * Takes snapshots without stalling clients: the tree's incremental serializer emits
 * chunks while `apply` keeps running (copy-on-write pre-images keep the result exactly
 * the state at the snapshot's zxid), and we yield to the event loop between chunks.
 * One snapshot at a time; the storage writes it in its own small flushes.
 */
import type { ZkDatabase } from '../tree/zk-database.js';
import type { Snapshots } from '../storage/contracts.js';
import { LatencyStats } from '../server/server-stats.js';
import type { Logger } from '../server/log.js';
import { SnapshotPolicy } from './snapshot-policy.js';

const NODES_PER_CHUNK = 20_000;

export class Snapshotter {
  private running: Promise<void> | null = null;
  readonly policy: SnapshotPolicy;
  /** Snapshots written since start (mntr zk_snap_count). */
  count = 0;
  readonly time = new LatencyStats();

  constructor(
    private readonly db: () => ZkDatabase,
    private readonly snapshots: Snapshots,
    snapCount: number,
    private readonly log: Logger,
    random?: () => number,
  ) {
    this.policy = new SnapshotPolicy(snapCount, random);
  }

  /** Whether a snapshot is being written now. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Call once per applied txn. */
  applied(): void {
    if (this.policy.logged() && this.running === null) this.take();
  }

  /** Starts a snapshot of the current state (no-op while one runs). Resolves when stored. */
  take(): Promise<void> {
    if (this.running !== null) return this.running;
    this.policy.reset();
    const db = this.db();
    const zxid = db.lastZxid;
    const snap = db.beginSnapshot();
    const started = performance.now();
    async function* chunks(): AsyncGenerator<Buffer> {
      for (;;) {
        const chunk = snap.nextChunk(NODES_PER_CHUNK);
        if (chunk === null) return;
        yield chunk;
        // Let clients in between chunks.
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    this.running = this.snapshots
      .write(zxid, chunks())
      .then(
        () => {
          this.count++;
          const ms = Math.round(performance.now() - started);
          this.time.record(ms);
          this.log.info(`snapshot at zxid 0x${zxid.toString(16)} written in ${ms} ms`);
        },
        (e: unknown) => {
          snap.cancel();
          this.log.error(`snapshot at zxid 0x${zxid.toString(16)} failed: ${(e as Error).message}`);
        },
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Waits for a running snapshot (shutdown). */
  async idle(): Promise<void> {
    if (this.running !== null) await this.running;
  }
}
