/**
 * The browser's LabApi client against the lab's real WebSocket bridge
 * (engine/src/lab/web-bridge.ts) serving the in-memory FakeLab: hello, commands and
 * their errors, reference-counted subscriptions, and what happens when the socket drops.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { EventName, LabStatus } from '../../engine/src/lab/api.js';
import { startWebBridge, type WebBridge } from '../../engine/src/lab/web-bridge.js';
import { connectWebSocketLab, type SocketFactory } from '../../renderer/src/lab-client/websocket-client.js';
import { FakeLab } from '../../renderer/src/testing/fake-lab/fake-lab.js';
import { ManualScheduler } from '../../renderer/src/testing/fake-lab/scheduler.js';

/** `ws` as the client's socket (the browser's WebSocket has the same shape). */
const wsFactory: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.on('message', (data) => handlers.message(data.toString()));
  ws.on('close', (code, reason) => handlers.close(code, reason.toString()));
  ws.on('error', () => {});
  return ws;
};

async function serve(): Promise<{ bridge: WebBridge; lab: FakeLab; sched: ManualScheduler; subscriptions: Map<EventName, number> }> {
  const sched = new ManualScheduler();
  const lab = new FakeLab({ scheduler: sched, spec: { members: 3 } });
  const subscriptions = new Map<EventName, number>();
  const bridge = await startWebBridge({
    staticDir: null,
    backend: {
      invoke: (name, arg) => lab.invoke(name, arg as never),
      on: (event, listener) => {
        subscriptions.set(event, (subscriptions.get(event) ?? 0) + 1);
        const off = lab.on(event, listener);
        return () => {
          subscriptions.set(event, subscriptions.get(event)! - 1);
          off();
        };
      },
      info: () => lab.status().lab,
    },
  });
  return { bridge, lab, sched, subscriptions };
}

function waitFor(predicate: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const tick = () => {
      if (predicate()) return resolve();
      if (++n > 400) return reject(new Error(`gave up waiting for ${what}`));
      setImmediate(tick);
    };
    tick();
  });
}

test('commands round-trip, errors keep their code and sentence, events arrive while subscribed', async (t) => {
  const { bridge, lab, subscriptions } = await serve();
  t.after(() => bridge.close());
  const api = await connectWebSocketLab(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, wsFactory);
  t.after(() => api.close());
  assert.equal(api.hello?.members, 3);

  const status = await api.invoke('lab.status', {});
  assert.equal(status.leader, 3);
  await assert.rejects(api.invoke('member.resume', { member: 1 }), (e: { code: string; message: string }) => e.code === 'not-paused' && e.message === 'member 1 is not paused');
  await assert.rejects(api.invoke('bogus' as never, {} as never), (e: { code: string }) => e.code === 'unknown-command');

  const seen: LabStatus[] = [];
  const off1 = api.on('lab.status', (s) => seen.push(s));
  const off2 = api.on('lab.status', () => {});
  await waitFor(() => subscriptions.get('lab.status') === 1, 'one server-side subscription for two listeners');
  await api.invoke('member.kill', { member: 1 });
  await waitFor(() => seen.some((s) => s.members[0]!.state === 'killed'), 'a status push after the kill');
  off1();
  off2();
  await waitFor(() => subscriptions.get('lab.status') === 0, 'unsubscribed when the last listener left');
  void lab;
});

test('a dropped connection fails pending commands with code disconnected and delivers lab.closed', async () => {
  const { bridge } = await serve();
  const api = await connectWebSocketLab(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, wsFactory);
  const closed: string[] = [];
  api.on('lab.closed', ({ reason }) => closed.push(reason));
  await bridge.close();
  await waitFor(() => closed.length === 1, 'lab.closed');
  assert.match(closed[0]!, /connection to the lab was lost/);
  await assert.rejects(api.invoke('lab.info', {}), (e: { code: string }) => e.code === 'disconnected');
});

test('a wrong token is refused before any command with a sentence saying what to check', async (t) => {
  const { bridge } = await serve();
  t.after(() => bridge.close());
  await assert.rejects(connectWebSocketLab(`ws://127.0.0.1:${bridge.port}/api?token=wrong`, wsFactory), (e: { code: string; message: string }) => {
    assert.equal(e.code, 'unreachable');
    assert.match(e.message, /token=…/, 'the token is not echoed');
    assert.match(e.message, /zk-lab serve is running/);
    return true;
  });
});
