/**
 * The five roles the UI draws and automation reads (`data-role` on member cards: leader,
 * follower, observer, looking, down — a stable contract). The lab reports a few more
 * precise roles; they fold into these five here, in one place.
 */
import type { MemberStatus } from '../../../engine/src/lab/api.js';

export type DisplayRole = 'leader' | 'follower' | 'observer' | 'looking' | 'down';
export const DISPLAY_ROLES: readonly DisplayRole[] = ['leader', 'follower', 'observer', 'looking', 'down'];

/**
 * - a process that is not running (stopped, killed, crashed, starting) is `down`;
 * - a paused process keeps its last reported role (it still holds its sockets; the card
 *   shows "paused" separately) — automation can read `data-state` for the process;
 * - `standalone` is the one member that commits writes alone: drawn as a leader;
 * - `read-only` is LOOKING while serving reads (zab.md §6): drawn as looking.
 */
export function displayRole(m: Pick<MemberStatus, 'role' | 'state'>): DisplayRole {
  if (m.state !== 'running' && m.state !== 'paused') return 'down';
  switch (m.role) {
    case 'leader':
    case 'standalone':
      return 'leader';
    case 'follower':
      return 'follower';
    case 'observer':
      return 'observer';
    case 'looking':
    case 'read-only':
      return 'looking';
    case 'down':
      return 'down';
  }
}

/** The member ids a "kill majority" action takes down: enough running voters to lose the quorum, the leader first. */
export function majorityToKill(members: MemberStatus[], leader: number | null): number[] {
  const voters = members.filter((m) => m.kind === 'participant');
  const size = Math.floor(voters.length / 2) + 1;
  // Killing (voters - size + 1) voters leaves size - 1: one short of a majority.
  const need = voters.length - size + 1;
  const running = voters.filter((m) => m.state === 'running' || m.state === 'paused');
  const ordered = [...running].sort((a, b) => (a.id === leader ? -1 : b.id === leader ? 1 : a.id - b.id));
  const alreadyDown = voters.length - running.length;
  return ordered.slice(0, Math.max(0, need - alreadyDown)).map((m) => m.id);
}
