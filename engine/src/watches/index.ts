/** Server-side watches (wire-protocol.md §12): one manager, generic over the connection type. */
export {
  WatchManager,
  isWatcherType,
  type Delivery,
  type SetWatchesRequest,
  type WatchCatchUpSource,
  type WatchKind,
} from './watch-manager.js';
