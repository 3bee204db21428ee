/**
 * Starting a lab's detached supervisor (`zk-lab __supervise --dir D`, daemon.ts) and
 * waiting for its first report: used by `zk-lab up` / `import`, and by a supervisor that
 * imports an uploaded export beside its own lab (lab-service.ts, `snapshot.importBytes`).
 * The supervisor outlives whoever started it; its stdout/stderr go to supervisor.log.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DaemonReport } from './daemon.js';
import { supervisorInfoPath, supervisorLogPath } from './lab-layout.js';

/** The compiled zk-lab entry point, found next to this file (never via cwd or dist/). */
export const ZK_LAB_SCRIPT = fileURLToPath(new URL('../../bin/zk-lab.js', import.meta.url));

/** Starts the detached supervisor for the lab in `dir` and resolves with its first report. */
export function startDaemon(dir: string, selfScript: string = ZK_LAB_SCRIPT): Promise<DaemonReport> {
  const logFd = openSync(supervisorLogPath(dir), 'a');
  const child = spawn(process.execPath, [selfScript, '__supervise', '--dir', dir], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    // The supervisor is plain Node even when an Electron binary started us.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  closeSync(logFd);
  return new Promise<DaemonReport>((resolvePromise) => {
    let settled = false;
    const settle = (r: DaemonReport) => {
      if (settled) return;
      settled = true;
      if (child.connected) child.disconnect();
      child.unref();
      resolvePromise(r);
    };
    child.on('message', (m) => settle(m as DaemonReport));
    child.on('exit', (code, signal) => settle({ type: 'failed', error: `the supervisor exited (${signal ?? `code ${code}`}) before the lab served` }));
    child.on('error', (e) => settle({ type: 'failed', error: `could not start the supervisor: ${e.message}` }));
  });
}

/** The pid in `<dir>/supervisor.json`, or null when no supervisor wrote one. */
export function readSupervisorPid(dir: string): number | null {
  try {
    return (JSON.parse(readFileSync(supervisorInfoPath(dir), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}
