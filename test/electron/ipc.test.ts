/**
 * Main ↔ preload over fake IPC, end to end: the renderer-side LabApi the preload builds,
 * the main-side adapter, and a FakeLab behind it. Allowlisted names only, the sender
 * check on every request, errors as {code, message}, events fanned out and unsubscribed.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { LabStatus } from '../../engine/src/lab/api.js';
import { CHANNELS } from '../../electron/host-api.js';
import { registerLabIpc } from '../../electron/ipc-adapter.js';
import { createLabBridge } from '../../electron/preload-api.js';
import { isTrustedFrame } from '../../electron/window.js';
import { FakeLab } from '../../renderer/src/testing/fake-lab/fake-lab.js';
import { ManualScheduler } from '../../renderer/src/testing/fake-lab/scheduler.js';
import { FakeIpcMain, FakeIpcRenderer, type FakeSender } from './helpers/fake-electron.js';

function wire() {
  const sched = new ManualScheduler();
  const lab = new FakeLab({ scheduler: sched, spec: { members: 3 } });
  const ipcMain = new FakeIpcMain();
  const renderer = new FakeIpcRenderer(ipcMain);
  const unregister = registerLabIpc({
    ipcMain,
    backend: { invoke: (name, arg) => lab.invoke(name, arg as never), on: (event, l) => lab.on(event, l) },
    isTrustedSender: (e) => (e.sender as unknown as FakeSender).trusted,
    send: (channel, name, payload) => renderer.deliver(channel, name, payload),
  });
  const api = createLabBridge(renderer);
  return { lab, sched, ipcMain, renderer, api, unregister };
}

test('commands cross the bridge and come back as values; failures as {code, message} rejections', async () => {
  const { api } = wire();
  const status = await api.invoke('lab.status', {});
  assert.equal(status.members.length, 3);
  const r = await api.invoke('member.kill', { member: 2 });
  assert.match(r.message, /killed member 2/);
  await assert.rejects(api.invoke('member.kill', { member: 2 }), (e: unknown) => {
    assert.deepEqual(e, { code: 'not-running', message: 'member 2 is not running (killed); start it first' });
    assert.ok(!(e instanceof Error), 'a plain object: it survives contextBridge with its code');
    return true;
  });
});

test('names outside the command and event tables never reach the main process', async () => {
  const { api, renderer } = wire();
  await assert.rejects(api.invoke('fs.readFile' as never, {} as never), (e: { code: string }) => e.code === 'unknown-command');
  assert.equal(renderer.sent.length, 0);
  assert.throws(() => api.on('anything' as never, () => {}), (e: { code: string }) => e.code === 'unknown-event');
  // A hand-crafted request straight onto the channel is refused by main too.
  const reply = (await renderer.invoke(CHANNELS.labInvoke, 'process.exit', {})) as { ok: boolean; error: { code: string } };
  assert.deepEqual(reply, { ok: false, error: { code: 'unknown-command', message: 'unknown command "process.exit"' } });
});

test('requests from an untrusted sender are refused', async () => {
  const { api, renderer, lab } = wire();
  renderer.sender = { frameUrl: 'https://evil.example/', trusted: false };
  await assert.rejects(api.invoke('member.kill', { member: 1 }), (e: { code: string }) => e.code === 'forbidden');
  assert.equal(lab.calls.filter((c) => c.name === 'member.kill').length, 0);
});

test('events reach every subscriber; the last unsubscribe detaches from ipcRenderer; teardown removes the handler', async () => {
  const { api, renderer, ipcMain, unregister } = wire();
  const a: LabStatus[] = [];
  const b: LabStatus[] = [];
  const offA = api.on('lab.status', (s) => a.push(s));
  const offB = api.on('lab.status', (s) => b.push(s));
  assert.equal(renderer.listenerCount(CHANNELS.labEvent), 1, 'one ipc listener fans out to all subscribers');
  await api.invoke('member.pause', { member: 1 });
  assert.equal(a.at(-1)?.members[0]?.state, 'paused');
  assert.equal(b.length, a.length);
  offA();
  await api.invoke('member.resume', { member: 1 });
  assert.equal(a.at(-1)?.members[0]?.state, 'paused', 'an unsubscribed listener hears nothing more');
  assert.equal(b.at(-1)?.members[0]?.state, 'running');
  offB();
  assert.equal(renderer.listenerCount(CHANNELS.labEvent), 0);
  unregister();
  assert.equal(ipcMain.handlers.has(CHANNELS.labInvoke), false);
});

test('the sender check accepts only the window’s own main frame on app://zoolab', () => {
  const contents = {};
  const win = { isDestroyed: () => false, webContents: contents } as never;
  assert.equal(isTrustedFrame(win, { url: 'app://zoolab/index.html' }, contents as never), true);
  assert.equal(isTrustedFrame(win, { url: 'https://zoolab/index.html' }, contents as never), false);
  assert.equal(isTrustedFrame(win, { url: 'app://other/index.html' }, contents as never), false);
  assert.equal(isTrustedFrame(win, { url: 'app://zoolab/index.html' }, {} as never), false, 'another webContents');
  assert.equal(isTrustedFrame(win, null, contents as never), false);
  assert.equal(isTrustedFrame(null, { url: 'app://zoolab/' }, contents as never), false);
});
