/**
 * The desktop host channel: native dialogs and files behind an allowlist and the sender
 * check, with size limits; the preload's host bridge over fake IPC.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { registerHostIpc, type HostDeps } from '../../electron/host-handlers.js';
import { createHostBridge } from '../../electron/preload-api.js';
import { FakeIpcMain, FakeIpcRenderer, type FakeSender } from './helpers/fake-electron.js';

function wire(choice: { save: string | null; open: string | null }, files = new Map<string, Uint8Array>()) {
  const ipcMain = new FakeIpcMain();
  const renderer = new FakeIpcRenderer(ipcMain);
  const dialogs: string[] = [];
  const deps: HostDeps = {
    ipcMain,
    isTrustedSender: (e) => (e.sender as unknown as FakeSender).trusted,
    showSave: async (o) => {
      dialogs.push(`save ${o.title} ${o.defaultPath}`);
      return choice.save;
    },
    showOpen: async (o) => {
      dialogs.push(`open ${o.title} ${o.filters.map((f) => f.extensions.join(',')).join(';')}`);
      return choice.open;
    },
    readFile: async (p) => {
      const f = files.get(p);
      if (!f) throw Object.assign(new Error(`ENOENT: no such file ${p}`), { code: 'ENOENT' });
      return f;
    },
    writeFile: async (p, data) => {
      files.set(p, typeof data === 'string' ? new TextEncoder().encode(data) : data);
    },
    fileSize: async (p) => files.get(p)?.length ?? 0,
    labsDir: () => '/home/u/.config/ZooLab/labs',
  };
  registerHostIpc(deps);
  return { host: createHostBridge(renderer), renderer, files, dialogs };
}

test('save dialogs write what the renderer sent; cancelling writes nothing', async () => {
  const { host, files, dialogs } = wire({ save: '/tmp/out.json', open: null });
  assert.equal(await host.invoke('host.saveText', { title: 'Export', defaultName: 'x.json', filters: [], text: '{"a":1}' }), '/tmp/out.json');
  assert.equal(new TextDecoder().decode(files.get('/tmp/out.json')), '{"a":1}');
  assert.equal(await host.invoke('host.saveBytes', { title: 'Export', defaultName: 'c.zoolab', filters: [], dataBase64: Buffer.from([0, 255, 7]).toString('base64') }), '/tmp/out.json');
  assert.deepEqual([...files.get('/tmp/out.json')!], [0, 255, 7]);
  assert.deepEqual(dialogs, ['save Export x.json', 'save Export c.zoolab']);
  const cancelled = wire({ save: null, open: null });
  assert.equal(await cancelled.host.invoke('host.saveText', { title: 'E', defaultName: 'x', filters: [], text: 'y' }), null);
  assert.equal(cancelled.files.size, 0);
});

test('open dialogs read the chosen file (text or base64 bytes) and refuse huge files', async () => {
  const files = new Map([['/in/sub.json', new TextEncoder().encode('{"format":"zoolab-subtree"}')]]);
  const { host } = wire({ save: null, open: '/in/sub.json' }, files);
  assert.deepEqual(await host.invoke('host.openText', { title: 'Import', filters: [{ name: 'JSON', extensions: ['json'] }] }), { name: 'sub.json', text: '{"format":"zoolab-subtree"}' });
  assert.deepEqual(await host.invoke('host.openBytes', { title: 'Import', filters: [] }), { name: 'sub.json', dataBase64: Buffer.from('{"format":"zoolab-subtree"}').toString('base64') });
  // Pretend the file is 65 MiB without allocating it.
  const big = wire({ save: null, open: '/in/huge.json' }, new Map([['/in/huge.json', { length: 65 * 1024 * 1024 } as unknown as Uint8Array]]));
  await assert.rejects(big.host.invoke('host.openText', { title: 'I', filters: [] }), (e: { code: string; message: string }) => e.code === 'too-large' && /at most 67108864/.test(e.message));
  assert.equal(await host.invoke('host.labsDir', {}), '/home/u/.config/ZooLab/labs');
});

test('unknown host commands and untrusted senders are refused', async () => {
  const { host, renderer } = wire({ save: '/x', open: '/y' });
  await assert.rejects(host.invoke('host.exec' as never, {} as never), (e: { code: string }) => e.code === 'unknown-command');
  renderer.sender = { frameUrl: 'https://evil.example/', trusted: false };
  await assert.rejects(host.invoke('host.labsDir', {}), (e: { code: string }) => e.code === 'forbidden');
  assert.throws(() => host.on('host.anything' as never, () => {}), (e: { code: string }) => e.code === 'unknown-event');
});

test('menu commands arrive through host.menu', () => {
  const { host, renderer } = wire({ save: null, open: null });
  const got: string[] = [];
  const off = host.on('host.menu', (p) => got.push(p.command));
  renderer.deliver('zoolab:host-event', 'host.menu', { command: 'ensemble.killLeader' });
  renderer.deliver('zoolab:host-event', 'host.other', { command: 'ignored' });
  off();
  renderer.deliver('zoolab:host-event', 'host.menu', { command: 'after-off' });
  assert.deepEqual(got, ['ensemble.killLeader']);
});
