/**
 * LabApi — the single definition of every command the desktop app, the browser UI and
 * the headless CLI can ask of a lab, and of every event a lab pushes back.
 *
 * Types only (plus the name lists the preload needs at run time and the terminal flow-control
 * figures both sides share): no Node imports, no bigint. The renderer imports this file; Electron's preload exposes it as
 * `window.lab = { invoke(name, arg), on(event, cb) → unsubscribe }`; the WebSocket bridge
 * (`zk-lab serve`) carries the same names and payloads as JSON (see `BridgeMessage`).
 * 64-bit values (zxids, session ids, digests) are lowercase hex strings such as `0x10000002a`
 * (the `Hex64` type); times are milliseconds since the Unix epoch; durations carry `Ms`.
 *
 * Namespaces: `lab.*` lifecycle, `member.*` process actions, `links.*` network faults,
 * `events.*` the merged event stream, `tree.*` the live tree browser, `shell.*` terminal
 * sessions, `sessions.*` the session and watch inspector, `snapshot.*` / `subtree.*`
 * export and import, `scenario.*` guided scenarios, break-it challenges and the live safety
 * invariants (engine/src/scenarios, docs/teaching.md).
 */

import type { JsonSafe, ProtocolEvent, Vote, ZabPhase as QuorumZabPhase, SyncMode } from '../quorum/protocol-events.js';

// ─────────────────────────────── scalars ───────────────────────────────

/** A 64-bit value as `0x…` lowercase hex (two's complement for negatives). */
export type Hex64 = string;
/** A member's `myid` (1–255). */
export type MemberId = number;
/** Who asked for a lab action; recorded in the event stream ("who killed what, when"). */
export type Actor = 'cli' | 'ui' | 'web' | 'scenario' | 'lab';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A ZooKeeper error as a LabError code: `zk:` + KeeperException.Code's name (wire-protocol.md
 * §7), e.g. `zk:BadVersion`, `zk:NoNode`, `zk:NodeExists`, `zk:NotEmpty`, `zk:NoAuth`.
 */
export type ZkErrorCode = `zk:${string}`;

/** Every failed command rejects with this shape (IPC and WebSocket alike). */
export interface LabError {
  /**
   * Stable machine-readable reason, e.g. `no-such-member`, `not-running`, `bad-request`,
   * `refused`; a `ZkErrorCode` (`zk:BadVersion`…) when ZooKeeper itself refused the request.
   */
  code: string;
  /** One sentence saying what failed and what to try. */
  message: string;
}

// ─────────────────────────────── lab lifecycle ───────────────────────────────

export interface LabSpec {
  /** Voting members, 1–9. */
  members: number;
  /** Non-voting observers, 0–9 (members + observers ≤ 16). */
  observers?: number;
  /** ZooKeeper tickTime in ms; the lab default is the "snappy" 250 ms (zab.md §10). */
  tickTimeMs?: number;
  initLimit?: number;
  syncLimit?: number;
  /** Free-text label shown in the recent-labs list. */
  name?: string;
}

export interface LabInfo {
  /** Absolute path of the lab directory. */
  dir: string;
  name: string;
  members: number;
  observers: number;
  tickTimeMs: number;
  createdAt: number;
  /** True while the supervisor owns running member processes. */
  running: boolean;
  /** `127.0.0.1:p1,127.0.0.1:p2,…` — through the client link proxies, usable by zkCli.sh, kazoo, Curator. */
  connectString: string;
  /** The same members, dialled directly (bypassing client link faults). */
  directConnectString: string;
}

export interface RecentLab {
  dir: string;
  name: string;
  members: number;
  observers: number;
  lastOpenedAt: number;
  /** False when the directory is gone or no longer a lab. */
  exists: boolean;
}

// ─────────────────────────────── members ───────────────────────────────

/** What the member says it is doing (status --json `role`). */
export type MemberRole = 'leader' | 'follower' | 'observer' | 'looking' | 'standalone' | 'read-only' | 'down';
/** What the supervisor knows about the process (status --json `state`). */
export type ProcessState = 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'killed' | 'crashed';
/** ZAB phase as engine/src/quorum/protocol-events.ts names it; `none` for standalone or down members. */
export type ZabPhase = QuorumZabPhase | 'none';
export type { SyncMode };
export type MemberKind = 'participant' | 'observer';

