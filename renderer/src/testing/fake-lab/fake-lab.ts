/**
 * An in-memory LabApi: a simulated ensemble with elections, a link network, a znode tree,
 * tree browsers, shells, sessions, snapshots and the event stream. It stands in for the
 * real lab in the renderer's store tests (node:test, manual clock) and component tests
 * (the built app with `?lab=demo`), and makes the demo page work with no lab at all.
 *
 * Fidelity is "believable", not ZooKeeper's: elections pick the running voter with the
 * highest (zxid, id) among a fully connected majority after a short delay; writes commit
 * when the quorum verdict (engine/src/lab/quorum-health.ts, the lab's own code) says they
 * can, and emit PROPOSAL / ACK / COMMIT events. Partition presets use the lab's own
 * planner (engine/src/lab/partition-presets.ts).
 */
import type {
  AclJson,
  Actor,
  ChildrenPage,
  CommandName,
  CommandRequest,
  CommandResponse,
  CreateModeName,
  EventName,
  EventPayload,
  ExportManifest,
  Hex64,
  ImportedLab,
  LabApi,
  LabEvent,
  LabEventBody,
  LabInfo,
  LabSpec,
  LabStatus,
  LinkEnd,
  LinkSettings,
  LinkState,
  MemberId,
  MemberRole,
  MemberStatus,
  MirrorInfo,
  ProcessState,
  ProtocolEventJson,
  RecentLab,
  SessionInfo,
  ShellInfo,
  SubtreeJson,
  WatchInfo,
  ZabPhase,
} from '../../../../engine/src/lab/api.js';
import { computeQuorumHealth } from '../../../../engine/src/lab/quorum-health.js';
import { planPreset } from '../../../../engine/src/lab/partition-presets.js';
import { compilePathQuery, PathQueryError, searchPaths } from '../../../../engine/src/member/path-search.js';
import { base64ToBytes, bytesToBase64, bytesToUtf8, utf8ToBytes } from '../../lib/bytes.js';
import { FakeScenarios } from './fake-scenarios.js';
import { FakeShell } from './fake-shell.js';
import { FakeTree, FakeZkError, parentPath, type TreeEvent } from './fake-tree.js';
import type { Scheduler } from './scheduler.js';

export interface FakeLabOptions {
  scheduler: Scheduler;
  /** Start with a running lab of this shape; null starts with no lab (welcome screen). */
  spec?: LabSpec | null;
  /** Delay between losing a leader and electing the next (ms). */
  electionMs?: number;
  /** Extra children to create under /wide (demo of big listings). */
  wideChildren?: number;
  /** The lab may switch labs (like Electron's in-process lab); false behaves like zk-lab serve. */
  allowLabSwitch?: boolean;
}

interface FMember {
  id: MemberId;
  kind: 'participant' | 'observer';
  state: ProcessState;
  role: MemberRole;
  phase: ZabPhase;
  epoch: number;
  zxid: bigint;
  leaderId: MemberId | null;
  pid: number | null;
  startedAt: number | null;
  round: number;
  digest: string;
}

interface Mirror {
  info: MirrorInfo;
  sessionId: bigint;
  expanded: Set<string>;
  selected: string | null;
}

interface Shell {
  info: ShellInfo;
  sessionId: bigint;
  shell: FakeShell;
  dataWatches: Set<string>;
  childWatches: Set<string>;
}

interface Session {
  id: bigint;
  member: MemberId | null;
  timeoutMs: number;
  lastSeen: number;
}

const PASS: LinkSettings = { mode: 'pass', delayMs: 0, jitterMs: 0, lossPercent: 0 };
const EVENT_CAP = 20_000;
const hex = (v: bigint): Hex64 => '0x' + BigInt.asUintN(64, v).toString(16);
const err = (code: string, message: string) => Object.assign(new Error(message), { code });

export class FakeLab implements LabApi {
  private readonly sched: Scheduler;
  private readonly electionMs: number;
  private readonly allowSwitch: boolean;
  private readonly listeners = new Map<EventName, Set<(p: unknown) => void>>();
  private members: FMember[] = [];
  private links = new Map<string, LinkState>();
  private tree: FakeTree;
  private info: LabInfo | null = null;
  private events: LabEvent[] = [];
  private seq = 0;
  private counter = 0;
  private nextPid = 4100;
  private nextSession = 1;
  private nextMirror = 1;
  private nextShell = 1;
  private nextBeside = 1;
  private nextScenarioLab = 1;
  private cancelElection: (() => void) | null = null;
  private readonly mirrors = new Map<string, Mirror>();
  private readonly shells = new Map<string, Shell>();
  private readonly sessions = new Map<bigint, Session>();
  private readonly exportsByFile = new Map<string, { manifest: ExportManifest; tree: FakeTree; spec: LabSpec }>();
  private recent: RecentLab[] = [];
  /** Every command received, for tests that check what the UI asked. */
  readonly calls: { name: CommandName; arg: unknown }[] = [];
  /** Pushes of `lab.event` to skip (tests of catch-up after a tab fell behind). */
  private dropPushes = 0;
  /** The `scenario.*` namespace (the Learn panel's course on this fake). */
  private readonly scenarios: FakeScenarios;

  constructor(private readonly options: FakeLabOptions) {
    this.sched = options.scheduler;
    this.electionMs = options.electionMs ?? 400;
    this.allowSwitch = options.allowLabSwitch ?? true;
    this.tree = new FakeTree(this.sched.now());
    this.scenarios = new FakeScenarios({
      scheduler: this.sched,
      command: (name, arg) => void this.handle(name, arg).catch(() => {}),
      status: () => (this.info?.running ? this.status() : null),
      info: () => this.info,
      emit: (event, payload) => this.emit(event, payload),
      prepareLab: (spec, id) => this.scenarioLab(spec, id),
      write: (path, data) => this.scenarioWrite(path, data),
      exists: (path) => this.tree.get(path) !== undefined,
    });
    if (options.spec) this.boot('/labs/demo', options.spec);
  }

  // ───────────────────────────── LabApi ─────────────────────────────

