/**
 * LabService: the LabApi implemented on the Node side. One command table maps every
 * command name to its handler; every adapter (Electron IPC, the WebSocket bridge, the
 * CLI's control channel) calls `invoke(name, arg, actor)` and subscribes with `on`.
 * Arguments are untrusted JSON and are validated here, once.
 *
 * A service either serves one fixed lab (the `zk-lab` supervisor daemon) or may create and
 * open labs itself (an in-process host such as Electron's main process).
 */
import { randomInt } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type {
  Actor,
  CommandName,
  CommandRequest,
  CommandResponse,
  EventName,
  EventPayload,
  ImportedLab,
  LabInfo,
  MemberId,
  NodeDetails,
  TreeChange,
} from './api.js';
import { isCommandName } from './api.js';
import { memberPorts, connectString } from './lab-config.js';
import { createLabDir } from './lab-layout.js';
import { RecentLabs } from './recent-labs.js';
import { ShellSessions } from './shell-sessions.js';
import { LabError, Supervisor, type SupervisorOptions } from './supervisor.js';
import { TreeMirror } from './tree-mirror.js';
import { ZkClient } from '../client/index.js';
import { exportCluster, importClusterDir } from './cluster-export.js';
import { readExportFile } from './export-file.js';
import { checkSubtreeJson, exportSubtree, importSubtree } from './subtree-transfer.js';
import { inspectSessions } from './sessions-inspector.js';
import { expireSession, readNodeMode, searchTree, sessionAuthority, sessionTimeLeft } from './member-queries.js';
import * as v from './validate.js';

export interface LabServiceOptions {
  /** A lab to serve from the start (the daemon). */
  supervisor?: Supervisor;
  /** Whether lab.create / lab.open / snapshot.import may switch this service to another lab. */
  allowLabSwitch: boolean;
  /** Passed to supervisors this service opens. */
  supervisorOptions?: Omit<SupervisorOptions, 'dir'>;
  recent?: RecentLabs;
  /** Called after `lab.down` finished (the daemon exits then). */
  onDown?: () => void;
  /** How long lab.create / lab.open wait for a writable quorum (default 30 s). */
  serveTimeoutMs?: number;
  /** Answers the `scenario.*` namespace. */
  scenarios?: ScenarioProvider;
  /**
   * Where the service cannot switch labs (a `zk-lab` supervisor serves one lab), starts a
   * lab imported beside the current one under its own supervisor and returns its info;
   * without it `snapshot.import*` is refused there.
   */
  startLabBeside?: (dir: string) => Promise<LabInfo>;
}

type Handler<K extends CommandName> = (arg: v.Obj, actor: Actor) => Promise<CommandResponse<K>> | CommandResponse<K>;

/** The `scenario.*` commands: answered by a ScenarioProvider (engine/src/scenarios), not by the lab. */
export type ScenarioCommandName = Extract<CommandName, `scenario.${string}`>;
type LabCommandName = Exclude<CommandName, ScenarioCommandName>;

/**
 * Plugs the scenario engine into the service: every `scenario.*` command goes to `invoke`
 * (arguments still untrusted JSON), and `attach` hands it a way to emit `scenario.*` events
 * plus the service itself, through which it drives the lab like any other client (actor
 * `scenario`). Without a provider, `scenario.list` is empty and the rest are refused.
 */
export interface ScenarioProvider {
  attach(context: { emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void; service: LabService }): void;
  invoke<K extends ScenarioCommandName>(name: K, arg: v.Obj, actor: Actor): Promise<CommandResponse<K>>;
  /** The service is shutting down (its lab may already be down). */
  dispose?(): Promise<void>;
  /** Every lab command that succeeded, with its actor and result (scenario recording; must not throw or block). */
  observe?(name: CommandName, arg: v.Obj, actor: Actor, result: unknown): void;
}
type Listener = (payload: unknown) => void;

export class LabService {
  private supervisor: Supervisor | null;
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private unwire: (() => void)[] = [];
  private mirrors = new Map<string, TreeMirror>();
  private shells: ShellSessions | null = null;
  private nextMirror = 1;
  private readonly recent: RecentLabs;

  constructor(private readonly options: LabServiceOptions) {
    this.supervisor = options.supervisor ?? null;
    this.recent = options.recent ?? new RecentLabs();
    if (this.supervisor) this.wire(this.supervisor);
    options.scenarios?.attach({ emit: (event, payload) => this.emit(event, payload), service: this });
  }

