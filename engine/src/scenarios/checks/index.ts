/**
 * What a step can check, each with a pass/fail and what was expected against what was
 * seen (the scenario file adds why it happened). Reads go through a named client or an
 * inspector session on a chosen member — or on every member, the way to show that all of
 * them agree (or, for a while, do not).
 */
import type { MemberId } from '../../lab/api.js';
import { STAT_FIELDS } from '../actions/zk-ops.js';
import { defineCheck, type AnyCheckDef, type CheckOutcome, type RunContext } from '../context.js';
import { LockDemo } from '../helpers/lock-demo.js';
import { readerFor, whereText } from '../helpers/inspector.js';
import { readNode, type NodeReading } from '../helpers/read-node.js';
import { ServiceMonitor } from '../helpers/service-monitor.js';
import { INVARIANTS } from '../safety/safety-monitor.js';
import { any, bool, int, matcher, member, oneOf, opt, path, str, text, type Field, type Matcher } from '../schema.js';
import { join, same, t } from '../text.js';
import type { LocalizedText } from '../text.js';
import { display, matches } from '../values.js';
import { frontier, memberOf, protocolEvents, txnsBehind, zxidOf } from '../conditions/status-helpers.js';

const clientName = () => str({ what: 'a client name', templates: false });

function fieldMatchers(known?: readonly string[]): Field<Record<string, Matcher> | undefined> {
  const m = matcher();
  return {
    expects: 'fields to match',
    optional: true,
    check(value, pointer, issues, loose) {
      if (value === undefined) return;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void issues.push({ pointer, message: 'must be an object of field → value' });
      for (const [k, v] of Object.entries(value)) {
        if (known && !known.includes(k)) issues.push({ pointer: `${pointer}/${k}`, message: `unknown field "${k}" (known: ${known.join(', ')})` });
        else m.check(v, `${pointer}/${k}`, issues, loose);
      }
    },
  };
}

/** Collects what was seen, and mismatches as "field: expected X, saw Y" (field names are ZooKeeper's, untranslated). */
class Expectations {
  readonly misses: LocalizedText[] = [];
  readonly seen: string[] = [];
  expect(label: string, actual: unknown, m: Matcher | undefined): void {
    if (m === undefined) return;
    const r = matches(actual, m);
    this.seen.push(`${label} = ${display(actual)}`);
    if (!r.ok) this.misses.push(t('detail.expect.mismatch', { label, expected: r.expected, actual: display(actual) }));
  }
  miss(text: LocalizedText): void {
    this.misses.push(text);
  }
  outcome(where?: LocalizedText): CheckOutcome {
    const body = this.misses.length === 0 ? same(this.seen.join('; ')) : join(this.misses, '; ');
    return { ok: this.misses.length === 0, detail: where ? join([where, body], ': ') : body };
  }
}

function nodeExpectations(n: NodeReading, p: { exists?: boolean; data?: Matcher; stat?: Record<string, Matcher>; children?: Matcher; ephemeral?: boolean; json?: Record<string, Matcher> }): Expectations {
  const e = new Expectations();
  e.expect('exists', n.exists, p.exists ?? (p.data !== undefined || p.stat !== undefined || p.children !== undefined || p.ephemeral !== undefined || p.json !== undefined ? true : undefined));
  if (!n.exists) return e;
  e.expect('data', n.data, p.data);
  for (const [k, m] of Object.entries(p.stat ?? {})) e.expect(k, n.stat![k as keyof typeof n.stat & string], m);
  e.expect('children', n.children, p.children);
  if (p.ephemeral !== undefined) e.expect('ephemeral', n.stat!.ephemeralOwner !== 0n, p.ephemeral);
  if (p.json) {
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = JSON.parse(n.data ?? '') as Record<string, unknown>;
    } catch {
      e.miss(t('detail.notJson'));
    }
    if (parsed) for (const [k, m] of Object.entries(p.json)) e.expect(k, parsed[k] ?? null, m);
  }
  return e;
}