  async invoke<K extends CommandName>(name: K, arg: CommandRequest<K>): Promise<CommandResponse<K>> {
    this.calls.push({ name, arg });
    try {
      const result = (await this.handle(name, arg as never)) as CommandResponse<K>;
      if (!name.startsWith('scenario.')) this.scenarios.observe(name, arg as Record<string, unknown>);
      return result;
    } catch (e) {
      const x = e as { code?: string; message?: string };
      // As the lab reports ZooKeeper's refusals: `zk:` + the KeeperException name (api.ts ZkErrorCode).
      if (e instanceof FakeZkError) throw { code: `zk:${e.codeName}`, message: e.message };
      throw { code: x.code ?? 'failed', message: x.message ?? String(e) };
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as (p: unknown) => void;
    set.add(l);
    return () => set!.delete(l);
  }

  /** Test helper: the next `n` lab.event pushes are not delivered (they stay in events.since). */
  dropNextEventPushes(n: number): void {
    this.dropPushes = n;
  }

  /** Test helper: the tree itself. */
  get treeForTests(): FakeTree {
    return this.tree;
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  private boot(dir: string, spec: LabSpec): LabInfo {
    const now = this.sched.now();
    const voters = spec.members;
    const observers = spec.observers ?? 0;
    this.members = [];
    for (let i = 1; i <= voters + observers; i++) {
      this.members.push({
        id: i,
        kind: i <= voters ? 'participant' : 'observer',
        state: 'running',
        role: 'looking',
        phase: 'election',
        epoch: 0,
        zxid: 0n,
        leaderId: null,
        pid: this.nextPid++,
        startedAt: now,
        round: 1,
        digest: this.tree.digest(),
      });
    }
    this.links.clear();
    const ends: LinkEnd[] = [...this.members.map((m) => m.id), 'client'];
    for (const a of ends) for (const b of ends) if (a !== b && !(a === 'client' && b === 'client')) this.links.set(`${a}>${b}`, { from: a, to: b, settings: { ...PASS }, connections: 0, bytesForwarded: 0, bytesDropped: 0 });
    const base = 21810;
    this.info = {
      dir,
      name: spec.name ?? dir.split('/').pop() ?? 'lab',
      members: voters,
      observers,
      tickTimeMs: spec.tickTimeMs ?? 250,
      createdAt: now,
      running: true,
      connectString: this.members.map((m) => `127.0.0.1:${base + m.id}`).join(','),
      directConnectString: this.members.map((m) => `127.0.0.1:${base + 100 + m.id}`).join(','),
    };
    this.recent = [{ dir, name: this.info.name, members: voters, observers, lastOpenedAt: now, exists: true }, ...this.recent.filter((r) => r.dir !== dir)].slice(0, 10);
    if (this.options.wideChildren && !this.tree.get('/wide')) {
      this.tree.create('/wide', utf8ToBytes('a node with many children'), 'persistent', 0n, now, 0n, undefined, false);
      this.tree.bulkChildren('/wide', 'item-', this.options.wideChildren, 0n, now);
    }
    for (const m of this.members) this.record({ kind: 'process', member: m.id, state: 'running', pid: m.pid });
    this.electNow();
    return this.info;
  }

  private requireLab(): LabInfo {
    if (!this.info || !this.info.running) throw err('no-lab', 'no lab is running; create or open one first');
    return this.info;
  }

  // ───────────────────────────── events and status ─────────────────────────────

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) l(payload);
  }

  private record(body: LabEventBody): void {
    const e: LabEvent = { seq: ++this.seq, at: this.sched.now(), body };
    this.events.push(e);
    if (this.events.length > EVENT_CAP) this.events.splice(0, this.events.length - EVENT_CAP);
    if (this.dropPushes > 0) {
      this.dropPushes--;
      return;
    }
    this.emit('lab.event', e);
  }

  private protocol(member: MemberId, event: ProtocolEventJson): void {
    this.record({ kind: 'protocol', member, memberSeq: this.seq, memberTimeMs: this.sched.now(), event });
  }

  private action(actor: Actor, action: string, target: string | null, message: string): void {
    this.record({ kind: 'action', actor, action, target, message, ok: true });
  }

  private cut(from: LinkEnd, to: LinkEnd): boolean {
    return (this.links.get(`${from}>${to}`)?.settings.mode ?? 'pass') !== 'pass';
  }

  private health() {
    return computeQuorumHealth({
      members: this.members.map((m) => ({ id: m.id, kind: m.kind, state: m.state, role: m.role, leaderId: m.leaderId, committedZxid: m.zxid })),
      isCut: (a, b) => this.cut(a, b),
    });
  }

  status(): LabStatus {
    const info = this.requireLab();
    const quorum = this.health();
    const now = this.sched.now();
    const leader = this.members.find((m) => m.role === 'leader' && m.state === 'running')?.id ?? null;
    const members: MemberStatus[] = this.members.map((m) => {
      const up = m.state === 'running' || m.state === 'paused';
      return {
        id: m.id,
        kind: m.kind,
        role: up ? m.role : 'down',
        state: m.state,
        epoch: up ? m.epoch : null,
        acceptedEpoch: up ? m.epoch : null,
        zxid: up ? hex(m.zxid) : null,
        committedZxid: up ? hex(m.zxid) : null,
        leaderId: up ? m.leaderId : null,
        phase: up ? m.phase : 'none',
        clientPort: 21910 + m.id,
        proxyClientPort: 21810 + m.id,
        digest: up ? m.digest : null,
        sessions: up ? [...this.sessions.values()].filter((s) => s.member === m.id).length : null,
        znodes: up ? this.tree.size : null,
        watches: up ? [...this.shells.values()].filter((s) => s.info.member === m.id).reduce((n, s) => n + s.dataWatches.size + s.childWatches.size, 0) : null,
        peersConnected: this.members.filter((p) => p.id !== m.id && p.state === 'running' && !this.cut(m.id, p.id) && !this.cut(p.id, m.id)).map((p) => p.id),
        learners: m.role === 'leader' ? this.members.filter((p) => p.leaderId === m.id && p.id !== m.id).map((p) => p.id) : [],
        syncedLearners: m.role === 'leader' ? this.members.filter((p) => p.leaderId === m.id && p.id !== m.id && p.phase === 'broadcast').map((p) => p.id) : [],
        outstandingProposals: m.role === 'leader' ? 0 : null,
        round: up ? m.round : null,
        vote: up && m.leaderId !== null ? { leader: m.leaderId, zxid: hex(m.zxid), peerEpoch: m.epoch, round: m.round } : null,
        serving: up ? m.role !== 'looking' : null,
        pid: m.pid,
        startedAt: m.startedAt,
        uptimeMs: m.startedAt !== null ? now - m.startedAt : null,
        exit: m.state === 'killed' ? { code: null, signal: 'SIGKILL', at: now } : m.state === 'stopped' ? { code: 0, signal: null, at: now } : null,
        lastLogLines: [],
        reportedAt: up ? now : null,
        stale: quorum.stale.includes(m.id),
      };
    });
    return { members, leader, quorum, links: [...this.links.values()], lab: info, seq: this.seq, at: now };
  }

