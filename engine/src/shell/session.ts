/**
 * One shell session, independent of how lines arrive (ZooKeeperMain without its console):
 * the connection, the numbered history, `redo`, `printwatches`, `connect`, `quit`, the
 * prompt, and dispatch to the commands. Every line runs to completion before the next;
 * `repl.ts` feeds lines from a terminal or a script.
 */
import type { ClientFactory, CommandContext, Printer, SessionStateName, ShellClient } from './command.js';
import { CLIENT_COMMANDS } from './commands/index.js';
import { CliError, EXIT_COMMAND_NOT_FOUND, EXIT_OK, cliErrorFor } from './errors.js';
import { watcherBlock, type EventText } from './event-text.js';
import { decodeJavaInt, NumberFormatError } from './java-numbers.js';
import { tokenizeLine } from './line-tokenizer.js';
import { isCommand, usageText } from './usage.js';

export interface SessionOptions {
  /** `-server`: `host:port[,host:port][/chroot]`; the prompt shows it as given. */
  connectString: string;
  /** `-timeout`, the requested session timeout in ms. */
  sessionTimeout: number;
  /** `-r`: accept a read-only server. */
  readOnly: boolean;
  /** `-waitforconnection`: `connect` waits (up to the timeout) for the session. */
  waitForConnection: boolean;
  openClient: ClientFactory;
  out: Printer;
  err: Printer;
  /** Zone for dates in Stat output; default this process's zone. */
  timeZone?: string;
  /** Told about every state change of the current client (prompt refresh, lab status). */
  onStateChange?: (state: SessionStateName) => void;
  /** Called once `quit` has closed the session. */
  onQuit?: (exitCode: number) => void;
}

/** ZooKeeper.States names, as the prompt prints them. */
const PROMPT_STATES: Record<SessionStateName, string> = {
  connecting: 'CONNECTING',
  connected: 'CONNECTED',
  'connected-read-only': 'CONNECTEDREADONLY',
  // The Java client is back to CONNECTING as soon as it notices the drop.
  disconnected: 'CONNECTING',
  expired: 'CLOSED',
  'auth-failed': 'AUTH_FAILED',
  closed: 'CLOSED',
};

const DEAD_STATES: ReadonlySet<SessionStateName> = new Set(['expired', 'auth-failed', 'closed']);

export class ShellSession {
  private client: ShellClient | null = null;
  private host: string;
  private readonly history = new Map<number, string>();
  private commandCount = 0;
  private printWatches = true;
  /** Events stop printing once the shell is on its way out (zkCli's JVM just exits). */
  private silent = false;
  private quitting = false;
  exitCode = EXIT_OK;

  constructor(private readonly options: SessionOptions) {
    this.host = options.connectString;
  }

  /**
   * Prints `Connecting to …` and opens the first session, as zkCli's constructor does.
   * With `waitForConnection` a session that does not come up in time is a failure (zkCli
   * dies with ConnectionLoss): the error is printed and false returned; the caller stops.
   */
  async start(): Promise<boolean> {
    this.options.out.println(`Connecting to ${this.options.connectString}`);
    try {
      await this.connectTo(this.options.connectString);
      return true;
    } catch (e) {
      const failure = cliErrorFor(e);
      this.options.err.println(failure.message);
      this.exitCode = failure.exitCode;
      return false;
    }
  }

  /** `[zk: 127.0.0.1:2181(CONNECTED) 3] ` */
  prompt(): string {
    const state = this.client ? PROMPT_STATES[this.client.state] : 'NOT_CONNECTED';
    return `[zk: ${this.host}(${state}) ${this.commandCount}] `;
  }

  get state(): SessionStateName {
    return this.client?.state ?? 'closed';
  }

  get sessionId(): bigint {
    return this.client?.sessionId ?? 0n;
  }

  /** The live client, for tab completion of paths (null when there is no session). */
  completionClient(): ShellClient | null {
    const client = this.client;
    return client && !DEAD_STATES.has(client.state) ? client : null;
  }

  get hasQuit(): boolean {
    return this.quitting;
  }

  /** ZooKeeperMain.executeLine: a non-empty line is numbered, remembered and run. */
  async executeLine(line: string): Promise<void> {
    if (line === '' || this.quitting) return;
    const words = tokenizeLine(line);
    this.history.set(this.commandCount, line);
    if (words.length > 0) await this.processCmd(words);
    this.commandCount++;
  }

  /** Runs one command given as words (zkCli's `cmd args` on its own command line). */
  async runWords(words: string[]): Promise<void> {
    await this.processCmd(words);
  }