export interface MemberStatus {
  id: MemberId;
  kind: MemberKind;
  role: MemberRole;
  state: ProcessState;
  /** ZAB currentEpoch; null while unknown (never reported or down since start). */
  epoch: number | null;
  acceptedEpoch: number | null;
  /** Last logged zxid. */
  zxid: Hex64 | null;
  /** Last committed (applied) zxid. */
  committedZxid: Hex64 | null;
  /** The leader this member follows (or itself when leading). */
  leaderId: MemberId | null;
  phase: ZabPhase;
  /** Port the member process binds. */
  clientPort: number;
  /** Port of the client link proxy in front of it (what `connectString` lists). */
  proxyClientPort: number;
  /** Digest of the data tree, equal across converged members. */
  digest: Hex64 | null;
  sessions: number | null;
  /**
   * Znodes in the member's tree, each counted once: `/`, `/zookeeper` and its children
   * included — the number a cluster export reports. (ZooKeeper's own `srvr` "Node count" and
   * mntr `zk_znode_count` are one higher: they count the root twice, under `""` and `/`.)
   */
  znodes: number | null;
  watches: number | null;
  /** Peers this member reports a live connection to. */
  peersConnected: MemberId[];
  /** Leader only: learners connected, and those synced (zab.md §4.4). */
  learners: MemberId[];
  syncedLearners: MemberId[];
  /** Leader only: proposals sent but not yet committed. */
  outstandingProposals: number | null;
  /** Election round (logicalclock) and the vote this member proposes or settled on. */
  round: number | null;
  vote: JsonSafe<Vote> | null;
  /** Whether it serves clients right now (false while looking unless read-only). */
  serving: boolean | null;
  pid: number | null;
  /** When the current process started, or null when none runs. */
  startedAt: number | null;
  uptimeMs: number | null;
  /** Set after the process ended. */
  exit: { code: number | null; signal: string | null; at: number } | null;
  /** The last lines the member wrote to stderr (most useful after a crash). */
  lastLogLines: string[];
  /** When the last state report arrived (stale data is shown as stale, not hidden). */
  reportedAt: number | null;
  /** True when this member's committed zxid is behind the leader's or it is cut off from the working majority. */
  stale: boolean;
}

export interface MemberActionResult {
  /** Human sentence, e.g. `killed member 2 (pid 4711) with SIGKILL`. */
  message: string;
  member: MemberStatus;
}

// ─────────────────────────────── links ───────────────────────────────

/** One end of a link: a member, or `client` for the client side of a client link. */
export type LinkEnd = MemberId | 'client';

/**
 * How a proxy treats one direction of a link (docs/lab.md "Link semantics").
 * - pass: forward.
 * - blackhole: keep connections open, forward nothing (data is queued and discarded; a TCP
 *   peer sees silence, like a cut cable).
 * - reject: reset existing connections and refuse new ones (like a firewall REJECT).
 */
export type LinkMode = 'pass' | 'blackhole' | 'reject';

export interface LinkSettings {
  mode: LinkMode;
  /** Added one-way latency per message. */
  delayMs: number;
  /** Uniform jitter ± around delayMs (order is kept: TCP is a stream). */
  jitterMs: number;
  /** Per-frame drop probability in percent (0–100) on peer links; see docs/lab.md for client links. */
  lossPercent: number;
}

export interface LinkState {
  from: LinkEnd;
  to: LinkEnd;
  settings: LinkSettings;
  /** Open TCP connections carried in this direction. */
  connections: number;
  bytesForwarded: number;
  bytesDropped: number;
}

export type PartitionMode = 'blackhole' | 'reject';

/** Partition presets; each is a documented set of link states (docs/lab.md). */
export type PartitionPreset =
  /** Cut every link to and from one member. */
  | { kind: 'isolate'; member: MemberId; mode?: PartitionMode }
  /** Cut the current leader (or, without one, member 1) off. */
  | { kind: 'isolate-leader'; mode?: PartitionMode }
  /** Majority vs minority; `leaderSide` says where the current leader lands. */
  | { kind: 'majority-minority'; leaderSide: 'majority' | 'minority'; mode?: PartitionMode }
  /** Arbitrary named groups: links inside a group pass, links between groups are cut. Members in no group are isolated. */
  | { kind: 'groups'; groups: { name: string; members: MemberId[] }[]; mode?: PartitionMode }
  /** Two halves that only one bridge member sees both of (Jepsen's bridge). */
  | { kind: 'bridge'; mode?: PartitionMode }
  /** Each member sees only its ring neighbours (Jepsen's majorities-ring). */
  | { kind: 'ring'; mode?: PartitionMode };

// ─────────────────────────────── quorum health ───────────────────────────────

export interface QuorumHealth {
  /** Votes needed for a majority: floor(voters / 2) + 1. */
  size: number;
  voters: number;
  /** Voters in the largest group that is up, unpaused and fully connected both ways. */
  reachable: number;
  /** The ids in that group. */
  workingMajority: MemberId[];
  /** Whether a write sent to a member in the working majority can commit now. */
  canWrite: boolean;
  leader: MemberId | null;
  /** Members that are down, cut off from the working majority, or behind it. */
  stale: MemberId[];
  /** Sentences explaining the verdict, e.g. `members 4 and 5 are partitioned from the majority {1,2,3}`. */
  explanation: string[];
}

