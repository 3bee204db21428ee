/**
 * Re-arming watches: the "clean way to re-arm" one-shot watches. Each one reads with a
 * watch, hands the value to the listener, and when the watch fires reads (and arms)
 * again. A read that failed with ConnectionLoss is repeated once the session is connected
 * again; the watch stops for good when the session ends or stop() is called.
 *
 * Changes between two reads are coalesced (ZooKeeper watches are one-shot, §12.3): the
 * listener always gets the latest value, not every intermediate one.
 */
import { EventType, WatcherType } from '../jute/constants.js';
import { Err } from '../jute/error-codes.js';
import { ZkError } from './errors.js';
import type { DataResult, LiveWatch, SessionState, WatchedEvent, Watcher } from './types.js';
import type { ZkClient } from './zk-client.js';

/** Gets the node's data, or null while it does not exist. */
export type DataListener = (value: DataResult | null, event: WatchedEvent | null) => void;
/** Gets the child names (sorted), or null while the node does not exist. */
export type ChildrenListener = (children: string[] | null, event: WatchedEvent | null) => void;

type Reader<T> = (watcher: Watcher) => Promise<T>;

function liveWatch<T>(zk: ZkClient, path: string, read: Reader<T>, deliver: (value: T | null, event: WatchedEvent | null) => void): LiveWatch {
  let stopped = false;
  let running = false;
  let again: WatchedEvent | null | undefined;
  let resolveReady!: () => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {});

  const watcher: Watcher = (event) => {
    if (stopped) return;
    if (event.type === EventType.None) {
      stop();
      return;
    }
    refresh(event);
  };

  const onState = (state: SessionState) => {
    if (state === 'expired' || state === 'closed' || state === 'auth-failed') stop();
  };

  async function readOnce(): Promise<T | null> {
    try {
      return await read(watcher);
    } catch (e) {
      if (!ZkError.is(e, 'NoNode')) throw e;
    }
    // Missing: arm an exists watch so its creation wakes us; if it appeared meanwhile, read again.
    const stat = await zk.exists(path, { watch: watcher });
    return stat === null ? null : readOnce();
  }

  function refresh(event: WatchedEvent | null): void {
    if (stopped) return;
    if (running) {
      again = event;
      return;
    }
    running = true;
    readOnce().then(
      (value) => {
        running = false;
        if (stopped) return;
        deliver(value, event);
        resolveReady();
        if (again !== undefined) {
          const e = again;
          again = undefined;
          refresh(e);
        }
      },
      (e: unknown) => {
        running = false;
        if (stopped) return;
        if (ZkError.is(e) && (e.code === Err.ConnectionLoss || e.code === Err.OperationTimeout)) {
          // The watch may not be set: read again once the session is back.
          zk.once('connected', () => refresh(event));
          return;
        }
        rejectReady(e);
        stop();
      },
    );
  }

  function stop(): void {
    if (stopped) return;
    stopped = true;
    zk.off('state', onState);
    rejectReady(new ZkError(Err.SessionExpired, path));
    if (zk.isConnected) zk.removeWatches(path, WatcherType.Any, { watcher, local: true }).catch(() => {});
  }

  zk.on('state', onState);
  refresh(null);
  return { stop, ready };
}

export function watchData(zk: ZkClient, path: string, listener: DataListener): LiveWatch {
  return liveWatch(zk, path, (watch) => zk.getData(path, { watch }), listener);
}

export function watchChildren(zk: ZkClient, path: string, listener: ChildrenListener): LiveWatch {
  return liveWatch(zk, path, async (watch) => (await zk.getChildren(path, { watch })).sort(), listener);
}
