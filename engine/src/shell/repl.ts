/**
 * Runs a shell session over any pair of streams. With `terminal: true` node's readline
 * gives line editing, history and tab completion, so the same code serves a real TTY
 * (`zk-cli`) and the desktop app's xterm.js terminal (bytes over IPC/WebSocket; call
 * `resize` when the view changes size). With `terminal: false` lines are read as a script,
 * without a prompt, like zkCli without JLine.
 */
import { createInterface, clearLine, cursorTo, type Interface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import type { ClientFactory, Printer, SessionStateName } from './command.js';
import { ShellSession } from './session.js';
import { completeLine, type ChildrenLister } from './completer.js';
import { zkClientFactory } from './zk-client-port.js';

export interface ShellOptions {
  input: Readable;
  /** Where everything goes; stderr text too unless `errorOutput` is given. */
  output: Writable;
  /** zkCli's System.err (usage, errors, `Created /x`). Default: `output`. */
  errorOutput?: Writable;
  connectString: string;
  /** How sessions are opened; default ZkClient (`zkClientFactory()`), e.g. with the lab's socket factory. */
  openClient?: ClientFactory;
  /** Line editing, prompt and completion (a TTY or xterm.js). Default: true. */
  terminal?: boolean;
  /** Earlier lines for arrow-up recall, oldest first. */
  history?: string[];
  /** Terminal width for line wrapping; update with `resize`. */
  columns?: number;
  rows?: number;
  /** Write `\r\n` for our own newlines (an xterm.js without convertEol). Default false. */
  crlf?: boolean;
  sessionTimeout?: number;
  readOnly?: boolean;
  waitForConnection?: boolean;
  timeZone?: string;
  /** Print zkCli's `Welcome to ZooKeeper!` banner lines. Default true. */
  banner?: boolean;
  onStateChange?: (state: SessionStateName, sessionId: bigint) => void;
  /** Called once when the shell ends (`quit`, end of input, or `close()`). */
  onExit?: (exitCode: number) => void;
}

export interface ShellHandle {
  /** Resolves with the exit code when the shell has ended. */
  readonly done: Promise<number>;
  readonly state: SessionStateName;
  readonly sessionId: bigint;
  /** Lines typed so far, oldest first (to keep them for the next shell). */
  history(): string[];
  /** Tells line editing the terminal's new size. */
  resize(columns: number, rows?: number): void;
  /** Ends the shell and its session. */
  close(): Promise<void>;
}

/**
 * The stream readline writes to: forwards to the caller's Writable and carries the
 * `columns`/`rows`/'resize' that readline reads from a TTY.
 */
class TerminalOutput extends Writable {
  columns: number;
  rows: number;
  constructor(
    private readonly target: Writable,
    columns: number,
    rows: number,
  ) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  /**
   * Passes bytes on at once (no buffering here), so readline's escapes and the text the
   * shell writes straight to the target keep their order.
   */
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.target.write(chunk);
    done();
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function startShell(options: ShellOptions): ShellHandle {
  return new ShellRun(options).handle;
}

class ShellRun {
  readonly handle: ShellHandle;
  private readonly session: ShellSession;
  private readonly terminal: boolean;
  private readonly view: TerminalOutput;
  private rl: Interface | null = null;
  private readonly pending: Array<string | null> = [];
  private busy = true;
  private ended = false;
  private finish!: (code: number) => void;

  constructor(private readonly options: ShellOptions) {
    this.terminal = options.terminal ?? true;
    this.view = new TerminalOutput(options.output, options.columns ?? 80, options.rows ?? 24);
    const done = new Promise<number>((resolve) => (this.finish = resolve));
    this.session = new ShellSession({
      connectString: options.connectString,
      sessionTimeout: options.sessionTimeout ?? DEFAULT_TIMEOUT_MS,
      readOnly: options.readOnly ?? false,
      waitForConnection: options.waitForConnection ?? false,
      openClient: options.openClient ?? zkClientFactory(),
      out: this.printer(options.output),
      err: this.printer(options.errorOutput ?? options.output),
      timeZone: options.timeZone,
      onStateChange: (state) => {
        this.rl?.setPrompt(this.session.prompt());
        options.onStateChange?.(state, this.session.sessionId);
      },
      onQuit: (code) => void this.end(code),
    });
    const session = this.session;
    this.handle = {
      done,
      get state() {
        return session.state;
      },
      get sessionId() {
        return session.sessionId;
      },
      history: () => this.historyLines(),
      resize: (columns, rows) => this.view.resize(columns, rows ?? this.view.rows),
      close: async () => {
        await this.end(session.exitCode);
      },
    };
    void this.begin();
  }

  /**
   * A PrintStream over `target`. Text arriving while the prompt waits for input (a watch
   * event) is written above the prompt, which is then redrawn with the typed text intact.
   */
  private printer(target: Writable): Printer {
    const write = (text: string) => {
      if (this.ended) return;
      const bytes = this.options.crlf ? text.replace(/\r?\n/g, '\r\n') : text;
      if (this.rl && this.terminal && !this.busy) {
        clearLine(this.view, 0);
        cursorTo(this.view, 0);
        target.write(bytes);
        this.rl.setPrompt(this.session.prompt());
        this.rl.prompt(true);
      } else {
        target.write(bytes);
      }
    };
    return { print: write, println: (text = '') => write(text + '\n') };
  }

  private async begin(): Promise<void> {
    if (!(await this.session.start())) return this.end(this.session.exitCode);
    if (this.ended) return;
    if (this.options.banner ?? true) {
      const out = this.printer(this.options.output);
      out.println('Welcome to ZooKeeper!');
      out.println(this.terminal ? 'JLine support is enabled' : 'JLine support is disabled');
    }
    this.rl = createInterface({
      input: this.options.input,
      output: this.terminal ? this.view : undefined,
      terminal: this.terminal,
      prompt: this.session.prompt(),
      history: [...(this.options.history ?? [])].reverse(),
      historySize: 1000,
      removeHistoryDuplicates: false,
      completer: this.terminal ? (line: string, cb: CompleterCallback) => this.complete(line, cb) : undefined,
      tabSize: 4,
    });
    this.rl.on('line', (line) => this.enqueue(line));
    this.rl.on('close', () => this.enqueue(null));
    this.rl.on('SIGINT', () => this.interrupt());
    this.busy = false;
    this.showPrompt();
  }

  private complete(line: string, cb: CompleterCallback): void {
    const lister: ChildrenLister = async (path) => {
      const client = this.session.completionClient();
      if (!client) return [];
      return (await client.getChildren(path, false)).children;
    };
    completeLine(line, lister).then(
      (r) => cb(null, r),
      () => cb(null, [[], line]),
    );
  }

  /** Ctrl-C drops the line being typed, like a shell; Ctrl-D on an empty line ends input. */
  private interrupt(): void {
    if (!this.rl) return;
    this.view.write(this.options.crlf ? '^C\r\n' : '^C\n');
    this.rl.write(null, { ctrl: true, name: 'e' });
    this.rl.write(null, { ctrl: true, name: 'u' });
    this.showPrompt();
  }

  private showPrompt(): void {
    if (!this.rl || !this.terminal || this.ended) return;
    this.rl.setPrompt(this.session.prompt());
    this.rl.prompt();
  }

  /** Lines run one at a time, in order; `null` marks the end of input. */
  private enqueue(line: string | null): void {
    this.pending.push(line);
    if (this.busy) return;
    void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.pending.length > 0 && !this.ended) {
      const line = this.pending.shift();
      if (line === null || line === undefined) {
        await this.end(this.session.exitCode);
        return;
      }
      await this.session.executeLine(line);
    }
    this.busy = false;
    this.showPrompt();
  }

  private historyLines(): string[] {
    const rlHistory = (this.rl as unknown as { history?: string[] } | null)?.history ?? [];
    return [...rlHistory].reverse();
  }

  private async end(code: number): Promise<void> {
    if (this.ended) return;
    await this.session.shutdown();
    this.ended = true;
    this.rl?.close();
    this.options.onExit?.(code);
    this.finish(code);
  }
}

type CompleterCallback = (err: Error | null, result: [string[], string]) => void;