/** The whole picture at one moment. Its first four fields are the `zk-lab status --json` contract. */
export interface LabStatus {
  members: MemberStatus[];
  leader: MemberId | null;
  quorum: QuorumHealth;
  links: LinkState[];
  lab: LabInfo;
  /** Sequence number of the newest event included in this picture. */
  seq: number;
  at: number;
}

// ─────────────────────────────── event stream ───────────────────────────────

/**
 * A protocol event as a member reports it, JSON-safe (bigint fields → hex strings). The
 * union is defined once in engine/src/quorum/protocol-events.ts; switch on `kind`.
 */
export type ProtocolEventJson = JsonSafe<ProtocolEvent>;

export type LabEventBody =
  /** Something the lab did because someone asked. */
  | { kind: 'action'; actor: Actor; action: string; target: string | null; message: string; ok: boolean }
  /** A member's process changed state (started, ready, paused, crashed…). */
  | {
      kind: 'process';
      member: MemberId;
      state: ProcessState;
      pid: number | null;
      code?: number | null;
      signal?: string | null;
      lastLogLines?: string[];
    }
  /** A member's reported role or phase changed. */
  | { kind: 'role'; member: MemberId; role: MemberRole; phase: ZabPhase; epoch: number | null; leaderId: MemberId | null }
  /** A protocol event a member reported. */
  | { kind: 'protocol'; member: MemberId; memberSeq: number; memberTimeMs: number; event: ProtocolEventJson }
  /** Link settings changed. */
  | { kind: 'links'; changed: LinkState[] }
  /** The quorum verdict changed. */
  | { kind: 'quorum'; quorum: QuorumHealth }
  /** A line the member logged at warning level or above. */
  | { kind: 'log'; member: MemberId; level: 'warn' | 'error'; line: string };

export interface LabEvent {
  /** Lab-wide, strictly increasing, never reused (also across supervisor restarts). */
  seq: number;
  /** When the supervisor received or made it. */
  at: number;
  body: LabEventBody;
}

export interface EventPage {
  events: LabEvent[];
  /** Newest seq known. */
  lastSeq: number;
  /** True when events after `afterSeq` were already trimmed from the bounded log. */
  truncated: boolean;
}

// ─────────────────────────────── tree browser ───────────────────────────────

export interface StatJson {
  czxid: Hex64;
  mzxid: Hex64;
  pzxid: Hex64;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: Hex64;
  dataLength: number;
  numChildren: number;
}

export type PermName = 'read' | 'write' | 'create' | 'delete' | 'admin';
export interface AclJson {
  scheme: string;
  id: string;
  perms: PermName[];
}

export type CreateModeName =
  | 'persistent'
  | 'ephemeral'
  | 'persistent-sequential'
  | 'ephemeral-sequential'
  | 'container'
  | 'persistent-ttl'
  | 'persistent-sequential-ttl';

export interface TreeOpenRequest {
  /** Member to connect to; null lets the client pick (connect string order). */
  member: MemberId | null;
  /** Children per page when listing wide nodes (default 200, max 5000). */
  pageSize?: number;
}
export interface MirrorInfo {
  mirrorId: string;
  member: MemberId | null;
  sessionId: Hex64 | null;
  state: 'connecting' | 'connected' | 'disconnected' | 'expired' | 'closed';
}

export interface ChildSummary {
  name: string;
  path: string;
  numChildren: number;
  dataLength: number;
  ephemeral: boolean;
}
export interface ChildrenPage {
  path: string;
  /** All children of `path` at the time of the listing. */
  total: number;
  offset: number;
  /** Sorted by name. */
  children: ChildSummary[];
}

/**
 * How a znode was created, as far as its kind goes (a sequential suffix is only part of
 * the name, so it is not a mode here).
 */
export type NodeMode = 'persistent' | 'ephemeral' | 'container' | 'ttl';

export interface NodeDetails {
  path: string;
  dataBase64: string | null;
  /** The data decoded as UTF-8, or null when it is not valid UTF-8 (or null data). */
  dataUtf8: string | null;
  stat: StatJson;
  acl: AclJson[];
  /**
   * The node's kind, read from a member's own database: clients see ephemeralOwner 0 for
   * containers and TTL nodes (wire-protocol.md §10.3, §10.4), so the Stat alone cannot tell.
   * Absent when no member could say (a member that is not ours, or none reachable).
   */
  mode?: NodeMode;
  /** TTL nodes: the TTL in ms (the node may be removed once mtime + ttlMs has passed and it has no children). */
  ttlMs?: number;
}

