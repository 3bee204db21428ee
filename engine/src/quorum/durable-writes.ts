/**
 * Turns a Ready batch's `persist` list into store writes, in order (used by driver.ts and
 * by the simulator, so both persist exactly alike). An `append` directly followed by a
 * `currentEpoch` becomes one atomic `appendAndSetCurrentEpoch` (ZOOKEEPER-2354/4643: the
 * sync txns and the new epoch are durable together or not at all). The promise resolves
 * once everything is durable.
 *
 * A snapshot write queues its chunks over several microtasks, so writes issued right
 * after it could reach the disk first; a SNAP's snapshot must precede the entries logged
 * after it (a log that continues past a missing snapshot cannot be recovered), so the
 * writes after a snapshot are issued only once it is durable.
 * (Edge code: imports the storage contract types only; the pure core never calls it.)
 */
import type { DurableStore } from '../storage/contracts.js';
import type { PersistOp } from './ready.js';

export async function writePersistOps(store: DurableStore, ops: readonly PersistOp[]): Promise<void> {
  let writes: Promise<unknown>[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    switch (op.op) {
      case 'acceptedEpoch':
        writes.push(store.stable.setAcceptedEpoch(op.epoch));
        break;
      case 'currentEpoch':
        writes.push(store.stable.setCurrentEpoch(op.epoch));
        break;
      case 'truncate':
        writes.push(store.log.truncateAfter(op.zxid));
        break;
      case 'snapshot':
        writes.push(store.snapshots.write(op.zxid, op.bytes));
        await Promise.all(writes);
        writes = [];
        break;
      case 'append': {
        const next = ops[i + 1];
        if (next?.op === 'currentEpoch') {
          writes.push(store.appendAndSetCurrentEpoch(op.entries, next.epoch));
          i++;
        } else {
          writes.push(store.log.append(op.entries));
        }
        break;
      }
    }
  }
  await Promise.all(writes);
}
