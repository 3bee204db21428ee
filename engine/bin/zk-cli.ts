#!/usr/bin/env node
/**
 * zk-cli: the zkCli.sh-compatible shell.
 *
 *   zk-cli [-server host:port[,host:port][/chroot]] [-timeout ms] [-r] [-waitforconnection] [cmd args]
 *
 * With a command it runs that one command and exits with zkCli's exit code (0, 1, or 127
 * for an unknown command). Without one it is interactive on a terminal (prompt, line
 * editing, history, tab completion) or runs stdin as a script.
 */
import { parseMainArgs } from '../src/shell/main-args.js';
import { startShell } from '../src/shell/repl.js';
import { ShellSession } from '../src/shell/session.js';
import { zkClientFactory } from '../src/shell/zk-client-port.js';
import type { Printer } from '../src/shell/command.js';
import { exitQuietlyOnClosedPipe } from './quiet-pipe.js';

const INVALID_INVOCATION = 2;

function printer(stream: NodeJS.WriteStream): Printer {
  return { print: (t) => void stream.write(t), println: (t = '') => void stream.write(t + '\n') };
}

/** Exits once both streams have flushed what was written. */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

async function main(): Promise<void> {
  exitQuietlyOnClosedPipe(process.stdout, process.stderr);
  const args = parseMainArgs(process.argv.slice(2));
  if (args.problem) process.stderr.write(args.problem + '\n');
  if (args.fatal) {
    process.stderr.write(args.fatal + '\n');
    return exitAfterFlush(INVALID_INVOCATION);
  }
  if (args.clientConfiguration !== null) {
    process.stderr.write(`zk-cli: -client-configuration is not supported; ignoring ${args.clientConfiguration}\n`);
  }
  const openClient = zkClientFactory();
  const common = {
    sessionTimeout: args.timeout,
    readOnly: args.readOnly,
    waitForConnection: args.waitForConnection,
    openClient,
  };

  if (args.command) {
    const session = new ShellSession({
      ...common,
      connectString: args.server,
      out: printer(process.stdout),
      err: printer(process.stderr),
      onQuit: (code) => exitAfterFlush(code),
    });
    if (!(await session.start())) return exitAfterFlush(session.exitCode);
    await session.runWords(args.command);
    if (session.hasQuit) return;
    await session.shutdown();
    return exitAfterFlush(session.exitCode);
  }

  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const shell = startShell({
    ...common,
    input: process.stdin,
    output: process.stdout,
    errorOutput: process.stderr,
    connectString: args.server,
    terminal,
    columns: process.stdout.columns,
    rows: process.stdout.rows,
  });
  process.stdout.on('resize', () => shell.resize(process.stdout.columns, process.stdout.rows));
  exitAfterFlush(await shell.done);
}

main().catch((e: unknown) => {
  process.stderr.write(`zk-cli: ${e instanceof Error ? e.message : String(e)}\n`);
  exitAfterFlush(1);
});