export interface TreeSearchRequest {
  /**
   * A case-insensitive substring of the path, or a glob (`*` within a segment, `**` across
   * segments, `?` one character): with a `/` it must match the whole path, without one the
   * node's name (`lock-*`).
   */
  query: string;
  offset?: number;
  /** Paths per page (default 100, max 1000). */
  limit?: number;
  /** Whose tree to search (default: the leader, else any running member). */
  member?: MemberId | null;
}

export interface TreeSearchResult {
  query: string;
  /** One page of matching paths in tree order (depth first, siblings by name). */
  paths: string[];
  offset: number;
  /** Every match in the part of the tree searched. */
  total: number;
  /** False when a huge tree was only partly searched (the member stops after 1 000 000 znodes); `total` is then a lower bound. */
  complete: boolean;
  /** The member whose tree was searched. */
  member: MemberId;
}

export type TreeChange =
  | { kind: 'data'; path: string; stat: StatJson | null }
  | { kind: 'children'; path: string; total: number }
  | { kind: 'created'; path: string }
  | { kind: 'deleted'; path: string };

export interface DeletePreview {
  path: string;
  /** Paths that a recursive delete would remove, deepest first (bounded by `limit`). */
  paths: string[];
  total: number;
  truncated: boolean;
}

// ─────────────────────────────── shell sessions ───────────────────────────────

/**
 * Terminal flow control (VS Code's FlowControlConstants, style.md B6), for shells opened
 * with `flowControl: true`: the renderer acknowledges output with `shell.ack` every
 * `ackEveryChars` characters it has written to the terminal; the lab pauses the shell
 * (its next ZooKeeper request waits) while more than `highWaterChars` are unacknowledged
 * and resumes it below `lowWaterChars`.
 */
export const SHELL_FLOW_CONTROL = { highWaterChars: 100_000, lowWaterChars: 5_000, ackEveryChars: 5_000 } as const;

export interface ShellInfo {
  shellId: string;
  member: MemberId | null;
  sessionId: Hex64 | null;
  state: 'connecting' | 'connected' | 'disconnected' | 'expired' | 'closed';
  /** e.g. `member 2 · 0x10000002a · connected`. */
  title: string;
}

// ─────────────────────────────── sessions & watches inspector ───────────────────────────────

export interface WatchInfo {
  path: string;
  /** `unknown` when the member lists the watch without its kind (the `wchc` four-letter word). */
  kind: 'data' | 'child' | 'exist' | 'persistent' | 'persistent-recursive' | 'unknown';
  sessionId: Hex64;
  member: MemberId;
}
export interface SessionInfo {
  sessionId: Hex64;
  /** The member whose connection carries it right now, if any. */
  member: MemberId | null;
  timeoutMs: number;
  /** Time left before the leader expires it, when known. */
  expiresInMs: number | null;
  clientAddress: string | null;
  ephemerals: string[];
  watches: WatchInfo[];
}

// ─────────────────────────────── snapshots ───────────────────────────────

/** A lab made from an imported export (`snapshot.import`, `snapshot.importBytes`). */
export interface ImportedLab extends LabInfo {
  /**
   * True when this service now serves the new lab (the desktop app); false when the new lab
   * runs beside the current one under its own supervisor (a `zk-lab` daemon serves one lab).
   */
  switched: boolean;
  /** Where a browser can open the new lab (set by `zk-lab serve` when it serves it too), or null. */
  url: string | null;
  /** What happened and what to do next, in one or two sentences. */
  message: string;
}

/** What an export file says about itself (read before anything is imported). */
export interface ExportManifest {
  format: 'zoolab-cluster-export';
  version: number;
  createdAt: number;
  lab: { name: string; members: number; observers: number; tickTimeMs: number; initLimit: number; syncLimit: number };
  members: {
    id: MemberId;
    kind: MemberKind;
    acceptedEpoch: number | null;
    currentEpoch: number | null;
    lastZxid: Hex64 | null;
    firstLogZxid: Hex64 | null;
  }[];
  znodes: number;
  /** Digest of the exported tree (as the members report it) when known. */
  digest: Hex64 | null;
}

export interface SubtreeNodeJson {
  data: string | null; // base64
  stat: StatJson;
  acl: AclJson[];
  mode: CreateModeName;
  /** Set for TTL nodes. */
  ttlMs?: number;
}
/** Our own subtree format (zoocreeper-style, path-keyed; docs/lab.md). */
export interface SubtreeJson {
  format: 'zoolab-subtree';
  version: 1;
  root: string;
  exportedAt: number;
  nodes: Record<string, SubtreeNodeJson>;
}

export interface SubtreeImportResult {
  created: number;
  updated: number;
  skipped: number;
  /** Ephemeral nodes are recreated as persistent only when asked; otherwise listed here. */
  skippedEphemerals: string[];
}

// ─────────────────────────────── scenarios ───────────────────────────────
// Guided lessons and break-it challenges (engine/src/scenarios, docs/teaching.md). A run's
// whole picture travels as one `ScenarioRun` in every `scenario.progress` event, so a side
// panel can draw it from the latest event alone. Every text a learner reads comes in both
// languages (`LocalizedText`); the panel picks one.

