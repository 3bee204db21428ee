/**
 * The zk-lab subcommands. Each reports what it did on stdout and, when it cannot, one
 * clear line on stderr and a non-zero exit code. Everything except `up`, `import` and the
 * offline forms of `status`/`events`/`down` talks to the lab's supervisor over its control
 * channel.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LabApi, LabEvent, LabStatus, PartitionPreset } from '../api.js';
import { ControlClient, supervisorRunning } from '../control-channel.js';
import { readSupervisorPid, startDaemon } from '../daemon-launch.js';
import { createLabDir, DEFAULT_LAB_DIR, supervisorLogPath } from '../lab-layout.js';
import { isLabDir, LabStore } from '../lab-store.js';
import { killOrphanMembers } from '../orphans.js';
import { parseGroupsSpec } from '../partition-presets.js';
import { flagInt, flagString, memberArg, parseDuration, parseLink, parsePercent, UsageError, type ParsedArgs } from './args.js';
import { formatEvent } from './event-format.js';
import { LabServer } from '../lab-server.js';
import { importClusterDir } from '../cluster-export.js';
import { offlineStatus, statusJson, statusTable } from './status-format.js';
import { scenarioCommand, SCENARIO_USAGE } from './scenario-command.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** This program's own script, to start the detached supervisor with. */
  selfScript: string;
}

/** A failure the user should read; the message is printed as is. */
export class CliError extends Error {
  override name = 'CliError';
}

export type CommandFn = (args: ParsedArgs, io: CliIo) => Promise<number>;

function labDir(args: ParsedArgs): string {
  return resolve(flagString(args, 'dir') ?? DEFAULT_LAB_DIR);
}

async function connect(args: ParsedArgs): Promise<ControlClient> {
  return ControlClient.connect(labDir(args));
}

async function withLab<T>(args: ParsedArgs, fn: (lab: LabApi) => Promise<T>): Promise<T> {
  const client = await connect(args);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

// ───────────────────────────── up ─────────────────────────────

const up: CommandFn = async (args, io) => {
  const connect = await ensureLabRunning(args, io);
  io.out(connect);
  return 0;
};

/**
 * `up`'s work, shared with `serve`: creates the lab when the directory holds none,
 * restarts it when its supervisor is not running, and resolves with the connect string
 * once it serves. A running lab of another shape is an error, never silently reused.
 */
async function ensureLabRunning(args: ParsedArgs, io: CliIo): Promise<string> {
  const dir = labDir(args);
  const members = flagInt(args, 'members', 1, 9);
  const observers = flagInt(args, 'observers', 0, 9);
  const tickTimeMs = flagInt(args, 'tick-time', 10, 60_000);
  if (await supervisorRunning(dir)) {
    const status = await withLab(args, (lab) => lab.invoke('lab.status', {}));
    checkShape(dir, status.lab.members, status.lab.observers, members, observers);
    io.out(`lab in ${dir} is already running (${describeShape(status.lab.members, status.lab.observers)}, leader ${status.leader ?? 'none'})`);
    return status.lab.connectString;
  }
  if (!isLabDir(dir)) {
    const config = await createLabDir(dir, { members: members ?? 3, observers, tickTimeMs }, Date.now(), Math.floor(Math.random() * 2 ** 31));
    io.out(`created lab in ${dir}: ${describeShape(members ?? 3, observers ?? 0)}, tickTime ${config.tickTimeMs} ms`);
  } else {
    const store = LabStore.open(dir, { readonly: true });
    const config = store.config();
    store.close();
    const voters = config.members.filter((m) => m.kind === 'participant').length;
    checkShape(dir, voters, config.members.length - voters, members, observers);
    if (tickTimeMs !== undefined && tickTimeMs !== config.tickTimeMs) throw new CliError(`the lab in ${dir} uses tickTime ${config.tickTimeMs} ms; --tick-time cannot change an existing lab`);
    io.out(`restarting lab in ${dir} (${describeShape(voters, config.members.length - voters)}); members recover from their own data`);
  }
  const report = await startDaemon(dir, io.selfScript);
  if (report.type === 'failed') throw new CliError(`the lab in ${dir} did not come up: ${report.error}\n(see ${supervisorLogPath(dir)} and members/*/member.log)`);
  io.out(`lab is serving: ${describeShape(report.members, report.observers)}, leader ${report.leader ?? 'none (standalone)'}; supervisor pid ${readSupervisorPid(dir) ?? '?'}`);
  return report.connectString;
}

function describeShape(voters: number, observers: number): string {
  return `${voters} member${voters === 1 ? '' : 's'}${observers ? ` + ${observers} observer${observers === 1 ? '' : 's'}` : ''}`;
}

function checkShape(dir: string, voters: number, observers: number, wantVoters?: number, wantObservers?: number): void {
  if ((wantVoters !== undefined && wantVoters !== voters) || (wantObservers !== undefined && wantObservers !== observers)) {
    throw new CliError(`the lab in ${dir} has ${describeShape(voters, observers)}; use another --dir for a different shape, or zk-lab down and remove it first`);
  }
}

// ───────────────────────────── status, down ─────────────────────────────

const status: CommandFn = async (args, io) => {
  const dir = labDir(args);
  let s: LabStatus;
  if (await supervisorRunning(dir)) {
    s = await withLab(args, (lab) => lab.invoke('lab.status', {}));
  } else {
    if (!isLabDir(dir)) throw new CliError(`${dir} is not a lab directory (create one with zk-lab up --dir ${dir})`);
    const store = LabStore.open(dir, { readonly: true });
    try {
      s = offlineStatus(dir, store.config(), store.loadLinks());
    } finally {
      store.close();
    }
  }
  io.out(args.flags.has('json') ? JSON.stringify(statusJson(s)) : statusTable(s));
  return 0;
};

const down: CommandFn = async (args, io) => {
  const dir = labDir(args);
  if (!(await supervisorRunning(dir))) {
    if (!isLabDir(dir)) throw new CliError(`${dir} is not a lab directory`);
    const store = LabStore.open(dir);
    const killed = killOrphanMembers(dir, store);
    store.close();
    io.out(killed > 0 ? `lab in ${dir} had no supervisor; killed ${killed} member process(es) it left behind` : `lab in ${dir} is not running; nothing to stop`);
    return 0;
  }
  const pid = readSupervisorPid(dir);
  const result = await withLab(args, (lab) => lab.invoke('lab.down', {}));
  if (pid !== null) await waitForExit(pid, 30_000);
  io.out(result.message);
  return 0;
};

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new CliError(`the supervisor (pid ${pid}) did not exit within ${timeoutMs} ms`);
}

