/**
 * Runs a script of shell commands through a CLI process and captures what it prints: the
 * real `zkCli.sh` (Apache ZooKeeper 3.8) or our `zk-cli`, each fed the script on stdin (no
 * TTY, so neither prints a prompt). `normalize` removes what legitimately differs between
 * two runs: times, zxids, session ids, ports, the JVM's logging noise, the version line
 * and the order of getEphemerals lists.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZKCLI } from '../helpers/apache-zk.js';

export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Our compiled CLI, beside this file in the same build tree (dist/ or .build/<name>/). */
export const ZK_CLI_JS = join(here, '..', '..', 'engine', 'bin', 'zk-cli.js');

/** test/fixtures/zkcli in the source tree, found by walking up from the build tree. */
export function fixturesDir(): string {
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'fixtures', 'zkcli');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`test/fixtures/zkcli not found above ${here}`);
}

export function readScript(name: string, vars: Record<string, string> = {}): string {
  let text = readFileSync(join(fixturesDir(), name), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.split(k).join(v);
  return text;
}

function run(command: string, args: string[], input: string, timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode: code });
    });
    child.stdin.end(input);
  });
}

/** `zkCli.sh -server <connect> [cmd…]` with `script` on stdin. */
export function runApacheCli(connect: string, script: string, command: string[] = [], timeoutMs = 60_000): Promise<CliRun> {
  return run(ZKCLI, ['-server', connect, ...command], script, timeoutMs);
}

/** `node zk-cli.js -server <connect> [cmd…]` with `script` on stdin. */
export function runZooLabCli(connect: string, script: string, command: string[] = [], timeoutMs = 60_000): Promise<CliRun> {
  return run(process.execPath, [ZK_CLI_JS, '-server', connect, ...command], script, timeoutMs);
}

/**
 * A bracketed list of absolute paths, `[/a/eph, /b]`: only getEphemerals prints one (`ls`
 * prints names without a slash, `ls -R` one path per line). Its order is unspecified
 * (wire-protocol.md §9: Apache answers in hash order, our member sorted).
 */
const PATH_LIST = /^\[\/[^,\]]*(?:, \/[^,\]]*)*\]$/;

/** The getEphemerals list of a line in one canonical (sorted) order; other lines as they are. */
export function sortPathList(line: string): string {
  if (!PATH_LIST.test(line)) return line;
  return `[${line.slice(1, -1).split(', ').sort().join(', ')}]`;
}

const JAVA_DATE = /[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [A-Z][A-Za-z0-9+:-]* \d{4}/g;

/** Text with run-specific values replaced by placeholders, line by line. */
export function normalize(text: string, connect: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('SLF4J:') && !/^JLine support is (en|dis)abled$/.test(line))
    .filter((line) => !line.startsWith('ZooKeeper CLI version: '))
    .map((line) =>
      line
        .split(connect)
        .join('<server>')
        .replace(JAVA_DATE, '<time>')
        .replace(/^([cmp]Zxid) = 0x[0-9a-f]+$/, '$1 = <zxid>')
        .replace(/^ephemeralOwner = 0x(?!0$)[0-9a-f]+$/, 'ephemeralOwner = <session>'),
    )
    .map(sortPathList)
    .join('\n');
}

const SESSION_EVENT = /^WatchedEvent state:(\w+) type:None path:null$/;

/**
 * zkCli prints session events (SyncConnected, Closed…) from its event thread, so where
 * they land among the commands' output varies from run to run — and since it prints an
 * event as two lines ("\nWATCHER::" then "\nWatchedEvent …", each one println), a line of
 * the main thread can even land between the two (on a busy machine, `close` then `ls /`
 * prints "Not connected" there). Session events are taken out of the transcript, each with
 * the WATCHER:: line it pairs with and the blank line each println starts with, and
 * compared as their own ordered list. Node events stay where they are.
 */
export function withSessionEventsApart(stdout: string): { stdout: string; sessionEvents: string[] } {
  const lines = stdout.split('\n');
  const drop = new Set<number>();
  const sessionEvents: string[] = [];
  let pendingWatcher = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === 'WATCHER::' && lines[i - 1] === '') pendingWatcher = i;
    if (!lines[i]!.startsWith('WatchedEvent ')) continue;
    const m = SESSION_EVENT.exec(lines[i]!);
    const watcher = pendingWatcher;
    pendingWatcher = -1;
    if (!m || lines[i - 1] !== '' || watcher < 0) continue;
    sessionEvents.push(m[1]!);
    for (const at of [watcher - 1, watcher, i - 1, i]) drop.add(at);
  }
  return { stdout: lines.filter((_, i) => !drop.has(i)).join('\n'), sessionEvents };
}
