/**
 * electron-builder.yml is valid for electron-builder (its own schema and checks), packs
 * what the app needs, and unpacks from the asar what member processes load from disk.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'electron-builder.yml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

interface BuilderConfig {
  appId: string;
  files: string[];
  asarUnpack: string[];
  extraMetadata: { main: string };
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

test('the config passes electron-builder’s own validation and targets AppImage, deb, dmg and nsis', async () => {
  const root = repoRoot();
  const require = createRequire(join(root, 'package.json'));
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(dir: string, file: string, extra: null): Promise<BuilderConfig>;
    validateConfiguration(c: unknown, logger: unknown): Promise<void>;
  };
  const { DebugLogger, log } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown; log: { stream: { write(s: string): boolean } } };
  // electron-builder logs to stdout in pieces, and stdout is the test runner's channel to this
  // file: a piece landing inside one of its messages breaks it ("Unable to deserialize cloned
  // data"). Its log is collected instead.
  const logged: string[] = [];
  const stdout = log.stream;
  log.stream = { write: (s) => logged.push(s) > 0 };
  const config = await getConfig(root, 'electron-builder.yml', null).finally(() => (log.stream = stdout));
  assert.match(logged.join(''), /loaded configuration.*electron-builder\.yml/, 'electron-builder read our file');
  await validateConfiguration(config, new DebugLogger(false));
  await assert.rejects(validateConfiguration({ ...config, asarUnpak: [] }, new DebugLogger(false)), /does not match the API schema/);
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.win.target, ['nsis']);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
  assert.equal(config.extraMetadata.main, pkg.main);
  assert.equal(pkg.main, 'dist/electron/main.js');
});

test('member processes find their files outside the asar; icons exist', async () => {
  const root = repoRoot();
  const text = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
  for (const unpacked of ['dist/engine/**', 'node_modules/better-sqlite3/**', 'node_modules/bindings/**', 'node_modules/file-uri-to-path/**']) {
    assert.ok(text.includes(`  - ${unpacked}`), `${unpacked} is unpacked`);
  }
  for (const packed of ['dist/engine/**', 'dist/electron/**', 'dist/renderer/**']) assert.ok(text.includes(`  - ${packed}`), `${packed} is packed`);
  for (const icon of ['resources/icon.png', 'resources/icons/512x512.png', 'resources/icons/256x256.png']) assert.ok(existsSync(join(root, icon)), `${icon} exists`);
  // The unpacked member script is where main.ts looks for it in a packaged app.
  const main = readFileSync(join(root, 'electron', 'main.ts'), 'utf8');
  assert.match(main, /'app\.asar\.unpacked', 'dist', 'engine', 'bin', 'zk-server\.js'/);
});