  private publish(): void {
    if (this.info?.running) this.emit('lab.status', this.status());
    this.scenarios?.labChanged();
  }

  // ───────────────────────────── elections ─────────────────────────────

  private scheduleElection(): void {
    this.cancelElection?.();
    this.cancelElection = this.sched.after(this.electionMs, () => {
      this.cancelElection = null;
      this.electNow();
    });
  }

  /** Linked both ways and both running. */
  private linked(a: FMember, b: FMember): boolean {
    return a.state === 'running' && b.state === 'running' && !this.cut(a.id, b.id) && !this.cut(b.id, a.id);
  }

  private setRole(m: FMember, role: MemberRole, phase: ZabPhase, leaderId: MemberId | null): void {
    if (m.role === role && m.phase === phase && m.leaderId === leaderId) return;
    const previousRole = m.role;
    m.role = role;
    m.phase = phase;
    m.leaderId = leaderId;
    const map: Record<string, 'leading' | 'following' | 'observing' | 'looking'> = { leader: 'leading', follower: 'following', observer: 'observing', looking: 'looking' };
    this.record({ kind: 'role', member: m.id, role, phase, epoch: m.epoch, leaderId });
    this.protocol(m.id, {
      kind: 'role-changed',
      role: map[role] ?? 'looking',
      phase: phase === 'none' ? null : phase,
      previousRole: map[previousRole] ?? 'looking',
      previousPhase: null,
    });
  }

  private majority(): number {
    return Math.floor(this.members.filter((m) => m.kind === 'participant').length / 2) + 1;
  }

  /** Re-evaluates who leads; members cut off from the leader start looking. */
  private electNow(): void {
    if (!this.info?.running) return;
    const voters = this.members.filter((m) => m.kind === 'participant');
    const current = this.members.find((m) => m.role === 'leader' && m.state === 'running');
    const size = this.majority();
    if (current) {
      const support = voters.filter((v) => v === current || this.linked(current, v));
      if (support.length >= size) {
        for (const m of this.members) {
          if (m === current || m.state !== 'running') continue;
          if (this.linked(current, m)) {
            if (m.leaderId !== current.id) this.follow(m, current);
          } else this.setRole(m, 'looking', 'election', null);
        }
        this.publish();
        return;
      }
      this.record({ kind: 'protocol', member: current.id, memberSeq: this.seq, memberTimeMs: this.sched.now(), event: { kind: 'leader-stepped-down', epoch: current.epoch, reason: 'lost-quorum', detail: '' } });
    }
    for (const m of this.members) if (m.state === 'running') this.setRole(m, 'looking', 'election', null);
    // Candidates in FLE order: the best (zxid, id) first (zab.md §2.2).
    const candidates = voters.filter((v) => v.state === 'running').sort((a, b) => (a.zxid === b.zxid ? b.id - a.id : a.zxid > b.zxid ? -1 : 1));
    for (const c of candidates) {
      const group = voters.filter((v) => v === c || this.linked(c, v));
      if (group.length < size) continue;
      this.runElection(c, group);
      this.publish();
      return;
    }
    this.publish();
    // No majority: try again later (a member may return or a link heal).
  }

  private runElection(winner: FMember, group: FMember[]): void {
    const round = Math.max(...group.map((g) => g.round)) + 1;
    const vote = { leader: winner.id, zxid: hex(winner.zxid), peerEpoch: winner.epoch, round };
    for (const g of group) {
      g.round = round;
      this.protocol(g.id, { kind: 'election-started', round, vote: { leader: g.id, zxid: hex(g.zxid), peerEpoch: g.epoch, round } });
    }
    for (const from of group) {
      for (const to of group) {
        if (from === to) continue;
        this.protocol(from.id, { kind: 'vote-sent', to: to.id, vote, state: 'looking' });
        this.protocol(to.id, { kind: 'vote-received', from: from.id, vote, state: 'looking' });
      }
    }
    const epoch = Math.max(...this.members.map((m) => m.epoch)) + 1;
    for (const g of group) this.protocol(g.id, { kind: 'election-decided', leader: winner.id, round, peerEpoch: epoch, zxid: hex(winner.zxid), role: g === winner ? 'leading' : 'following', voters: group.map((x) => x.id) });
    winner.epoch = epoch;
    this.counter = 0;
    this.setRole(winner, 'leader', 'discovery', winner.id);
    this.protocol(winner.id, { kind: 'epoch-proposed', epoch, voters: group.map((x) => x.id) });
    for (const m of this.members) if (m !== winner && this.linked(winner, m)) this.follow(m, winner);
    this.setRole(winner, 'leader', 'broadcast', winner.id);
    this.protocol(winner.id, { kind: 'leader-established', epoch, voters: group.map((x) => x.id) });
  }

  private follow(m: FMember, leader: FMember): void {
    const role = m.kind === 'observer' ? 'observer' : 'follower';
    this.setRole(m, role, 'synchronization', leader.id);
    this.protocol(m.id, { kind: 'epoch-accepted', epoch: leader.epoch, leader: leader.id });
    this.protocol(leader.id, { kind: 'epoch-acked', learner: m.id, currentEpoch: m.epoch, lastZxid: hex(m.zxid) });
    const mode = m.zxid === 0n && leader.zxid > 0n ? 'SNAP' : 'DIFF';
    this.protocol(leader.id, { kind: 'sync-chosen', learner: m.id, mode, peerZxid: hex(m.zxid), zxid: hex(leader.zxid), txnCount: 0 });
    this.protocol(m.id, { kind: 'sync-received', leader: leader.id, mode, zxid: hex(leader.zxid) });
    m.epoch = leader.epoch;
    m.zxid = leader.zxid;
    m.digest = leader.digest;
    this.protocol(m.id, { kind: 'newleader-acked', epoch: leader.epoch, leader: leader.id });
    this.protocol(leader.id, { kind: 'learner-synced', learner: m.id });
    this.protocol(m.id, { kind: 'uptodate', leader: leader.id, epoch: leader.epoch });
    this.setRole(m, role, 'broadcast', leader.id);
  }

  // ───────────────────────────── writes ─────────────────────────────

  private member(id: MemberId): FMember {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw err('no-such-member', `there is no member ${id} (this lab has ${this.members.length})`);
    return m;
  }

  /** The member a session talks to: its own when set, else the first serving one. */
  private servingMember(preferred: MemberId | null): FMember {
    const serving = (m: FMember) => m.state === 'running' && m.role !== 'looking' && !this.cut('client', m.id) && !this.cut(m.id, 'client');
    if (preferred !== null) {
      const m = this.member(preferred);
      if (!serving(m)) throw new FakeZkError('ConnectionLoss', `member ${preferred}`);
      return m;
    }
    const m = this.members.find(serving);
    if (!m) throw new FakeZkError('ConnectionLoss', 'the ensemble');
    return m;
  }

