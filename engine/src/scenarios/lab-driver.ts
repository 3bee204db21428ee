/**
 * A scenario's view of its lab: the LabApi (every command recorded with actor `scenario`),
 * the latest status, the event stream since the run began, and a "something changed"
 * signal that wakes condition waits. Member selectors (`leader`, `follower:2`) are
 * resolved here against the latest status.
 */
import type { CommandName, CommandRequest, CommandResponse, EventName, EventPayload, LabEvent, LabStatus, MemberId, MemberStatus } from '../lab/api.js';
import { MEMBER_SELECTOR } from './schema.js';

/** The LabApi as the scenario engine uses it (the actor is fixed by whoever builds it). */
export interface ScenarioLabApi {
  invoke<K extends CommandName>(name: K, arg: CommandRequest<K>): Promise<CommandResponse<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

const MAX_EVENTS = 100_000;

export class LabDriver {
  private latest: LabStatus | null = null;
  private readonly buffer: LabEvent[] = [];
  private readonly changeListeners = new Set<() => void>();
  private readonly eventListeners = new Set<(e: LabEvent) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  /** Set when the lab went away under the run. */
  closedReason: string | null = null;

  constructor(readonly api: ScenarioLabApi) {
    this.unsubscribe.push(
      api.on('lab.status', (s) => {
        this.latest = s;
        this.changed();
      }),
      api.on('lab.event', (e) => {
        this.buffer.push(e);
        if (this.buffer.length > MAX_EVENTS) this.buffer.splice(0, this.buffer.length - MAX_EVENTS);
        for (const l of [...this.eventListeners]) l(e);
        this.changed();
      }),
      api.on('lab.closed', (c) => {
        this.closedReason = c.reason;
        this.changed();
      }),
    );
  }

  invoke<K extends CommandName>(name: K, arg: CommandRequest<K>): Promise<CommandResponse<K>> {
    return this.api.invoke(name, arg);
  }

  /** The latest status (fetches one when none arrived yet). */
  async status(): Promise<LabStatus> {
    if (!this.latest) this.latest = await this.api.invoke('lab.status', {});
    return this.latest;
  }

  /** A fresh status from the lab. */
  async refresh(): Promise<LabStatus> {
    this.latest = await this.api.invoke('lab.status', {});
    return this.latest;
  }

  /** Forgets the cached status (after switching labs). */
  reset(): void {
    this.latest = null;
    this.buffer.length = 0;
    this.closedReason = null;
  }

  /** Events seen since the run attached (or since `afterSeq`). */
  events(afterSeq = 0): LabEvent[] {
    if (afterSeq <= 0) return [...this.buffer];
    const i = this.buffer.findIndex((e) => e.seq > afterSeq);
    return i < 0 ? [] : this.buffer.slice(i);
  }

  get lastSeq(): number {
    return this.buffer.at(-1)?.seq ?? this.latest?.seq ?? 0;
  }

  onEvent(listener: (e: LabEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called whenever status, events or clients change. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  changed(): void {
    for (const l of [...this.changeListeners]) l();
  }

  /** `127.0.0.1:<proxy port>` of one member, or the whole connect string. */
  async connectStringFor(member: MemberId | null): Promise<string> {
    const s = await this.status();
    if (member === null) return s.lab.connectString;
    const m = s.members.find((x) => x.id === member);
    if (!m) throw new SelectorError(`there is no member ${member} (members are ${s.members.map((x) => x.id).join(', ')})`);
    return `127.0.0.1:${m.proxyClientPort}`;
  }

  /** Resolves a member selector against the latest status. */
  async member(selector: number | string): Promise<MemberId> {
    return resolveMember(await this.status(), selector);
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
    this.changeListeners.clear();
    this.eventListeners.clear();
  }
}

/** Pure: `3`, `leader`, `follower`, `follower:2`, `any` → a member id. */
export function resolveMember(status: Pick<LabStatus, 'members' | 'leader'>, selector: number | string): MemberId {
  const ids = status.members.map((m) => m.id);
  if (typeof selector === 'number') {
    if (!ids.includes(selector)) throw new SelectorError(`there is no member ${selector} (members are ${ids.join(', ')})`);
    return selector;
  }
  if (!MEMBER_SELECTOR.test(selector)) throw new SelectorError(`"${selector}" is not a member (use an id, leader, follower or follower:N)`);
  if (selector === 'leader') {
    if (status.leader === null) throw new SelectorError('there is no leader right now');
    return status.leader;
  }
  if (selector === 'any') {
    const up = status.members.find((m) => m.state === 'running');
    if (!up) throw new SelectorError('no member is running');
    return up.id;
  }
  const followers = status.members.filter((m: MemberStatus) => m.role === 'follower').map((m) => m.id).sort((a, b) => a - b);
  const n = selector.startsWith('follower:') ? Number(selector.slice('follower:'.length)) : 1;
  const id = followers[n - 1];
  if (id === undefined) throw new SelectorError(followers.length === 0 ? 'there is no follower right now' : `there is no follower number ${n} (followers are ${followers.join(', ')})`);
  return id;
}
