/**
 * The preload as shipped: bundled to one CommonJS file by electron/preload.vite.config.mts
 * (built here into a temp folder), then run in a fresh VM context the way a sandboxed
 * preload runs — `require` offers only 'electron'. It must expose exactly `lab` and
 * `zoolabHost`, never ipcRenderer, and its `lab` must work over IPC.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'vite';
import { registerLabIpc } from '../../electron/ipc-adapter.js';
import { FakeLab } from '../../renderer/src/testing/fake-lab/fake-lab.js';
import { ManualScheduler } from '../../renderer/src/testing/fake-lab/scheduler.js';
import { FakeIpcMain, FakeIpcRenderer } from './helpers/fake-electron.js';

/** The repository root (this file runs from dist/test/electron or a private build folder). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    try {
      readFileSync(join(dir, 'electron-builder.yml'));
      return dir;
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error('repository root not found');
}

test('the bundled sandboxed preload requires only electron and exposes exactly lab and zoolabHost', async (t) => {
  const root = repoRoot();
  const out = mkdtempSync(join(tmpdir(), 'zoolab-preload-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  await build({ configFile: join(root, 'electron', 'preload.vite.config.mts'), logLevel: 'silent', build: { outDir: out } });
  const code = readFileSync(join(out, 'preload.cjs'), 'utf8');

  const ipcMain = new FakeIpcMain();
  const renderer = new FakeIpcRenderer(ipcMain);
  const lab = new FakeLab({ scheduler: new ManualScheduler(), spec: { members: 3 } });
  registerLabIpc({ ipcMain, backend: { invoke: (n, a) => lab.invoke(n, a as never), on: (e, l) => lab.on(e, l) }, isTrustedSender: () => true, send: () => {} });

  const exposed = new Map<string, unknown>();
  const required: string[] = [];
  const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer: renderer };
  const sandbox = {
    require: (id: string) => {
      required.push(id);
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return electron;
    },
    module: { exports: {} },
    exports: {},
    console,
  };
  vm.runInNewContext(code, sandbox, { filename: 'preload.cjs' });

  assert.deepEqual(required, ['electron']);
  assert.deepEqual([...exposed.keys()].sort(), ['lab', 'zoolabHost']);
  const exposedLab = exposed.get('lab') as { invoke: (n: string, a: unknown) => Promise<{ members: unknown[] }>; on: unknown };
  assert.deepEqual(Object.keys(exposedLab).sort(), ['invoke', 'on']);
  assert.equal(JSON.stringify([...exposed.values()]).includes('ipcRenderer'), false);
  const status = await exposedLab.invoke('lab.status', {});
  assert.equal(status.members.length, 3);
  await assert.rejects(exposedLab.invoke('shell.exec', {}), (e: { code: string }) => e.code === 'unknown-command');
});
