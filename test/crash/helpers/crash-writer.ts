/**
 * The crash test's child: opens a store in argv[2] (dataDir) with argv[3] as its
 * dataLogDir (the same path for one file), recovers (printing what it found),
 * then appends the deterministic history (history.ts) with several appends in flight,
 * printing `ACK <zxid>` for each one acknowledged durable. It also snapshots and purges
 * as a member does, and starts each epoch with setAcceptedEpoch + the atomic
 * appendAndSetCurrentEpoch. It runs until killed (SIGKILL by the parent), or with
 * argv[4] = 'verify' it only recovers, prints and exits.
 *
 * Output lines: REPORT <level> <code> <message> | RECOVERED <lastZxid> <digest> <nodes>
 * | EPOCHS <accepted> <current> | ACK <zxid> | SNAPSHOT <zxid> | FATAL <message>
 */
import { counterOf, epochOf } from '../../../engine/src/jute/zxid.js';
import { recoverStore } from '../../../engine/src/storage/recover-store.js';
import { openSqliteStore } from '../../../engine/src/storage/sqlite-store.js';
import { applyToMap, mapFns, serializeMap } from '../../unit/storage-fixtures.js';
import { digest, entryAt, nextZxid } from './history.js';

const IN_FLIGHT = 16;
const SNAPSHOT_EVERY = 250;

const out = (line: string): void => {
  process.stdout.write(line + '\n');
};

async function main(): Promise<void> {
  const [dataDir, dataLogDir, mode] = process.argv.slice(2);
  if (!dataDir || !dataLogDir) throw new Error('usage: crash-writer <dataDir> <dataLogDir> [verify]');
  const store = await openSqliteStore({
    dataDir,
    dataLogDir,
    chunkBytes: 8 * 1024,
    logger: (r) => out(`REPORT ${r.level} ${r.code} ${r.message}`),
  });
  const { db, lastZxid } = await recoverStore(store, mapFns, {
    checkEpochs: true,
    logger: (r) => out(`REPORT ${r.level} ${r.code} ${r.message}`),
  });
  // One write for both lines: a kill right after the parent reads RECOVERED (or at a random
  // instant) must not leave it with a recovery but no epochs.
  out(`RECOVERED ${lastZxid.toString(16)} ${digest(db)} ${db.nodes.size}\nEPOCHS ${store.stable.acceptedEpoch()} ${store.stable.currentEpoch()}`);
  if (mode === 'verify') {
    // Every row still in the log verifies and decodes.
    store.log.read(0n);
    await store.close();
    return;
  }

  let next = nextZxid(lastZxid);
  let inFlight = 0;
  let wake: (() => void) | null = null;
  let sinceSnapshot = 0;
  const settled = (): void => {
    inFlight--;
    wake?.();
  };
  const waitBelow = async (n: number): Promise<void> => {
    while (inFlight >= n) await new Promise<void>((r) => (wake = r));
  };

  for (;;) {
    const zxid = next;
    next = nextZxid(next);
    const entry = entryAt(zxid);
    if (counterOf(zxid) === 1) {
      // A new epoch: drain, promise it, then log its first txn and adopt it atomically.
      await waitBelow(1);
      await store.stable.setAcceptedEpoch(epochOf(zxid));
      await store.appendAndSetCurrentEpoch([entry], epochOf(zxid));
      applyToMap(db, entry);
      out(`ACK ${zxid.toString(16)}`);
      continue;
    }
    await waitBelow(IN_FLIGHT);
    inFlight++;
    store.log.append([entry]).then(
      () => {
        // Appends resolve in zxid order (one FIFO), so the map advances in order.
        applyToMap(db, entry);
        out(`ACK ${zxid.toString(16)}`);
        if (++sinceSnapshot >= SNAPSHOT_EVERY) {
          sinceSnapshot = 0;
          const at = db.lastZxid;
          void store.snapshots
            .write(at, serializeMap(db))
            .then(() => store.snapshots.purge(3))
            .then(() => out(`SNAPSHOT ${at.toString(16)}`))
            .catch((e: unknown) => fatal(e));
        }
        settled();
      },
      (e: unknown) => fatal(e),
    );
  }
}

function fatal(e: unknown): never {
  out(`FATAL ${(e as Error)?.message ?? String(e)}`);
  process.exit(2);
}

main().catch(fatal);
