/**
 * One supervisor per lab: `lab.lock` in the lab directory holds the owning process id.
 * A second supervisor (another `zk-lab up`, or the desktop app opening a lab a daemon
 * already runs) is refused instead of fighting over the members; a lock left by a process
 * that no longer exists is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class LabLockedError extends Error {
  override name = 'LabLockedError';
  readonly code = 'locked';
}

export function labLockPath(dir: string): string {
  return join(dir, 'lab.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock for this process; returns the release function. */
export function lockLab(dir: string): () => void {
  const path = labLockPath(dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (Number(readFileSync(path, 'utf8').trim()) === process.pid) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(path, 'utf8').trim());
      } catch {
        // vanished between open and read: try again
      }
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new LabLockedError(`the lab in ${dir} is already run by process ${holder} (a zk-lab supervisor or the desktop app); use that one, or stop it first (zk-lab down)`);
      }
      if (holder === process.pid) throw new LabLockedError(`the lab in ${dir} is already open in this process`);
      rmSync(path, { force: true });
    }
  }
  throw new LabLockedError(`could not take the lock ${path}`);
}
