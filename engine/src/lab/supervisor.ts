/**
 * The lab supervisor: owns a lab's member processes and link proxies, merges what
 * happens into one event stream, and answers "what is the cluster doing?" (status with
 * explained quorum health). Everything the desktop app and the CLI do goes through here;
 * it never touches Electron.
 *
 * Every spawned process is registered and reaped on `down` (style.md B5: no orphans); pids
 * are also saved in lab.sqlite so a supervisor that died is cleaned up after by the next.
 */
import { resolve } from 'node:path';
import type { JsonSafe, MemberState } from '../quorum/protocol-events.js';
import type {
  Actor,
  LabEventBody,
  LabInfo,
  LabStatus,
  LinkEnd,
  LinkSettings,
  LinkState,
  MemberActionResult,
  MemberId,
  MemberStatus,
  PartitionMode,
  PartitionPreset,
  ProcessState,
} from './api.js';
import { EventLog } from './event-log.js';
import { fourLetterWord, stateFromSrvr } from './four-letter.js';
import { connectString, directConnectString, memberIds, memberPorts, voterIds, type LabConfig } from './lab-config.js';
import { memberConfigPath, memberLogPath, portIsFree, prepareMemberDir, wipeMemberData, allocatePorts } from './lab-layout.js';
import { LabNetwork } from './lab-network.js';
import { LabStore } from './lab-store.js';
import { describeEnd, describeSettings } from './link-direction.js';
import { MemberProcess, type MemberProcessEvent, type MemberReply, type MemberRequest } from './member-process.js';
import { buildMemberStatus, labRole, zxidValue } from './member-status.js';
import { killOrphanMembers } from './orphans.js';
import { lockLab } from './lab-lock.js';
import { planPreset } from './partition-presets.js';
import { computeQuorumHealth } from './quorum-health.js';
import { realTimers, type LabTimers, type TimerHandle } from './timers.js';

export interface SupervisorOptions {
  dir: string;
  timers?: LabTimers;
  /** Binary that runs members (Electron passes its own with ELECTRON_RUN_AS_NODE). */
  execPath?: string;
  /** Member entry script (default zk-server); tests substitute a fake member. */
  memberScript?: string;
  /** Lines for the supervisor's own log. */
  log?: (line: string) => void;
  /** How often to poll `srvr` on members that never reported state (default 1000 ms; 0 = never). */
  pollIntervalMs?: number;
  /**
   * Runs members with another program (e.g. Apache ZooKeeper, to compare with the real
   * thing); readiness is then probed on the client port and state read from `srvr`.
   */
  memberCommand?: (id: MemberId, configPath: string) => { file: string; args: string[] };
  /**
   * Protocol events taken per member per second (default 5000). A busy ensemble emits
   * several events per write on every member; past this the lab keeps counts, not events,
   * so a stress run cannot swamp the supervisor, its file or the UI.
   */
  maxProtocolEventsPerSecond?: number;
}

export class LabError extends Error {
  override name = 'LabError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface MemberSlot {
  process: MemberProcess;
  reported: JsonSafe<MemberState> | null;
  reportedAt: number | null;
  /** True once the member sent a state report itself (then `srvr` polling stops). */
  reportsState: boolean;
  /** Protocol events the member says it had to drop (cumulative, per process). */
  droppedEvents: number;
  /** The current one-second window of the lab's own event budget for this member. */
  budget: { windowStart: number; taken: number; skipped: number };
}

const STATUS_COALESCE_MS = 100;
/** Starts of one member when its ports keep being taken as it starts (see startMember). */
const PORT_RACE_ATTEMPTS = 3;

export class Supervisor {
  readonly dir: string;
  readonly events: EventLog;
  private readonly timers: LabTimers;
  private readonly network: LabNetwork;
  private readonly slots = new Map<MemberId, MemberSlot>();
  private readonly statusListeners = new Set<(s: LabStatus) => void>();
  private statusTimer: TimerHandle | null = null;
  private pollTimer: TimerHandle | null = null;
  private lastQuorumText = '';
  private running = false;
  private closed = false;