export type ScenarioLang = 'en' | 'ko';
/** One text in every language the product speaks. */
export interface LocalizedText {
  en: string;
  ko: string;
}
/** The views a step can point at (the panel highlights them). */
export type ScenarioView = 'members' | 'tree' | 'terminal' | 'links' | 'events' | 'timeline' | 'sessions' | 'quorum' | 'safety';
/** What a step is about: member cards, tree nodes and views to highlight. */
export interface ScenarioHighlight {
  members: MemberId[];
  paths: string[];
  views: ScenarioView[];
}
/**
 * Instructor-only protocol bugs (off by default; docs/teaching.md "Bug switches"). A lab
 * created with one writes `zoolab.bugs=…` into every member's zoo.cfg.
 */
export type BugSwitchName = 'smallQuorum' | 'ackBeforeFsync' | 'staleReads';
export type ScenarioKind = 'lesson' | 'challenge';

export interface ScenarioSummary {
  id: string;
  /** English title and goal (see `text` for every language). */
  title: string;
  description: string;
  kind: ScenarioKind;
  /** Position in the built-in course (recorded and user files come after). */
  order: number;
  text: { title: LocalizedText; goal: LocalizedText };
  /** Voting members of the lab the scenario starts. */
  members: number;
  stepCount: number;
  /** Capabilities it needs, e.g. `ensemble`. */
  requires: string[];
  /** Why it cannot run on this build right now, or null. */
  unavailable: string | null;
  source: 'built-in' | 'file' | 'recorded';
  /** Challenges: the instructor bug switch that makes the goal reachable. */
  bugSwitch: BugSwitchName | null;
}

export type ScenarioStepStatus = 'pending' | 'running' | 'waiting-for-learner' | 'passed' | 'failed' | 'skipped';

export interface ScenarioCheckResult {
  /** `<step id>/<n>`. */
  id: string;
  ok: boolean;
  title: LocalizedText;
  /** Why it happened (the lesson), from the scenario file. */
  explanation: LocalizedText;
  /** What was expected and what was seen. */
  detail: LocalizedText;
}

export interface ScenarioLogEntry {
  at: number;
  /** What the lab did, e.g. `killed member 2`. */
  text: LocalizedText;
  ok: boolean;
}

export interface ScenarioLearnerPrompt {
  ask: LocalizedText;
  /** Where the learner acts. */
  where: ScenarioView;
  /** The exact command to type, for terminal steps. */
  command: string | null;
  /** Whether `scenario.showMe` can perform it. */
  canShowMe: boolean;
}

export interface ScenarioStepView {
  /** 1-based. */
  index: number;
  id: string;
  title: LocalizedText;
  narration: LocalizedText;
  highlight: ScenarioHighlight;
  status: ScenarioStepStatus;
  learner: ScenarioLearnerPrompt | null;
  /** The condition being waited for right now, if any. */
  waitingFor: LocalizedText | null;
  log: ScenarioLogEntry[];
  checks: ScenarioCheckResult[];
}

export type SafetyInvariantId = 'one-leader-per-epoch' | 'committed-prefix' | 'zxid-monotonic' | 'read-your-writes';

export interface SafetyViolation {
  invariant: SafetyInvariantId;
  at: number;
  /** Lab event that revealed it, when one did. */
  seq: number | null;
  summary: LocalizedText;
  /** Why it happened: which acknowledged write was lost, which members acked it, who truncated it. */
  explanation: LocalizedText;
  evidence: string[];
  members: MemberId[];
  zxid: Hex64 | null;
  path: string | null;
}

export interface SafetyInvariantView {
  id: SafetyInvariantId;
  title: LocalizedText;
  description: LocalizedText;
  ok: boolean;
  violations: SafetyViolation[];
}

/** The live invariant view ("SAFETY HOLDS" while `holds`). */
export interface SafetyReport {
  holds: boolean;
  /** Bug switches active in the lab being watched (empty: the real protocol). */
  bugSwitches: BugSwitchName[];
  invariants: SafetyInvariantView[];
  /** Protocol events examined so far. */
  eventsSeen: number;
}

export interface BugSwitchInfo {
  name: BugSwitchName;
  title: LocalizedText;
  /** What goes wrong and which challenge shows it. */
  description: LocalizedText;
  /** The protocol decision it changes. */
  changes: LocalizedText;
  /** The zoo.cfg line a lab writes for it. */
  zooCfg: string;
}

