/**
 * Vite build of the renderer into dist/renderer (where `zk-lab serve` and the Electron
 * main process look for it). `base: './'` keeps asset URLs relative so the same build
 * loads from the lab's HTTP server and from Electron's app:// protocol.
 *
 * dist/renderer is shared with tsc, which compiles the renderer's pure modules to
 * dist/renderer/src for the store tests; so Vite must not empty the folder — it removes
 * only what it owns (index.html, favicon.svg, assets/) before writing.
 *
 * ZOOLAB_RENDERER_DIR builds somewhere else (engineers sharing one checkout each build
 * their own copy; the UI tests read the same variable: test/e2e/helpers/browser.ts).
 */
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.env.ZOOLAB_RENDERER_DIR ? resolve(process.env.ZOOLAB_RENDERER_DIR) : resolve(here, '../dist/renderer');

function cleanOwnOutput(): Plugin {
  return {
    name: 'zoolab-clean-own-output',
    apply: 'build',
    buildStart() {
      for (const entry of ['index.html', 'favicon.svg', 'assets']) rmSync(resolve(outDir, entry), { recursive: true, force: true });
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [vue(), cleanOwnOutput()],
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: { host: '127.0.0.1' },
});