  private constructor(
    private readonly options: SupervisorOptions,
    readonly store: LabStore,
    readonly config: LabConfig,
  ) {
    this.dir = resolve(options.dir);
    this.timers = options.timers ?? realTimers;
    this.events = new EventLog({ store, timers: this.timers });
    this.network = new LabNetwork(config, this.timers);
    this.network.matrix.restore(store.loadLinks());
    this.network.matrix.onChange((changed) => {
      this.store.saveLinks(this.network.matrix.faulty());
      this.events.append({ kind: 'links', changed });
      this.statusChanged();
    });
    for (const m of config.members) {
      const configPath = memberConfigPath(this.dir, m.id);
      const command = options.memberCommand?.(m.id, configPath);
      const process = new MemberProcess({
        id: m.id,
        configPath,
        logPath: memberLogPath(this.dir, m.id),
        timers: this.timers,
        execPath: options.execPath,
        script: options.memberScript,
        ...(command
          ? {
              command,
              readiness: 'port' as const,
              probe: () => fourLetterWord(memberPorts(this.config, m.id).clientPort, 'ruok', 1000).then((a) => a === 'imok', () => false),
            }
          : {}),
      });
      const slot: MemberSlot = { process, reported: null, reportedAt: null, reportsState: false, droppedEvents: 0, budget: { windowStart: 0, taken: 0, skipped: 0 } };
      process.onEvent((e) => this.onMemberEvent(m.id, slot, e));
      this.slots.set(m.id, slot);
    }
  }

  /** Opens the lab in `dir` (created earlier by createLabDir). Starts nothing yet. */
  static open(options: SupervisorOptions): Supervisor {
    const store = LabStore.open(resolve(options.dir));
    let unlock: (() => void) | null = null;
    try {
      unlock = lockLab(resolve(options.dir));
      const sup = new Supervisor(options, store, store.config());
      sup.unlock = unlock;
      return sup;
    } catch (e) {
      unlock?.();
      store.close();
      throw e;
    }
  }

  /** Releases lab.lock (set by `open`). */
  private unlock: () => void = () => {};

  // ───────────────────────────── lifecycle ─────────────────────────────

