/**
 * The WebSocket bridge on loopback with a scripted backend: who is let in (token, Origin,
 * Host), what an invoke returns, events fanned out to several tabs, static files without
 * path traversal.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { BridgeServerMessage, CommandName, EventName } from '../../engine/src/lab/api.js';
import { startWebBridge, type LabBackend } from '../../engine/src/lab/web-bridge.js';
import { connectLabBridge, type WebSocketClass } from '../../engine/src/lab/bridge-client.js';
import { LabError } from '../../engine/src/lab/supervisor.js';

function scriptedBackend() {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const calls: { name: CommandName; arg: unknown; actor: string }[] = [];
  const backend: LabBackend = {
    async invoke(name, arg, actor) {
      calls.push({ name, arg, actor });
      if (name === 'member.kill') throw new LabError('no-such-member', 'there is no member 9');
      return { echoed: arg };
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set!.delete(listener);
    },
    info: () => null,
  };
  const emit = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  const listenerCount = (event: EventName) => listeners.get(event)?.size ?? 0;
  return { backend, calls, emit, listenerCount };
}

/** A connected tab: its messages in order, and a way to wait for the next one matching. */
async function tab(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const messages: BridgeServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d) => {
    messages.push(JSON.parse(d.toString()) as BridgeServerMessage);
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (predicate: (m: BridgeServerMessage) => boolean): Promise<BridgeServerMessage> => {
    for (;;) {
      const found = messages.find(predicate);
      if (found) return found;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { ws, messages, next, send: (m: unknown) => ws.send(JSON.stringify(m)) };
}

function refusal(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => reject(new Error('connection was accepted')));
    ws.on('error', () => {});
  });
}

function httpGet(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the API refuses a wrong or missing token, a foreign Origin and a foreign Host', async (t) => {
  const { backend } = scriptedBackend();
  const bridge = await startWebBridge({ backend, staticDir: null, token: 'a'.repeat(64) });
  t.after(() => bridge.close());
  const base = `ws://127.0.0.1:${bridge.port}/api`;
  assert.equal(await refusal(`${base}?token=${'b'.repeat(64)}`), 401);
  assert.equal(await refusal(`${base}?token=short`), 401);
  assert.equal(await refusal(base), 401);
  assert.equal(await refusal(`${base}?token=${bridge.token}`, { Origin: 'http://evil.example' }), 403);
  assert.equal(await refusal(`${base}?token=${bridge.token}`, { Origin: `http://127.0.0.1:${bridge.port + 1}` }), 403);
  assert.equal(await refusal(`${base}?token=${bridge.token}`, { Host: `rebound.example:${bridge.port}` }), 403);
  assert.equal(await refusal(`ws://127.0.0.1:${bridge.port}/other?token=${bridge.token}`), 404);
  const ok = await tab(`${base}?token=${bridge.token}`, { Origin: `http://localhost:${bridge.port}` });
  assert.deepEqual(await ok.next((m) => m.t === 'hello'), { t: 'hello', lab: null, protocol: 1 });
  ok.ws.close();
  assert.equal(bridge.url, `http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
});

test('invoke answers each call with its own result; failures carry the LabError code', async (t) => {
  const { backend, calls } = scriptedBackend();
  const bridge = await startWebBridge({ backend, staticDir: null });
  t.after(() => bridge.close());
  const c = await tab(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`);
  c.send({ t: 'invoke', id: 1, name: 'links.get', arg: { a: 1 }, actor: 'cli' });
  c.send({ t: 'invoke', id: 2, name: 'member.kill', arg: { member: 9 } });
  c.send({ t: 'invoke', id: 3, name: 'not.a.command', arg: {} });
  assert.deepEqual(await c.next((m) => m.t === 'result' && m.id === 1), { t: 'result', id: 1, ok: true, value: { echoed: { a: 1 } } });
  assert.deepEqual(await c.next((m) => m.t === 'result' && m.id === 2), { t: 'result', id: 2, ok: false, error: { code: 'no-such-member', message: 'there is no member 9' } });
  const unknown = await c.next((m) => m.t === 'result' && m.id === 3);
  assert.equal(unknown.t === 'result' && !unknown.ok && unknown.error.code, 'unknown-command');
  assert.deepEqual(calls.map((x) => [x.name, x.actor]), [['links.get', 'web'], ['member.kill', 'web']], 'a browser cannot claim another actor');
  c.ws.close();
});

