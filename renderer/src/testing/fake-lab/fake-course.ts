/**
 * The demo lab's little course (./fake-scenarios.ts runs it): one lesson with a
 * "continue" step and a "show me" step (kill the leader, watch a new one, write again),
 * and one challenge (split brain) whose violation is staged when the instructor's
 * `smallQuorum` switch is on. Texts come in English and Korean like real scenario files;
 * invariant and bug-switch texts are the engine's own (engine/src/scenarios).
 */
import type { BugSwitchInfo, LocalizedText, MemberId, SafetyInvariantId, ScenarioHighlight, ScenarioKind, ScenarioView } from '../../../../engine/src/lab/api.js';
import { allBugSwitches } from '../../../../engine/src/scenarios/bug-switches.js';
import { t as engineText } from '../../../../engine/src/scenarios/text.js';
import type { RunContext } from './fake-scenarios.js';

export interface Condition {
  describe: LocalizedText;
  test(ctx: RunContext): boolean;
}

export interface CheckOutcome {
  ok: boolean;
  title: LocalizedText;
  detail: LocalizedText;
  explanation: LocalizedText;
}

/** Performs something in the lab and says what it did (the step's log line). */
export type Action = (ctx: RunContext) => LocalizedText;

export interface FakeStep {
  id: string;
  title: LocalizedText;
  say(ctx: RunContext): LocalizedText;
  highlight(ctx: RunContext): ScenarioHighlight;
  do?: Action[];
  learner?: { ask(ctx: RunContext): LocalizedText; where: ScenarioView; command?(ctx: RunContext): string; showMe?: Action[]; until?: Condition };
  waitFor?: Condition;
  then?: Action[];
  check?(ctx: RunContext): CheckOutcome[];
}

export interface FakeScenario {
  id: string;
  kind: ScenarioKind;
  order: number;
  title: LocalizedText;
  goal: LocalizedText;
  members: number;
  bugSwitch: FakeScenarioBug;
  paths: string[];
  steps: FakeStep[];
}
type FakeScenarioBug = BugSwitchInfo['name'] | null;

const text = (en: string, ko: string): LocalizedText => ({ en, ko });
const hl = (members: MemberId[], paths: string[], views: ScenarioView[]): ScenarioHighlight => ({ members, paths, views });
const num = (ctx: RunContext, key: string): number => Number(ctx.saved[key] ?? 0);

const INVARIANT_IDS: SafetyInvariantId[] = ['one-leader-per-epoch', 'committed-prefix', 'zxid-monotonic', 'read-your-writes'];
export const INVARIANTS = INVARIANT_IDS.map((id) => ({ id, title: engineText(`invariant.${id}.title`), description: engineText(`invariant.${id}.description`) }));
export const FAKE_BUG_SWITCHES: BugSwitchInfo[] = allBugSwitches();

function leaderOf(ctx: RunContext): { id: MemberId | null; epoch: number } {
  const s = ctx.host.status();
  const id = s?.leader ?? null;
  return { id, epoch: s?.members.find((m) => m.id === id)?.epoch ?? 0 };
}

const observe: Action = (ctx) => {
  const l = leaderOf(ctx);
  ctx.saved.leader = l.id;
  ctx.saved.epoch = l.epoch;
  return text(`observed: leader ${l.id ?? 'none'}, epoch ${l.epoch}`, `관찰: 리더 ${l.id ?? '없음'}, 에포크 ${l.epoch}`);
};

const killLeader: Action = (ctx) => {
  const id = num(ctx, 'leader');
  ctx.host.command('member.kill', { member: id });
  return text(`killed member ${id}`, `멤버 ${id} 강제 종료`);
};

