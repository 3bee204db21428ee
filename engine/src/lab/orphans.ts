/**
 * Members left behind by a supervisor that died without `down` (SIGKILL, power cut of the
 * terminal…). Their pids are saved in lab.sqlite; a pid is only killed if its command line
 * still names this member's zoo.cfg, so a recycled pid is never touched.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { MemberId } from './api.js';
import { memberConfigPath } from './lab-layout.js';
import type { LabStore } from './lab-store.js';

export function killOrphanMembers(dir: string, store: LabStore, log?: (line: string) => void): number {
  const text = store.getMeta('pids');
  if (!text) return 0;
  let killed = 0;
  for (const { member, pid } of JSON.parse(text) as { member: MemberId; pid: number }[]) {
    const cmdline = `/proc/${pid}/cmdline`;
    try {
      if (!existsSync(cmdline) || !readFileSync(cmdline, 'utf8').includes(memberConfigPath(dir, member))) continue;
      process.kill(pid, 'SIGKILL');
      killed++;
      log?.(`killed member ${member} (pid ${pid}) left behind by a previous supervisor`);
    } catch {
      // Gone already, or not ours to kill.
    }
  }
  store.setMeta('pids', '[]');
  return killed;
}
