/**
 * Serves the built renderer (dist/renderer) at app://zoolab/ inside Electron: a real
 * origin for CSP 'self', no file:// quirks, no path escapes. Pure request → response
 * mapping here; main.ts registers it with `protocol.handle`.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY, APP_HOST } from './security.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** Resolves `url` inside `root`; null for anything outside it or another host. */
export function resolveAppPath(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.host !== APP_HOST) return null;
  const base = resolve(root);
  const rel = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname);
  const file = normalize(join(base, rel));
  if (file !== base && !file.startsWith(base + sep)) return null;
  return file;
}

export async function serveApp(root: string, url: string): Promise<AppResponse> {
  const file = resolveAppPath(root, url);
  const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' };
  if (file === null) return { status: 403, headers: { ...headers, 'Content-Type': 'text/plain' }, body: 'forbidden' };
  try {
    const body = await readFile(file);
    return { status: 200, headers: { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }, body };
  } catch {
    return { status: 404, headers: { ...headers, 'Content-Type': 'text/plain' }, body: 'not found' };
  }
}