// ───────────────────────────── member actions ─────────────────────────────

function memberCommand(action: 'kill' | 'pause' | 'resume' | 'restart' | 'start' | 'stop' | 'wipe'): CommandFn {
  return async (args, io) => {
    const member = memberArg(args, action);
    const r = await withLab(args, (lab) => lab.invoke(`member.${action}`, { member }));
    io.out(r.message);
    return 0;
  };
}

const logs: CommandFn = async (args, io) => {
  const member = memberArg(args, 'logs');
  const r = await withLab(args, (lab) => lab.invoke('member.logs', { member, lines: flagInt(args, 'lines', 1, 200) ?? 50 }));
  for (const line of r.lines) io.out(line);
  return 0;
};

// ───────────────────────────── network ─────────────────────────────

function partitionMode(args: ParsedArgs): 'reject' | 'blackhole' {
  return args.flags.has('reject') ? 'reject' : 'blackhole';
}

const partition: CommandFn = async (args, io) => {
  const spec = args.positionals.join('');
  if (!spec) throw new UsageError("partition needs groups, e.g. zk-lab partition '1,2|3,4,5'");
  const preset: PartitionPreset = { kind: 'groups', groups: parseGroupsSpec(spec), mode: partitionMode(args) };
  const r = await withLab(args, (lab) => lab.invoke('links.preset', { preset }));
  io.out(r.message);
  return 0;
};

const isolate: CommandFn = async (args, io) => {
  const member = memberArg(args, 'isolate');
  const r = await withLab(args, (lab) => lab.invoke('links.preset', { preset: { kind: 'isolate', member, mode: partitionMode(args) } }));
  io.out(r.message);
  return 0;
};

const heal: CommandFn = async (args, io) => {
  const r = await withLab(args, (lab) => lab.invoke('links.heal', {}));
  io.out(r.message);
  return 0;
};