export interface ScenarioRun {
  runId: string;
  scenarioId: string;
  state: 'running' | 'waiting-for-learner' | 'passed' | 'failed' | 'stopped' | 'unavailable';
  /** Current step, 1-based (0 before the first). */
  step: number;
  /** English one-liner of the current state (see `messageText`). */
  message: string;
  messageText: LocalizedText;
  title: LocalizedText;
  kind: ScenarioKind;
  lang: ScenarioLang;
  stepCount: number;
  steps: ScenarioStepView[];
  checks: { passed: number; failed: number };
  safety: SafetyReport | null;
  bugSwitches: BugSwitchName[];
  /** The lab the run drives. */
  labDir: string | null;
  startedAt: number;
  endedAt: number | null;
}

/** A scenario's content for a preview (before running it). */
export interface ScenarioDetail {
  summary: ScenarioSummary;
  steps: { id: string; title: LocalizedText; narration: LocalizedText; highlight: ScenarioHighlight; learner: ScenarioLearnerPrompt | null }[];
}

export interface ScenarioRunRequest {
  scenarioId: string;
  params?: Record<string, JsonValue>;
  lang?: ScenarioLang;
  /**
   * `guided` (the app): learner steps wait for the learner or `scenario.showMe`;
   * `auto` (headless): the lab performs every learner step itself. Default guided.
   */
  pace?: 'guided' | 'auto';
  /** Instructor only: protocol bugs to switch on in the scenario's lab (default none). */
  bugSwitches?: BugSwitchName[];
  /** Where to create the scenario's lab (default: a fresh directory under the temp dir). */
  dir?: string;
}

// ─────────────────────────────── the command table ───────────────────────────────

type Cmd<Req, Res> = { request: Req; response: Res };
type MemberRef = { member: MemberId };
type Void = Record<string, never>;

/** Command name → request and response. The only list of commands. */
export interface LabCommands {
  // lifecycle
  'lab.info': Cmd<Void, LabInfo | null>;
  'lab.recent': Cmd<Void, RecentLab[]>;
  /** Creates a lab in `dir` (refused if one exists there) and starts it. */
  'lab.create': Cmd<{ dir: string; spec: LabSpec }, LabInfo>;
  /** Opens an existing lab directory and starts its members. */
  'lab.open': Cmd<{ dir: string }, LabInfo>;
  /** Starts every member that is not running. */
  'lab.start': Cmd<Void, LabInfo>;
  /** Stops every member (graceful: SIGTERM; otherwise SIGKILL); proxies stay. */
  'lab.stop': Cmd<{ graceful?: boolean }, LabInfo>;
  /** Stops everything the lab started and closes it. */
  'lab.down': Cmd<Void, { message: string }>;
  'lab.status': Cmd<Void, LabStatus>;

  // member actions
  'member.start': Cmd<MemberRef, MemberActionResult>;
  'member.stop': Cmd<MemberRef, MemberActionResult>;
  'member.kill': Cmd<MemberRef, MemberActionResult>;
  'member.pause': Cmd<MemberRef, MemberActionResult>;
  'member.resume': Cmd<MemberRef, MemberActionResult>;
  'member.restart': Cmd<MemberRef, MemberActionResult>;
  /** Kills the member, deletes its SQLite file ("replace disk") and starts it fresh. */
  'member.wipe': Cmd<MemberRef, MemberActionResult>;
  'member.logs': Cmd<MemberRef & { lines?: number }, { lines: string[] }>;

  // network
  'links.get': Cmd<Void, LinkState[]>;
  /** Changes one direction (or both with `bothWays`); unspecified settings keep their value. */
  'links.set': Cmd<{ from: LinkEnd; to: LinkEnd; settings: Partial<LinkSettings>; bothWays?: boolean }, LinkState[]>;
  'links.preset': Cmd<{ preset: PartitionPreset }, { message: string; links: LinkState[] }>;
  'links.heal': Cmd<Void, { message: string; links: LinkState[] }>;

  // event stream
  'events.since': Cmd<{ afterSeq: number; limit?: number }, EventPage>;

  // tree browser
  'tree.open': Cmd<TreeOpenRequest, MirrorInfo>;
  'tree.close': Cmd<{ mirrorId: string }, Void>;
  /** Lists the first page and keeps `path` live (watched) until collapsed. */
  'tree.expand': Cmd<{ mirrorId: string; path: string; limit?: number }, ChildrenPage>;
  'tree.collapse': Cmd<{ mirrorId: string; path: string }, Void>;
  'tree.children': Cmd<{ mirrorId: string; path: string; offset: number; limit?: number }, ChildrenPage>;
  /** Reads a node and keeps its data live while it is selected. */
  'tree.get': Cmd<{ mirrorId: string; path: string }, NodeDetails>;
  /** Searches every znode path of a member's tree (server side, one page at a time). */
  'tree.search': Cmd<TreeSearchRequest, TreeSearchResult>;
  'tree.create': Cmd<
    { mirrorId: string; path: string; dataBase64?: string | null; mode?: CreateModeName; ttlMs?: number; acl?: AclJson[] },
    { path: string; stat: StatJson }
  >;
  /** Conditional on `version` (-1: any). */
  'tree.set': Cmd<{ mirrorId: string; path: string; dataBase64: string | null; version: number }, { stat: StatJson }>;
  'tree.deletePreview': Cmd<{ mirrorId: string; path: string; limit?: number }, DeletePreview>;
  'tree.delete': Cmd<{ mirrorId: string; path: string; version: number; recursive?: boolean }, { deleted: number }>;
  'tree.setAcl': Cmd<{ mirrorId: string; path: string; acl: AclJson[]; version: number }, { stat: StatJson }>;