  /** Commits one write through the leader: PROPOSAL, ACKs, COMMIT among the working majority. */
  private write<T>(via: MemberId | null, op: string, sessionId: bigint, apply: (zxid: bigint, now: number) => T): T {
    this.requireLab();
    const entry = this.servingMember(via);
    const q = this.health();
    if (!q.canWrite || q.leader === null || !(q.workingMajority.includes(entry.id) || (entry.kind === 'observer' && entry.leaderId === q.leader))) {
      throw new FakeZkError('ConnectionLoss', `member ${entry.id} (no quorum)`);
    }
    const leader = this.member(q.leader);
    const zxid = (BigInt(leader.epoch) << 32n) | BigInt(++this.counter);
    const z = hex(zxid);
    const result = apply(zxid, this.sched.now());
    if (entry.id !== leader.id) this.protocol(entry.id, { kind: 'request-forwarded', sessionId: hex(sessionId), cxid: this.counter, op, leader: leader.id });
    const followers = this.members.filter((m) => m !== leader && q.workingMajority.includes(m.id));
    const observers = this.members.filter((m) => m.kind === 'observer' && m.leaderId === leader.id && this.linked(leader, m));
    this.protocol(leader.id, { kind: 'proposal-sent', zxid: z, op, sessionId: hex(sessionId), to: followers.map((f) => f.id) });
    for (const f of followers) this.protocol(f.id, { kind: 'proposal-received', zxid: z, op, from: leader.id });
    this.protocol(leader.id, { kind: 'ack-received', zxid: z, from: leader.id });
    for (const f of followers) {
      this.protocol(f.id, { kind: 'ack-sent', zxid: z, to: leader.id });
      this.protocol(leader.id, { kind: 'ack-received', zxid: z, from: f.id });
    }
    const digest = this.tree.digest();
    for (const m of [leader, ...followers, ...observers]) {
      this.protocol(m.id, { kind: 'committed', zxid: z, op });
      m.zxid = zxid;
      m.digest = digest;
    }
    this.publish();
    return result;
  }

  private newSession(member: MemberId | null, timeoutMs = 10_000): Session {
    const origin = member ?? this.members.find((m) => m.state === 'running')?.id ?? 1;
    const id = (BigInt(origin) << 56n) | BigInt(this.nextSession++);
    const s = { id, member, timeoutMs, lastSeen: this.sched.now() };
    this.sessions.set(id, s);
    const leader = this.members.find((m) => m.role === 'leader');
    if (leader) this.protocol(leader.id, { kind: 'session-created', sessionId: hex(id), timeoutMs, zxid: hex(leader.zxid) });
    return s;
  }

  private onTreeEvent = (e: TreeEvent): void => {
    const tree = this.tree;
    for (const m of this.mirrors.values()) {
      const parent = e.path === '/' ? null : parentPath(e.path);
      if (e.kind === 'children' && m.expanded.has(e.path)) this.emit('tree.changed', { mirrorId: m.info.mirrorId, change: { kind: 'children', path: e.path, total: tree.get(e.path)?.children.size ?? 0 } });
      if ((e.kind === 'created' || e.kind === 'deleted') && parent !== null && m.expanded.has(parent)) this.emit('tree.changed', { mirrorId: m.info.mirrorId, change: { kind: e.kind, path: e.path } });
      if (e.kind === 'data' && (m.selected === e.path || (parent !== null && m.expanded.has(parent)))) {
        const n = tree.get(e.path);
        this.emit('tree.changed', { mirrorId: m.info.mirrorId, change: { kind: 'data', path: e.path, stat: n ? tree.statJson(n) : null } });
      }
    }
    for (const s of this.shells.values()) {
      const fire = (type: string) => {
        s.shell.notify(type, e.path);
        if (s.info.member !== null) this.protocol(s.info.member, { kind: 'watch-fired', sessionId: hex(s.sessionId), path: e.path, type: type === 'NodeDataChanged' ? 3 : type === 'NodeDeleted' ? 2 : 4, zxid: hex(this.members[0]?.zxid ?? 0n) });
      };
      if ((e.kind === 'data' || e.kind === 'deleted') && s.dataWatches.delete(e.path)) fire(e.kind === 'data' ? 'NodeDataChanged' : 'NodeDeleted');
      if (e.kind === 'children' && s.childWatches.delete(e.path)) fire('NodeChildrenChanged');
    }
  };

  // ───────────────────────────── command table ─────────────────────────────

