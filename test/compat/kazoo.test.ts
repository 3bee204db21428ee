/**
 * kazoo (python3-kazoo), a third real client, runs kazoo/kazoo_smoke.py against Apache
 * ZooKeeper 3.8 (proving the script's expectations) and against our member: connect,
 * CRUD, create2/getChildren2, watches and recipes, transactions, digest ACLs, sync,
 * four-letter words, ephemeral cleanup when a session closes, auth failure.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipUnless, startTarget } from './lib/targets.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = 'test/compat/kazoo/kazoo_smoke.py';

/** The script lives in the source tree (tsc does not copy it): walk up from the build tree. */
function scriptPath(): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, SCRIPT))) return join(dir, SCRIPT);
  }
  return null;
}

function kazooMissing(): string | false {
  if (!existsSync(PYTHON)) return `${PYTHON} is not installed`;
  if (!scriptPath()) return `${SCRIPT} not found above the build directory`;
  return false;
}

function runSmoke(port: number, tag: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [scriptPath()!, `127.0.0.1:${port}`, tag], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

for (const kind of ['apache', 'zoolab'] as const) {
  test(`kazoo smoke script against ${kind}`, { skip: kazooMissing() || skipUnless(kind), timeout: 90_000 }, async () => {
    const t = await startTarget(kind);
    try {
      const { code, out } = await runSmoke(t.port, `${kind}-${process.pid}`);
      assert.equal(code, 0, `kazoo_smoke.py failed (exit ${code}):\n${out.slice(-4000)}`);
      assert.match(out, /^ALL OK$/m);
      const passed = out.split('\n').filter((l) => l.startsWith('ok ')).length;
      assert.ok(passed >= 30, `only ${passed} checks ran:\n${out}`);
    } finally {
      await t.stop();
    }
  });
}
