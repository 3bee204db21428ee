/**
 * zkCli's own command line (ZooKeeperMain.MyCommandOptions#parseOptions): `-server`,
 * `-timeout`, `-r`, `-waitforconnection`, `-client-configuration`; the first word not
 * starting with `-` starts a command to run once. Unknown flags are ignored, like zkCli.
 */

export interface MainArgs {
  server: string;
  /** Session timeout in ms. */
  timeout: number;
  readOnly: boolean;
  waitForConnection: boolean;
  clientConfiguration: string | null;
  /** The one command to run, words included; null = interactive or script from stdin. */
  command: string[] | null;
  /** A message zkCli prints for a flag missing its value (parsing stops there; it goes on with defaults). */
  problem: string | null;
  /** An unusable value that stops the program (zkCli dies with a NumberFormatException). */
  fatal: string | null;
}

const VALUE_FLAGS = new Set(['-server', '-timeout', '-client-configuration']);

export function parseMainArgs(argv: readonly string[]): MainArgs {
  const result: MainArgs = {
    server: 'localhost:2181',
    timeout: 30_000,
    readOnly: false,
    waitForConnection: false,
    clientConfiguration: null,
    command: null,
    problem: null,
    fatal: null,
  };
  let timeoutText = '30000';
  for (let i = 0; i < argv.length; i++) {
    const opt = argv[i];
    if (VALUE_FLAGS.has(opt)) {
      if (i + 1 >= argv.length) {
        result.problem = `Error: no argument found for option ${opt}`;
        break;
      }
      const value = argv[++i];
      if (opt === '-server') result.server = value;
      else if (opt === '-timeout') timeoutText = value;
      else result.clientConfiguration = value;
    } else if (opt === '-r') result.readOnly = true;
    else if (opt === '-waitforconnection') result.waitForConnection = true;
    else if (!opt.startsWith('-')) {
      result.command = argv.slice(i);
      break;
    }
  }
  const timeout = Number(timeoutText);
  if (!/^[+-]?\d+$/.test(timeoutText) || !Number.isSafeInteger(timeout)) {
    result.fatal = `For input string: "${timeoutText}"`;
  } else {
    result.timeout = timeout;
  }
  return result;
}