  private async handle(name: CommandName, a: Record<string, unknown>): Promise<unknown> {
    this.tree.listener = this.onTreeEvent;
    switch (name) {
      case 'lab.info':
        return this.info;
      case 'lab.recent':
        return this.recent;
      case 'lab.create': {
        if (!this.allowSwitch) throw err('refused', 'lab.create is not available here: this supervisor serves one lab only');
        const spec = a.spec as LabSpec;
        if (!Number.isInteger(spec.members) || spec.members < 1 || spec.members > 9) throw err('bad-request', 'members must be a whole number from 1 to 9');
        this.shutdown('switched labs');
        this.tree = new FakeTree(this.sched.now());
        this.tree.listener = this.onTreeEvent;
        const info = this.boot(String(a.dir), spec);
        this.action('ui', 'lab.create', info.dir, `created a lab of ${spec.members} members in ${info.dir}`);
        this.publish();
        return info;
      }
      case 'lab.open': {
        const dir = String(a.dir);
        if (this.info?.dir === dir && this.info.running) return this.info;
        if (!this.allowSwitch) throw err('refused', 'lab.open is not available here: this supervisor serves one lab only');
        const r = this.recent.find((x) => x.dir === dir);
        if (!r) throw err('not-a-lab', `${dir} is not a lab directory`);
        this.shutdown('switched labs');
        return this.boot(dir, { members: r.members, observers: r.observers, name: r.name });
      }
      case 'lab.start':
        for (const m of this.members) if (m.state !== 'running') this.startMember(m);
        this.scheduleElection();
        this.publish();
        return this.requireLab();
      case 'lab.stop':
        for (const m of this.members) this.stopMember(m, 'stopped');
        this.publish();
        return this.requireLab();
      case 'lab.down': {
        const dir = this.info?.dir;
        if (!dir || !this.info?.running) return { message: 'no lab was running' };
        this.shutdown(`lab ${dir} is down`);
        return { message: `lab ${dir} is down: every member stopped and every proxy closed` };
      }
      case 'lab.status':
        return this.status();

      case 'member.start':
      case 'member.stop':
      case 'member.kill':
      case 'member.pause':
      case 'member.resume':
      case 'member.restart':
      case 'member.wipe':
        return this.memberAction(name.slice('member.'.length), Number(a.member));
      case 'member.logs':
        return { lines: [`member ${a.member}: demo member (no real log)`] };

      case 'links.get':
        return [...this.links.values()];
      case 'links.set': {
        this.requireLab();
        const from = a.from as LinkEnd;
        const to = a.to as LinkEnd;
        const changed: LinkState[] = [];
        const apply = (f: LinkEnd, t: LinkEnd) => {
          const l = this.links.get(`${f}>${t}`);
          if (!l) throw err('bad-request', `there is no link ${f} → ${t}`);
          l.settings = { ...l.settings, ...(a.settings as Partial<LinkSettings>) };
          changed.push({ ...l, settings: { ...l.settings } });
        };
        apply(from, to);
        if (a.bothWays) apply(to, from);
        this.record({ kind: 'links', changed });
        this.action('ui', 'links.set', `${from}-${to}`, `link ${from} → ${to}${a.bothWays ? ' (both ways)' : ''}: ${JSON.stringify(a.settings)}`);
        this.scheduleElection();
        this.publish();
        return changed;
      }
      case 'links.preset': {
        this.requireLab();
        const leader = this.members.find((m) => m.role === 'leader' && m.state === 'running')?.id ?? null;
        const plan = planPreset(a.preset as never, { members: this.members.map((m) => m.id), voters: this.members.filter((m) => m.kind === 'participant').map((m) => m.id), leader });
        for (const l of this.links.values()) if (l.from !== 'client' && l.to !== 'client') l.settings = { ...l.settings, mode: 'pass' };
        const mode = ((a.preset as { mode?: 'blackhole' | 'reject' }).mode ?? 'blackhole');
        for (const [f, t] of plan.cut) this.links.get(`${f}>${t}`)!.settings.mode = mode;
        this.record({ kind: 'links', changed: [...this.links.values()] });
        this.action('ui', 'links.preset', null, plan.description);
        this.scheduleElection();
        this.publish();
        return { message: plan.description, links: [...this.links.values()] };
      }
      case 'links.heal': {
        this.requireLab();
        for (const l of this.links.values()) l.settings = { ...PASS };
        this.action('ui', 'links.heal', null, 'healed every link');
        this.scheduleElection();
        this.publish();
        return { message: 'healed every link: every link passes with no delay or loss', links: [...this.links.values()] };
      }

      case 'events.since': {
        const after = Number(a.afterSeq);
        const limit = Number(a.limit ?? 1000);
        const events = this.events.filter((e) => e.seq > after).slice(0, limit);
        return { events, lastSeq: this.seq, truncated: this.events.length > 0 && this.events[0]!.seq > after + 1 };
      }

      case 'tree.open': {
        this.requireLab();
        const member = (a.member as MemberId | null) ?? null;
        this.servingMember(member);
        const s = this.newSession(member);
        const mirrorId = `tree-${this.nextMirror++}`;
        const m: Mirror = { info: { mirrorId, member, sessionId: hex(s.id), state: 'connected' }, sessionId: s.id, expanded: new Set(), selected: null };
        this.mirrors.set(mirrorId, m);
        this.publish();
        return m.info;
      }
      case 'tree.close':
        this.mirrors.delete(String(a.mirrorId));
        return {};
      case 'tree.expand': {
        const m = this.mirror(a);
        m.expanded.add(String(a.path));
        return this.page(String(a.path), 0, Number(a.limit ?? 200));
      }
      case 'tree.collapse':
        this.mirror(a).expanded.delete(String(a.path));
        return {};
      case 'tree.children':
        this.mirror(a);
        return this.page(String(a.path), Number(a.offset), Number(a.limit ?? 200));
      case 'tree.get': {
        const m = this.mirror(a);
        const path = String(a.path);
        const n = this.tree.require(path);
        m.selected = path;
        // The create mode as the lab reads it from a member (NodeMode: sequential is only in the name).
        const mode = n.mode === 'container' ? 'container' : n.mode.endsWith('-ttl') ? 'ttl' : n.mode.startsWith('ephemeral') ? 'ephemeral' : 'persistent';
        return {
          path,
          dataBase64: n.data ? bytesToBase64(n.data) : null,
          dataUtf8: n.data ? bytesToUtf8(n.data) : null,
          stat: this.tree.statJson(n),
          acl: n.acl,
          mode,
          ...(mode === 'ttl' && n.ttlMs !== undefined ? { ttlMs: n.ttlMs } : {}),
        };
      }
      case 'tree.search': {
        const info = this.requireLab();
        let matcher: (path: string) => boolean;
        try {
          matcher = compilePathQuery(String(a.query ?? ''));
        } catch (e) {
          throw err('bad-request', e instanceof PathQueryError ? e.message : String(e));
        }
        const offset = Number(a.offset ?? 0);
        const r = searchPaths((p) => { const n = this.tree.get(p); return n ? this.tree.sortedChildren(n) : null; }, matcher, { offset, limit: Math.min(Number(a.limit ?? 100), 1000) });
        return { query: String(a.query), paths: r.matches, offset, total: r.total, complete: r.complete, member: (a.member as MemberId | null | undefined) ?? this.members.find((m) => m.role === 'leader' && m.state === 'running')?.id ?? info.members };
      }
      case 'tree.create': {
        const m = this.mirror(a);
        const data = a.dataBase64 ? base64ToBytes(String(a.dataBase64)) : null;
        const mode = (a.mode as CreateModeName | undefined) ?? 'persistent';
        const path = this.write(m.info.member, 'create', m.sessionId, (zxid, now) => this.tree.create(String(a.path), data, mode, zxid, now, m.sessionId, a.ttlMs as number | undefined));
        return { path, stat: this.tree.statJson(this.tree.require(path)) };
      }
      case 'tree.set': {
        const m = this.mirror(a);
        const data = a.dataBase64 ? base64ToBytes(String(a.dataBase64)) : null;
        const n = this.write(m.info.member, 'setData', m.sessionId, (zxid, now) => this.tree.setData(String(a.path), data, Number(a.version), zxid, now));
        return { stat: this.tree.statJson(n) };
      }
      case 'tree.deletePreview': {
        this.mirror(a);
        const all = this.tree.subtree(String(a.path));
        const limit = Number(a.limit ?? 1000);
        return { path: String(a.path), paths: all.slice(0, limit), total: all.length, truncated: all.length > limit };
      }
      case 'tree.delete': {
        const m = this.mirror(a);
        const path = String(a.path);
        const paths = a.recursive ? this.tree.subtree(path) : [path];
        this.write(m.info.member, 'delete', m.sessionId, (zxid) => {
          for (const p of paths) this.tree.delete(p, p === path ? Number(a.version) : -1, zxid);
        });
        return { deleted: paths.length };
      }
      case 'tree.setAcl': {
        const m = this.mirror(a);
        const n = this.write(m.info.member, 'setACL', m.sessionId, () => this.tree.setAcl(String(a.path), a.acl as AclJson[], Number(a.version)));
        return { stat: this.tree.statJson(n) };
      }

      case 'shell.open':
        return this.openShell((a.member as MemberId | null) ?? null);
      case 'shell.input': {
        const s = this.shells.get(String(a.shellId));
        if (!s) throw err('no-such-shell', `there is no shell ${a.shellId}`);
        s.shell.input(String(a.data));
        return {};
      }
      case 'shell.resize':
        return {};
      case 'shell.close': {
        const s = this.shells.get(String(a.shellId));
        if (s) this.closeShell(s, 'closed');
        return {};
      }
      case 'shell.list':
        return [...this.shells.values()].map((s) => s.info);
      case 'shell.ack':
        // The fake's shells never produce a flood: acknowledgements need no bookkeeping.
        if (!this.shells.has(String(a.shellId))) throw err('no-such-shell', `there is no shell ${a.shellId}`);
        return {};

      case 'sessions.list': {
        this.requireLab();
        const now = this.sched.now();
        const only = a.member as MemberId | undefined;
        const out: SessionInfo[] = [];
        for (const s of this.sessions.values()) {
          if (only !== undefined && s.member !== only) continue;
          const shell = [...this.shells.values()].find((x) => x.sessionId === s.id);
          const watches: WatchInfo[] = shell
            ? [
                ...[...shell.dataWatches].map((path) => ({ path, kind: 'data' as const, sessionId: hex(s.id), member: s.member ?? 1 })),
                ...[...shell.childWatches].map((path) => ({ path, kind: 'child' as const, sessionId: hex(s.id), member: s.member ?? 1 })),
              ]
            : [];
          out.push({ sessionId: hex(s.id), member: s.member, timeoutMs: s.timeoutMs, expiresInMs: s.timeoutMs - ((now - s.lastSeen) % s.timeoutMs), clientAddress: '127.0.0.1', ephemerals: this.tree.ephemeralsOf(s.id), watches });
        }
        return out;
      }
      case 'sessions.expire': {
        const id = BigInt(String(a.sessionId));
        const s = this.sessions.get(id);
        if (!s) throw err('no-such-session', `there is no session ${a.sessionId}`);
        this.expire(s);
        return { message: `expired session ${a.sessionId}` };
      }

      case 'snapshot.export': {
        const info = this.requireLab();
        const file = String(a.file);
        const manifest: ExportManifest = {
          format: 'zoolab-cluster-export',
          version: 1,
          createdAt: this.sched.now(),
          lab: { name: info.name, members: info.members, observers: info.observers, tickTimeMs: info.tickTimeMs, initLimit: 10, syncLimit: 5 },
          members: this.members.map((m) => ({ id: m.id, kind: m.kind, acceptedEpoch: m.epoch, currentEpoch: m.epoch, lastZxid: hex(m.zxid), firstLogZxid: '0x1' })),
          znodes: this.tree.size,
          digest: this.members[0]?.digest ?? null,
        };
        this.exportsByFile.set(file, { manifest, tree: this.tree, spec: { members: info.members, observers: info.observers, name: info.name } });
        this.action('ui', 'snapshot.export', file, `exported the cluster (${manifest.znodes} znodes) to ${file}`);
        return { file, sizeBytes: 4096 + this.tree.size * 128, manifest };
      }
      case 'snapshot.inspect': {
        const x = this.exportsByFile.get(String(a.file));
        if (!x) throw err('bad-file', `${a.file} is not a ZooLab cluster export (no manifest)`);
        return x.manifest;
      }
      case 'snapshot.import': {
        const x = this.exportsByFile.get(String(a.file));
        if (!x) throw err('bad-file', `${a.file} is not a ZooLab cluster export`);
        if (!this.allowSwitch) return this.importBeside(a.dir === undefined ? undefined : String(a.dir), x.spec);
        this.shutdown('switched labs');
        this.tree = x.tree;
        const info = this.boot(String(a.dir), x.spec);
        return { ...info, switched: true, url: null, message: `imported the export into a new lab in ${info.dir} and opened it` };
      }
      case 'snapshot.download': {
        const file = `fake-export-${this.exportsByFile.size + 1}`;
        const r = (await this.handle('snapshot.export', { file })) as { sizeBytes: number; manifest: ExportManifest };
        return { fileName: `${file}.zoolab`, dataBase64: bytesToBase64(utf8ToBytes(`ZOOLAB-FAKE-EXPORT:${file}`)), sizeBytes: r.sizeBytes, manifest: r.manifest };
      }
      case 'snapshot.inspectBytes':
        return this.handle('snapshot.inspect', { file: this.fileOfBytes(String(a.dataBase64)) });
      case 'snapshot.importBytes':
        return this.handle('snapshot.import', { file: this.fileOfBytes(String(a.dataBase64)), dir: a.dir });
      case 'subtree.export':
        return this.exportSubtree(String(a.path));
      case 'subtree.import':
        return this.importSubtree(a.json as SubtreeJson, a.targetPath as string | undefined, (a.onConflict as 'fail' | 'skip' | 'overwrite' | undefined) ?? 'fail');

      case 'scenario.list':
      case 'scenario.get':
      case 'scenario.run':
      case 'scenario.stop':
      case 'scenario.status':
      case 'scenario.showMe':
      case 'scenario.continue':
      case 'scenario.load':
      case 'scenario.record.start':
      case 'scenario.record.stop':
      case 'scenario.safety':
      case 'scenario.bugSwitches':
        return this.scenarios.invoke(name, a);
    }
  }

