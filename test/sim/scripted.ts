/**
 * Scripted runs of the simulator: the same members, network and checkers as the seeded
 * runs (simulation.ts), but with no random faults and no random clients — a test decides
 * what happens, step by step, and reads the ghost's findings afterwards.
 *
 *   const sim = scriptedSim({ voters: 5, bugs: ['smallQuorum'] });
 *   startAll(sim);
 *   const leader = await untilLeader(sim);
 *   sim.member(leader).crash(); sim.network.partition([[1, 2], [3, 4]]);
 *   await run(sim, 200);
 *   sim.ghost.failures   // what the invariant checkers saw
 */
import { CreateRequest, OpCode, SetDataRequest } from '../../engine/src/jute/index.js';
import type { BugSwitchName } from '../../engine/src/lab/api.js';
import type { ClientRequest } from '../../engine/src/quorum/contracts.js';
import { encodeCreateSessionBody } from '../../engine/src/server/prep/index.js';
import { OPEN_ACL } from '../../engine/src/tree/data-tree.js';
import { Simulation, swarm, type SimConfig } from './simulation.js';
import type { SimMember } from './sim-member.js';

export interface ScriptOptions {
  voters: number;
  bugs?: BugSwitchName[];
  /** Every batch takes exactly this many ticks to become durable (default 0). */
  diskLatency?: number;
  windowSize?: number;
}

/** A quiet simulation: fault-free network, no random clients, fixed disk latency. */
export function scriptedSim(o: ScriptOptions): Simulation {
  const base = swarm(1);
  const cfg: SimConfig = {
    ...base,
    seed: 1,
    voters: o.voters,
    observers: 0,
    net: { lossP: 0, duplicateP: 0, delayMin: 1, delayMax: 1, fifo: true },
    crashP: 0,
    partitionP: 0,
    clogP: 0,
    diskLatencyMin: o.diskLatency ?? 0,
    diskLatencyMax: o.diskLatency ?? 0,
    snapshotP: 0,
    windowSize: o.windowSize ?? 500,
    forceSnapshotSync: false,
    readOnly: false,
    clients: 0,
    bugs: o.bugs ?? [],
  };
  return new Simulation(cfg);
}

export function startAll(sim: Simulation): void {
  for (const m of sim.members) m.start();
}

/** Runs `ticks` fault-free simulator steps. */
export async function run(sim: Simulation, ticks: number): Promise<void> {
  for (let i = 0; i < ticks; i++) await sim.step(false);
}

/** Steps until `done()` holds; throws after `maxTicks`. */
export async function until(sim: Simulation, what: string, done: () => boolean, maxTicks = 2000): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    if (done()) return;
    await sim.step(false);
  }
  throw new Error(`${what} did not happen within ${maxTicks} ticks (${status(sim)})`);
}

/** Established leaders among the running members. */
export function leaders(sim: Simulation): SimMember[] {
  return sim.members.filter((m) => m.core?.currentRole === 'leading' && m.core.currentPhase === 'broadcast');
}

/** Waits for one established leader with every running member serving; returns its sid. */
export async function untilLeader(sim: Simulation): Promise<number> {
  await until(sim, 'a settled leader', () => leaders(sim).length === 1 && sim.members.every((m) => !m.up || m.serving === 'rw'));
  return leaders(sim)[0]!.sid;
}

export function status(sim: Simulation): string {
  return sim.members.map((m) => (m.core ? `${m.sid}:${m.core.currentRole}/${m.core.currentPhase}/${m.serving}` : `${m.sid}:down`)).join(' ');
}

/** A session id no real member would generate (high byte 0xee). */
export function sessionId(n: number): bigint {
  return (0xeen << 56n) | BigInt(n);
}

export function createSession(id: bigint, timeoutMs = 30_000): ClientRequest {
  return { sessionId: id, cxid: 0, op: OpCode.createSession, body: encodeCreateSessionBody(timeoutMs, Buffer.alloc(16, 1)), authIds: [] };
}

export function create(session: bigint, cxid: number, path: string, value: string): ClientRequest {
  return { sessionId: session, cxid, op: OpCode.create, body: CreateRequest.encode({ path, data: Buffer.from(value), acl: [...OPEN_ACL], flags: 0 }), authIds: [] };
}

export function setData(session: bigint, cxid: number, path: string, value: string): ClientRequest {
  return { sessionId: session, cxid, op: OpCode.setData, body: SetDataRequest.encode({ path, data: Buffer.from(value), version: -1 }), authIds: [] };
}

/** The value of `path` in a member's database, or null. */
export function valueAt(m: SimMember, path: string): string | null {
  return m.db.tree.getData(path)?.data?.toString() ?? null;
}
