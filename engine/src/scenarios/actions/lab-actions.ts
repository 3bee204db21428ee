/**
 * Steps that act on the lab itself: member processes (kill = SIGKILL, pause = SIGSTOP…),
 * links (partition, isolate, slow down, heal), remembering who leads, and plain waiting.
 * They go through the LabApi like any other client, so the event stream shows
 * "scenario: killed member 2" exactly as it shows the learner's own clicks.
 */
import type { LabStatus, LinkEnd, LinkSettings, MemberId, PartitionPreset } from '../../lab/api.js';
import { defineAction, type AnyActionDef, type RunContext } from '../context.js';
import { anyObject, arrayOf, bool, int, linkEnd, member, oneOf, opt, str } from '../schema.js';
import { same, t } from '../text.js';
import { protocolEvents, zxidOf } from '../conditions/status-helpers.js';
import { describeEvent } from '../../quorum/protocol-events.js';

const MEMBER_ACTIONS = ['kill', 'pause', 'resume', 'restart', 'start', 'stop', 'wipe'] as const;

function memberAction(action: (typeof MEMBER_ACTIONS)[number]): AnyActionDef {
  return defineAction({
    name: `member.${action}`,
    params: { member: member() },
    describe: (p) => t(`action.member.${action}`, { member: p.member }),
    async run(ctx, p) {
      const id = await ctx.member(p.member);
      const r = await ctx.lab.invoke(`member.${action}`, { member: id });
      await ctx.lab.refresh();
      return { value: { member: id }, result: t('result.member', { member: id, pid: r.member.pid ?? '-' }) };
    },
  });
}

const partitionMode = () => opt(oneOf(['blackhole', 'reject'] as const));

const partition = defineAction({
  name: 'links.partition',
  params: { groups: arrayOf(arrayOf(member(), { min: 1 }), { min: 2 }), mode: partitionMode() },
  describe: (p) => t('action.links.partition', { groups: p.groups.map((g) => g.join(',')).join(' | ') }),
  async run(ctx, p) {
    const groups: { name: string; members: MemberId[] }[] = [];
    for (const [i, g] of p.groups.entries()) groups.push({ name: `g${i + 1}`, members: await Promise.all(g.map((m) => ctx.member(m))) });
    const r = await ctx.lab.invoke('links.preset', { preset: { kind: 'groups', groups, mode: p.mode } });
    return { value: { groups: groups.map((g) => g.members) }, result: { en: r.message, ko: r.message } };
  },
});

const isolate = defineAction({
  name: 'links.isolate',
  params: { member: member(), mode: partitionMode() },
  describe: (p) => t('action.links.isolate', { member: p.member }),
  async run(ctx, p) {
    const id = await ctx.member(p.member);
    await ctx.lab.invoke('links.preset', { preset: { kind: 'isolate', member: id, mode: p.mode } });
    return { value: { member: id } };
  },
});

/** Any of the lab's partition presets as the LabApi takes it (recorded scenarios use this). */
const preset = defineAction({
  name: 'links.preset',
  params: { preset: anyObject('a partition preset ({"kind": "isolate-leader"}, …)') },
  describe: (p) => t('action.links.preset', { kind: String(p.preset.kind ?? '?') }),
  async run(ctx, p) {
    const r = await ctx.lab.invoke('links.preset', { preset: p.preset as unknown as PartitionPreset });
    return { result: { en: r.message, ko: r.message } };
  },
});

const heal = defineAction({
  name: 'links.heal',
  params: {},
  describe: () => t('action.links.heal'),
  async run(ctx) {
    await ctx.lab.invoke('links.heal', {});
  },
});

async function end(ctx: RunContext, v: number | string): Promise<LinkEnd> {
  return v === 'client' ? 'client' : ctx.member(v);
}

