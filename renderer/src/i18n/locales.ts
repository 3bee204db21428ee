/**
 * Every catalogue in ./messages, found at build time: adding `messages/ko.ts` (exporting
 * one `Catalogue`) is all it takes to add Korean. The file name is the language code.
 */
import type { Catalogue } from './translate.js';

const modules = import.meta.glob<Record<string, Catalogue>>('./messages/*.ts', { eager: true });

export const catalogues: Record<string, Catalogue> = Object.fromEntries(
  Object.entries(modules).map(([file, mod]) => {
    const code = file.replace(/^.*\/([\w-]+)\.ts$/, '$1').toLowerCase();
    const catalogue = mod.default ?? Object.values(mod)[0]!;
    return [code, catalogue];
  }),
);