const leaderElection: FakeScenario = {
  id: 'leader-election',
  kind: 'lesson',
  order: 70,
  title: text('Leader election', '리더 선출'),
  goal: text('Kill the leader, watch the others elect a new one in a new epoch, and write again.', '리더를 죽이고, 나머지가 새 에포크에서 새 리더를 뽑는 것을 본 뒤 다시 써 봅니다.'),
  members: 3,
  bugSwitch: null,
  paths: ['/el'],
  steps: [
    {
      id: 'find-leader',
      title: text('Find the leader', '리더 찾기'),
      do: [observe],
      say: (ctx) => text(
        `Three members voted and elected member ${ctx.saved.leader}: it has the highest (zxid, id), and a majority (2 of 3) agreed.`,
        `세 멤버가 투표해 멤버 ${ctx.saved.leader}을(를) 뽑았습니다. (zxid, id)가 가장 크고 과반수(3 중 2)가 동의했습니다.`,
      ),
      highlight: (ctx) => hl([num(ctx, 'leader')], [], ['members', 'quorum']),
      learner: {
        ask: (ctx) => text(`Find member ${ctx.saved.leader}'s card (it wears the crown), then press Continue.`, `멤버 ${ctx.saved.leader}의 카드(왕관이 있음)를 찾은 뒤 계속을 누르세요.`),
        where: 'members',
      },
      check: (ctx) => [
        {
          ok: ctx.saved.leader !== null,
          title: text('one leader', '리더 하나'),
          detail: text(`leader: member ${ctx.saved.leader}`, `리더: 멤버 ${ctx.saved.leader}`),
          explanation: text('A leader needs the votes of a majority; with 3 members that is 2.', '리더가 되려면 과반수의 표가 필요합니다. 멤버 3개라면 2표입니다.'),
        },
      ],
    },
    {
      id: 'kill-leader',
      title: text('Kill the leader', '리더 죽이기'),
      say: () => text('Without a leader no write can commit. The followers notice within a few ticks and start an election.', '리더가 없으면 어떤 쓰기도 커밋되지 않습니다. 팔로워들이 몇 틱 안에 알아채고 선출을 시작합니다.'),
      highlight: (ctx) => hl([num(ctx, 'leader')], [], ['members', 'events']),
      learner: {
        ask: (ctx) => text(`Kill member ${ctx.saved.leader}.`, `멤버 ${ctx.saved.leader}을(를) 죽여 보세요.`),
        where: 'members',
        command: (ctx) => `kill ${ctx.saved.leader}`,
        showMe: [killLeader],
        until: { describe: text('the leader to be killed', '리더가 죽기'), test: (ctx) => ctx.host.status()?.members.find((m) => m.id === num(ctx, 'leader'))?.state === 'killed' },
      },
      waitFor: {
        describe: text('a new leader with a writable quorum', '쓰기 가능한 쿼럼과 새 리더'),
        test: (ctx) => {
          const s = ctx.host.status();
          const l = leaderOf(ctx);
          if (!s?.quorum.canWrite || l.id === null || l.id === num(ctx, 'leader')) return false;
          ctx.saved.newLeader = l.id;
          ctx.saved.newEpoch = l.epoch;
          return true;
        },
      },
      check: (ctx) => [
        {
          ok: num(ctx, 'newEpoch') > num(ctx, 'epoch'),
          title: text('new epoch', '새 에포크'),
          detail: text(`epoch ${ctx.saved.newEpoch} > ${ctx.saved.epoch}`, `에포크 ${ctx.saved.newEpoch} > ${ctx.saved.epoch}`),
          explanation: text('Every new leader starts a new epoch, so proposals of the old leader can never be confused with the new ones.', '새 리더는 모두 새 에포크를 시작하므로 옛 리더의 제안과 새 제안이 섞일 수 없습니다.'),
        },
        {
          ok: ctx.saved.newLeader !== ctx.saved.leader,
          title: text('another member leads', '다른 멤버가 리더'),
          detail: text(`member ${ctx.saved.newLeader}`, `멤버 ${ctx.saved.newLeader}`),
          explanation: text('The two survivors are still a majority of three.', '살아남은 둘은 여전히 셋 중 과반수입니다.'),
        },
      ],
    },
    {
      id: 'writes-go-on',
      title: text('Writes go on', '쓰기는 계속됨'),
      do: [
        (ctx) => {
          ctx.host.write('/el/after-failover', 'written under the new leader');
          return text('created /el/after-failover', '/el/after-failover 생성');
        },
      ],
      say: (ctx) => text(`Member ${ctx.saved.newLeader} leads now; a write commits with its two members.`, `이제 멤버 ${ctx.saved.newLeader}이(가) 리더이고, 두 멤버로 쓰기가 커밋됩니다.`),
      highlight: () => hl([], ['/el', '/el/after-failover'], ['tree']),
      check: (ctx) => [
        {
          ok: ctx.host.exists('/el/after-failover'),
          title: text('the write is there', '쓴 것이 있음'),
          detail: text('/el/after-failover exists', '/el/after-failover 있음'),
          explanation: text('Two of three members are a quorum: the ensemble stays available after losing one.', '셋 중 둘은 쿼럼입니다. 하나를 잃어도 앙상블은 계속 쓸 수 있습니다.'),
        },
      ],
    },
  ],
};

