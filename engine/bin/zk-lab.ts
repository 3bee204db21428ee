#!/usr/bin/env node
/**
 * zk-lab: the headless ZooLab lab. `zk-lab up` starts a detached supervisor that owns the
 * members and link proxies; the other commands talk to it over the lab directory's
 * control channel. See `zk-lab --help` and docs/lab.md. Argument parsing only: the work
 * is in engine/src/lab.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs, flagString, UsageError } from '../src/lab/cli/args.js';
import { COMMANDS, CliError, USAGE } from '../src/lab/cli/commands.js';
import { runSupervisorDaemon } from '../src/lab/daemon.js';
import { DEFAULT_LAB_DIR } from '../src/lab/lab-layout.js';
import { resolve } from 'node:path';
import { exitQuietlyOnClosedPipe } from './quiet-pipe.js';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

async function main(): Promise<number> {
  exitQuietlyOnClosedPipe(process.stdout, process.stderr);
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`zk-lab: ${(e as Error).message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (args.command === null || args.flags.has('help') || args.command === 'help') {
    process.stdout.write(USAGE + '\n');
    return args.command === null && !args.flags.has('help') ? EXIT_USAGE : 0;
  }
  if (args.command === '__supervise') {
    // The detached supervisor (started by `up`); ZOOLAB_MEMBER_SCRIPT substitutes the member program in tests.
    await runSupervisorDaemon({ dir: resolve(flagString(args, 'dir') ?? DEFAULT_LAB_DIR), memberScript: process.env.ZOOLAB_MEMBER_SCRIPT || undefined });
    return -1;
  }
  const command = COMMANDS[args.command];
  if (!command) {
    process.stderr.write(`zk-lab: unknown command ${JSON.stringify(args.command)}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command(args, {
      out: (line) => process.stdout.write(line + '\n'),
      err: (line) => process.stderr.write(line + '\n'),
      selfScript: fileURLToPath(import.meta.url),
    });
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`zk-lab ${args.command}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const err = e as Error & { code?: string };
    process.stderr.write(`zk-lab ${args.command}: ${err instanceof CliError ? err.message : err.message ?? String(e)}\n`);
    return EXIT_FAILED;
  }
}

main().then(
  (code) => {
    // -1: the supervisor keeps running on its own; anything else ends the command.
    if (code >= 0) {
      process.exitCode = code;
      // The control client may hold a socket open; we are done.
      setImmediate(() => process.exit(code));
    }
  },
  (e: unknown) => {
    process.stderr.write(`zk-lab: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(EXIT_FAILED);
  },
);
