/**
 * Service registry with a live member list: the "servers register ephemeral znodes under
 * /servers and a watcher reacts to failures" pattern. A member registers an ephemeral node
 * `<root>/<name>` holding its address (or any data); when its process dies or is cut off,
 * its session expires and the node disappears. A ServiceWatcher keeps the member list
 * current with a re-arming children watch and reports who joined and who left.
 *
 *   await registerService(zk, '/servers', 'web-1', '10.0.0.5:8080');
 *   const members = new ServiceWatcher(zk2, '/servers');
 *   members.on('left', (name) => console.log(`${name} failed`));
 *   await members.start();
 */
import { EventEmitter } from 'node:events';
import { CreateMode, ZkError, joinPath, type Data, type LiveWatch, type SessionState, type ZkClient } from '../client/index.js';
import { ensurePath, retrying } from './common.js';

export interface ServiceRegistrationEvents {
  /** The session ended: the registration is gone. */
  lost: [];
}

export class ServiceRegistration extends EventEmitter<ServiceRegistrationEvents> {
  private active = true;
  private readonly onState = (state: SessionState) => {
    if (this.active && (state === 'expired' || state === 'closed' || state === 'auth-failed')) {
      this.active = false;
      this.zk.off('state', this.onState);
      this.emit('lost');
    }
  };

  constructor(
    private readonly zk: ZkClient,
    /** The registered node's path. */
    readonly path: string,
  ) {
    super();
    zk.on('state', this.onState);
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Replaces the advertised data (watchers see a 'changed' event). */
  async update(data: Data): Promise<void> {
    await this.zk.setData(this.path, data);
  }

  /** Removes the registration. */
  async unregister(): Promise<void> {
    this.active = false;
    this.zk.off('state', this.onState);
    try {
      await retrying(this.zk, () => this.zk.delete(this.path));
    } catch (e) {
      if (!ZkError.is(e, 'NoNode') && !ZkError.is(e, 'SessionExpired')) throw e;
    }
  }
}

/**
 * Registers `name` under `root` as an ephemeral node. NodeExists means another live
 * session already uses that name. With `sequential`, a unique suffix is added and the
 * registration's path tells which.
 */
export async function registerService(
  zk: ZkClient,
  root: string,
  name: string,
  data: Data,
  options: { sequential?: boolean } = {},
): Promise<ServiceRegistration> {
  await ensurePath(zk, root);
  const mode = options.sequential ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
  const path = await zk.create(joinPath(root, name), data, { mode });
  return new ServiceRegistration(zk, path);
}

export interface ServiceWatcherEvents {
  /** A member appeared. */
  joined: [name: string, data: Buffer | null];
  /** A member disappeared (unregistered, crashed, or cut off until its session expired). */
  left: [name: string];
  /** A member's data changed. */
  changed: [name: string, data: Buffer | null];
  /** The member list after any change. */
  members: [members: ReadonlyMap<string, Buffer | null>];
}

export class ServiceWatcher extends EventEmitter<ServiceWatcherEvents> {
  private readonly current = new Map<string, Buffer | null>();
  private live: LiveWatch | null = null;
  private readonly dataWatches = new Map<string, LiveWatch>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly zk: ZkClient,
    readonly root: string,
  ) {
    super();
  }

  /** The members known right now (name → data). */
  get members(): ReadonlyMap<string, Buffer | null> {
    return this.current;
  }

  /** Starts watching; resolves when the first member list is known. */
  async start(): Promise<void> {
    await ensurePath(this.zk, this.root);
    let first!: () => void;
    const ready = new Promise<void>((resolve) => (first = resolve));
    this.live = this.zk.watchChildren(this.root, (children) => {
      // Apply lists one at a time, in the order they arrived.
      this.chain = this.chain.then(() => this.apply(children ?? [])).then(first, first);
    });
    await this.live.ready;
    await ready;
  }

  stop(): void {
    this.live?.stop();
    this.live = null;
    for (const w of this.dataWatches.values()) w.stop();
    this.dataWatches.clear();
  }

  private async apply(children: readonly string[]): Promise<void> {
    const names = new Set(children);
    let changed = false;
    for (const name of [...this.current.keys()]) {
      if (names.has(name)) continue;
      this.current.delete(name);
      this.dataWatches.get(name)?.stop();
      this.dataWatches.delete(name);
      this.emit('left', name);
      changed = true;
    }
    for (const name of children) {
      if (this.current.has(name) || this.dataWatches.has(name)) continue;
      const joined = await this.watchMember(name);
      if (joined) changed = true;
    }
    if (changed) this.emit('members', this.current);
  }

  /** Follows one member's data; resolves true once it is known (false if it vanished meanwhile). */
  private watchMember(name: string): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let known = false;
      const live = this.zk.watchData(joinPath(this.root, name), (value) => {
        if (!known) {
          known = true;
          if (value === null) {
            live.stop();
            this.dataWatches.delete(name);
            resolve(false);
            return;
          }
          this.current.set(name, value.data);
          this.emit('joined', name, value.data);
          resolve(true);
          return;
        }
        // Later updates: a deletion is reported by the children watch; only data changes here.
        if (value !== null && this.current.has(name)) {
          this.current.set(name, value.data);
          this.emit('changed', name, value.data);
          this.emit('members', this.current);
        }
      });
      this.dataWatches.set(name, live);
      live.ready.catch(() => resolve(false));
    });
  }
}