async function targets(ctx: RunContext, sel: unknown): Promise<(MemberId | null)[]> {
  if (sel === undefined || sel === null) return [null];
  const s = await ctx.lab.status();
  if (sel === 'all') return s.members.filter((m) => m.state === 'running').map((m) => m.id);
  return [await ctx.member(sel as number | string)];
}

const nodeCheck = defineCheck({
  name: 'node',
  params: {
    path: path(),
    client: opt(clientName()),
    member: opt(any()),
    sync: opt(bool()),
    exists: opt(bool()),
    data: opt(matcher()),
    stat: fieldMatchers(STAT_FIELDS),
    children: opt(matcher()),
    ephemeral: opt(bool()),
    json: fieldMatchers(),
  },
  describe: (p) => t('check.node', { path: p.path, where: whereText(p.member, p.client) }),
  async evaluate(ctx, p) {
    const outcomes: CheckOutcome[] = [];
    for (const target of p.client ? [null] : await targets(ctx, p.member)) {
      const r = await readerFor(ctx, { client: p.client, member: target });
      const n = await readNode(r.zk, p.path, p.sync ?? false);
      outcomes.push(nodeExpectations(n, p).outcome(r.label));
    }
    return { ok: outcomes.every((o) => o.ok), detail: join(outcomes.map((o) => o.detail), ' | ') };
  },
});

const eventsCheck = defineCheck({
  name: 'events',
  params: { client: clientName(), path: opt(path()), type: opt(str()), via: opt(str()), count: matcher() },
  describe: (p) => t('check.events', { client: p.client, type: p.type ?? 'any', path: p.path ?? '*' }),
  evaluate(ctx, p) {
    const c = ctx.client(p.client);
    const hits = c.events.filter((e) => e.type !== 'None' && (p.path === undefined || e.path === p.path) && (p.type === undefined || e.type === p.type) && (p.via === undefined || e.via === p.via));
    const r = matches(hits.length, p.count);
    const list = hits.map((e) => `${e.type} ${e.path ?? ''} (${e.via})`).join(', ') || '—';
    return { ok: r.ok, detail: t('detail.eventCount', { n: hits.length, expected: r.expected, list }) };
  },
});

const compare = defineCheck({
  name: 'compare',
  params: { value: any(), is: matcher(), label: opt(text()) },
  describe: (p) => p.label ?? same(display(p.value)),
  evaluate(_ctx, p) {
    const r = matches(p.value, p.is);
    return { ok: r.ok, detail: t('detail.compare', { label: p.label ?? same(display(p.value)), actual: display(p.value), expected: r.expected }) };
  },
});

const memberCheck = defineCheck({
  name: 'member',
  params: { member: member(), role: opt(matcher()), state: opt(matcher()), epoch: opt(matcher()), zxid: opt(matcher()), serving: opt(bool()) },
  describe: (p) => t('check.member', { member: p.member }),
  async evaluate(ctx, p) {
    const s = await ctx.lab.refresh();
    const m = memberOf(s, await ctx.member(p.member));
    const e = new Expectations();
    e.expect('role', m.role, p.role);
    e.expect('state', m.state, p.state);
    e.expect('epoch', m.epoch, p.epoch);
    e.expect('zxid', zxidOf(m.committedZxid), p.zxid);
    e.expect('serving', m.serving, p.serving);
    return e.outcome(t('where.member', { member: m.id }));
  },
});

const quorumCheck = defineCheck({
  name: 'quorum',
  params: { canWrite: opt(bool()), leader: opt(matcher()), reachable: opt(matcher()), size: opt(matcher()), voters: opt(matcher()) },
  describe: () => t('check.quorum'),
  async evaluate(ctx, p) {
    const s = await ctx.lab.refresh();
    const e = new Expectations();
    e.expect('canWrite', s.quorum.canWrite, p.canWrite);
    e.expect('leader', s.leader, p.leader);
    e.expect('reachable', s.quorum.reachable, p.reachable);
    e.expect('size', s.quorum.size, p.size);
    e.expect('voters', s.quorum.voters, p.voters);
    const o = e.outcome();
    return { ok: o.ok, detail: join([o.detail, same(`(${s.quorum.explanation.join(' ')})`)]) };
  },
});