  // shell sessions
  /** `flowControl`: the caller acknowledges output with `shell.ack` (SHELL_FLOW_CONTROL); without it output is never held back. */
  'shell.open': Cmd<{ member: MemberId | null; cols?: number; rows?: number; flowControl?: boolean }, ShellInfo>;
  /** Bytes typed into the terminal (xterm `onData`). */
  'shell.input': Cmd<{ shellId: string; data: string }, Void>;
  'shell.resize': Cmd<{ shellId: string; cols: number; rows: number }, Void>;
  'shell.close': Cmd<{ shellId: string }, Void>;
  'shell.list': Cmd<Void, ShellInfo[]>;
  /** `chars` more characters of a shell's output were written to the terminal (flow control). */
  'shell.ack': Cmd<{ shellId: string; chars: number }, Void>;

  // sessions & watches inspector
  'sessions.list': Cmd<{ member?: MemberId }, SessionInfo[]>;
  /** Expires a session now, as its timeout would: the leader (or standalone member) closes it, its ephemerals go, its client sees Expired. */
  'sessions.expire': Cmd<{ sessionId: Hex64 }, { message: string }>;

  // snapshots
  /** Writes a cluster export to `file` (a path on the lab host). */
  'snapshot.export': Cmd<{ file: string }, { file: string; sizeBytes: number; manifest: ExportManifest }>;
  /** Validates a file and returns its manifest without changing anything. */
  'snapshot.inspect': Cmd<{ file: string }, ExportManifest>;
  /** Creates a new lab in `dir` holding the exported cluster and starts it (see ImportedLab). */
  'snapshot.import': Cmd<{ file: string; dir: string }, ImportedLab>;
  /** The same export as bytes, for a browser download (no file on the lab host is kept). */
  'snapshot.download': Cmd<Void, { fileName: string; dataBase64: string; sizeBytes: number; manifest: ExportManifest }>;
  /** Validates uploaded export bytes and returns their manifest; nothing changes. */
  'snapshot.inspectBytes': Cmd<{ dataBase64: string }, ExportManifest>;
  /**
   * Like snapshot.import, from uploaded bytes. Where the service serves one lab only (a
   * `zk-lab` supervisor), the new lab is created next to the current one (`dir` must then be
   * a new directory beside it; default `<name>-imported-<time>`) and started under its own
   * supervisor.
   */
  'snapshot.importBytes': Cmd<{ dataBase64: string; dir?: string }, ImportedLab>;
  'subtree.export': Cmd<{ path: string; member?: MemberId | null }, SubtreeJson>;
  'subtree.import': Cmd<
    { json: SubtreeJson; targetPath?: string; onConflict?: 'fail' | 'skip' | 'overwrite'; ephemeralsAsPersistent?: boolean },
    SubtreeImportResult
  >;

  // scenarios (engine/src/scenarios; docs/teaching.md)
  'scenario.list': Cmd<Void, ScenarioSummary[]>;
  'scenario.get': Cmd<{ scenarioId: string }, ScenarioDetail>;
  /** Starts a run (one at a time); progress arrives as `scenario.progress`. */
  'scenario.run': Cmd<ScenarioRunRequest, ScenarioRun>;
  'scenario.stop': Cmd<{ runId: string }, ScenarioRun>;
  'scenario.status': Cmd<{ runId: string }, ScenarioRun>;
  /** "Show me": the lab performs the learner's current step. */
  'scenario.showMe': Cmd<{ runId: string }, ScenarioRun>;
  /** The learner says the current step is done (steps without a condition to wait for). */
  'scenario.continue': Cmd<{ runId: string }, ScenarioRun>;
  /** Adds a scenario file (JSON with comments) for this session; errors point at the line. */
  'scenario.load': Cmd<{ text: string; name?: string }, ScenarioSummary>;
  /** Starts recording what is done in the lab (every actor) as a new scenario. */
  'scenario.record.start': Cmd<{ title?: LocalizedText }, { message: string }>;
  /** Stops recording; returns the scenario file text (also loaded, so it can be run at once). */
  'scenario.record.stop': Cmd<{ id?: string; title?: LocalizedText }, { text: string; summary: ScenarioSummary }>;
  /** The live safety invariants of the current lab. */
  'scenario.safety': Cmd<Void, SafetyReport>;
  'scenario.bugSwitches': Cmd<Void, BugSwitchInfo[]>;
}

