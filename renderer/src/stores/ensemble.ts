/**
 * The ensemble as the lab last described it (`LabStatus`, pushed on every change and at
 * most ~10 times a second) and the member actions. The picture is replaced whole, never
 * patched, so it lives in a shallowRef.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { LabStatus, MemberActionResult, MemberId, MemberStatus } from '../../../engine/src/lab/api.js';
import { majorityToKill } from '../lib/roles.js';
import { useLabStore } from './lab.js';

export type MemberAction = 'start' | 'stop' | 'kill' | 'pause' | 'resume' | 'restart' | 'wipe';

export const useEnsembleStore = defineStore('ensemble', () => {
  const status = shallowRef<LabStatus | null>(null);
  /** Members with an action in flight (their buttons are disabled meanwhile). */
  const busy = ref<ReadonlySet<MemberId>>(new Set());
  /** The member keyboard shortcuts act on (chosen with the digit keys). */
  const selected = ref<MemberId | null>(null);
  let unsubscribe: (() => void) | null = null;

  const members = computed<MemberStatus[]>(() => status.value?.members ?? []);
  const leader = computed<MemberId | null>(() => status.value?.leader ?? null);
  const quorum = computed(() => status.value?.quorum ?? null);
  const memberIds = computed(() => members.value.map((m) => m.id));
  const voters = computed(() => members.value.filter((m) => m.kind === 'participant'));
  const selectedMember = computed(() => members.value.find((m) => m.id === selected.value) ?? null);

  function accept(s: LabStatus): void {
    // Pictures can cross on the wire; keep the newest. Another lab (the service switched,
    // e.g. a scenario opened its own) numbers its events afresh: its picture always wins.
    if (status.value && s.lab.dir === status.value.lab.dir && s.seq < status.value.seq) return;
    status.value = s;
  }

  /** Subscribes to status pushes and reads the current picture. */
  async function bind(): Promise<void> {
    const lab = useLabStore();
    unsubscribe?.();
    unsubscribe = lab.on('lab.status', accept);
    await refresh();
  }

  async function refresh(): Promise<void> {
    const lab = useLabStore();
    if (!lab.hasLab) {
      status.value = null;
      return;
    }
    accept(await lab.call('lab.status', {}));
  }

  function setBusy(id: MemberId, on: boolean): void {
    const next = new Set(busy.value);
    if (on) next.add(id);
    else next.delete(id);
    busy.value = next;
  }

  async function act(id: MemberId, action: MemberAction): Promise<MemberActionResult> {
    const lab = useLabStore();
    setBusy(id, true);
    try {
      const r = await lab.call(`member.${action}`, { member: id });
      return r;
    } finally {
      setBusy(id, false);
    }
  }

  /** Kills the current leader; rejects when there is none. */
  async function killLeader(): Promise<MemberActionResult> {
    const id = leader.value;
    if (id === null) throw Object.assign(new Error('there is no leader to kill right now'), { code: 'no-leader' });
    return act(id, 'kill');
  }

  /** The members `killMajority` would take down (leader first), for the confirmation. */
  const majorityVictims = computed(() => majorityToKill(members.value, leader.value));

  async function killMajority(): Promise<MemberId[]> {
    const victims = majorityVictims.value;
    await Promise.all(victims.map((id) => act(id, 'kill')));
    return victims;
  }

  /** Everything back to normal: paused members resumed, stopped ones started, links healed. */
  async function healAll(): Promise<void> {
    const lab = useLabStore();
    const work: Promise<unknown>[] = [];
    for (const m of members.value) {
      if (m.state === 'paused') work.push(act(m.id, 'resume'));
      else if (m.state !== 'running' && m.state !== 'starting' && m.state !== 'stopping') work.push(act(m.id, 'start'));
    }
    work.push(lab.call('links.heal', {}));
    const results = await Promise.allSettled(work);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  function select(id: MemberId | null): void {
    selected.value = id !== null && members.value.some((m) => m.id === id) ? id : null;
  }

  function reset(): void {
    status.value = null;
    selected.value = null;
  }

  return {
    status, busy, selected, members, leader, quorum, memberIds, voters, selectedMember, majorityVictims,
    bind, refresh, accept, act, killLeader, killMajority, healAll, select, reset,
  };
});