const sessionCheck = defineCheck({
  name: 'session',
  params: { client: clientName(), state: opt(matcher()), timeoutMs: opt(matcher()) },
  describe: (p) => t('check.session', { client: p.client }),
  evaluate(ctx, p) {
    const c = ctx.client(p.client);
    const e = new Expectations();
    e.expect('state', c.state, p.state);
    e.expect('timeout', c.zk.negotiatedTimeout, p.timeoutMs);
    return e.outcome(t('where.client', { client: c.name }));
  },
});

const monitorCheck = defineCheck({
  name: 'monitor',
  params: { name: str({ templates: false }), item: str(), event: oneOf(['up', 'down'] as const), since: opt(any()), withinMs: opt(int(0)) },
  describe: (p) => t(p.event === 'down' ? 'check.monitor.down' : 'check.monitor.up', { monitor: p.name, item: p.item }),
  evaluate(ctx, p) {
    const m = ctx.helper(p.name, ServiceMonitor);
    const since = typeof p.since === 'number' ? p.since : 0;
    const hit = m.find(p.item, p.event, since);
    if (!hit) return { ok: false, detail: t('detail.monitor.never', { item: p.item, event: p.event, members: [...m.current].sort().join(', ') || '—' }) };
    const after = hit.at - since;
    const ok = p.withinMs === undefined || since === 0 || after <= p.withinMs;
    return { ok, detail: t('detail.monitor.seen', { item: p.item, event: p.event, ms: since === 0 ? '?' : after, limit: p.withinMs ?? '—' }) };
  },
});

const lockCheck = defineCheck({
  name: 'lock',
  params: { name: str({ templates: false }), holder: opt(matcher()), wakeups: opt(matcher()) },
  describe: (p) => t('check.lock', { demo: p.name }),
  evaluate(ctx, p) {
    const d = ctx.helper(p.name, LockDemo);
    const e = new Expectations();
    e.expect('holder', d.holder, p.holder);
    e.expect('wakeups', d.totalWakeups, p.wakeups);
    return e.outcome(same(p.name));
  },
});

const eventCheck = defineCheck({
  name: 'event',
  params: { kind: str({ pattern: /^[a-z-]+$/, what: 'a protocol event kind' }), member: opt(member()), match: fieldMatchers(), count: opt(matcher()), since: opt(oneOf(['step', 'run'] as const)) },
  describe: (p) => t('check.event', { kind: p.kind, where: whereText(p.member) }),
  async evaluate(ctx, p) {
    const memberId = p.member === undefined ? null : await ctx.member(p.member);
    const from = p.since === 'step' ? ctx.stepStartSeq : ctx.runStartSeq;
    const hits = protocolEvents(ctx.lab.events(from)).filter(
      (e) => e.event.kind === p.kind && (memberId === null || e.member === memberId) && Object.entries(p.match ?? {}).every(([k, m]) => matches((e.event as unknown as Record<string, unknown>)[k], m).ok),
    );
    const r = matches(hits.length, p.count ?? { ge: 1 });
    return { ok: r.ok, detail: t('detail.eventCount', { n: hits.length, expected: r.expected, list: hits.slice(0, 3).map((h) => `member ${h.member}`).join(', ') || '—' }) };
  },
});

const behindCheck = defineCheck({
  name: 'behind',
  params: { member: member(), by: matcher() },
  describe: (p) => t('check.behind', { member: p.member }),
  async evaluate(ctx, p) {
    const s = await ctx.lab.refresh();
    const m = memberOf(s, await ctx.member(p.member));
    const lag = txnsBehind(frontier(s), zxidOf(m.committedZxid) ?? -1n);
    const r = matches(lag, p.by);
    return { ok: r.ok, detail: t('detail.behind.check', { member: m.id, lag, expected: r.expected }) };
  },
});

