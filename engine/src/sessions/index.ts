/** Sessions (wire-protocol.md §13, zab.md §5): ids, timeout negotiation, expiry. Pure, clocks injected. */
export { SessionIdGenerator, initialSessionId } from './session-id.js';
export { negotiateTimeout, timeoutBounds, type TimeoutBounds } from './negotiate-timeout.js';
export { ExpiryBuckets } from './expiry-buckets.js';
export { SessionTracker, type SessionTrackerOptions, type TrackedSession } from './session-tracker.js';
