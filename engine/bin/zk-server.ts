#!/usr/bin/env -S node --min-semi-space-size=8 --max-semi-space-size=8
/**
 * zk-server [--report] <zoo.cfg>
 *
 * Runs one ZooKeeper member in the foreground. Logs go to stderr, one line per event.
 * Exit codes: 0 after a clean shutdown (SIGTERM/SIGINT), 2 for a bad command line or
 * config, 3 when the member cannot start (unusable dataDir, store, port), 1 for a fatal
 * error while running. Every failure prints one line saying why.
 *
 * Node flags: see engine/src/member/node-flags.ts (the shebang carries them; spawners
 * pass MEMBER_NODE_FLAGS).
 *
 * With an IPC channel (spawned by the lab or a test with 'ipc' in stdio) or `--report`
 * (JSON lines on stdout), the member reports `ready` (with the bound client port, so
 * clientPort=0 works), `state` every zoolab.stateIntervalMs and protocol `events`.
 */
import { ConfigError } from '../src/config/config-error.js';
import { loadConfig } from '../src/config/load-config.js';
import type { ServerConfig } from '../src/config/server-config.js';
import { createLogger, type Logger } from '../src/server/log.js';
import { MemberStartError, startMember, type Member } from '../src/member/member.js';
import { ipcSender, Reporter, stdoutSender, type SendMessage } from '../src/member/reporter.js';
import { defaultCoreParts } from '../src/member/core-parts.js';
import { handleParentRequest } from '../src/member/parent-requests.js';
import { isEnsemble } from '../src/config/server-config.js';
import { createEnsembleReplication } from '../src/quorum/ensemble-replication.js';

const USAGE = 'usage: zk-server [--report] <zoo.cfg>';

function fail(code: number, message: string): never {
  process.stderr.write(`zk-server: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): { configPath: string; report: boolean } {
  let report = false;
  const rest: string[] = [];
  for (const a of argv) {
    if (a === '--report') report = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (a.startsWith('-')) fail(2, `unknown option ${a}\n${USAGE}`);
    else rest.push(a);
  }
  if (rest.length !== 1) fail(2, USAGE);
  return { configPath: rest[0]!, report };
}

function reporterFor(config: ServerConfig, report: boolean): Reporter | null {
  const send: SendMessage | null = ipcSender() ?? (report ? stdoutSender() : null);
  if (send === null) return null;
  return new Reporter(send, config.myid ?? 1, config.zoolab.streamEvents);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let config: ServerConfig;
  try {
    config = loadConfig(args.configPath);
  } catch (e) {
    if (e instanceof ConfigError) fail(2, `bad config ${args.configPath}: ${e.message}`);
    throw e;
  }
  const log: Logger = createLogger(config.zoolab.logLevel);
  for (const w of config.warnings) log.warn(w);
  const reporter = reporterFor(config, args.report);

  let member: Member | null = null;
  let exiting = false;
  const shutdown = async (code: number, reason: string) => {
    if (exiting) return;
    exiting = true;
    reporter?.stopping(reason);
    try {
      await member?.stop(reason);
    } catch (e) {
      log.error(`shutdown failed: ${(e as Error).message}`);
      code = code || 1;
    }
    process.exit(code);
  };

  try {
    member = await startMember(config, {
      log,
      parts: defaultCoreParts,
      events: reporter ?? undefined,
      // server.N lines: leader/follower/observer through the quorum core (engine/src/quorum).
      createReplication: isEnsemble(config) ? createEnsembleReplication : undefined,
      onFatal: (e) => {
        log.error(`fatal: ${e.message}`);
        void shutdown(1, `fatal: ${e.message}`);
      },
    });
  } catch (e) {
    if (e instanceof MemberStartError) fail(3, e.message);
    throw e;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      // A second signal while stopping means "now".
      if (exiting) process.exit(1);
      void shutdown(0, `received ${signal}`);
    });
  }
  // Test harnesses ask members not to outlive them (test/helpers/zoolab-server.ts).
  if (process.env.ZOOLAB_EXIT_WITH_PARENT === '1' && typeof process.send === 'function') {
    process.on('disconnect', () => void shutdown(0, 'parent process went away'));
  }
  if (reporter !== null) {
    reporter.ready(member.clientPort, config.clientPortAddress);
    reporter.state(member.state());
    const m = member;
    reporter.stateSource = () => m.state();
    setInterval(() => reporter.state(m.state()), config.zoolab.stateIntervalMs).unref();
    // Requests from the parent (the lab): expire a session, snapshot now, state now.
    process.on('message', (message: unknown) => {
      void handleParentRequest(message, m, () => reporter.state(m.state())).then((reply) => {
        if (reply !== null) process.send?.(reply);
      });
    });
  }
}

process.on('uncaughtException', (e) => {
  process.stderr.write(`${new Date().toISOString()} ERROR [zk-server] uncaught: ${e.stack ?? e}\n`);
  process.exit(1);
});

main().catch((e: unknown) => fail(1, (e as Error).stack ?? String(e)));
