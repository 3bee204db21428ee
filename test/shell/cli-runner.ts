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

/** What zkCli's event thread prints per event: two printlns, each starting with "\n". */
const WATCHER_LINE = /\nWATCHER::\n/g;
const EVENT_LINE = /\nWatchedEvent (state:\w+ type:\w+ path:\S+)\n/g;

/**
 * zkCli prints watch events (WATCHER:: then WatchedEvent …, two printlns) from its event
 * thread while the main thread prints the commands' output, so where they land varies from
 * run to run — between lines, between the two printlns, even inside a line of the main
 * thread's (seen on busy machines: `close; ls /` put "Not connected" between the two, and
 * an `ls` printed "[b, d" before a PersistentWatchRemoved event and ", gone]" after it).
 * Each println is contiguous, so both are cut out of the character stream and the events
 * compared as their own ordered list; what remains is the main thread's output, whole.
 */
export function withEventsApart(stdout: string): { stdout: string; events: string[] } {
  const events = [...stdout.matchAll(EVENT_LINE)].map((m) => m[1]!);
  return { stdout: stdout.replace(EVENT_LINE, '').replace(WATCHER_LINE, ''), events };
}
