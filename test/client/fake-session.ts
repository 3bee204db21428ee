/**
 * A ZkClient wired to the scripted in-memory server (fake-server.ts) and a manual clock
 * (fake-clock.ts), for unit tests of the session logic: three hosts a:1, b:2, c:3 tried
 * in order, no reconnect jitter, retryDelay 100 ms, requested timeout 3000 ms.
 */
import assert from 'node:assert/strict';
import { ZkClient, type SessionState, type ZkClientOptions } from '../../engine/src/client/index.js';
import { FakeClock } from './fake-clock.js';
import { FakeServer } from './fake-server.js';

export interface FakeSession {
  server: FakeServer;
  clock: FakeClock;
  zk: ZkClient;
  /** Every state change, in order. */
  states: SessionState[];
}

export const FAKE_HOSTS = ['a:1', 'b:2', 'c:3'] as const;

export function fakeSession(options: Partial<ZkClientOptions> = {}): FakeSession {
  const server = new FakeServer();
  const clock = new FakeClock();
  const zk = new ZkClient({
    connectString: FAKE_HOSTS.join(','),
    sessionTimeout: 3000,
    shuffleHosts: false,
    reconnectJitter: 0,
    retryDelay: 100,
    socketFactory: server.socketFactory,
    clock,
    ...options,
  });
  const states: SessionState[] = [];
  zk.on('state', (s) => states.push(s));
  return { server, clock, zk, states };
}

/** Starts the client and lets the first handshake (host a:1) complete. */
export async function connected(ctx: FakeSession): Promise<void> {
  ctx.zk.start();
  await ctx.clock.advance(0);
  assert.equal(ctx.zk.state, 'connected');
}

/** Every host closes new connections without answering (no server can be reached). */
export function everyHostRefuses(ctx: FakeSession): void {
  for (const h of FAKE_HOSTS) ctx.server.host(h, { handshake: 'refuse' });
}

/** The outcome of a promise as a value: the error it rejected with, or 'ok'. */
export function outcome(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => 'ok',
    (e: unknown) => e,
  );
}
