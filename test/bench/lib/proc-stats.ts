/**
 * What the operating system says about a server process and the machine: resident
 * memory (VmRSS from /proc/<pid>/status, as the issue asks), CPU time used, the load
 * average (other engineers share this machine; every figure is reported with it), and a
 * one-line description of the machine for the report.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Resident set size of `pid` in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status (has the process exited?)`);
  return Number(m[1]) * 1024;
}

/** User + system CPU time consumed by `pid` (all its threads) so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its closing paren are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/**
 * Asks a JVM for a full garbage collection (`jcmd <pid> GC.run`, i.e. System.gc()); G1
 * then shrinks the committed heap, which is how the "RSS after a full GC" is taken.
 */
export async function jvmFullGc(pid: number): Promise<void> {
  await run('jcmd', [String(pid), 'GC.run'], { timeout: 60_000 });
}

export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}

export function machineDescription(): string {
  const c = cpus();
  const model = c[0]?.model.trim() ?? 'unknown CPU';
  return `${c.length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.versions.node}`;
}

export async function javaVersion(): Promise<string> {
  try {
    const { stderr } = await run('java', ['-version']);
    return stderr.split('\n')[0]?.trim() ?? 'unknown';
  } catch {
    return 'unavailable';
  }
}