const setLink = defineAction({
  name: 'links.set',
  params: {
    from: linkEnd(),
    to: linkEnd(),
    bothWays: opt(bool()),
    mode: opt(oneOf(['pass', 'blackhole', 'reject'] as const)),
    delayMs: opt(int(0, 60_000)),
    jitterMs: opt(int(0, 60_000)),
    lossPercent: opt(int(0, 100)),
  },
  describe: (p) =>
    t('action.links.set', {
      from: p.from,
      to: p.to,
      arrow: p.bothWays ? '↔' : '→',
      settings: [p.mode, p.delayMs !== undefined ? `${p.delayMs} ms` : null, p.lossPercent !== undefined ? `${p.lossPercent}%` : null].filter(Boolean).join(', '),
    }),
  async run(ctx, p) {
    const settings: Partial<LinkSettings> = {};
    if (p.mode !== undefined) settings.mode = p.mode;
    if (p.delayMs !== undefined) settings.delayMs = p.delayMs;
    if (p.jitterMs !== undefined) settings.jitterMs = p.jitterMs;
    if (p.lossPercent !== undefined) settings.lossPercent = p.lossPercent;
    await ctx.lab.invoke('links.set', { from: await end(ctx, p.from), to: await end(ctx, p.to), settings, bothWays: p.bothWays ?? false });
  },
});

/** Saves who leads now, in which epoch, and every member's zxid: later steps compare against it. */
const observe = defineAction({
  name: 'lab.observe',
  params: {},
  describe: () => t('action.lab.observe'),
  async run(ctx) {
    // Members report every 500 ms: wait (briefly) for reports newer than this step, so the
    // epochs and zxids noted are the ones of now.
    // A member that just (re)joined may still be finishing its sync: give every running voter
    // up to 5 s to settle into a role, so "followers" lists them all.
    const since = ctx.now();
    const unsettled = (x: LabStatus) =>
      x.members.some((m) => m.state === 'running' && ((m.reportedAt ?? 0) < since || (x.leader !== null && m.kind === 'participant' && m.role === 'looking')));
    let s = await ctx.lab.refresh();
    for (let i = 0; i < 100 && unsettled(s); i++) {
      await ctx.sleep(50);
      s = await ctx.lab.refresh();
    }
    const leader = s.members.find((m) => m.id === s.leader) ?? null;
    const members: Record<string, { role: string; epoch: number | null; zxid: bigint | null; committedZxid: bigint | null }> = {};
    for (const m of s.members) members[m.id] = { role: m.role, epoch: m.epoch, zxid: zxidOf(m.zxid), committedZxid: zxidOf(m.committedZxid) };
    const value = {
      leader: s.leader,
      epoch: leader?.epoch ?? null,
      zxid: zxidOf(leader?.zxid ?? null),
      committedZxid: zxidOf(leader?.committedZxid ?? null),
      canWrite: s.quorum.canWrite,
      members,
      followers: s.members.filter((m) => m.role === 'follower').map((m) => m.id),
    };
    return { value, result: t('result.lab.observe', { leader: s.leader ?? '-', epoch: leader?.epoch ?? '-' }) };
  },
});

const wait = defineAction({
  name: 'wait',
  params: { ms: int(0, 600_000) },
  describe: (p) => t('action.wait', { ms: p.ms }),
  async run(ctx, p) {
    await ctx.sleep(p.ms);
  },
});


/** Copies protocol events of the given kinds into the step log ("follow the votes"). */
const events = defineAction({
  name: 'lab.events',
  params: { kinds: arrayOf(str({ pattern: /^[a-z-]+$/, what: 'a protocol event kind', templates: false }), { min: 1 }), member: opt(member()), since: opt(oneOf(['step', 'run'] as const)), limit: opt(int(1, 200)) },
  describe: (p) => t('action.lab.events', { kinds: p.kinds.join(', ') }),
  async run(ctx, p) {
    const memberId = p.member === undefined ? null : await ctx.member(p.member);
    const hits = protocolEvents(ctx.lab.events(p.since === 'run' ? ctx.runStartSeq : ctx.stepStartSeq)).filter((e) => p.kinds.includes(e.event.kind) && (memberId === null || e.member === memberId));
    const limit = p.limit ?? 20;
    const lines = hits.slice(0, limit).map((e) => `#${e.seq} member ${e.member}: ${describeEvent(e.event)}`);
    if (hits.length > limit) lines.push(`… ${hits.length - limit} more`);
    return { value: { count: hits.length }, result: same(lines.length === 0 ? '—' : `\n${lines.join('\n')}`) };
  },
});

export const LAB_ACTIONS: AnyActionDef[] = [...MEMBER_ACTIONS.map(memberAction), partition, isolate, preset, heal, setLink, observe, events, wait];
