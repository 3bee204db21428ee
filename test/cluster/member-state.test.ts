/**
 * What a member reports to the lab (MemberState over IPC) follows its role at once: a role
 * change is reported when it happens, not at the next periodic report — here the periodic
 * report is ten minutes away, so only the immediate one can be seen. And a leader that was
 * paused (SIGSTOP, the lab's "pause") while the others elected a new leader steps down as
 * soon as it runs again, because its clock catches up on the time it missed.
 */
import type { ChildProcess } from 'node:child_process';
import test from 'node:test';
import assert from 'node:assert/strict';
import type { JsonSafe, MemberState } from '../../engine/src/quorum/protocol-events.js';
import { startEnsemble } from './helpers/ensemble.js';

type StateMessage = { type: 'state'; state: JsonSafe<MemberState> };

function states(messages: readonly unknown[], from = 0): JsonSafe<MemberState>[] {
  return messages.slice(from).filter((m): m is StateMessage => (m as { type?: string }).type === 'state').map((m) => m.state);
}

async function until(what: string, done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('role changes are reported at once, and a resumed paused leader reports that it stepped down', { timeout: 120_000 }, async () => {
  const e = await startEnsemble({ voters: 3, tickTime: 200, config: { 'zoolab.stateIntervalMs': 600_000 } });
  let paused: ChildProcess | null = null;
  try {
    const leader = await e.waitForLeader();
    const server = (sid: number) => e.members.find((m) => m.sid === sid)!.server!;
    await until('the leader reports leading', () => states(server(leader).messages).some((s) => s.role === 'leading' && s.phase === 'broadcast'));
    for (const m of e.members) {
      if (m.sid === leader) continue;
      await until(`member ${m.sid} reports following`, () => states(m.server!.messages).some((s) => s.role === 'following' && s.leaderId === leader));
    }

    paused = server(leader).process;
    paused.kill('SIGSTOP');
    const others = e.members.filter((m) => m.sid !== leader).map((m) => m.sid);
    const next = await e.waitForLeader(30_000, others);
    assert.notEqual(next, leader);
    await until('the new leader reports leading', () => states(server(next).messages).some((s) => s.role === 'leading' && s.phase === 'broadcast'));

    const before = server(leader).messages.length;
    paused.kill('SIGCONT');
    paused = null;
    await until('the old leader reports that it no longer leads', () => states(server(leader).messages, before).some((s) => s.role !== 'leading'));
    // And it comes back as a follower of the new leader.
    await until('the old leader follows the new one', () => states(server(leader).messages, before).some((s) => s.role === 'following' && s.leaderId === next), 30_000);
  } finally {
    paused?.kill('SIGCONT');
    await e.stop();
  }
});