  // ───────────────────────────── scenarios ─────────────────────────────

  /**
   * The lab a scenario run drives: a new one (like the real service, which switches labs
   * and says so in `lab.closed`), or — for a fixed lab (`serve=1`) — this one when its size fits.
   */
  private scenarioLab(spec: LabSpec, id: string): string {
    if (!this.allowSwitch) {
      const info = this.requireLab();
      if (info.members !== spec.members) throw err('unavailable', `this lab has ${info.members} member(s) and ${id} needs ${spec.members}`);
      return info.dir;
    }
    const dir = `/scenario-labs/${id}-${this.nextScenarioLab++}`;
    this.shutdown(`switched to lab ${dir}`);
    this.tree = new FakeTree(this.sched.now());
    this.tree.listener = this.onTreeEvent;
    const info = this.boot(dir, spec);
    this.action('scenario', 'lab.open', info.dir, `opened the scenario's lab of ${spec.members} members in ${info.dir}`);
    this.publish();
    return info.dir;
  }

  /** A scenario's own write: through the leader like any client's (so it shows on the timeline). */
  private scenarioWrite(path: string, data: string): void {
    const session = this.newSession(null);
    const bytes = utf8ToBytes(data);
    this.write(null, this.tree.get(path) ? 'setData' : 'create', session.id, (zxid, now) => {
      if (this.tree.get(path)) this.tree.setData(path, bytes, -1, zxid, now);
      else this.tree.create(path, bytes, 'persistent', zxid, now, 0n);
    });
    this.sessions.delete(session.id);
  }

