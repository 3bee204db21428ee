/**
 * Partition presets (Jepsen's vocabulary, product-anchors.md §3.3 item 16) turned into the
 * set of ordered member pairs whose links are cut. Pure: the caller applies the result to
 * the link matrix. Every preset cuts both directions of a pair; one-way cuts are made
 * with `links.set` on a single direction.
 */
import type { MemberId, PartitionPreset } from './api.js';

export interface PresetContext {
  /** Every member id (voters and observers), ascending. */
  members: MemberId[];
  /** Voting members, ascending. */
  voters: MemberId[];
  leader: MemberId | null;
}

export interface PresetPlan {
  /** Ordered pairs [from, to] whose direction is cut. */
  cut: [MemberId, MemberId][];
  /** Who ends up together, for the event log and the UI legend. */
  groups: { name: string; members: MemberId[] }[];
  description: string;
}

export class PresetError extends Error {
  override name = 'PresetError';
}

/** Plans the cuts for a preset; throws PresetError (nothing applied) when it cannot. */
export function planPreset(preset: PartitionPreset, ctx: PresetContext): PresetPlan {
  switch (preset.kind) {
    case 'isolate':
      return isolate(preset.member, ctx);
    case 'isolate-leader':
      if (ctx.leader === null) throw new PresetError('there is no leader to isolate right now');
      return isolate(ctx.leader, ctx);
    case 'majority-minority':
      return majorityMinority(preset.leaderSide, ctx);
    case 'groups':
      return fromGroups(preset.groups, ctx, describeGroups(preset.groups));
    case 'bridge':
      return bridge(ctx);
    case 'ring':
      return ring(ctx);
  }
}

function requireMember(id: MemberId, ctx: PresetContext): void {
  if (!ctx.members.includes(id)) throw new PresetError(`there is no member ${id} (members are ${ctx.members.join(', ')})`);
}

function isolate(member: MemberId, ctx: PresetContext): PresetPlan {
  requireMember(member, ctx);
  const rest = ctx.members.filter((m) => m !== member);
  return fromGroups(
    [
      { name: 'isolated', members: [member] },
      { name: 'rest', members: rest },
    ],
    ctx,
    `isolated member ${member}`,
  );
}

/** The majority gets floor(v/2)+1 voters; the leader goes where asked; observers join the majority. */
function majorityMinority(leaderSide: 'majority' | 'minority', ctx: PresetContext): PresetPlan {
  if (ctx.voters.length < 2) throw new PresetError('a majority/minority split needs at least 2 voting members');
  const majoritySize = Math.floor(ctx.voters.length / 2) + 1;
  const leader = ctx.leader !== null && ctx.voters.includes(ctx.leader) ? ctx.leader : null;
  const others = ctx.voters.filter((v) => v !== leader);
  let majority: MemberId[];
  if (leader === null) majority = ctx.voters.slice(0, majoritySize);
  else if (leaderSide === 'majority') majority = [leader, ...others.slice(0, majoritySize - 1)];
  else majority = others.slice(others.length - majoritySize);
  const minority = ctx.voters.filter((v) => !majority.includes(v));
  const observers = ctx.members.filter((m) => !ctx.voters.includes(m));
  const groups = [
    { name: 'majority', members: sorted([...majority, ...observers]) },
    { name: 'minority', members: sorted(minority) },
  ];
  return fromGroups(groups, ctx, `split majority {${groups[0]!.members.join(',')}} from minority {${groups[1]!.members.join(',')}}`);
}

/** Two halves that only one member (the middle voter) can see both of. */
function bridge(ctx: PresetContext): PresetPlan {
  if (ctx.voters.length < 3) throw new PresetError('a bridge needs at least 3 voting members');
  const middle = Math.floor(ctx.voters.length / 2);
  const bridgeMember = ctx.voters[middle]!;
  const left = ctx.members.filter((m) => m !== bridgeMember && ctx.members.indexOf(m) < ctx.members.indexOf(bridgeMember));
  const right = ctx.members.filter((m) => m !== bridgeMember && !left.includes(m));
  const cut: [MemberId, MemberId][] = [];
  for (const a of left) for (const b of right) cut.push([a, b], [b, a]);
  return {
    cut: sortPairs(cut),
    groups: [
      { name: 'left', members: left },
      { name: 'bridge', members: [bridgeMember] },
      { name: 'right', members: right },
    ],
    description: `bridge: {${left.join(',')}} and {${right.join(',')}} meet only through member ${bridgeMember}`,
  };
}

/**
 * Majorities ring: members on a ring (id order) each see the ones within ceil(k/2) steps,
 * k = majority − 1, so every member sees a majority but no two see the same one.
 */
function ring(ctx: PresetContext): PresetPlan {
  const n = ctx.members.length;
  if (n < 4) throw new PresetError('a majorities ring needs at least 4 members (with 3 everyone still sees everyone)');
  const reach = Math.ceil((Math.floor(n / 2) + 1 - 1) / 2);
  const cut: [MemberId, MemberId][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const d = Math.min(Math.abs(i - j), n - Math.abs(i - j));
      if (d > reach) cut.push([ctx.members[i]!, ctx.members[j]!]);
    }
  }
  return {
    cut: sortPairs(cut),
    groups: ctx.members.map((m, i) => ({
      name: `sees-from-${m}`,
      members: sorted(ctx.members.filter((_, j) => Math.min(Math.abs(i - j), n - Math.abs(i - j)) <= reach)),
    })),
    description: `majorities ring: each member sees its ${reach} nearest neighbours on each side`,
  };
}

function fromGroups(groups: { name: string; members: MemberId[] }[], ctx: PresetContext, description: string): PresetPlan {
  const groupOf = new Map<MemberId, number>();
  groups.forEach((g, index) => {
    for (const m of g.members) {
      requireMember(m, ctx);
      if (groupOf.has(m)) throw new PresetError(`member ${m} is in more than one group`);
      groupOf.set(m, index);
    }
  });
  const cut: [MemberId, MemberId][] = [];
  for (const a of ctx.members) {
    for (const b of ctx.members) {
      if (a === b) continue;
      const ga = groupOf.get(a);
      if (ga === undefined || ga !== groupOf.get(b)) cut.push([a, b]);
    }
  }
  return { cut: sortPairs(cut), groups: groups.map((g) => ({ name: g.name, members: sorted(g.members) })), description };
}

function describeGroups(groups: { name: string; members: MemberId[] }[]): string {
  return 'partitioned ' + groups.map((g) => `${g.name}={${sorted(g.members).join(',')}}`).join(' | ');
}

/** Parses the CLI's `1,2|3,4,5` into groups (named a, b, c…). */
export function parseGroupsSpec(spec: string): { name: string; members: MemberId[] }[] {
  const parts = spec.split('|');
  if (parts.length < 2) throw new PresetError(`a partition needs at least two groups separated by '|', got ${JSON.stringify(spec)}`);
  return parts.map((part, i) => {
    const members = part.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
      if (!/^\d+$/.test(s)) throw new PresetError(`${JSON.stringify(s)} is not a member id in ${JSON.stringify(spec)}`);
      return Number(s);
    });
    if (members.length === 0) throw new PresetError(`group ${i + 1} of ${JSON.stringify(spec)} is empty`);
    return { name: String.fromCharCode(97 + i), members };
  });
}

function sorted(ids: MemberId[]): MemberId[] {
  return [...ids].sort((a, b) => a - b);
}
function sortPairs(pairs: [MemberId, MemberId][]): [MemberId, MemberId][] {
  return pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}