  /** Starts the proxies and every member not running; resolves when each is ready or failed. */
  async start(actor: Actor): Promise<{ failed: { member: MemberId; error: string }[] }> {
    this.assertOpen();
    if (!this.running) {
      killOrphanMembers(this.dir, this.store, this.options.log);
      await this.ensureMemberPorts();
      if (await this.network.start()) this.store.setConfig(this.config);
      this.running = true;
      this.schedulePoll();
    }
    const toStart = [...this.slots.values()].filter((s) => !s.process.running);
    const results = await Promise.allSettled(toStart.map((s) => this.startMember(s)));
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ member: toStart[i]!.process.id, error: (r.reason as Error).message }] : [],
    );
    this.action(actor, 'lab.start', null, failed.length === 0 ? `started ${toStart.length} member(s)` : `started with failures: ${failed.map((f) => f.member).join(', ')}`, failed.length === 0);
    return { failed };
  }

  /** Stops every member (SIGTERM, or SIGKILL when not graceful); proxies keep running. */
  async stopMembers(actor: Actor, graceful = true): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => (graceful ? s.process.stop() : s.process.kill())));
    this.action(actor, 'lab.stop', null, `stopped all members${graceful ? '' : ' (SIGKILL)'}`, true);
  }

  /** Stops everything this lab started and closes its file. */
  async down(actor: Actor): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.slots.values()].map((s) => s.process.stop()));
    await this.network.close();
    this.action(actor, 'lab.down', null, 'lab is down: members stopped, proxies closed', true);
    this.closed = true;
    this.running = false;
    if (this.statusTimer) this.timers.clearTimeout(this.statusTimer);
    if (this.pollTimer) this.timers.clearTimeout(this.pollTimer);
    this.store.setMeta('pids', '[]');
    this.events.close();
    this.store.close();
    this.unlock();
  }

  get isRunning(): boolean {
    return this.running && !this.closed;
  }

  info(): LabInfo {
    return {
      dir: this.dir,
      name: this.config.name,
      members: this.config.members.filter((m) => m.kind === 'participant').length,
      observers: this.config.members.filter((m) => m.kind === 'observer').length,
      tickTimeMs: this.config.tickTimeMs,
      createdAt: this.config.createdAt,
      running: this.isRunning,
      connectString: connectString(this.config),
      directConnectString: directConnectString(this.config),
    };
  }

  // ───────────────────────────── member actions ─────────────────────────────

  async memberAction(actor: Actor, id: MemberId, action: 'start' | 'stop' | 'kill' | 'pause' | 'resume' | 'restart' | 'wipe'): Promise<MemberActionResult> {
    this.assertOpen();
    const slot = this.slot(id);
    const p = slot.process;
    const pid = p.pid;
    let message: string;
    try {
      switch (action) {
        case 'start':
          if (p.running) throw new LabError('already-running', `member ${id} is already running (pid ${pid})`);
          await this.startMember(slot);
          message = `started member ${id} (pid ${p.pid})`;
          break;
        case 'stop':
          this.requireRunning(id, p, 'stop');
          await p.stop();
          message = `stopped member ${id} (pid ${pid}) with SIGTERM`;
          break;
        case 'kill':
          this.requireRunning(id, p, 'kill');
          await p.kill();
          message = `killed member ${id} (pid ${pid}) with SIGKILL`;
          break;
        case 'pause':
          this.requireRunning(id, p, 'pause');
          if (p.state === 'paused') throw new LabError('already-paused', `member ${id} is already paused`);
          p.pause();
          message = `paused member ${id} (pid ${pid}) with SIGSTOP`;
          break;
        case 'resume':
          if (p.state !== 'paused') throw new LabError('not-paused', `member ${id} is not paused (it is ${p.state})`);
          p.resume();
          message = `resumed member ${id} (pid ${pid}) with SIGCONT`;
          break;
        case 'restart':
          if (p.running) await p.stop();
          await this.startMember(slot);
          message = `restarted member ${id} (pid ${pid ?? '-'} → ${p.pid}); it recovered from its own data`;
          break;
        case 'wipe':
          if (p.running) await p.kill();
          wipeMemberData(this.dir, this.config, id);
          slot.reported = null;
          await this.startMember(slot);
          message = `wiped member ${id}'s data ("replace disk") and started it empty (pid ${p.pid})`;
          break;
      }
    } catch (e) {
      const err = e instanceof LabError ? e : new LabError('member-failed', (e as Error).message);
      this.action(actor, `member.${action}`, `member ${id}`, err.message, false);
      throw err;
    }
    this.action(actor, `member.${action}`, `member ${id}`, message, true);
    return { message, member: this.memberStatus(id) };
  }

  memberLogs(id: MemberId, lines = 50): string[] {
    return this.slot(id).process.lastLogLines(Math.min(Math.max(1, lines), 200));
  }

  // ───────────────────────────── network ─────────────────────────────

  links(): LinkState[] {
    return this.network.matrix.snapshot();
  }

  setLink(actor: Actor, from: LinkEnd, to: LinkEnd, settings: Partial<LinkSettings>, bothWays = false): LinkState[] {
    try {
      const changed = this.network.matrix.set(from, to, settings, bothWays);
      const d = this.network.matrix.direction(from, to).settings;
      this.action(actor, 'links.set', `${describeEnd(from)} ${bothWays ? '↔' : '→'} ${describeEnd(to)}`, `link ${describeEnd(from)} ${bothWays ? '↔' : '→'} ${describeEnd(to)} is now ${describeSettings(d)}`, true);
      return changed;
    } catch (e) {
      throw this.refused(actor, 'links.set', e);
    }
  }

  applyPreset(actor: Actor, preset: PartitionPreset): { message: string; links: LinkState[] } {
    try {
      const plan = planPreset(preset, { members: memberIds(this.config), voters: voterIds(this.config), leader: this.currentLeader() });
      const mode: PartitionMode = preset.mode ?? 'blackhole';
      this.network.matrix.applyPlan(plan, mode);
      const message = `${plan.description} (${mode})`;
      this.action(actor, 'links.preset', preset.kind, message, true);
      return { message, links: this.links() };
    } catch (e) {
      throw this.refused(actor, 'links.preset', e);
    }
  }

  heal(actor: Actor): { message: string; links: LinkState[] } {
    const changed = this.network.matrix.heal();
    const message = changed.length === 0 ? 'all links were already healthy' : `healed ${changed.length} link direction(s): every link passes with no delay or loss`;
    this.action(actor, 'links.heal', null, message, true);
    return { message, links: this.links() };
  }

  // ───────────────────────────── status ─────────────────────────────

  status(): LabStatus {
    const now = this.timers.now();
    const health = computeQuorumHealth({
      members: this.config.members.map((m) => {
        const s = this.slots.get(m.id)!;
        return {
          id: m.id,
          kind: m.kind,
          state: s.process.state,
          role: labRole(s.process.state, s.reported),
          leaderId: s.reported?.leaderId ?? null,
          committedZxid: zxidValue(s.reported?.committedZxid ?? null),
        };
      }),
      isCut: (a, b) => this.network.matrix.isCut(a, b),
    });
    const members = this.config.members.map((m) => this.memberStatusWith(m.id, health.stale.includes(m.id), now));
    return { members, leader: health.leader, quorum: health, links: this.links(), lab: this.info(), seq: this.events.lastSeq, at: now };
  }

  memberStatus(id: MemberId): MemberStatus {
    return this.status().members.find((m) => m.id === id)!;
  }

  /** Called with a fresh status after changes, at most every 100 ms. */
  onStatus(listener: (s: LabStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Resolves when `predicate(status)` holds, re-checking on every status change. */
  waitForStatus(predicate: (s: LabStatus) => boolean, timeoutMs: number, what: string): Promise<LabStatus> {
    return new Promise((resolvePromise, reject) => {
      const check = (s: LabStatus) => {
        if (!predicate(s)) return false;
        off();
        this.timers.clearTimeout(timer);
        resolvePromise(s);
        return true;
      };
      const off = this.onStatus((s) => void check(s));
      const timer = this.timers.setTimeout(() => {
        off();
        const s = this.status();
        const members = s.members.map((m) => `member ${m.id}: ${m.role} (${m.state}), zxid ${m.zxid ?? '?'}, round ${m.round ?? '?'}, peers [${m.peersConnected.join(',')}]`);
        reject(new LabError('timeout', `${what} did not happen within ${timeoutMs} ms; ${s.quorum.explanation.join(' ')} ${members.join('; ')}`));
      }, timeoutMs);
      check(this.status());
    });
  }

  /**
   * Sends a member one of the lab's requests (engine/src/member/member-messages.ts) and
   * returns its reply. Refused with a clear code when the member cannot answer: it is not
   * running, paused (SIGSTOP: it answers nothing), or not a ZooLab member (`memberCommand`).
   */
  async askMember(id: MemberId, request: MemberRequest, timeoutMs = 5000): Promise<MemberReply> {
    this.assertOpen();
    const p = this.slot(id).process;
    if (!p.takesRequests) throw new LabError('not-supported', `member ${id} is not a ZooLab member: it cannot answer ${request.type}`);
    if (p.state === 'paused') throw new LabError('paused', `member ${id} is paused (SIGSTOP) and answers nothing; resume it first`);
    if (p.state !== 'running') throw new LabError('not-running', `member ${id} is ${p.state}`);
    try {
      return await p.request(request, timeoutMs);
    } catch (e) {
      throw new LabError('no-answer', (e as Error).message);
    }
  }

  /** Whether `askMember` can reach this member right now. */
  canAsk(id: MemberId): boolean {
    const p = this.slots.get(id)?.process;
    return p !== undefined && p.takesRequests && p.state === 'running';
  }

  /** Records an action done outside the supervisor (export, subtree import) in the event stream. */
  recordAction(actor: Actor, action: string, target: string | null, message: string, ok: boolean): void {
    this.action(actor, action, target, message, ok);
  }

  // ───────────────────────────── internals ─────────────────────────────

  private slot(id: MemberId): MemberSlot {
    const s = this.slots.get(id);
    if (!s) throw new LabError('no-such-member', `there is no member ${id} (members are ${memberIds(this.config).join(', ')})`);
    return s;
  }

  private requireRunning(id: MemberId, p: MemberProcess, verb: string): void {
    if (!p.running) throw new LabError('not-running', `cannot ${verb} member ${id}: it is ${p.state}`);
  }

  private assertOpen(): void {
    if (this.closed) throw new LabError('closed', 'the lab is down');
  }

  private async startMember(slot: MemberSlot): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startMemberOnce(slot);
      } catch (e) {
        // A port checked free at start can be taken before the member binds it (another lab
        // or test starting at the same moment): move that member's ports and try again.
        if (attempt >= PORT_RACE_ATTEMPTS || !/EADDRINUSE/.test((e as Error).message)) throw e;
        await this.moveMemberPorts(slot.process.id);
      }
    }
  }

  private async startMemberOnce(slot: MemberSlot): Promise<void> {
    const id = slot.process.id;
    prepareMemberDir(this.dir, this.config, id);
    slot.reported = null;
    slot.reportedAt = null;
    slot.reportsState = false;
    slot.droppedEvents = 0;
    const started = slot.process.start();
    this.savePids();
    await started;
  }

  /** Gives a member fresh ports for whichever of its own are taken, and points its proxies there. */
  private async moveMemberPorts(id: MemberId): Promise<void> {
    const m = this.config.members.find((x) => x.id === id)!;
    for (const key of ['clientPort', 'quorumPort', 'electionPort'] as const) {
      if (await portIsFree(m[key])) continue;
      const [port] = await allocatePorts(1);
      this.options.log?.(`member ${id}'s ${key} ${m[key]} was taken as it started; moving it to ${port}`);
      m[key] = port!;
    }
    this.store.setConfig(this.config);
    this.network.retarget(id);
  }

  private memberStatusWith(id: MemberId, stale: boolean, now: number): MemberStatus {
    const s = this.slots.get(id)!;
    return buildMemberStatus(
      {
        ports: memberPorts(this.config, id),
        state: s.process.state,
        pid: s.process.pid,
        startedAt: s.process.startedAt,
        exit: s.process.exitInfo,
        lastLogLines: s.process.lastLogLines(20),
        reported: s.reported,
        reportedAt: s.reportedAt,
        now,
      },
      stale,
    );
  }

  private currentLeader(): MemberId | null {
    return this.status().leader;
  }

  private onMemberEvent(id: MemberId, slot: MemberSlot, e: MemberProcessEvent): void {
    if (this.closed) return;
    switch (e.type) {
      case 'state':
        this.events.append({ kind: 'process', member: id, state: e.state, pid: e.pid, ...(e.code !== undefined ? { code: e.code } : {}), ...(e.signal !== undefined ? { signal: e.signal } : {}), ...(e.lastLogLines ? { lastLogLines: e.lastLogLines } : {}) });
        if (e.state !== 'running' && e.state !== 'paused' && e.state !== 'starting') slot.reported = null;
        if (e.state === 'crashed') this.options.log?.(`member ${id} crashed (${e.signal ?? `code ${e.code}`})`);
        this.savePids();
        break;
      case 'report':
        if (e.report.type === 'state') this.onReportedState(id, slot, e.report.state, true);
        else if (e.report.type === 'events') {
          for (const r of e.report.events) {
            if (this.withinBudget(id, slot)) this.events.append({ kind: 'protocol', member: id, memberSeq: r.seq, memberTimeMs: r.timeMs, event: r.event });
          }
          if (e.report.dropped > slot.droppedEvents) {
            this.events.append({ kind: 'log', member: id, level: 'warn', line: `member ${id} dropped ${e.report.dropped - slot.droppedEvents} protocol event(s): its report channel was backed up` });
            slot.droppedEvents = e.report.dropped;
          }
        } else if (e.report.type === 'log') this.events.append({ kind: 'log', member: id, level: e.report.level, line: e.report.line });
        break;
      case 'log':
        this.events.append({ kind: 'log', member: id, level: e.level, line: e.line });
        break;
    }
    this.statusChanged();
  }

  /** One-second windows; when one ends with events skipped, a single warning says how many. */
  private withinBudget(id: MemberId, slot: MemberSlot): boolean {
    const now = this.timers.now();
    const b = slot.budget;
    if (now - b.windowStart >= 1000) {
      if (b.skipped > 0) {
        this.events.append({ kind: 'log', member: id, level: 'warn', line: `the lab skipped ${b.skipped} protocol event(s) of member ${id}: over ${this.eventBudget()} per second` });
      }
      slot.budget = { windowStart: now, taken: 0, skipped: 0 };
    }
    if (slot.budget.taken < this.eventBudget()) {
      slot.budget.taken++;
      return true;
    }
    slot.budget.skipped++;
    return false;
  }

  private eventBudget(): number {
    return this.options.maxProtocolEventsPerSecond ?? 5000;
  }

  private onReportedState(id: MemberId, slot: MemberSlot, state: JsonSafe<MemberState>, fromMember: boolean): void {
    if (fromMember) slot.reportsState = true;
    else if (slot.reportsState) return;
    const before = slot.reported;
    slot.reported = state;
    slot.reportedAt = this.timers.now();
    if (!before || before.role !== state.role || before.phase !== state.phase || before.leaderId !== state.leaderId || before.currentEpoch !== state.currentEpoch) {
      this.events.append({
        kind: 'role',
        member: id,
        role: labRole(slot.process.state, state),
        phase: state.phase ?? 'none',
        epoch: state.currentEpoch,
        leaderId: state.leaderId,
      });
    }
  }

  private statusChanged(): void {
    if (this.statusTimer || this.closed) return;
    this.statusTimer = this.timers.setTimeout(() => {
      this.statusTimer = null;
      if (this.closed) return;
      const s = this.status();
      const text = JSON.stringify([s.quorum.canWrite, s.quorum.leader, s.quorum.workingMajority, s.quorum.stale]);
      if (text !== this.lastQuorumText) {
        this.lastQuorumText = text;
        this.events.append({ kind: 'quorum', quorum: s.quorum });
      }
      for (const l of [...this.statusListeners]) l(s);
    }, STATUS_COALESCE_MS);
  }

  /** `srvr` fallback for members that do not report state over IPC (and for Apache ZooKeeper members). */
  private schedulePoll(): void {
    const interval = this.options.pollIntervalMs ?? 1000;
    if (interval <= 0 || this.closed) return;
    this.pollTimer = this.timers.setTimeout(async () => {
      this.pollTimer = null;
      await Promise.all(
        [...this.slots.values()]
          .filter((s) => !s.reportsState && s.process.state === 'running')
          .map(async (s) => {
            const port = memberPorts(this.config, s.process.id).clientPort;
            const text = await fourLetterWord(port, 'srvr', Math.min(interval, 2000)).catch(() => null);
            if (text === null || this.closed || s.process.state !== 'running') return;
            const state = stateFromSrvr(text, s.process.id);
            if (state) {
              this.onReportedState(s.process.id, s, state, false);
              this.statusChanged();
            }
          }),
      );
      this.schedulePoll();
    }, interval);
  }

  private action(actor: Actor, action: string, target: string | null, message: string, ok: boolean): void {
    const body: LabEventBody = { kind: 'action', actor, action, target, message, ok };
    if (!this.closed) this.events.append(body);
    this.options.log?.(`${actor}: ${message}`);
  }

  private refused(actor: Actor, action: string, e: unknown): LabError {
    const err = e instanceof LabError ? e : new LabError('bad-request', (e as Error).message);
    this.action(actor, action, null, err.message, false);
    return err;
  }

  /** Moves a member's own port when something else took it while the lab was down. */
  private async ensureMemberPorts(): Promise<void> {
    let changed = false;
    for (const m of this.config.members) {
      for (const key of ['clientPort', 'quorumPort', 'electionPort'] as const) {
        if (!(await portIsFree(m[key]))) {
          const [port] = await allocatePorts(1);
          this.options.log?.(`member ${m.id}'s ${key} ${m[key]} is taken; moving it to ${port}`);
          m[key] = port!;
          changed = true;
        }
      }
    }
    if (changed) this.store.setConfig(this.config);
  }

  private savePids(): void {
    if (this.closed) return;
    const pids = [...this.slots.values()].flatMap((s) => (s.process.pid ? [{ member: s.process.id, pid: s.process.pid }] : []));
    this.store.setMeta('pids', JSON.stringify(pids));
  }
}

export type { ProcessState };
