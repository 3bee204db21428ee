/**
 * The recent-labs list the desktop app offers on its start screen: a small JSON file in
 * the user's config directory ($ZOOLAB_HOME, else $XDG_CONFIG_HOME/zoolab, else
 * ~/.config/zoolab). Best effort: an unreadable file is an empty list, never an error.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LabInfo, RecentLab } from './api.js';
import { isLabDir } from './lab-store.js';

const MAX_RECENT = 20;

export function zoolabHome(): string {
  return process.env.ZOOLAB_HOME ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'zoolab');
}

export class RecentLabs {
  constructor(private readonly file = join(zoolabHome(), 'recent-labs.json')) {}

  list(): RecentLab[] {
    return this.read().map((r) => ({ ...r, exists: isLabDir(r.dir) }));
  }

  remember(info: LabInfo, at: number): void {
    const entry = { dir: info.dir, name: info.name, members: info.members, observers: info.observers, lastOpenedAt: at };
    const rest = this.read().filter((r) => r.dir !== info.dir);
    this.write([entry, ...rest].slice(0, MAX_RECENT));
  }

  private read(): Omit<RecentLab, 'exists'>[] {
    try {
      if (!existsSync(this.file)) return [];
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return Array.isArray(parsed) ? parsed.filter((r) => r && typeof r.dir === 'string') : [];
    } catch {
      return [];
    }
  }

  private write(entries: Omit<RecentLab, 'exists'>[]): void {
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      writeFileSync(this.file, JSON.stringify(entries, null, 2));
    } catch {
      // The list is a convenience; a read-only home must not break the lab.
    }
  }
}
