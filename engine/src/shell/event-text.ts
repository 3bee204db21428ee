/**
 * Watch and connection events as zkCli prints them: ZooKeeperMain.printMessage puts a
 * blank line before each of `WATCHER::` and `WatchedEvent state:… type:… path:…`
 * (WatchedEvent#toString; a state change has path `null`). State and type names are the
 * Java enum names, which are the keys of jute's KeeperState and EventType tables.
 */
import { eventTypeName, keeperStateName } from '../jute/constants.js';

export interface EventText {
  /** KeeperState name: SyncConnected, Disconnected, Expired, Closed, … */
  state: string;
  /** EventType name: None, NodeCreated, NodeDataChanged, … */
  type: string;
  path: string | null;
}

export function formatWatchedEvent(e: EventText): string {
  return `WatchedEvent state:${e.state} type:${e.type} path:${e.path}`;
}

/** The same from wire numbers (wire-protocol.md §12.7). */
export function eventTextFromCodes(state: number, type: number, path: string | null): EventText {
  return { state: keeperStateName(state), type: eventTypeName(type), path };
}

/** The four lines zkCli writes to stdout for one event. */
export function watcherBlock(e: EventText): string {
  return `\nWATCHER::\n\n${formatWatchedEvent(e)}\n`;
}