  // ───────────────────────────── helpers ─────────────────────────────

  /**
   * A served lab (`serve=1`) imports beside itself, as a `zk-lab` supervisor does: a new lab
   * next to this one with its own address. The fake only describes it (nothing runs there).
   */
  private importBeside(dirArg: string | undefined, spec: LabSpec): ImportedLab {
    const current = this.requireLab();
    const parent = parentPath(current.dir);
    const dir = dirArg ?? `${parent === '/' ? '' : parent}/${current.name}-imported-${this.sched.now()}`;
    if (parentPath(dir) !== parent) throw err('bad-request', `an imported lab goes next to this one: choose a new directory in ${parent}, not ${dir}`);
    const port = 20000 + (this.nextBeside++ % 1000);
    const url = `http://127.0.0.1:${port}/?token=${'f'.repeat(64)}`;
    return {
      ...current,
      dir,
      name: `${spec.name ?? current.name} (imported)`,
      connectString: `127.0.0.1:${port + 1}`,
      directConnectString: `127.0.0.1:${port + 2}`,
      createdAt: this.sched.now(),
      switched: false,
      url,
      message: `imported the export into a new lab in ${dir}; it runs beside ${current.dir} under its own supervisor; open it at ${url}`,
    };
  }

  /** Uploaded "export bytes" name the export they came from (the fake keeps exports in memory). */
  private fileOfBytes(dataBase64: string): string {
    const text = bytesToUtf8(base64ToBytes(dataBase64)) ?? '';
    if (!text.startsWith('ZOOLAB-FAKE-EXPORT:')) throw err('bad-file', 'the file is not a ZooLab cluster export (no manifest)');
    return text.slice('ZOOLAB-FAKE-EXPORT:'.length);
  }

  private mirror(a: Record<string, unknown>): Mirror {
    const m = this.mirrors.get(String(a.mirrorId));
    if (!m) throw err('no-such-mirror', `there is no open tree browser ${JSON.stringify(a.mirrorId)}`);
    return m;
  }

  private page(path: string, offset: number, limit: number): ChildrenPage {
    const n = this.tree.require(path);
    const names = this.tree.sortedChildren(n);
    const children = names.slice(offset, offset + limit).map((name) => this.tree.summary(path === '/' ? `/${name}` : `${path}/${name}`));
    return { path, total: names.length, offset, children };
  }

  private memberAction(action: string, id: MemberId): { message: string; member: MemberStatus } {
    this.requireLab();
    const m = this.member(id);
    let message: string;
    switch (action) {
      case 'kill':
        if (m.state !== 'running' && m.state !== 'paused') throw err('not-running', `member ${id} is not running (${m.state}); start it first`);
        message = `killed member ${id} (pid ${m.pid}) with SIGKILL`;
        this.stopMember(m, 'killed');
        break;
      case 'stop':
        message = `stopped member ${id} with SIGTERM`;
        this.stopMember(m, 'stopped');
        break;
      case 'pause':
        if (m.state !== 'running') throw err('not-running', `member ${id} is not running`);
        m.state = 'paused';
        this.record({ kind: 'process', member: id, state: 'paused', pid: m.pid });
        message = `paused member ${id} (SIGSTOP)`;
        break;
      case 'resume':
        if (m.state !== 'paused') throw err('not-paused', `member ${id} is not paused`);
        m.state = 'running';
        this.record({ kind: 'process', member: id, state: 'running', pid: m.pid });
        message = `resumed member ${id} (SIGCONT)`;
        break;
      case 'start':
        if (m.state === 'running' || m.state === 'paused') throw err('already-running', `member ${id} is already running`);
        this.startMember(m);
        message = `started member ${id} (pid ${m.pid})`;
        break;
      case 'restart':
        this.stopMember(m, 'stopped');
        this.startMember(m);
        message = `restarted member ${id} (pid ${m.pid}); it recovers from its own data`;
        break;
      case 'wipe':
        this.stopMember(m, 'killed');
        m.zxid = 0n;
        m.epoch = 0;
        this.startMember(m);
        message = `wiped member ${id}'s data and started it empty (pid ${m.pid})`;
        break;
      default:
        throw err('bad-request', `unknown member action ${action}`);
    }
    this.action('ui', `member.${action}`, String(id), message);
    this.scheduleElection();
    this.publish();
    return { message, member: this.status().members.find((x) => x.id === id)! };
  }

  private stopMember(m: FMember, state: 'killed' | 'stopped'): void {
    if (m.state === state) return;
    const wasLeader = m.role === 'leader';
    m.state = state;
    m.role = 'down';
    m.phase = 'none';
    m.leaderId = null;
    this.record({ kind: 'process', member: m.id, state, pid: m.pid, ...(state === 'killed' ? { signal: 'SIGKILL' } : { code: 0 }) });
    m.pid = null;
    m.startedAt = null;
    for (const s of this.shells.values()) {
      if (s.info.member === m.id) this.updateShell(s, 'disconnected');
    }
    if (wasLeader) {
      for (const f of this.members) {
        if (f.leaderId === m.id && f.state === 'running') {
          this.protocol(f.id, { kind: 'leader-lost', leader: m.id, reason: 'disconnected', detail: '' });
          this.setRole(f, 'looking', 'election', null);
        }
      }
    }
  }

  private startMember(m: FMember): void {
    m.state = 'running';
    m.pid = this.nextPid++;
    m.startedAt = this.sched.now();
    m.role = 'looking';
    m.phase = 'election';
    this.record({ kind: 'process', member: m.id, state: 'running', pid: m.pid });
    for (const s of this.shells.values()) if (s.info.member === m.id && s.info.state === 'disconnected') this.updateShell(s, 'connected');
  }

