/**
 * Records what is done in a lab — by the learner in the app, in a browser or with zk-lab —
 * as a new scenario file that replays it. It sees every LabApi command (name, argument,
 * actor) and turns the ones that change something into steps: member actions, link faults,
 * tree edits (through a client session named "tree") and terminal commands (typed lines,
 * replayed through a shell). Pauses longer than a second become waits, so the replay keeps
 * the rhythm that mattered (an election needs its time). The file ends with a safety check,
 * so replaying it is itself a test. Pure: no I/O; the clock is the caller's.
 */
import type { Actor, CommandName, LabInfo, LocalizedText } from '../lab/api.js';
import { SCENARIO_FORMAT, SCENARIO_VERSION } from './document.js';

interface RecordedStep {
  id: string;
  title: LocalizedText;
  say: LocalizedText;
  do: Record<string, unknown>[];
}

const MIN_WAIT_MS = 1000;
const MAX_WAIT_MS = 30_000;

export class ScenarioRecorder {
  private readonly steps: RecordedStep[] = [];
  private lastAt: number;
  private treeClientOpen = false;
  /** Per shell: its member and the line being typed. */
  private readonly shells = new Map<string, { member: number | null; line: string }>();

  constructor(
    readonly lab: Pick<LabInfo, 'members' | 'observers' | 'tickTimeMs' | 'name'>,
    readonly startedAt: number,
  ) {
    this.lastAt = startedAt;
  }

  get stepCount(): number {
    return this.steps.length;
  }

  /** Tells the recorder a command succeeded (failed commands change nothing and are not recorded). */
  observe(name: CommandName, arg: unknown, actor: Actor, at: number, result?: unknown): void {
    if (actor === 'scenario' || actor === 'lab') return;
    const a = (arg ?? {}) as Record<string, unknown>;
    switch (name) {
      case 'member.kill':
      case 'member.pause':
      case 'member.resume':
      case 'member.restart':
      case 'member.start':
      case 'member.stop':
      case 'member.wipe':
        return this.add(at, name, { action: name, member: a.member }, { en: `${name.slice(7)} member ${a.member}`, ko: `멤버 ${a.member} ${KO_VERB[name]}` });
      case 'links.preset':
        return this.add(at, name, { action: 'links.preset', preset: a.preset }, { en: `network: ${(a.preset as { kind?: string })?.kind ?? 'preset'}`, ko: `네트워크: ${(a.preset as { kind?: string })?.kind ?? '프리셋'}` });
      case 'links.heal':
        return this.add(at, name, { action: 'links.heal' }, { en: 'heal the network', ko: '네트워크 복구' });
      case 'links.set': {
        const s = (a.settings ?? {}) as Record<string, unknown>;
        return this.add(at, name, { action: 'links.set', from: a.from, to: a.to, ...(a.bothWays ? { bothWays: true } : {}), ...pick(s, ['mode', 'delayMs', 'jitterMs', 'lossPercent']) }, { en: `link ${a.from} → ${a.to}`, ko: `링크 ${a.from} → ${a.to}` });
      }
      case 'tree.create':
        return this.treeOp(at, name, { action: 'create', client: 'tree', path: a.path, ...dataOf(a.dataBase64), ...(a.mode ? { mode: a.mode } : {}), ...(a.ttlMs ? { ttlMs: a.ttlMs } : {}) }, `create ${a.path}`, `${a.path} 생성`);
      case 'tree.set':
        return this.treeOp(at, name, { action: 'set', client: 'tree', path: a.path, ...dataOf(a.dataBase64, true), ...(typeof a.version === 'number' && a.version >= 0 ? { version: a.version } : {}) }, `set ${a.path}`, `${a.path} 값 변경`);
      case 'tree.delete':
        return this.treeOp(at, name, { action: 'delete', client: 'tree', path: a.path, ...(a.recursive ? { recursive: true } : {}) }, `delete ${a.path}`, `${a.path} 삭제`);
      case 'shell.open': {
        const id = (result as { shellId?: string } | undefined)?.shellId;
        if (id) this.shells.set(id, { member: (a.member as number | null | undefined) ?? null, line: '' });
        return;
      }
      case 'shell.input':
        return this.typed(at, String(a.shellId ?? ''), String(a.data ?? ''));
      default:
        return;
    }
  }

