/** Text forms of client values, as the Java client prints them (zkCli shows these). */
import { eventTypeName, keeperStateName } from '../jute/constants.js';
import type { WatchedEvent } from './types.js';

/** `WatchedEvent state:SyncConnected type:NodeDataChanged path:/a` (Java's WatchedEvent.toString). */
export function formatWatchedEvent(e: WatchedEvent): string {
  return `WatchedEvent state:${keeperStateName(e.state)} type:${eventTypeName(e.type)} path:${e.path ?? 'null'}`;
}
