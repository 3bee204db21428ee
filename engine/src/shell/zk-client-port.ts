/**
 * The shell's client port (command.ts) on the project's ZkClient. Events of the default
 * watcher (session changes, `-w` reads, addWatch) go to the shell's listener, which prints
 * them as zkCli does.
 */
import { ZkClient } from '../client/index.js';
import type { SocketFactory, ZkClientOptions } from '../client/index.js';
import { CreateMode, WatcherType } from '../jute/constants.js';
import type { ACL } from '../jute/records.js';
import type { ClientFactory, CreateModeName, RemoveWatchKind, ShellClient } from './command.js';
import { eventTextFromCodes } from './event-text.js';
import { isKeeperError, keeperMessage } from './errors.js';

const REMOVE_KINDS: Record<RemoveWatchKind, WatcherType> = {
  children: WatcherType.Children,
  data: WatcherType.Data,
  any: WatcherType.Any,
};

class ZkClientPort implements ShellClient {
  constructor(private readonly zk: ZkClient) {}

  get state() {
    return this.zk.state;
  }
  get sessionId() {
    return this.zk.sessionId;
  }
  create(path: string, data: Buffer | null, acl: ACL[], mode: CreateModeName, ttl?: number): Promise<string> {
    return this.zk.create(path, data, { mode: CreateMode[mode], acl, ...(ttl === undefined ? {} : { ttl }) });
  }
  delete(path: string, version: number) {
    return this.zk.delete(path, version);
  }
  exists(path: string, watch: boolean) {
    return this.zk.exists(path, { watch });
  }
  getData(path: string, watch: boolean) {
    return this.zk.getData(path, { watch });
  }
  setData(path: string, data: Buffer | null, version: number) {
    return this.zk.setData(path, data, version);
  }
  getChildren(path: string, watch: boolean) {
    return this.zk.getChildrenAndStat(path, { watch });
  }
  getACL(path: string) {
    return this.zk.getACL(path);
  }
  setACL(path: string, acl: ACL[], version: number) {
    return this.zk.setACL(path, acl, version);
  }
  sync(path: string) {
    return this.zk.sync(path);
  }
  /**
   * The Java client ignores the chroot here: it sends the prefix as typed and shows server
   * paths. A session's ephemerals all lie under its chroot, so asking for all of them and
   * filtering their server paths by the raw prefix prints what zkCli prints.
   */
  async getEphemerals(prefixPath?: string) {
    const chroot = this.zk.chroot;
    if (chroot === '') return this.zk.getEphemerals(prefixPath);
    const all = (await this.zk.getEphemerals('/')).map((p) => (p === '/' ? chroot : chroot + p));
    return prefixPath === undefined ? all : all.filter((p) => p.startsWith(prefixPath));
  }
  getAllChildrenNumber(path: string) {
    return this.zk.getAllChildrenNumber(path);
  }
  addWatch(path: string, recursive: boolean) {
    return this.zk.addWatch(path, true, recursive ? 'persistent-recursive' : 'persistent');
  }
  removeAllWatches(path: string, kind: RemoveWatchKind, local: boolean) {
    return this.zk.removeWatches(path, REMOVE_KINDS[kind], { local });
  }
  addAuth(scheme: string, auth: Buffer | null): void {
    // zkCli sends the packet and moves on; a refusal shows up as an AuthFailed event.
    this.zk.addAuth(scheme, auth ?? Buffer.alloc(0)).catch(() => undefined);
  }
  whoAmI() {
    return this.zk.whoAmI();
  }
  getConfig(watch: boolean) {
    return this.zk.getConfig({ watch });
  }
  async deleteBatch(paths: string[]): Promise<boolean> {
    try {
      await this.zk.multi(paths.map((path) => ({ type: 'delete' as const, path, version: -1 })));
      return true;
    } catch {
      return false;
    }
  }
  /** ZooKeeperAdmin#reconfigure reports failures without a path (`KeeperErrorCode = Reconfig is disabled`). */
  async reconfig(joining: string | null, leaving: string | null, members: string | null, fromConfig: bigint) {
    try {
      return await this.zk.reconfig(joining, leaving, members, fromConfig);
    } catch (e) {
      if (!isKeeperError(e)) throw e;
      throw Object.assign(new Error(keeperMessage({ code: e.code })), { code: e.code });
    }
  }
  close() {
    return this.zk.close();
  }
}

export interface ZkClientFactoryOptions {
  /** Route connections (the lab's link proxies). */
  socketFactory?: SocketFactory;
  /** Anything else for the client (tests pin host order, timeouts). */
  clientOptions?: Partial<ZkClientOptions>;
}

/** Opens shell sessions with ZkClient. */
export function zkClientFactory(factoryOptions: ZkClientFactoryOptions = {}): ClientFactory {
  return (connectString, options, listener) => {
    const zk = new ZkClient({
      ...factoryOptions.clientOptions,
      connectString,
      sessionTimeout: options.sessionTimeout,
      canBeReadOnly: options.canBeReadOnly,
      ...(factoryOptions.socketFactory ? { socketFactory: factoryOptions.socketFactory } : {}),
    });
    zk.on('watch', (e) => listener.event(eventTextFromCodes(e.state, e.type, e.path)));
    zk.on('state', (s) => listener.state(s));
    zk.start();
    return new ZkClientPort(zk);
  };
}
