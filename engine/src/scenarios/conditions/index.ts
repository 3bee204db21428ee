/**
 * What a step can wait for: a leader, a writable (or unwritable) quorum, a member's role,
 * a member lagging behind, a watch firing for a client, a znode appearing or vanishing
 * (on one member or everywhere), a session state, a protocol event in the stream, a
 * monitor noticing a change, a lock changing hands, the safety view changing, or time.
 * Each one is re-tested whenever the lab, a client or a helper reports a change.
 */
import type { MemberId } from '../../lab/api.js';
import { defineCondition, type AnyConditionDef, type ConditionResult } from '../context.js';
import { LockDemo } from '../helpers/lock-demo.js';
import { readerFor, whereText } from '../helpers/inspector.js';
import { readNode } from '../helpers/read-node.js';
import { ReplicaKeeper } from '../helpers/replica-keeper.js';
import { ServiceMonitor } from '../helpers/service-monitor.js';
import { any, bool, int, matcher, member, oneOf, opt, path, str, type Matcher, type Field } from '../schema.js';
import { join, same, t, type LocalizedText } from '../text.js';
import { display, matches } from '../values.js';
import { frontier, memberOf, protocolEvents, txnsBehind, zxidOf } from './status-helpers.js';

const clientName = () => str({ what: 'a client name', templates: false });
const ROLES = ['leader', 'follower', 'observer', 'looking', 'standalone', 'read-only', 'down'] as const;

/** `{ "field": matcher, … }` */
function fieldMatchers(): Field<Record<string, Matcher> | undefined> {
  const m = matcher();
  return {
    expects: 'fields to match, e.g. {"mode": "DIFF"}',
    optional: true,
    check(value, pointer, issues, loose) {
      if (value === undefined) return;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void issues.push({ pointer, message: 'must be an object of field → value' });
      for (const [k, v] of Object.entries(value)) m.check(v, `${pointer}/${k}`, issues, loose);
    },
  };
}

const leader = defineCondition({
  name: 'leader',
  params: { not: opt(any()), member: opt(member()) },
  describe: (p) => (p.not !== undefined && p.not !== null ? t('cond.leader.new', { old: display(p.not) }) : p.member !== undefined ? t('cond.leader.is', { member: p.member }) : t('cond.leader')),
  async test(ctx, p) {
    const s = await ctx.lab.status();
    const want = p.member === undefined ? null : typeof p.member === 'number' ? p.member : null;
    const lead = s.leader === null ? null : memberOf(s, s.leader);
    // A report from before the member's current process started says nothing about now.
    const fresh = lead !== null && lead.reportedAt !== null && (lead.startedAt === null || lead.reportedAt >= lead.startedAt);
    // Elected is not yet leading: the new epoch is fixed and its followers synced only once it broadcasts (zab.md §3.2).
    const broadcasting = lead !== null && (lead.phase === 'broadcast' || lead.phase === 'none');
    const ok = fresh && broadcasting && s.quorum.canWrite && (p.not === undefined || p.not === null || s.leader !== Number(p.not)) && (want === null || s.leader === want);
    return { ok, detail: t('detail.leader', { leader: s.leader ?? '—', epoch: lead?.epoch ?? '—' }), value: { leader: s.leader, epoch: lead?.epoch ?? null, zxid: zxidOf(lead?.zxid ?? null) } };
  },
});

const quorum = defineCondition({
  name: 'quorum',
  params: { canWrite: bool() },
  describe: (p) => t(p.canWrite ? 'cond.quorum.yes' : 'cond.quorum.no'),
  async test(ctx, p) {
    const s = await ctx.lab.status();
    return { ok: s.quorum.canWrite === p.canWrite, detail: same(s.quorum.explanation.join(' ')) };
  },
});