/** Event name → payload. The only list of events. */
export interface LabEvents {
  /** Every entry of the merged stream, in seq order. */
  'lab.event': LabEvent;
  /** A fresh picture whenever something in it changed (coalesced, at most ~10 per second). */
  'lab.status': LabStatus;
  /** The lab was closed (down) or the connection to it was lost. */
  'lab.closed': { reason: string };
  'tree.changed': { mirrorId: string; change: TreeChange };
  'tree.state': MirrorInfo;
  'shell.output': { shellId: string; data: string };
  'shell.info': ShellInfo;
  'shell.exit': { shellId: string; reason: string };
  'scenario.progress': ScenarioRun;
  /** The live invariant view changed (every lab, with or without a run). */
  'scenario.safety': SafetyReport;
}

export type CommandName = keyof LabCommands;
export type EventName = keyof LabEvents;
export type CommandRequest<K extends CommandName> = LabCommands[K]['request'];
export type CommandResponse<K extends CommandName> = LabCommands[K]['response'];
export type EventPayload<E extends EventName> = LabEvents[E];

/** What the renderer programs against, whatever carries it (Electron IPC or WebSocket). */
export interface LabApi {
  invoke<K extends CommandName>(name: K, arg: CommandRequest<K>): Promise<CommandResponse<K>>;
  /** Subscribes; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

// ─────────────────────────────── run-time name lists ───────────────────────────────

/** Every command name, for allowlists (Electron preload, WebSocket bridge). Checked against `LabCommands` below. */
export const LAB_COMMANDS = [
  'lab.info', 'lab.recent', 'lab.create', 'lab.open', 'lab.start', 'lab.stop', 'lab.down', 'lab.status',
  'member.start', 'member.stop', 'member.kill', 'member.pause', 'member.resume', 'member.restart', 'member.wipe', 'member.logs',
  'links.get', 'links.set', 'links.preset', 'links.heal',
  'events.since',
  'tree.open', 'tree.close', 'tree.expand', 'tree.collapse', 'tree.children', 'tree.get', 'tree.search', 'tree.create', 'tree.set',
  'tree.deletePreview', 'tree.delete', 'tree.setAcl',
  'shell.open', 'shell.input', 'shell.resize', 'shell.close', 'shell.list', 'shell.ack',
  'sessions.list', 'sessions.expire',
  'snapshot.export', 'snapshot.inspect', 'snapshot.import', 'snapshot.download', 'snapshot.inspectBytes', 'snapshot.importBytes',
  'subtree.export', 'subtree.import',
  'scenario.list', 'scenario.get', 'scenario.run', 'scenario.stop', 'scenario.status', 'scenario.showMe', 'scenario.continue',
  'scenario.load', 'scenario.record.start', 'scenario.record.stop', 'scenario.safety', 'scenario.bugSwitches',
] as const satisfies readonly CommandName[];

export const LAB_EVENTS = [
  'lab.event', 'lab.status', 'lab.closed', 'tree.changed', 'tree.state', 'shell.output', 'shell.info', 'shell.exit',
  'scenario.progress', 'scenario.safety',
] as const satisfies readonly EventName[];

// Compile-time proof that the lists name every command and event (a missing name fails here).
type Missing<All, Listed> = Exclude<All, Listed>;
const commandsComplete: Missing<CommandName, (typeof LAB_COMMANDS)[number]> extends never ? true : false = true;
const eventsComplete: Missing<EventName, (typeof LAB_EVENTS)[number]> extends never ? true : false = true;
void commandsComplete;
void eventsComplete;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && (LAB_COMMANDS as readonly string[]).includes(name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (LAB_EVENTS as readonly string[]).includes(name);
}

// ─────────────────────────────── WebSocket bridge frames ───────────────────────────────

/**
 * JSON frames of the WebSocket bridge. The client sends `invoke` and `subscribe`; the
 * server answers each invoke with one `result` and pushes `event` frames for subscribed
 * names. The socket URL carries the access token (`/api?token=…`).
 */
export type BridgeClientMessage =
  /** `actor` is honoured only on the owner-only control channel (the CLI, `zk-lab serve`); the WebSocket bridge records `web`. */
  | { t: 'invoke'; id: number; name: CommandName; arg: unknown; actor?: Actor }
  | { t: 'subscribe'; events: EventName[] }
  | { t: 'unsubscribe'; events: EventName[] };

export type BridgeServerMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: LabError }
  | { t: 'event'; name: EventName; payload: unknown }
  | { t: 'hello'; lab: LabInfo | null; protocol: 1 };