const twoLeaders: FakeScenario = {
  id: 'two-leaders-one-epoch',
  kind: 'challenge',
  order: 1010,
  title: text('Two leaders, one epoch', '한 에포크, 두 리더'),
  goal: text('Behead the ensemble and split the survivors 2 | 2: can both halves elect a leader?', '앙상블의 리더를 없애고 남은 넷을 2 | 2로 나눕니다. 양쪽이 모두 리더를 뽑을 수 있을까요?'),
  members: 5,
  bugSwitch: 'smallQuorum',
  paths: [],
  steps: [
    {
      id: 'attack',
      title: text('Split brain attempt', '분할 뇌 시도'),
      do: [observe],
      say: () => text('Five members need 3 votes for a leader. Kill the leader and cut the four survivors into two pairs.', '멤버 다섯이면 리더에 3표가 필요합니다. 리더를 죽이고 남은 넷을 두 쌍으로 나누세요.'),
      highlight: (ctx) => hl([num(ctx, 'leader')], [], ['links', 'safety']),
      learner: {
        ask: () => text('Kill the leader, then split the other four 2 | 2, and press Continue.', '리더를 죽이고 나머지 넷을 2 | 2로 나눈 뒤 계속을 누르세요.'),
        where: 'links',
        showMe: [
          killLeader,
          (ctx) => {
            const rest = (ctx.host.status()?.members ?? []).map((m) => m.id).filter((id) => id !== num(ctx, 'leader'));
            const [a, b] = [rest.slice(0, 2), rest.slice(2)];
            for (const x of a) for (const y of b) ctx.host.command('links.set', { from: x, to: y, settings: { mode: 'blackhole' }, bothWays: true });
            ctx.saved.sideA = a[0] ?? null;
            ctx.saved.sideB = b[0] ?? null;
            return text(`partitioned ${a.join(',')} | ${b.join(',')}`, `${a.join(',')} | ${b.join(',')} 로 분할`);
          },
        ],
      },
      then: [
        (ctx) => {
          if (!ctx.bugs.includes('smallQuorum')) return text('neither pair has 3 votes: no leader, no writes — unavailable but safe', '어느 쌍도 3표가 없습니다: 리더도 쓰기도 없음 — 쓸 수는 없지만 안전');
          const epoch = num(ctx, 'epoch') + 1;
          const a = num(ctx, 'sideA') || 1;
          const b = num(ctx, 'sideB') || 2;
          ctx.violate({
            invariant: 'one-leader-per-epoch',
            summary: text(`members ${a} and ${b} both lead epoch ${epoch}`, `멤버 ${a}와 ${b}가 둘 다 에포크 ${epoch}의 리더`),
            explanation: text(
              `With smallQuorum, 2 votes of 5 elect a leader: each pair elected its own member and both established epoch ${epoch}. A real quorum (3 of 5) always overlaps with every other quorum, so two leaders could never both gather one.`,
              `smallQuorum이 켜지면 5표 중 2표로 리더가 뽑힙니다. 각 쌍이 자기 멤버를 뽑았고 둘 다 에포크 ${epoch}를 세웠습니다. 진짜 쿼럼(5 중 3)은 다른 모든 쿼럼과 겹치므로 두 리더가 동시에 쿼럼을 모을 수 없습니다.`,
            ),
            members: [a, b],
            zxid: null,
            path: null,
            evidence: [`member ${a}: leader-established epoch ${epoch}`, `member ${b}: leader-established epoch ${epoch}`],
          });
          return text(`members ${a} and ${b} both elected themselves in epoch ${epoch}`, `멤버 ${a}와 ${b}가 에포크 ${epoch}에서 둘 다 리더가 됨`);
        },
      ],
    },
    {
      id: 'verdict',
      title: text('Safety verdict', '안전성 판정'),
      say: (ctx) => (ctx.bugs.length ? text('The bug switch is on: look at the safety view.', '버그 스위치가 켜져 있습니다. 안전성 보기를 보세요.') : text('The real protocol: look at the safety view.', '진짜 프로토콜입니다. 안전성 보기를 보세요.')),
      highlight: () => hl([], [], ['safety']),
      check: (ctx) => {
        // holds-unless-bug: the real protocol must hold; with the switch the violation must show.
        const bug = ctx.bugs.includes('smallQuorum');
        return [
          {
            ok: bug ? !ctx.holds() : ctx.holds(),
            title: text(bug ? 'the violation shows' : 'safety holds', bug ? '위반이 보임' : '안전성 유지'),
            detail: text(bug ? 'one-leader-per-epoch violated (expected with smallQuorum)' : 'every invariant holds', bug ? 'one-leader-per-epoch 위반 (smallQuorum이면 예상대로)' : '모든 불변식 유지'),
            explanation: text('A majority quorum is what makes two leaders in one epoch impossible.', '과반수 쿼럼 덕분에 한 에포크에 리더가 둘일 수 없습니다.'),
          },
        ];
      },
    },
  ],
};

export const FAKE_COURSE: FakeScenario[] = [leaderElection, twoLeaders];

const REPLAYABLE = /^(member\.(kill|start|stop|restart|pause|resume|wipe)|links\.(heal|preset|set))$/;

/** A loaded or recorded file as something the fake can replay: each step runs its lab actions. */
export function recordedScenario(
  id: string,
  title: LocalizedText,
  goal: LocalizedText,
  members: number,
  steps: { id: string; title: LocalizedText; say: LocalizedText; do?: { action: string; [k: string]: unknown }[] }[],
  source: string,
): FakeScenario {
  for (const s of steps) {
    for (const a of s.do ?? []) {
      if (!REPLAYABLE.test(a.action)) throw Object.assign(new Error(`${source}: step ${s.id}: the demo lab cannot replay "${a.action}"`), { code: 'bad-scenario' });
    }
  }
  return {
    id,
    kind: 'lesson',
    order: 5000,
    title,
    goal,
    members,
    bugSwitch: null,
    paths: [],
    steps: steps.map((s) => ({
      id: s.id,
      title: s.title,
      say: () => s.say,
      highlight: () => hl([], [], []),
      do: (s.do ?? []).map(({ action, ...arg }) => (ctx: RunContext) => {
        ctx.host.command(action as never, arg);
        return text(`ran ${action}`, `${action} 실행`);
      }),
    })),
  };
}
