/**
 * Terminal tabs: each is a lab-side zkCli-compatible shell with its own ZooKeeper session
 * (`shell.open`), titled with member, session id and state. The xterm instances are not
 * here (style.md B7: never in Pinia); a view registers as the sink of a shell's output,
 * and output that arrives before a view attaches is kept (bounded) and replayed.
 *
 * Flow control (VS Code's scheme, api.ts SHELL_FLOW_CONTROL): shells are opened with
 * `flowControl`, and what the terminal has written is acknowledged with `shell.ack` every
 * 5,000 characters, so a flood pauses the shell lab-side instead of piling up here. Output
 * with no view to write it (kept in the bounded backlog) counts as written at once: a
 * hidden tab must not stall its shell.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { SHELL_FLOW_CONTROL, type MemberId, type ShellInfo } from '../../../engine/src/lab/api.js';
import { useLabStore } from './lab.js';

const BACKLOG_CHARS = 256 * 1024;

export interface TerminalTab {
  info: ShellInfo;
  /** Set when the shell ended (quit, lab down); the tab stays until closed. */
  exitReason: string | null;
}

/** Writes output to a terminal and calls `written` once the terminal has processed it. */
type Sink = (data: string, written: () => void) => void;

export const useTerminalsStore = defineStore('terminals', () => {
  const tabs = ref<TerminalTab[]>([]);
  const activeId = ref<string | null>(null);
  const opening = ref(false);
  const sinks = new Map<string, Sink>();
  const backlog = new Map<string, string>();
  /** Characters written but not yet acknowledged, per shell. */
  const unacked = new Map<string, number>();
  let unsubscribe: (() => void)[] = [];

  const active = computed(() => tabs.value.find((t) => t.info.shellId === activeId.value) ?? null);

  function bind(): void {
    const lab = useLabStore();
    for (const u of unsubscribe) u();
    unsubscribe = [
      lab.on('shell.output', ({ shellId, data }) => deliver(shellId, data)),
      lab.on('shell.info', (info) => {
        tabs.value = tabs.value.map((t) => (t.info.shellId === info.shellId ? { ...t, info } : t));
      }),
      lab.on('shell.exit', ({ shellId, reason }) => {
        tabs.value = tabs.value.map((t) => (t.info.shellId === shellId ? { ...t, exitReason: reason } : t));
      }),
      lab.on('lab.closed', ({ reason }) => {
        tabs.value = tabs.value.map((t) => (t.exitReason ? t : { ...t, exitReason: reason }));
      }),
    ];
  }

  function deliver(shellId: string, data: string): void {
    const sink = sinks.get(shellId);
    if (sink) return sink(data, () => written(shellId, data.length));
    const kept = (backlog.get(shellId) ?? '') + data;
    backlog.set(shellId, kept.length > BACKLOG_CHARS ? kept.slice(-BACKLOG_CHARS) : kept);
    written(shellId, data.length);
  }

  /** `chars` more of a shell's output were written (or kept): acknowledge them in batches. */
  function written(shellId: string, chars: number): void {
    const pending = (unacked.get(shellId) ?? 0) + chars;
    if (pending < SHELL_FLOW_CONTROL.ackEveryChars) return void unacked.set(shellId, pending);
    unacked.set(shellId, 0);
    // A shell that ended meanwhile has nothing left to resume.
    void useLabStore().call('shell.ack', { shellId, chars: pending }).catch(() => {});
  }

  /** A view takes a shell's output; what arrived before is replayed first. Returns the detach function. */
  function attach(shellId: string, sink: Sink): () => void {
    const kept = backlog.get(shellId);
    backlog.delete(shellId);
    // Already acknowledged when it was kept.
    if (kept) sink(kept, () => {});
    sinks.set(shellId, sink);
    return () => {
      if (sinks.get(shellId) === sink) sinks.delete(shellId);
    };
  }

  async function open(member: MemberId | null, cols = 100, rows = 24): Promise<ShellInfo> {
    opening.value = true;
    try {
      const info = await useLabStore().call('shell.open', { member, cols, rows, flowControl: true });
      if (!tabs.value.some((t) => t.info.shellId === info.shellId)) tabs.value = [...tabs.value, { info, exitReason: null }];
      activeId.value = info.shellId;
      return info;
    } finally {
      opening.value = false;
    }
  }

  async function close(shellId: string): Promise<void> {
    const i = tabs.value.findIndex((t) => t.info.shellId === shellId);
    if (i < 0) return;
    const tab = tabs.value[i]!;
    tabs.value = tabs.value.filter((t) => t.info.shellId !== shellId);
    sinks.delete(shellId);
    backlog.delete(shellId);
    unacked.delete(shellId);
    if (activeId.value === shellId) activeId.value = tabs.value[Math.min(i, tabs.value.length - 1)]?.info.shellId ?? null;
    if (!tab.exitReason) await useLabStore().call('shell.close', { shellId }).catch(() => {});
  }

  function input(shellId: string, data: string): Promise<unknown> {
    return useLabStore().call('shell.input', { shellId, data });
  }

  function resize(shellId: string, cols: number, rows: number): Promise<unknown> {
    return useLabStore().call('shell.resize', { shellId, cols, rows });
  }

  function activate(shellId: string): void {
    if (tabs.value.some((t) => t.info.shellId === shellId)) activeId.value = shellId;
  }

  /** Cycles through tabs (for the keyboard). */
  function cycle(delta: number): void {
    if (tabs.value.length === 0) return;
    const i = Math.max(0, tabs.value.findIndex((t) => t.info.shellId === activeId.value));
    activeId.value = tabs.value[(i + delta + tabs.value.length) % tabs.value.length]!.info.shellId;
  }

  return { tabs, activeId, active, opening, bind, attach, open, close, input, resize, activate, cycle, deliver };
});
