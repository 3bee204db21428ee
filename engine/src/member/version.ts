/**
 * The version string four-letter words print: `3.8.4-zoolab-<package version>, built on
 * <date>`. The base is the ZooKeeper release whose behaviour we follow; the build date is
 * when this module was compiled (its file's modification time).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ZOOKEEPER_BASE_VERSION = '3.8.4';

/** Walks up from this module to the package.json named "zoolab". */
function packageVersion(from: string): string {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'zoolab' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return '0.0.0';
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-01-05 10:00 UTC`, as ZooKeeper prints its build date. */
export function buildDateText(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

let cached: string | null = null;

export function fullVersion(): string {
  if (cached !== null) return cached;
  const file = fileURLToPath(import.meta.url);
  let built = Date.now();
  try {
    built = statSync(file).mtimeMs;
  } catch {
    // keep "now"
  }
  cached = `${ZOOKEEPER_BASE_VERSION}-zoolab-${packageVersion(dirname(file))}, built on ${buildDateText(built)}`;
  return cached;
}