const delay: CommandFn = async (args, io) => {
  const [linkText, amount] = args.positionals;
  if (!linkText || !amount) throw new UsageError('delay needs a link and a duration, e.g. zk-lab delay 1-2 200ms [--jitter 50ms]');
  const link = parseLink(linkText);
  const jitter = flagString(args, 'jitter');
  const settings = { delayMs: parseDuration(amount), ...(jitter !== undefined ? { jitterMs: parseDuration(jitter) } : {}) };
  await withLab(args, (lab) => lab.invoke('links.set', { ...link, settings }));
  io.out(`link ${linkText}: delay ${settings.delayMs} ms${jitter !== undefined ? ` ± ${settings.jitterMs} ms` : ''}${link.bothWays ? ' in both directions' : ''}`);
  return 0;
};

const loss: CommandFn = async (args, io) => {
  const [linkText, amount] = args.positionals;
  if (!linkText || !amount) throw new UsageError('loss needs a link and a percentage, e.g. zk-lab loss 1-2 10%');
  const link = parseLink(linkText);
  const lossPercent = parsePercent(amount);
  await withLab(args, (lab) => lab.invoke('links.set', { ...link, settings: { lossPercent } }));
  io.out(`link ${linkText}: ${lossPercent}% of messages dropped${link.bothWays ? ' in both directions' : ''}`);
  return 0;
};

// ───────────────────────────── events ─────────────────────────────

const events: CommandFn = async (args, io) => {
  const dir = labDir(args);
  const json = args.flags.has('json');
  const print = (e: LabEvent) => io.out(json ? JSON.stringify(e) : formatEvent(e));
  let after = flagInt(args, 'since', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  if (!(await supervisorRunning(dir))) {
    if (args.flags.has('follow')) throw new CliError(`the lab in ${dir} is not running; events --follow needs a running lab (without --follow the stored log is printed)`);
    if (!isLabDir(dir)) throw new CliError(`${dir} is not a lab directory`);
    const store = LabStore.open(dir, { readonly: true });
    try {
      for (let page = store.readEvents(after, 1000); page.length > 0; page = store.readEvents(after, 1000)) {
        page.forEach(print);
        after = page.at(-1)!.seq;
      }
    } finally {
      store.close();
    }
    return 0;
  }
  const client = await connect(args);
  const live: LabEvent[] = [];
  let caughtUp = false;
  if (args.flags.has('follow')) {
    client.on('lab.event', (e) => {
      if (!caughtUp) live.push(e);
      else if (e.seq > after) {
        after = e.seq;
        print(e);
      }
    });
  }
  for (;;) {
    const page = await client.invoke('events.since', { afterSeq: after, limit: 1000 });
    if (page.truncated) io.err(`(events before #${page.events[0]?.seq ?? page.lastSeq} were trimmed from the bounded log)`);
    page.events.forEach(print);
    if (page.events.length > 0) after = page.events.at(-1)!.seq;
    if (page.events.length < 1000) break;
  }
  if (!args.flags.has('follow')) {
    client.close();
    return 0;
  }
  caughtUp = true;
  for (const e of live) if (e.seq > after) (after = e.seq), print(e);
  return new Promise<number>((resolvePromise) => {
    client.onClosed(() => {
      io.err('(the lab went down)');
      resolvePromise(0);
    });
    process.once('SIGINT', () => {
      client.close();
      resolvePromise(0);
    });
  });
};

// ───────────────────────────── export / import ─────────────────────────────

const exportCommand: CommandFn = async (args, io) => {
  const file = args.positionals[0];
  if (!file) throw new UsageError('export needs a file name, e.g. zk-lab export backup.zoolab');
  const r = await withLab(args, (lab) => lab.invoke('snapshot.export', { file: resolve(file) }));
  const m = r.manifest;
  io.out(`exported ${m.lab.members} member(s)${m.lab.observers ? ` + ${m.lab.observers} observer(s)` : ''}, ${m.znodes} znodes (digest ${m.digest}) to ${r.file} (${r.sizeBytes} bytes)`);
  return 0;
};

const importCommand: CommandFn = async (args, io) => {
  const file = args.positionals[0];
  if (!file) throw new UsageError('import needs an export file, e.g. zk-lab import backup.zoolab --dir ./restored-lab');
  const dir = labDir(args);
  if (await supervisorRunning(dir)) throw new CliError(`a lab is already running in ${dir}; import into a new directory`);
  const config = await importClusterDir(requireFile(file), dir, Date.now(), Math.floor(Math.random() * 2 ** 31));
  const voters = config.members.filter((m) => m.kind === 'participant').length;
  io.out(`imported ${resolve(file)} into a new lab in ${dir} (${describeShape(voters, config.members.length - voters)})`);
  const report = await startDaemon(dir, io.selfScript);
  if (report.type === 'failed') throw new CliError(`the imported lab in ${dir} did not come up: ${report.error}\n(see ${supervisorLogPath(dir)} and members/*/member.log)`);
  io.out(`lab is serving: ${describeShape(report.members, report.observers)}, leader ${report.leader ?? 'none (standalone)'}; supervisor pid ${readSupervisorPid(dir) ?? '?'}`);
  io.out(report.connectString);
  return 0;
};

// ───────────────────────────── serve ─────────────────────────────

const serve: CommandFn = async (args, io) => {
  const dir = labDir(args);
  await ensureLabRunning(args, { ...io, out: io.err });
  const staticDir = flagString(args, 'static') ?? findRendererBuild(io.selfScript);
  // Labs imported from the browser run beside this one; the server serves them too (lab-server.ts).
  const server = new LabServer({ staticDir, onServed: (newDir, url) => io.err(`serving the imported lab ${newDir} at ${url}`) });
  let onDown = () => {};
  const bridge = await server.serve(dir, flagInt(args, 'port', 0, 65535) ?? 0, () => onDown());
  io.err(`serving the ${staticDir ? `UI from ${staticDir}` : 'built-in status page (no renderer build found)'} and the lab API for ${dir}; Ctrl-C stops serving (the lab keeps running)`);
  io.out(bridge.url);
  return new Promise<number>((resolvePromise) => {
    const stop = async (code: number) => {
      await server.close();
      resolvePromise(code);
    };
    onDown = () => {
      io.err('the lab went down; stopped serving');
      void stop(0);
    };
    process.once('SIGINT', () => void stop(0));
    process.once('SIGTERM', () => void stop(0));
  });
};

/** The renderer build next to this installation: <root>/dist/renderer or <root>/renderer/dist. */
function findRendererBuild(selfScript: string): string | null {
  let dir = dirname(selfScript);
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) {
      for (const candidate of [join(dir, 'dist', 'renderer'), join(dir, 'renderer', 'dist')]) {
        if (existsSync(join(candidate, 'index.html'))) return candidate;
      }
      return null;
    }
    dir = dirname(dir);
  }
  return null;
}

