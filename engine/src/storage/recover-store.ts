/**
 * Startup glue around the pure `recover`: read what the store holds, rebuild the
 * database, cut a bad tail from the log (durably, before anything is served), pass every
 * report to the logger, and optionally enforce the epoch invariants of a quorum member.
 */
import type { DurableStore, StorageLogger } from './contracts.js';
import { epochProblems } from './epoch-check.js';
import { StorageError } from './errors.js';
import { recover, type RecoveryFns, type RecoveryPolicy, type RecoveryResult } from './recovery.js';

export interface RecoverStoreOptions extends RecoveryPolicy {
  logger?: StorageLogger;
  /** Quorum members: refuse to start when acceptedEpoch ≥ currentEpoch ≥ epoch(last zxid) fails. */
  checkEpochs?: boolean;
}

export async function recoverStore<Db>(
  store: DurableStore,
  fns: RecoveryFns<Db>,
  opts: RecoverStoreOptions = {},
): Promise<RecoveryResult<Db>> {
  const result = recover(store.recoveryInput(), fns, opts);
  if (result.truncateAfter !== null) await store.log.truncateAfter(result.truncateAfter);
  for (const r of result.reports) opts.logger?.(r);
  if (opts.checkEpochs) {
    const lastLogged = store.log.lastZxid() > result.lastZxid ? store.log.lastZxid() : result.lastZxid;
    const problems = epochProblems(store.stable.acceptedEpoch(), store.stable.currentEpoch(), lastLogged);
    if (problems.length > 0) throw new StorageError('corrupt', `epoch files inconsistent: ${problems.join('; ')}`);
  }
  return result;
}