  get lab(): Supervisor | null {
    return this.supervisor;
  }

  /** Runs a command. Rejects with a `LabError` ({code, message}) the adapters pass on as is. */
  async invoke<K extends CommandName>(name: K, arg: CommandRequest<K> | unknown, actor: Actor): Promise<CommandResponse<K>> {
    if (!isCommandName(name)) throw new LabError('unknown-command', `unknown command ${JSON.stringify(name)}`);
    try {
      const checked = v.obj(arg, `the argument of ${name}`);
      if (isScenarioCommand(name)) return (await this.scenario(name, checked, actor)) as CommandResponse<K>;
      const handler = this.handlers[name as LabCommandName] as unknown as Handler<K>;
      const result = await handler(checked, actor);
      this.options.scenarios?.observe?.(name, checked, actor, result);
      return result;
    } catch (e) {
      throw toLabError(e);
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set!.delete(listener as Listener);
  }

  /** Shuts the service's clients and shells (not the lab). */
  async dispose(): Promise<void> {
    await this.options.scenarios?.dispose?.().catch(() => {});
    await this.closeClients();
    for (const u of this.unwire) u();
    this.unwire = [];
  }

  // ───────────────────────────── wiring ─────────────────────────────

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) {
      try {
        l(payload);
      } catch {
        // A listener's failure is its own; the stream goes on.
      }
    }
  }

  private wire(sup: Supervisor): void {
    this.unwire.push(sup.events.subscribe((e) => this.emit('lab.event', e)));
    this.unwire.push(sup.onStatus((s) => this.emit('lab.status', s)));
    this.shells = new ShellSessions({
      connectStringFor: (m) => this.connectStringFor(m),
      emitOutput: (shellId, data) => this.emit('shell.output', { shellId, data }),
      emitInfo: (info) => this.emit('shell.info', info),
      emitExit: (shellId, reason) => this.emit('shell.exit', { shellId, reason }),
    });
  }

  private async closeClients(): Promise<void> {
    await Promise.all([...this.mirrors.values()].map((m) => m.close()));
    this.mirrors.clear();
    await this.shells?.closeAll();
  }

  private require(): Supervisor {
    if (!this.supervisor || !this.supervisor.isRunning) throw new LabError('no-lab', 'no lab is running; create or open one first');
    return this.supervisor;
  }

  private connectStringFor(member: MemberId | null): string {
    const sup = this.require();
    if (member === null) return connectString(sup.config);
    return `127.0.0.1:${memberPorts(sup.config, member).proxyClientPort}`;
  }

  private mirror(arg: v.Obj): TreeMirror {
    const id = v.str(arg, 'mirrorId');
    const m = this.mirrors.get(id);
    if (!m) throw new LabError('no-such-mirror', `there is no open tree browser ${JSON.stringify(id)}`);
    return m;
  }

  /** A short-lived client session for one operation (subtree export/import), as the lab's super identity. */
  private async withClient<T>(member: MemberId | null, fn: (client: ZkClient) => Promise<T>): Promise<T> {
    const client = await ZkClient.connect({ connectString: this.connectStringFor(member), sessionTimeout: 10_000 }, 15_000);
    try {
      const secret = this.require().config.superSecret;
      if (secret) await client.addAuth('digest', `super:${secret}`);
      return await fn(client);
    } finally {
      await client.close().catch(() => {});
    }
  }

  private shellSessions(): ShellSessions {
    this.require();
    return this.shells!;
  }

  private async switchTo(sup: Supervisor, actor: Actor): Promise<LabInfo> {
    if (this.supervisor && this.supervisor !== sup) {
      await this.closeClients();
      for (const u of this.unwire) u();
      this.unwire = [];
      await this.supervisor.down(actor);
      this.emit('lab.closed', { reason: `switched to lab ${sup.dir}` });
    }
    this.supervisor = sup;
    this.wire(sup);
    const started = await sup.start(actor);
    if (started.failed.length > 0) {
      throw new LabError('start-failed', started.failed.map((f) => `member ${f.member}: ${f.error}`).join('\n'));
    }
    await sup.waitForStatus((s) => s.quorum.canWrite, this.options.serveTimeoutMs ?? 30_000, 'a writable quorum');
    const info = sup.info();
    this.recent.remember(info, Date.now());
    return info;
  }

  /**
   * Creates a lab from an export (`create` validates the file first and writes `dir` only
   * when it is sound) and starts it: this service switches to it when it may; otherwise (a
   * `zk-lab` supervisor serves one lab) the new lab goes next to the current one and runs
   * under its own supervisor.
   */
  private async importLab(dirArg: string | undefined, create: (dir: string) => Promise<unknown>, actor: Actor, action: string): Promise<ImportedLab> {
    if (this.options.allowLabSwitch) {
      if (dirArg === undefined) throw new LabError('bad-request', 'dir is required: the directory of the new lab');
      const dir = resolve(dirArg);
      await create(dir);
      const info = await this.switchTo(Supervisor.open({ ...this.options.supervisorOptions, dir }), actor);
      return { ...info, switched: true, url: null, message: `imported the export into a new lab in ${dir} and opened it` };
    }
    const current = this.require();
    const launch = this.options.startLabBeside;
    if (!launch) throw new LabError('refused', `${action} is not available here: this supervisor serves ${current.dir} only (use zk-lab import FILE --dir NEWDIR)`);
    const dir = besideDir(current.dir, current.config.name, dirArg, Date.now());
    await create(dir);
    let info: LabInfo;
    try {
      info = await launch(dir);
    } catch (e) {
      const message = `the imported lab in ${dir} did not come up: ${(e as Error).message} (its directory is kept for its logs; remove it when done)`;
      current.recordAction(actor, action, dir, message, false);
      throw new LabError('start-failed', message);
    }
    const message = `imported the export into a new lab in ${dir}; it runs beside ${current.dir} under its own supervisor (connect string ${info.connectString}; zk-lab serve --dir ${dir} serves its UI)`;
    current.recordAction(actor, action, dir, message, true);
    return { ...info, switched: false, url: null, message };
  }

  private requireSwitch(what: string): void {
    if (!this.options.allowLabSwitch) {
      throw new LabError('refused', `${what} is not available here: this supervisor serves ${this.supervisor?.dir ?? 'one lab'} only`);
    }
  }

  // ───────────────────────────── the command table ─────────────────────────────

  private async scenario(name: ScenarioCommandName, arg: v.Obj, actor: Actor): Promise<unknown> {
    const provider = this.options.scenarios;
    if (provider) return provider.invoke(name, arg, actor);
    if (name === 'scenario.list') return [];
    throw new LabError('no-scenarios', `${name}: no scenario engine is installed in this lab service`);
  }

  private readonly handlers: { [K in LabCommandName]: Handler<K> } = {
    'lab.info': () => this.supervisor?.info() ?? null,
    'lab.recent': () => this.recent.list(),
    'lab.create': async (arg, actor) => {
      this.requireSwitch('lab.create');
      const dir = resolve(v.str(arg, 'dir'));
      const spec = v.obj(arg.spec, 'spec');
      await createLabDir(dir, {
        members: v.int(spec, 'members', 1, 9),
        observers: v.optInt(spec, 'observers', 0, 9),
        tickTimeMs: v.optInt(spec, 'tickTimeMs', 10, 60_000),
        initLimit: v.optInt(spec, 'initLimit', 1, 1000),
        syncLimit: v.optInt(spec, 'syncLimit', 1, 1000),
        name: v.optStr(spec, 'name'),
      }, Date.now(), randomInt(2 ** 31));
      return this.switchTo(Supervisor.open({ ...this.options.supervisorOptions, dir }), actor);
    },
    'lab.open': async (arg, actor) => {
      this.requireSwitch('lab.open');
      const dir = resolve(v.str(arg, 'dir'));
      if (this.supervisor?.dir === dir && this.supervisor.isRunning) return this.supervisor.info();
      return this.switchTo(Supervisor.open({ ...this.options.supervisorOptions, dir }), actor);
    },
    'lab.start': async (_arg, actor) => {
      if (!this.supervisor) throw new LabError('no-lab', 'no lab is open');
      const r = await this.supervisor.start(actor);
      if (r.failed.length > 0) throw new LabError('start-failed', r.failed.map((f) => `member ${f.member}: ${f.error}`).join('\n'));
      return this.supervisor.info();
    },
    'lab.stop': async (arg, actor) => {
      const sup = this.require();
      await sup.stopMembers(actor, v.optBool(arg, 'graceful') ?? true);
      return sup.info();
    },
    'lab.down': async (_arg, actor) => {
      const sup = this.supervisor;
      if (!sup) return { message: 'no lab was running' };
      await this.closeClients();
      await sup.down(actor);
      for (const u of this.unwire) u();
      this.unwire = [];
      this.supervisor = null;
      this.emit('lab.closed', { reason: `lab ${sup.dir} is down` });
      queueMicrotask(() => this.options.onDown?.());
      return { message: `lab ${sup.dir} is down: every member stopped and every proxy closed` };
    },
    'lab.status': () => {
      if (!this.supervisor) throw new LabError('no-lab', 'no lab is open');
      return this.supervisor.status();
    },

    'member.start': (arg, actor) => this.require().memberAction(actor, v.memberId(arg), 'start'),
    'member.stop': (arg, actor) => this.require().memberAction(actor, v.memberId(arg), 'stop'),
    'member.kill': (arg, actor) => this.require().memberAction(actor, v.memberId(arg), 'kill'),
    'member.pause': (arg, actor) => this.require().memberAction(actor, v.memberId(arg), 'pause'),
    'member.resume': (arg, actor) => this.require().memberAction(actor, v.memberId(arg), 'resume'),
    'member.restart': (arg, actor) => this.require().memberAction(actor, v.memberId(arg), 'restart'),
    'member.wipe': (arg, actor) => this.require().memberAction(actor, v.memberId(arg), 'wipe'),
    'member.logs': (arg) => ({ lines: this.require().memberLogs(v.memberId(arg), v.optInt(arg, 'lines', 1, 200)) }),

    'links.get': () => this.require().links(),
    'links.set': (arg, actor) => this.require().setLink(actor, v.linkEnd(arg, 'from'), v.linkEnd(arg, 'to'), v.settings(arg), v.optBool(arg, 'bothWays') ?? false),
    'links.preset': (arg, actor) => this.require().applyPreset(actor, v.preset(arg)),
    'links.heal': (_arg, actor) => this.require().heal(actor),

    'events.since': (arg) => {
      if (!this.supervisor) throw new LabError('no-lab', 'no lab is open');
      return this.supervisor.events.since(v.int(arg, 'afterSeq', 0, Number.MAX_SAFE_INTEGER), v.optInt(arg, 'limit', 1, 10_000));
    },

    'tree.open': async (arg) => {
      const member = v.optMemberId(arg);
      const mirrorId = `tree-${this.nextMirror++}`;
      const mirror = new TreeMirror({
        mirrorId,
        member,
        connectString: this.connectStringFor(member),
        pageSize: v.optInt(arg, 'pageSize', 1, 5000),
        emitChange: (change: TreeChange) => this.emit('tree.changed', { mirrorId, change }),
        emitState: (info) => this.emit('tree.state', info),
      });
      this.mirrors.set(mirrorId, mirror);
      try {
        await mirror.waitConnected(15_000);
      } catch (e) {
        this.mirrors.delete(mirrorId);
        await mirror.close();
        throw new LabError('connect-failed', `could not connect the tree browser to ${member === null ? 'the lab' : `member ${member}`}: ${(e as Error).message}`);
      }
      return mirror.info();
    },
    'tree.close': async (arg) => {
      const m = this.mirror(arg);
      this.mirrors.delete(m.id);
      await m.close();
      return {};
    },
    'tree.expand': (arg) => this.mirror(arg).expand(v.str(arg, 'path'), v.optInt(arg, 'limit', 1, 5000)),
    'tree.collapse': (arg) => {
      this.mirror(arg).collapse(v.str(arg, 'path'));
      return {};
    },
    'tree.children': (arg) => this.mirror(arg).children(v.str(arg, 'path'), v.int(arg, 'offset', 0), v.optInt(arg, 'limit', 1, 5000)),
    'tree.get': async (arg) => {
      const mirror = this.mirror(arg);
      const details: NodeDetails = await mirror.get(v.str(arg, 'path'));
      // The Stat cannot tell containers and TTL nodes from persistent ones (wire-protocol.md §10.3): ask a member.
      const kind = this.supervisor ? await readNodeMode(this.supervisor, details.path, details.stat.czxid, mirror.member) : null;
      return kind ? { ...details, ...kind } : details;
    },
    'tree.search': (arg) =>
      searchTree(this.require(), v.str(arg, 'query'), v.optInt(arg, 'offset', 0) ?? 0, v.optInt(arg, 'limit', 1, 1000) ?? 100, v.optMemberId(arg)),
    'tree.create': (arg) =>
      this.mirror(arg).create({ path: v.str(arg, 'path'), dataBase64: arg.dataBase64 as string | null | undefined, mode: arg.mode, ttlMs: v.optInt(arg, 'ttlMs', 1), acl: arg.acl }),
    'tree.set': (arg) => this.mirror(arg).set(v.str(arg, 'path'), arg.dataBase64, v.int(arg, 'version', -1)),
    'tree.deletePreview': (arg) => this.mirror(arg).deletePreview(v.str(arg, 'path'), v.optInt(arg, 'limit', 1, 100_000)),
    'tree.delete': (arg) => this.mirror(arg).delete(v.str(arg, 'path'), v.int(arg, 'version', -1), v.optBool(arg, 'recursive') ?? false),
    'tree.setAcl': (arg) => this.mirror(arg).setAcl(v.str(arg, 'path'), arg.acl, v.int(arg, 'version', -1)),

    'shell.open': (arg) =>
      this.shellSessions().open(v.optMemberId(arg), v.optInt(arg, 'cols', 10, 1000), v.optInt(arg, 'rows', 2, 1000), v.optBool(arg, 'flowControl') ?? false),
    'shell.input': (arg) => {
      if (typeof arg.data !== 'string') throw new LabError('bad-request', 'data must be a string');
      this.shellSessions().input(v.str(arg, 'shellId'), arg.data);
      return {};
    },
    'shell.resize': (arg) => {
      this.shellSessions().resize(v.str(arg, 'shellId'), v.int(arg, 'cols', 10, 1000), v.int(arg, 'rows', 2, 1000));
      return {};
    },
    'shell.close': async (arg) => {
      await this.shellSessions().close(v.str(arg, 'shellId'));
      return {};
    },
    'shell.list': () => this.shells?.list() ?? [],
    'shell.ack': (arg) => {
      this.shellSessions().ack(v.str(arg, 'shellId'), v.int(arg, 'chars', 0));
      return {};
    },

    'sessions.list': async (arg) => {
      const sup = this.require();
      const member = v.optMemberId(arg);
      const status = sup.status();
      const targets = status.members.map((m) => ({ id: m.id, clientPort: m.clientPort, running: m.state === 'running' }));
      const authority = sessionAuthority(status);
      const all = await inspectSessions(targets, authority, await sessionTimeLeft(sup, authority));
      return member === null ? all : all.filter((s) => s.member === member || s.watches.some((w) => w.member === member));
    },
    'sessions.expire': async (arg, actor) => {
      const sup = this.require();
      const sessionId = v.str(arg, 'sessionId');
      try {
        const r = await expireSession(sup, sessionId);
        sup.recordAction(actor, 'sessions.expire', sessionId, r.message, true);
        return { message: r.message };
      } catch (e) {
        sup.recordAction(actor, 'sessions.expire', sessionId, `could not expire ${sessionId}: ${(e as Error).message}`, false);
        throw e;
      }
    },

    'snapshot.export': async (arg, actor) => {
      const sup = this.require();
      try {
        const r = await exportCluster({ dir: sup.dir, config: sup.config, leader: sup.status().leader }, v.str(arg, 'file'), Date.now());
        sup.recordAction(actor, 'snapshot.export', r.file, `exported the cluster (${r.manifest.znodes} znodes, ${r.sizeBytes} bytes) to ${r.file}`, true);
        return r;
      } catch (e) {
        sup.recordAction(actor, 'snapshot.export', null, `export failed: ${(e as Error).message}`, false);
        throw e;
      }
    },
    'snapshot.inspect': (arg) => readExportFile(resolve(v.str(arg, 'file'))).manifest,
    'snapshot.import': (arg, actor) => {
      const file = v.str(arg, 'file');
      return this.importLab(v.str(arg, 'dir'), (dir) => importClusterDir(file, dir, Date.now(), randomInt(2 ** 31)), actor, 'snapshot.import');
    },
    'snapshot.download': async (_arg, actor) => {
      const sup = this.require();
      const work = mkdtempSync(join(tmpdir(), 'zoolab-download-'));
      try {
        const fileName = `${sup.config.name.replace(/[^A-Za-z0-9._-]+/g, '-')}-${new Date().toISOString().replace(/[:.]/g, '-')}.zoolab`;
        const r = await exportCluster({ dir: sup.dir, config: sup.config, leader: sup.status().leader }, join(work, fileName), Date.now());
        sup.recordAction(actor, 'snapshot.download', null, `exported the cluster (${r.manifest.znodes} znodes, ${r.sizeBytes} bytes) for download`, true);
        return { fileName, dataBase64: readFileSync(r.file).toString('base64'), sizeBytes: r.sizeBytes, manifest: r.manifest };
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    'snapshot.inspectBytes': (arg) => withUploadedFile(arg, (file) => readExportFile(file).manifest),
    'snapshot.importBytes': (arg, actor) =>
      this.importLab(v.optStr(arg, 'dir'), (dir) => withUploadedFile(arg, (file) => importClusterDir(file, dir, Date.now(), randomInt(2 ** 31))), actor, 'snapshot.importBytes'),
    'subtree.export': async (arg) => {
      const path = v.str(arg, 'path');
      return this.withClient(v.optMemberId(arg), (client) => exportSubtree(client, path, Date.now()));
    },
    'subtree.import': async (arg, actor) => {
      const onConflict = arg.onConflict === undefined ? undefined : arg.onConflict === 'fail' || arg.onConflict === 'skip' || arg.onConflict === 'overwrite' ? arg.onConflict : v.bad('onConflict must be fail, skip or overwrite');
      const json = checkSubtreeJson(arg.json);
      const r = await this.withClient(null, (client) =>
        importSubtree(client, json, { targetPath: v.optStr(arg, 'targetPath'), onConflict, ephemeralsAsPersistent: v.optBool(arg, 'ephemeralsAsPersistent') }),
      );
      this.require().recordAction(actor, 'subtree.import', arg.targetPath === undefined ? json.root : String(arg.targetPath), `imported ${r.created} node(s), updated ${r.updated}, skipped ${r.skipped + r.skippedEphemerals.length}`, true);
      return r;
    },
  };
}

/**
 * Where a lab served by a single-lab supervisor puts an imported lab: a new directory next
 * to its own (`requested` must name one there; the default is `<name>-imported-<time>`), so
 * an upload from a browser cannot create a lab anywhere else on the host.
 */
export function besideDir(currentDir: string, labName: string, requested: string | undefined, now: number): string {
  const parent = dirname(resolve(currentDir));
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const dir = requested === undefined ? join(parent, `${basename(currentDir) || labName.replace(/[^A-Za-z0-9._-]+/g, '-')}-imported-${stamp}`) : resolve(requested);
  if (dirname(dir) !== parent) throw new LabError('bad-request', `an imported lab goes next to this one: choose a new directory in ${parent}, not ${dir}`);
  if (existsSync(dir)) throw new LabError('bad-request', `${dir} already exists; import into a new directory`);
  return dir;
}

function isScenarioCommand(name: CommandName): name is ScenarioCommandName {
  return name.startsWith('scenario.');
}

/** Writes uploaded export bytes to a private temporary file for `fn`, then removes it. */
async function withUploadedFile<T>(arg: v.Obj, fn: (file: string) => T | Promise<T>): Promise<T> {
  const data = arg.dataBase64;
  if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw new LabError('bad-request', 'dataBase64 must be base64 text');
  const work = mkdtempSync(join(tmpdir(), 'zoolab-upload-'));
  try {
    const file = join(work, 'upload.zoolab');
    writeFileSync(file, Buffer.from(data, 'base64'), { mode: 0o600 });
    return await fn(file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Any failure as the {code, message} pair every adapter reports. */
export function toLabError(e: unknown): LabError {
  if (e instanceof LabError) return e;
  const err = e as { name?: string; code?: unknown; message?: string };
  // ZooKeeper's own refusals keep their KeeperException name (api.ts ZkErrorCode): the UI acts on zk:BadVersion and the like.
  if (err?.name === 'ZkError') return new LabError(`zk:${(e as { codeName?: string }).codeName ?? 'Unknown'}`, err.message ?? 'ZooKeeper error');
  if (typeof err?.code === 'string' && typeof err.message === 'string' && /^(?:[a-z-]+|zk:[A-Za-z]+)$/.test(err.code)) return new LabError(err.code, err.message);
  return new LabError('failed', err?.message ?? String(e));
}