// ───────────────────────────── table ─────────────────────────────

export const COMMANDS: Record<string, CommandFn> = {
  up,
  status,
  down,
  kill: memberCommand('kill'),
  pause: memberCommand('pause'),
  resume: memberCommand('resume'),
  restart: memberCommand('restart'),
  start: memberCommand('start'),
  stop: memberCommand('stop'),
  wipe: memberCommand('wipe'),
  logs,
  partition,
  isolate,
  heal,
  delay,
  loss,
  events,
  serve,
  export: exportCommand,
  import: importCommand,
  scenario: scenarioCommand,
};

export const USAGE = `usage: zk-lab <command> [options] [--dir DIR]   (DIR defaults to ${DEFAULT_LAB_DIR})

  up [--members N] [--observers N] [--tick-time MS]
                         create (or restart) the lab, wait until it serves, print the connect string
  status [--json]        members, roles, epochs, zxids, sessions, znodes, links, processes; quorum health
  kill|pause|resume|restart|start|stop ID
                         SIGKILL / SIGSTOP / SIGCONT / restart from own data / start / SIGTERM one member
  wipe ID                kill a member, erase its data ("replace disk") and start it empty
  logs ID [--lines N]    the member's last log lines
  partition '1,2|3,4,5' [--reject]
                         split the members into groups that cannot reach each other (default: blackhole)
  isolate ID [--reject]  cut one member off from all others
  delay LINK DURATION [--jitter DURATION]
                         add latency, e.g. delay 1-2 200ms (LINK: 1-2 both ways, 1->2 one way, client-3)
  loss LINK PERCENT      drop whole messages, e.g. loss 1-2 10%
  heal                   every link back to normal
  export FILE            write the whole cluster (config, members' durable state, tree) to one file
  import FILE --dir NEWDIR
                         create and start a new lab holding an exported cluster
  events [--follow] [--json] [--since SEQ]
                         the merged event stream (lab actions, processes, protocol events)
  serve [--port P]       serve the UI and its WebSocket API on 127.0.0.1 (prints a URL with an access token)
  down                   stop the supervisor and everything it started
${SCENARIO_USAGE}`;

export { UsageError };

/** Reads a file or says clearly why not (used by import). */
export function requireFile(path: string): string {
  const full = resolve(path);
  if (!existsSync(full)) throw new CliError(`${full} does not exist`);
  return full;
}
