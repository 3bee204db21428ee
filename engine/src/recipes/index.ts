/** Coordination recipes built on the ZooLab client. See docs/client.md#recipes. */
export { DistributedLock, SequentialLock, mutexRule, type AcquireOptions, type BlockingRule, type LockEvents } from './lock.js';
export { ReadWriteLock, readRule, writeRule } from './rw-lock.js';
export { LeaderElection, observeLeader, type LeaderElectionEvents } from './leader-election.js';
export { DoubleBarrier } from './barrier.js';
export { DistributedQueue, type QueueItem } from './queue.js';
export { registerService, ServiceRegistration, ServiceWatcher, type ServiceWatcherEvents } from './service-registry.js';
export { RecipeTimeoutError, sequenceOf, bySequence } from './common.js';