  /** The scenario file text (JSON with a header comment). */
  finish(opts: { id: string; title?: LocalizedText; at: number }): string {
    const title = opts.title ?? { en: `Recorded in ${this.lab.name}`, ko: `${this.lab.name}에서 기록한 시나리오` };
    const doc = {
      format: SCENARIO_FORMAT,
      version: SCENARIO_VERSION,
      id: opts.id,
      kind: 'lesson',
      order: 10_000,
      title,
      goal: { en: 'Replay what was done in the lab, step by step.', ko: '랩에서 했던 일을 단계별로 다시 재생합니다.' },
      lab: { members: this.lab.members, ...(this.lab.observers ? { observers: this.lab.observers } : {}), tickTimeMs: this.lab.tickTimeMs },
      steps: [
        ...this.steps,
        {
          id: 'safety',
          title: { en: 'Safety still holds', ko: '안전성 유지 확인' },
          say: { en: 'Whatever was done above, ZooKeeper must not lose a committed write or have two leaders in one epoch.', ko: '위에서 무엇을 했든 ZooKeeper는 커밋된 쓰기를 잃거나 한 에포크에 리더가 둘이어서는 안 됩니다.' },
          check: [{ check: 'safety', expect: 'holds', explain: { en: 'The real protocol keeps these invariants under any faults the lab can inject.', ko: '실제 프로토콜은 랩이 주입할 수 있는 어떤 장애에서도 이 불변식을 지킵니다.' } }],
        },
      ],
    };
    const header = `// Recorded by ZooLab on ${new Date(opts.at).toISOString()} (${this.steps.length} step(s)). Edit the texts freely; see docs/teaching.md.\n`;
    return header + JSON.stringify(doc, null, 2) + '\n';
  }

  private treeOp(at: number, name: string, action: Record<string, unknown>, en: string, ko: string): void {
    const actions: Record<string, unknown>[] = [];
    if (!this.treeClientOpen) {
      actions.push({ action: 'client.open', name: 'tree' });
      this.treeClientOpen = true;
    }
    actions.push(action);
    this.addMany(at, name, actions, { en, ko });
  }

  private typed(at: number, shellId: string, data: string): void {
    let shell = this.shells.get(shellId);
    if (!shell) {
      shell = { member: null, line: '' };
      this.shells.set(shellId, shell);
    }
    const clean = data.replace(/\x1b\[[0-9;?]*[A-Za-z~]/g, '').replace(/\x1bO[A-Z]/g, '');
    for (const ch of clean) {
      if (ch === '\r' || ch === '\n') {
        const command = shell.line.trim();
        shell.line = '';
        if (command !== '') this.add(at, 'shell', { action: 'shell.run', commands: [command], ...(shell.member !== null ? { member: shell.member } : {}) }, { en: `terminal: ${command}`, ko: `터미널: ${command}` });
      } else if (ch === '\x7f' || ch === '\b') shell.line = shell.line.slice(0, -1);
      else if (ch === '\x15') shell.line = '';
      else if (ch >= ' ') shell.line += ch;
    }
  }

  private add(at: number, kind: string, action: Record<string, unknown>, title: LocalizedText): void {
    this.addMany(at, kind, [action], title);
  }

  private addMany(at: number, kind: string, actions: Record<string, unknown>[], title: LocalizedText): void {
    const gap = at - this.lastAt;
    this.lastAt = at;
    const waits = this.steps.length > 0 && gap >= MIN_WAIT_MS ? [{ action: 'wait', ms: Math.min(MAX_WAIT_MS, Math.round(gap / 100) * 100) }] : [];
    const n = this.steps.length + 1;
    this.steps.push({
      id: `step-${n}-${kind.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.replace(/-+$/, ''),
      title,
      say: { en: `Recorded step ${n}: ${title.en}.`, ko: `기록된 단계 ${n}: ${title.ko}.` },
      do: [...waits, ...actions],
    });
  }
}

const KO_VERB: Record<string, string> = {
  'member.kill': '강제 종료',
  'member.pause': '일시 정지',
  'member.resume': '재개',
  'member.restart': '재시작',
  'member.start': '시작',
  'member.stop': '정지',
  'member.wipe': '데이터 삭제 후 재시작',
};

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function dataOf(base64: unknown, required = false): Record<string, unknown> {
  if (base64 === null) return { data: null };
  if (typeof base64 !== 'string') return required ? { data: '' } : {};
  return { data: Buffer.from(base64, 'base64').toString('utf8') };
}