  /** Ends the session without printing its Closed event (end of input, window closed). */
  async shutdown(): Promise<void> {
    this.silent = true;
    const client = this.client;
    if (client && !DEAD_STATES.has(client.state)) await client.close().catch(() => undefined);
  }

  private async processCmd(words: string[]): Promise<void> {
    try {
      await this.processZkCmd(words);
      this.exitCode = EXIT_OK;
    } catch (e) {
      const failure = e instanceof CliError ? e : cliErrorFor(e);
      this.exitCode = failure.exitCode;
      this.options.err.println(failure.message);
    }
  }

  private async processZkCmd(words: string[]): Promise<void> {
    const [cmd] = words;
    const { out } = this.options;
    if (!isCommand(cmd)) {
      this.options.err.println(usageText());
      throw new CliError(`Command not found: Command not found ${cmd}`, EXIT_COMMAND_NOT_FOUND);
    }
    if (cmd === 'quit') return this.quit();
    if (cmd === 'redo' && words.length >= 2) await this.redo(words[1]);
    else if (cmd === 'history') this.printHistory();
    else if (cmd === 'printwatches') {
      if (words.length === 1) out.println(`printwatches is ${this.printWatches ? 'on' : 'off'}`);
      else this.printWatches = words[1] === 'on';
    } else if (cmd === 'connect') await this.connectTo(words.length >= 2 ? words[1] : this.host);

    // Like zkCli, everything (even `history`) ends with this check when the session is gone.
    const client = this.client;
    if (!client || DEAD_STATES.has(client.state)) {
      out.println('Not connected');
      return;
    }
    const command = CLIENT_COMMANDS.get(cmd);
    if (command) await command.run(this.context(client), [...words]);
  }

  private context(client: ShellClient): CommandContext {
    return { client, out: this.options.out, err: this.options.err, timeZone: this.options.timeZone };
  }

  private async redo(indexText: string): Promise<void> {
    let index: number;
    try {
      index = decodeJavaInt(indexText);
    } catch (e) {
      // zkCli dies here with a NumberFormatException; the shell reports it instead.
      throw new CliError(e instanceof NumberFormatError ? e.message : String((e as Error).message));
    }
    if (this.commandCount <= index || index < 0) throw new CliError('Command index out of range');
    const line = this.history.get(index) ?? '';
    const words = tokenizeLine(line);
    if (words[0] === 'redo') throw new CliError('No redoing redos');
    this.history.set(this.commandCount, line);
    if (words.length > 0) await this.processCmd(words);
  }

  /** The last ten lines and this one, numbered (`null` for a number with no line, as in zkCli). */
  private printHistory(): void {
    for (let i = Math.max(0, this.commandCount - 10); i <= this.commandCount; i++) {
      this.options.out.println(`${i} - ${this.history.get(i) ?? 'null'}`);
    }
  }

  private async quit(): Promise<void> {
    this.quitting = true;
    const client = this.client;
    if (client && !DEAD_STATES.has(client.state)) await client.close().catch(() => undefined);
    this.silent = true;
    this.options.onQuit?.(this.exitCode);
  }

  private printEvent(e: EventText): void {
    if (this.printWatches && !this.silent) this.options.out.print(watcherBlock(e));
  }

  /** ZooKeeperMain.connectToZK: close a live session, open a new one, maybe wait for it. */
  private async connectTo(connectString: string): Promise<void> {
    const old = this.client;
    if (old && !DEAD_STATES.has(old.state)) await old.close().catch(() => undefined);
    this.host = connectString;
    let connected: (() => void) | null = null;
    const whenConnected = new Promise<void>((resolve) => (connected = resolve));
    const client = this.options.openClient(
      connectString,
      { sessionTimeout: this.options.sessionTimeout, canBeReadOnly: this.options.readOnly },
      {
        event: (e) => {
          // Events of a replaced client still print: zkCli's old watcher keeps printing too.
          this.printEvent(e);
          if (e.type === 'None' && e.state === 'SyncConnected') connected?.();
        },
        state: (s) => {
          if (this.client === client) this.options.onStateChange?.(s);
        },
      },
    );
    this.client = client;
    this.options.onStateChange?.(client.state);
    if (!this.options.waitForConnection) return;
    const timedOut = await waitOrTimeout(whenConnected, this.options.sessionTimeout);
    if (timedOut) {
      await client.close().catch(() => undefined);
      throw new CliError('KeeperErrorCode = ConnectionLoss');
    }
  }
}

/** Resolves true if `ms` passed before `p` settled. */
function waitOrTimeout(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    p.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
