/**
 * The real pure-core pieces a member is built from: Prep (server/prep), the watch tables
 * (watches/), the session tracker, ids and timeout negotiation (sessions/), the ACL rules.
 */
import type { CoreParts } from './member.js';
import { Prep, checkAcl, digestId } from '../server/prep/index.js';
import { WatchManager } from '../watches/index.js';
import { SessionIdGenerator, SessionTracker, negotiateTimeout, timeoutBounds } from '../sessions/index.js';
import type { SessionTracking, TxnPreparer } from '../server/server-deps.js';
import type { ServerConfig } from '../config/server-config.js';
import type { ZkDatabase } from '../tree/zk-database.js';
import type { ClientConnection } from '../server/client-connection.js';
import { REAL_TIMERS } from '../server/timers.js';

/**
 * Prep behind the names the replication uses. `tracker` (where global sessions are
 * tracked) adds its view to prep's session check: a session it is closing is expired.
 */
export function preparer(db: ZkDatabase, config: ServerConfig, tracker?: SessionTracker): TxnPreparer {
  const prep = new Prep(db, {
    extendedTypesEnabled: config.extendedTypesEnabled,
    skipACL: config.skipACL,
    reconfigEnabled: config.reconfigEnabled,
    checkSession: tracker ? (sid) => tracker.checkSession(sid) : undefined,
  });
  const limits = { maxNeverUsedIntervalMs: config.container.maxNeverUsedIntervalMs };
  return {
    prepare: (req, zxid, time) => prep.prepare(req, zxid, time),
    createSession: (sid, timeout, passwd, zxid, time) => prep.prepareCreateSession(sid, timeout, passwd, zxid, time),
    closeSession: (sid, zxid, time) => prep.prepareCloseSession(sid, zxid, time),
    reapDelete: (path, zxid, time) => prep.prepareReap(path, zxid, time, limits),
    committed: (zxid) => prep.committed(zxid),
  };
}

export function sessionTracker(config: ServerConfig, clock: () => number = REAL_TIMERS.monotonic): SessionTracker {
  return new SessionTracker({ tickTime: config.tickTime, clock });
}

export const defaultCoreParts: CoreParts = {
  prep: (db, config, sessions) => preparer(db(), config, sessions instanceof SessionTracker ? sessions : undefined),
  watches: () => new WatchManager<ClientConnection>(),
  sessions: (config): SessionTracking => sessionTracker(config),
  sessionIds: (serverId, now) => {
    const ids = new SessionIdGenerator(serverId, now);
    return () => ids.nextId();
  },
  negotiateTimeout: (config) => {
    const bounds = timeoutBounds(config.tickTime, config.minSessionTimeout, config.maxSessionTimeout);
    return (requested) => negotiateTimeout(requested, bounds);
  },
  acl: { check: (acl, perm, ids) => checkAcl(acl, perm, ids), digestId },
};