/** Every write a scenario client was told succeeded is still there (read after a sync). */
const ackedWrites = defineCheck({
  name: 'acknowledged-writes',
  params: { member: opt(any()), expect: opt(oneOf(['intact', 'intact-unless-bug'] as const)) },
  describe: (p) => t(p.expect === 'intact-unless-bug' ? 'check.ackedWrites.challenge' : 'check.ackedWrites'),
  async evaluate(ctx, p) {
    const writes = ctx.safety.ackedWrites();
    const missing: string[] = [];
    for (const target of await targets(ctx, p.member)) {
      const r = await readerFor(ctx, { member: target });
      await r.zk.sync('/');
      const latest = new Map<string, (typeof writes)[number]>();
      for (const w of writes) latest.set(w.path, w);
      for (const w of latest.values()) {
        const n = await readNode(r.zk, w.path);
        const ok = n.exists && n.stat!.mzxid >= w.zxid;
        if (!ok) {
          const found = n.exists ? `${r.label.en} has ${w.path} at mzxid ${display(n.stat!.mzxid)} = ${JSON.stringify(n.data)}` : `${r.label.en} has no ${w.path}`;
          missing.push(found);
          ctx.safety.reportMissingWrite(w, found, ctx.now());
        }
      }
    }
    const text: LocalizedText = missing.length === 0 ? t('detail.ackedWrites.ok', { n: writes.length }) : t('detail.ackedWrites.lost', { n: missing.length, list: missing.slice(0, 5).join('; ') });
    // A challenge run with a bug switch on is there to show the loss: then a missing write is the expected outcome.
    const wantLoss = p.expect === 'intact-unless-bug' && ctx.bugSwitches.length > 0;
    return { ok: wantLoss ? missing.length > 0 : missing.length === 0, detail: text };
  },
});

/**
 * The safety view. `expect`: holds, violated, or — for challenges — `holds-unless-bug`:
 * holds when the run has no bug switch on, and shows a violation of `invariant` when it has;
 * `holds-without-bug`: required to hold only when no bug switch is on (a challenge's
 * baseline: a broken quorum rule may split the ensemble as it starts, before the learner
 * does anything, and that is the switch working, not the run failing).
 */
const SAFETY_DESCRIPTION = {
  holds: 'check.safety.holds',
  violated: 'check.safety.violated',
  'holds-unless-bug': 'check.safety.challenge',
  'holds-without-bug': 'check.safety.baseline',
} as const;

const safetyCheck = defineCheck({
  name: 'safety',
  params: { expect: oneOf(['holds', 'violated', 'holds-unless-bug', 'holds-without-bug'] as const), invariant: opt(oneOf(INVARIANTS)) },
  describe: (p) => t(SAFETY_DESCRIPTION[p.expect]),
  evaluate(ctx, p) {
    const report = ctx.safety.report();
    const broken = report.invariants.filter((i) => !i.ok);
    const violatedWanted = p.invariant === undefined ? broken.length > 0 : broken.some((i) => i.id === p.invariant);
    const wantViolation = p.expect === 'violated' || (p.expect === 'holds-unless-bug' && ctx.bugSwitches.length > 0);
    const ok = wantViolation ? violatedWanted : report.holds || (p.expect === 'holds-without-bug' && ctx.bugSwitches.length > 0);
    const detail = report.holds
      ? t('detail.safety.holds', { n: report.eventsSeen })
      : join(broken.flatMap((i) => i.violations.slice(0, 2).map((v) => v.summary)), ' | ');
    return { ok, detail };
  },
});

export const CHECKS: AnyCheckDef[] = [nodeCheck, eventsCheck, compare, memberCheck, quorumCheck, sessionCheck, monitorCheck, lockCheck, eventCheck, behindCheck, ackedWrites, safetyCheck];