const memberCond = defineCondition({
  name: 'member',
  params: { member: member(), role: opt(oneOf(ROLES)), state: opt(str()), serving: opt(bool()) },
  describe: (p) => t('cond.member', { member: p.member, what: [p.role, p.state, p.serving === undefined ? null : p.serving ? 'serving' : 'not serving'].filter(Boolean).join(', ') }),
  async test(ctx, p) {
    const s = await ctx.lab.status();
    const m = memberOf(s, await ctx.member(p.member));
    const ok = (p.role === undefined || m.role === p.role) && (p.state === undefined || m.state === p.state) && (p.serving === undefined || m.serving === p.serving);
    return { ok, detail: t('detail.member', { member: m.id, role: m.role, state: m.state, zxid: m.committedZxid ?? '—' }) };
  },
});

const behind = defineCondition({
  name: 'member-behind',
  params: { member: member(), by: int(1) },
  describe: (p) => t('cond.behind', { member: p.member, by: p.by }),
  async test(ctx, p) {
    const s = await ctx.lab.status();
    const m = memberOf(s, await ctx.member(p.member));
    const mine = zxidOf(m.committedZxid) ?? -1n;
    const lag = txnsBehind(frontier(s), mine);
    return { ok: lag >= p.by, detail: t('detail.behind', { member: m.id, lag }), value: { lag } };
  },
});

const caughtUp = defineCondition({
  name: 'caught-up',
  params: { member: opt(member()) },
  describe: (p) => (p.member === undefined ? t('cond.caughtUp.all') : t('cond.caughtUp', { member: p.member })),
  async test(ctx, p) {
    const s = await ctx.lab.status();
    const top = frontier(s);
    const ids: MemberId[] = p.member === undefined ? s.members.map((m) => m.id) : [await ctx.member(p.member)];
    const lagging = ids.filter((id) => {
      const m = memberOf(s, id);
      return m.state !== 'running' || (zxidOf(m.committedZxid) ?? -1n) < top;
    });
    return { ok: lagging.length === 0, detail: lagging.length === 0 ? t('detail.caughtUp') : t('detail.lagging', { members: lagging.join(', ') }) };
  },
});

const watchFired = defineCondition({
  name: 'watch-fired',
  params: { client: clientName(), path: opt(path()), type: opt(str()), count: opt(int(1)) },
  describe: (p) => t('cond.watchFired', { client: p.client, type: p.type ?? 'any', path: p.path ?? '*' }),
  test(ctx, p) {
    const c = ctx.client(p.client);
    const hits = c.events.filter((e) => e.type !== 'None' && (p.path === undefined || e.path === p.path) && (p.type === undefined || e.type === p.type));
    return { ok: hits.length >= (p.count ?? 1), detail: t('detail.events', { n: hits.length }), value: { count: hits.length, last: hits.at(-1) ?? null } };
  },
});

const node = defineCondition({
  name: 'node',
  params: { path: path(), exists: opt(bool()), data: opt(matcher()), stat: fieldMatchers(), member: opt(any()), client: opt(clientName()) },
  describe: (p) =>
    t(p.exists === false ? 'cond.node.gone' : p.data !== undefined || p.stat !== undefined ? 'cond.node.matches' : 'cond.node.exists', {
      path: p.path,
      where: whereText(p.member, p.client),
      what: [p.data !== undefined ? `data ${display(p.data)}` : null, ...Object.entries(p.stat ?? {}).map(([k, v]) => `${k} ${display(v)}`)].filter(Boolean).join(', '),
    }),
  async test(ctx, p): Promise<ConditionResult> {
    const s = await ctx.lab.status();
    const targets: (number | string | null)[] = p.member === 'all' ? s.members.filter((m) => m.state === 'running').map((m) => m.id) : [p.member === undefined ? null : (p.member as number | string)];
    const wrong: LocalizedText[] = [];
    const wantExists = p.exists ?? true;
    for (const target of targets) {
      const r = await readerFor(ctx, { client: p.client, member: target });
      const n = await readNode(r.zk, p.path);
      const fits =
        n.exists === wantExists &&
        (!n.exists || p.data === undefined || matches(n.data, p.data).ok) &&
        (!n.exists || Object.entries(p.stat ?? {}).every(([k, m]) => matches((n.stat as unknown as Record<string, unknown>)[k], m).ok));
      if (!fits) wrong.push(r.label);
    }
    return { ok: wrong.length === 0, detail: wrong.length === 0 ? t('detail.ok') : t(wantExists ? 'detail.node.missingOn' : 'detail.node.stillOn', { where: join(wrong, ', ') }) };
  },
});

