/**
 * The detached supervisor process behind `zk-lab up`: opens the lab, serves the control
 * channel, starts members and proxies, and reports to the `up` command that started it
 * (over the IPC channel it was spawned with) once the lab serves — or why it could not.
 * It outlives that command, and exits after `down` (or SIGTERM/SIGINT) with everything
 * it started stopped.
 */
import { writeFileSync, unlinkSync, appendFileSync } from 'node:fs';
import { ControlClient, ControlServer } from './control-channel.js';
import { startDaemon } from './daemon-launch.js';
import type { LabInfo } from './api.js';
import { supervisorInfoPath, supervisorLogPath } from './lab-layout.js';
import { LabService } from './lab-service.js';
import { Supervisor } from './supervisor.js';
import { ScenarioService } from '../scenarios/service.js';

/** What the daemon tells the `up` command that spawned it. */
export type DaemonReport =
  | { type: 'serving'; connectString: string; members: number; observers: number; leader: number | null }
  | { type: 'failed'; error: string };

export interface DaemonOptions {
  dir: string;
  /** How long to wait for a writable quorum before reporting failure (default 60 s). */
  serveTimeoutMs?: number;
  memberScript?: string;
}

export async function runSupervisorDaemon(options: DaemonOptions): Promise<void> {
  const { dir } = options;
  const log = (line: string) => {
    try {
      appendFileSync(supervisorLogPath(dir), `${new Date().toISOString()} ${line}\n`);
    } catch {
      // logging must never take the supervisor down
    }
  };
  const report = (r: DaemonReport) => {
    if (process.send && process.connected) process.send(r);
    if (process.connected) process.disconnect();
  };

  let supervisor: Supervisor;
  try {
    supervisor = Supervisor.open({ dir, log, memberScript: options.memberScript });
  } catch (e) {
    log(`cannot open lab: ${(e as Error).message}`);
    report({ type: 'failed', error: (e as Error).message });
    process.exitCode = 1;
    return;
  }

  let exiting = false;
  const exit = async (why: string) => {
    if (exiting) return;
    exiting = true;
    log(`shutting down: ${why}`);
    await service.dispose().catch(() => {});
    await supervisor.down('lab').catch((e: Error) => log(`down failed: ${e.message}`));
    await control.close().catch(() => {});
    try {
      unlinkSync(supervisorInfoPath(dir));
    } catch {
      // already gone
    }
    log('supervisor exited');
    process.exit(0);
  };

  const service = new LabService({
    supervisor,
    allowLabSwitch: false,
    scenarios: new ScenarioService(),
    onDown: () => void exit('zk-lab down'),
    // One supervisor serves one lab: a lab imported from the browser gets its own.
    startLabBeside: (newDir) => startLabBeside(newDir, log),
  });
  const control = new ControlServer(dir, service);
  try {
    await control.start();
  } catch (e) {
    log(`cannot serve the control channel: ${(e as Error).message}`);
    report({ type: 'failed', error: (e as Error).message });
    supervisor.store.close();
    process.exitCode = 1;
    return;
  }
  writeFileSync(supervisorInfoPath(dir), JSON.stringify({ pid: process.pid, startedAt: Date.now() }) + '\n');
  process.on('SIGTERM', () => void exit('SIGTERM'));
  process.on('SIGINT', () => void exit('SIGINT'));
  // The `up` command disconnects once it has its answer; that is not a reason to stop.
  process.on('disconnect', () => {});

  log(`supervisor ${process.pid} starting lab ${dir}`);
  try {
    const started = await supervisor.start('cli');
    if (started.failed.length > 0) {
      throw new Error(started.failed.map((f) => `member ${f.member} failed to start: ${f.error}`).join('\n'));
    }
    const status = await supervisor.waitForStatus((s) => s.quorum.canWrite, options.serveTimeoutMs ?? 60_000, 'a writable quorum');
    const info = supervisor.info();
    log(`serving: ${info.connectString}`);
    report({ type: 'serving', connectString: info.connectString, members: info.members, observers: info.observers, leader: status.leader });
  } catch (e) {
    log(`lab did not come up: ${(e as Error).message}`);
    report({ type: 'failed', error: (e as Error).message });
    // A lab that did not come up leaves nothing behind (the log and member.log files keep the story).
    await exit('the lab did not come up');
  }
}

/** Starts the lab in `dir` under its own detached supervisor and returns its info once it serves. */
async function startLabBeside(dir: string, log: (line: string) => void): Promise<LabInfo> {
  log(`starting the imported lab ${dir} under its own supervisor`);
  const report = await startDaemon(dir);
  if (report.type === 'failed') throw new Error(report.error);
  const client = await ControlClient.connect(dir);
  try {
    const info = client.hello.lab ?? (await client.invoke('lab.info', {}));
    if (!info) throw new Error(`the supervisor of ${dir} reports no lab`);
    return info;
  } finally {
    client.close();
  }
}
