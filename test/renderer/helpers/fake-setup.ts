/**
 * A fresh Pinia wired to an in-memory FakeLab on a manual clock, for store tests: no
 * timers, no sockets; tests move time with `sched.advance(ms)`.
 */
import { createPinia, setActivePinia } from 'pinia';
import type { LabSpec } from '../../../engine/src/lab/api.js';
import { en } from '../../../renderer/src/i18n/messages/en.js';
import { makeTranslate } from '../../../renderer/src/i18n/translate.js';
import { createActions } from '../../../renderer/src/commands/actions.js';
import { startStores } from '../../../renderer/src/bootstrap.js';
import type { Host } from '../../../renderer/src/platform/host.js';
import { FakeLab } from '../../../renderer/src/testing/fake-lab/fake-lab.js';
import { ManualScheduler } from '../../../renderer/src/testing/fake-lab/scheduler.js';
import { useNoticesStore } from '../../../renderer/src/stores/notices.js';

export const t = makeTranslate(en, en);

export interface RecordingHost extends Host {
  saved: { name: string; text?: string; dataBase64?: string }[];
  nextOpenText: { name: string; text: string } | null;
  nextOpenBytes: { name: string; dataBase64: string } | null;
}

export function recordingHost(kind: 'desktop' | 'browser' = 'browser'): RecordingHost {
  const host: RecordingHost = {
    kind,
    saved: [],
    nextOpenText: null,
    nextOpenBytes: null,
    chooseSavePath: async (o) => (kind === 'desktop' ? `/exports/${o.defaultName}` : null),
    chooseOpenPath: async () => (kind === 'desktop' ? '/exports/chosen.zoolab' : null),
    saveText: async (o) => {
      host.saved.push({ name: o.defaultName, text: o.text });
      return o.defaultName;
    },
    openText: async () => host.nextOpenText,
    saveBytes: async (o) => {
      host.saved.push({ name: o.defaultName, dataBase64: o.dataBase64 });
      return o.defaultName;
    },
    openBytes: async () => host.nextOpenBytes,
    labsDir: async () => (kind === 'desktop' ? '/labs' : null),
    onMenuCommand: () => () => {},
  };
  return host;
}

export async function setup(spec: LabSpec | null = { members: 3 }, options: { wide?: number; host?: RecordingHost; allowLabSwitch?: boolean } = {}) {
  setActivePinia(createPinia());
  const sched = new ManualScheduler();
  const lab = new FakeLab({ scheduler: sched, spec, electionMs: 400, ...(options.wide ? { wideChildren: options.wide } : {}), allowLabSwitch: options.allowLabSwitch ?? true });
  const host = options.host ?? recordingHost();
  const actions = createActions({ t, host, now: () => sched.now() });
  await startStores(lab, 'demo', actions);
  return { lab, sched, host, actions };
}

/** Answers the next confirmation dialog (the store's pending request) once it appears. */
export async function answerConfirm(ok: boolean): Promise<string> {
  const notices = useNoticesStore();
  for (let i = 0; i < 50 && !notices.pendingConfirm; i++) await Promise.resolve();
  const p = notices.pendingConfirm;
  if (!p) throw new Error('no confirmation was asked');
  const title = t(p.title.key, p.title.params);
  notices.answer(ok);
  return title;
}

/** Lets promise chains started by pushed events (e.g. page refetches) finish; no timers involved. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}
