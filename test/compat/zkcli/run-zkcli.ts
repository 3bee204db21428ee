/**
 * Runs Debian's zkCli.sh (the real Java client) against a server and normalizes what it
 * prints so two correct servers produce the same text:
 *  - zxids (cZxid/mZxid/pZxid) print by rank of their value (`zxid#3`): order kept,
 *    values not compared;
 *  - times print as TIME (the epoch, used by the reserved nodes, stays as is);
 *  - ephemeralOwner session ids print as S1, S2, ... in order of appearance;
 *  - the server port is replaced by PORT; the JVM's SLF4J noise is dropped;
 *  - `WATCHER::` blocks are moved out of the stream into a sorted list, because zkCli
 *    prints events from its event thread, racing the main thread's output; the final
 *    Closed state is dropped (the JVM may exit before printing it), and so are
 *    trailing blank lines.
 * stdout and stderr are kept apart for the same reason (two streams, no common order).
 */
import { spawn } from 'node:child_process';
import { ZKCLI } from '../../helpers/apache-zk.js';

export interface ZkCliRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

export function runZkCli(port: number, args: string[], stdin: string, timeoutMs = 60_000): Promise<ZkCliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(ZKCLI, ['-server', `127.0.0.1:${port}`, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`zkCli.sh ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode: code });
    });
    child.stdin.end(stdin);
  });
}

function trimEnd(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

export interface NormalizedRun {
  stdout: string[];
  stderr: string[];
  /** `type:X path:Y` of every WATCHER block, sorted. */
  events: string[];
  exitCode: number | null;
}

const DATE = /^(ctime|mtime) = (.*)$/;
const ZXID = /^(cZxid|mZxid|pZxid) = (0x[0-9a-f]+)$/;
const OWNER = /^ephemeralOwner = (0x[0-9a-f]+)$/;

/** Normalizes several runs together, so ranks and session labels are shared across them. */
export function normalizeRuns(runs: ZkCliRun[], port: number): NormalizedRun[] {
  const zxids = new Set<bigint>();
  for (const r of runs) for (const line of r.stdout.split('\n')) {
    const m = ZXID.exec(line);
    if (m) zxids.add(BigInt(m[2]));
  }
  const ranked = [...zxids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const sessions = new Map<string, string>();
  const line = (l: string): string => {
    let m = ZXID.exec(l);
    if (m) return `${m[1]} = zxid#${ranked.indexOf(BigInt(m[2]))}`;
    m = DATE.exec(l);
    if (m) return m[2] === 'Thu Jan 01 00:00:00 UTC 1970' ? l : `${m[1]} = TIME`;
    m = OWNER.exec(l);
    if (m && m[1] !== '0x0') {
      if (!sessions.has(m[1])) sessions.set(m[1], `S${sessions.size + 1}`);
      return `ephemeralOwner = ${sessions.get(m[1])}`;
    }
    return l.split(String(port)).join('PORT');
  };
  return runs.map((r) => {
    const events: string[] = [];
    const stdout: string[] = [];
    const lines = r.stdout.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === 'WATCHER::') {
        // The block is "WATCHER::", "", "WatchedEvent state:S type:T path:P" (and a blank before it).
        const ev = lines.slice(i + 1, i + 3).find((l) => l.startsWith('WatchedEvent '));
        if (ev) events.push(ev.replace(/^WatchedEvent /, ''));
        i += 2;
        if (stdout.at(-1) === '') stdout.pop();
        continue;
      }
      stdout.push(line(lines[i]));
    }
    const stderr = r.stderr
      .split('\n')
      .filter((l) => !l.startsWith('SLF4J:'))
      .map(line);
    // The JVM may exit before its event thread prints the final Closed state.
    const served = events.filter((e) => e !== 'state:Closed type:None path:null');
    return { stdout: trimEnd(stdout), stderr: trimEnd(stderr), events: served.sort(), exitCode: r.exitCode };
  });
}
