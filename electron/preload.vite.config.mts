/**
 * Bundles the sandboxed preload to one CommonJS file (dist/electron/preload.cjs): a
 * sandboxed preload cannot `require` our other modules, so api.ts's name lists and the
 * bridge code are inlined; only `electron` stays external (the sandbox provides it).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  build: {
    outDir: resolve(here, '../dist/electron'),
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: false,
    lib: {
      entry: resolve(here, 'preload.ts'),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: {
      external: ['electron'],
    },
  },
});