const session = defineCondition({
  name: 'session',
  params: { client: clientName(), state: oneOf(['connected', 'connected-read-only', 'disconnected', 'expired', 'closed', 'connecting'] as const) },
  describe: (p) => t('cond.session', { client: p.client, state: p.state }),
  test(ctx, p) {
    const c = ctx.client(p.client);
    return { ok: c.state === p.state, detail: t('detail.session', { client: c.name, state: c.state }) };
  },
});

const event = defineCondition({
  name: 'event',
  params: { kind: str({ pattern: /^[a-z-]+$/, what: 'a protocol event kind' }), member: opt(member()), match: fieldMatchers(), since: opt(oneOf(['step', 'run'] as const)), count: opt(int(1)) },
  describe: (p) => t('cond.event', { kind: p.kind, where: whereText(p.member) }),
  async test(ctx, p) {
    const memberId = p.member === undefined ? null : await ctx.member(p.member).catch(() => null);
    const from = p.since === 'run' ? ctx.runStartSeq : ctx.stepStartSeq;
    const hits = protocolEvents(ctx.lab.events(from)).filter(
      (e) =>
        e.event.kind === p.kind &&
        (memberId === null || e.member === memberId) &&
        Object.entries(p.match ?? {}).every(([k, m]) => matches((e.event as unknown as Record<string, unknown>)[k], m).ok),
    );
    const hit = hits[(p.count ?? 1) - 1];
    return { ok: hit !== undefined, detail: t('detail.events', { n: hits.length }), value: hit ? { ...hit.event, member: hit.member, seq: hit.seq, at: hit.at } : null };
  },
});

const monitor = defineCondition({
  name: 'monitor',
  params: { name: str({ templates: false }), item: str(), event: oneOf(['up', 'down'] as const) },
  describe: (p) => t(p.event === 'down' ? 'cond.monitor.down' : 'cond.monitor.up', { monitor: p.name, item: p.item }),
  test(ctx, p) {
    const m = ctx.helper(p.name, ServiceMonitor);
    const hit = m.find(p.item, p.event, ctx.stepStartTime);
    return { ok: hit !== undefined, detail: t('detail.monitor', { members: [...m.current].sort().join(', ') || '—' }), value: hit ?? null };
  },
});

const replica = defineCondition({
  name: 'replica-state',
  params: { name: str({ templates: false }), primary: opt(any()) },
  describe: (p) => t('cond.replica', { keeper: p.name, primary: display(p.primary ?? null) }),
  test(ctx, p) {
    const k = ctx.helper(p.name, ReplicaKeeper);
    const primary = k.state?.primary ?? null;
    return { ok: (p.primary ?? null) === primary, detail: t('detail.replica', { state: JSON.stringify(k.state) }) };
  },
});

const lockHolder = defineCondition({
  name: 'lock-holder',
  params: { name: str({ templates: false }), holder: any() },
  describe: (p) => t('cond.lockHolder', { demo: p.name, holder: display(p.holder) }),
  test(ctx, p) {
    const d = ctx.helper(p.name, LockDemo);
    return { ok: d.holder === p.holder && d.settled, detail: t('detail.lockHolder', { holder: d.holder ?? '—' }) };
  },
});

const safety = defineCondition({
  name: 'safety',
  params: { holds: bool() },
  describe: (p) => t(p.holds ? 'cond.safety.holds' : 'cond.safety.violated'),
  test(ctx, p) {
    return { ok: ctx.safety.holds === p.holds };
  },
});

const elapsed = defineCondition({
  name: 'elapsed',
  params: { ms: int(0, 600_000) },
  describe: (p) => t('cond.elapsed', { ms: p.ms }),
  test(ctx, p) {
    return { ok: ctx.now() - ctx.stepStartTime >= p.ms };
  },
});

export const CONDITIONS: AnyConditionDef[] = [leader, quorum, memberCond, behind, caughtUp, watchFired, node, session, event, monitor, replica, lockHolder, safety, elapsed];