test('several tabs get the events they subscribed to, and only those', async (t) => {
  const { backend, emit, listenerCount } = scriptedBackend();
  const bridge = await startWebBridge({ backend, staticDir: null });
  t.after(() => bridge.close());
  const url = `ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`;
  const one = await tab(url);
  const two = await tab(url);
  one.send({ t: 'subscribe', events: ['lab.event', 'shell.output'] });
  two.send({ t: 'subscribe', events: ['lab.event', 'bogus.event'] });
  // A round trip on each tab proves its subscribe frame was handled.
  one.send({ t: 'invoke', id: 1, name: 'lab.info', arg: {} });
  two.send({ t: 'invoke', id: 1, name: 'lab.info', arg: {} });
  await one.next((m) => m.t === 'result');
  await two.next((m) => m.t === 'result');
  assert.equal(listenerCount('lab.event'), 2);
  emit('lab.event', { seq: 1 });
  emit('shell.output', { shellId: 's', data: 'x' });
  await one.next((m) => m.t === 'event' && m.name === 'shell.output');
  await two.next((m) => m.t === 'event' && m.name === 'lab.event');
  assert.deepEqual(one.messages.filter((m) => m.t === 'event').map((m) => m.t === 'event' && m.name), ['lab.event', 'shell.output']);
  assert.deepEqual(two.messages.filter((m) => m.t === 'event').map((m) => m.t === 'event' && m.name), ['lab.event']);
  two.ws.close();
  await new Promise<void>((r) => two.ws.once('close', () => r()));
  while (listenerCount('lab.event') !== 1) await new Promise((r) => setImmediate(r));
  one.ws.close();
  assert.equal(bridge.droppedEvents(), 0);
});

test('static files: the renderer build is served, nothing outside it, and a foreign Host is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'zoolab-static-'));
  const site = join(dir, 'site');
  mkdirSync(join(site, 'assets'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>ZooLab</title>');
  writeFileSync(join(site, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'top secret');
  const bridge = await startWebBridge({ backend: scriptedBackend().backend, staticDir: site });
  t.after(async () => {
    await bridge.close();
    rmSync(dir, { recursive: true, force: true });
  });
  assert.deepEqual(await httpGet(bridge.port, '/?token=x'), { status: 200, body: '<!doctype html><title>ZooLab</title>' });
  assert.equal((await httpGet(bridge.port, '/assets/app.js')).body, 'console.log(1)');
  assert.equal((await httpGet(bridge.port, '/some/route')).status, 200, 'single-page routes get index.html');
  assert.equal((await httpGet(bridge.port, '/assets/missing.js')).status, 404);
  const traversal = await httpGet(bridge.port, '/%2e%2e/secret.txt');
  assert.notEqual(traversal.body, 'top secret');
  assert.equal((await httpGet(bridge.port, '/', 'evil.example')).status, 403);
});

test('the browser-side client implements LabApi over the bridge (calls, errors, events, close)', async (t) => {
  const { backend, emit, listenerCount } = scriptedBackend();
  const bridge = await startWebBridge({ backend, staticDir: null });
  t.after(() => bridge.close());
  const lab = await connectLabBridge(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, WebSocket as unknown as WebSocketClass);
  assert.equal(lab.hello, null);
  assert.deepEqual(await lab.invoke('links.get', {}), { echoed: {} });
  await assert.rejects(lab.invoke('member.kill', { member: 9 }), (e: Error & { code?: string }) => e.code === 'no-such-member' && /no member 9/.test(e.message));
  const got: unknown[] = [];
  const off = lab.on('lab.event', (e) => got.push(e));
  await lab.invoke('lab.info', {}); // the subscribe frame went before this call
  assert.equal(listenerCount('lab.event'), 1);
  emit('lab.event', { seq: 7 });
  await lab.invoke('lab.info', {});
  assert.deepEqual(got, [{ seq: 7 }]);
  off();
  await lab.invoke('lab.info', {});
  assert.equal(listenerCount('lab.event'), 0, 'the last listener gone unsubscribes');
  const closed = new Promise((resolve) => lab.on('lab.closed', resolve));
  await bridge.close();
  assert.deepEqual(await closed, { reason: 'the connection to the lab was lost' });
  await assert.rejects(lab.invoke('lab.info', {}), /closed/);
  await assert.rejects(connectLabBridge(`ws://127.0.0.1:${bridge.port}/api?token=bad`, WebSocket as unknown as WebSocketClass), /cannot connect|closed the connection/);
});