  private shutdown(reason: string): void {
    this.cancelElection?.();
    for (const s of [...this.shells.values()]) this.closeShell(s, reason);
    this.mirrors.clear();
    this.sessions.clear();
    if (this.info?.running) {
      for (const m of this.members) this.stopMember(m, 'stopped');
      this.info = { ...this.info, running: false };
      this.emit('lab.closed', { reason });
    }
  }

  private openShell(member: MemberId | null): ShellInfo {
    const info = this.requireLab();
    const serving = this.servingMember(member);
    const s = this.newSession(member ?? serving.id);
    const shellId = `shell-${this.nextShell++}`;
    const port = Number(info.connectString.split(',')[(member ?? serving.id) - 1]?.split(':')[1] ?? 2181);
    const title = (state: string) => `member ${member ?? serving.id} · ${hex(s.id)} · ${state}`;
    const shell: Shell = {
      info: { shellId, member: member ?? serving.id, sessionId: hex(s.id), state: 'connected', title: title('connected') },
      sessionId: s.id,
      dataWatches: new Set(),
      childWatches: new Set(),
      shell: undefined as unknown as FakeShell,
    };
    let n = 0;
    const via = shell.info.member;
    shell.shell = new FakeShell(
      {
        prompt: () => `[zk: 127.0.0.1:${port}(${shell.info.state === 'connected' ? 'CONNECTED' : 'CONNECTING'}) ${n++}] `,
        ls: (path, watch) => {
          const node = this.tree.require(path);
          if (watch) shell.childWatches.add(path);
          return this.tree.sortedChildren(node);
        },
        get: (path, watch) => {
          const node = this.tree.require(path);
          if (watch) shell.dataWatches.add(path);
          return node.data ? (bytesToUtf8(node.data) ?? '(binary)') : 'null';
        },
        set: (path, data) => {
          this.write(via, 'setData', s.id, (zxid, now) => this.tree.setData(path, utf8ToBytes(data), -1, zxid, now));
        },
        create: (path, data, flags) => {
          const mode: CreateModeName = flags.ephemeral ? (flags.sequential ? 'ephemeral-sequential' : 'ephemeral') : flags.sequential ? 'persistent-sequential' : 'persistent';
          return this.write(via, 'create', s.id, (zxid, now) => this.tree.create(path, data ? utf8ToBytes(data) : null, mode, zxid, now, s.id));
        },
        delete: (path, recursive) => {
          const paths = recursive ? this.tree.subtree(path) : [path];
          this.write(via, 'delete', s.id, (zxid) => paths.forEach((p) => this.tree.delete(p, -1, zxid)));
        },
        stat: (path) => {
          const st = this.tree.statJson(this.tree.require(path));
          return Object.entries(st).map(([k, v]) => `${k} = ${k === 'ctime' || k === 'mtime' ? new Date(v as number).toUTCString() : v}`);
        },
      },
      (data) => this.emit('shell.output', { shellId, data }),
      () => this.closeShell(shell, 'quit'),
    );
    this.shells.set(shellId, shell);
    this.publish();
    return shell.info;
  }

  private updateShell(s: Shell, state: ShellInfo['state']): void {
    s.info = { ...s.info, state, title: s.info.title.replace(/[^·]+$/, ` ${state}`) };
    this.emit('shell.info', s.info);
  }

  private closeShell(s: Shell, reason: string): void {
    s.shell.close();
    this.shells.delete(s.info.shellId);
    this.sessions.delete(s.sessionId);
    this.emit('shell.exit', { shellId: s.info.shellId, reason });
  }

  private expire(s: Session): void {
    const leader = this.members.find((m) => m.role === 'leader');
    const ephemerals = this.tree.ephemeralsOf(s.id);
    if (leader) this.protocol(leader.id, { kind: 'session-expired', sessionId: hex(s.id) });
    for (const p of ephemerals) this.tree.delete(p, -1, leader?.zxid ?? 0n);
    if (leader) this.protocol(leader.id, { kind: 'session-closed', sessionId: hex(s.id), reason: 'expired', ephemerals: ephemerals.length, zxid: hex(leader.zxid) });
    this.sessions.delete(s.id);
    for (const sh of this.shells.values()) if (sh.sessionId === s.id) this.updateShell(sh, 'expired');
    for (const m of this.mirrors.values()) {
      if (m.sessionId === s.id) {
        m.info = { ...m.info, state: 'expired' };
        this.emit('tree.state', m.info);
      }
    }
    this.publish();
  }

  private exportSubtree(root: string): SubtreeJson {
    this.requireLab();
    const nodes: SubtreeJson['nodes'] = {};
    for (const p of this.tree.subtree(root).reverse()) {
      const n = this.tree.require(p);
      nodes[p] = { data: n.data ? bytesToBase64(n.data) : null, stat: this.tree.statJson(n), acl: n.acl, mode: n.mode, ...(n.ttlMs ? { ttlMs: n.ttlMs } : {}) };
    }
    return { format: 'zoolab-subtree', version: 1, root, exportedAt: this.sched.now(), nodes };
  }

  private importSubtree(json: SubtreeJson, target: string | undefined, onConflict: 'fail' | 'skip' | 'overwrite') {
    const root = json.root;
    const dest = target ?? root;
    const map = (p: string) => (p === root ? dest : dest === '/' ? p.slice(root.length) || '/' : dest + p.slice(root === '/' ? 0 : root.length));
    const paths = Object.keys(json.nodes).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
    if (onConflict === 'fail') for (const p of paths) if (this.tree.get(map(p)) && map(p) !== '/') throw err('conflict', `${map(p)} already exists; choose skip or overwrite`);
    let created = 0;
    let updated = 0;
    let skipped = 0;
    const skippedEphemerals: string[] = [];
    for (const p of paths) {
      const node = json.nodes[p]!;
      const to = map(p);
      if (node.mode.startsWith('ephemeral')) {
        skippedEphemerals.push(p);
        continue;
      }
      const data = node.data ? base64ToBytes(node.data) : null;
      if (this.tree.get(to)) {
        if (onConflict === 'overwrite' && to !== '/') {
          this.write(null, 'setData', 0n, (zxid, now) => this.tree.setData(to, data, -1, zxid, now));
          updated++;
        } else skipped++;
        continue;
      }
      this.write(null, 'create', 0n, (zxid, now) => this.tree.create(to, data, node.mode.replace('-sequential', '') as CreateModeName, zxid, now, 0n));
      created++;
    }
    return { created, updated, skipped, skippedEphemerals };
  }
}
