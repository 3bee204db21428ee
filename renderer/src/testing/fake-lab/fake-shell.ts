/**
 * A small zkCli look-alike for the fake lab: enough line editing (echo, backspace, Enter,
 * Ctrl-C) and commands (ls, get, set, create, delete, deleteall, stat, help, quit, with
 * -w one-time watches) to exercise the terminal view, its tabs and watch notifications.
 * The real shell is engine/src/shell; this only stands in for it in the renderer's tests
 * and the demo page.
 */

export interface ShellBackend {
  prompt(): string;
  ls(path: string, watch: boolean): string[];
  get(path: string, watch: boolean): string;
  set(path: string, data: string): void;
  create(path: string, data: string, flags: { ephemeral: boolean; sequential: boolean }): string;
  delete(path: string, recursive: boolean): void;
  stat(path: string): string[];
}

export class FakeShell {
  private line = '';
  private readonly history: string[] = [];
  private closed = false;

  constructor(
    private readonly backend: ShellBackend,
    private readonly write: (data: string) => void,
    private readonly onQuit: () => void,
  ) {
    this.write('Welcome to ZooKeeper! (ZooLab demo shell)\r\n\r\nWATCHER::\r\n\r\nWatchedEvent state:SyncConnected type:None path:null\r\n' + this.backend.prompt());
  }

  /** Bytes typed in the terminal. */
  input(data: string): void {
    if (this.closed) return;
    for (const ch of data) {
      if (ch === '\r' || ch === '\n') {
        this.write('\r\n');
        const cmd = this.line.trim();
        this.line = '';
        if (cmd) this.history.push(cmd);
        this.run(cmd);
        if (this.closed) return;
        this.write(this.backend.prompt());
      } else if (ch === '\u007f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.write('\b \b');
        }
      } else if (ch === '\u0003') {
        this.line = '';
        this.write('^C\r\n' + this.backend.prompt());
      } else if (ch >= ' ') {
        this.line += ch;
        this.write(ch);
      }
    }
  }

  /** A watch fired: printed above the prompt, as zkCli does. */
  notify(type: string, path: string): void {
    if (this.closed) return;
    this.write(`\r\nWATCHER::\r\n\r\nWatchedEvent state:SyncConnected type:${type} path:${path}\r\n${this.backend.prompt()}${this.line}`);
  }

  close(): void {
    this.closed = true;
  }

  private out(lines: string | string[]): void {
    for (const l of Array.isArray(lines) ? lines : [lines]) this.write(l.replace(/\r?\n/g, '\r\n') + '\r\n');
  }

  private run(cmd: string): void {
    if (!cmd) return;
    const args = cmd.split(/\s+/);
    const name = args.shift()!;
    const flags = new Set(args.filter((a) => a.startsWith('-')));
    const rest = args.filter((a) => !a.startsWith('-'));
    try {
      switch (name) {
        case 'help':
          return this.out(['ZooKeeper -server host:port cmd args', '\tls [-w] path', '\tget [-w] path', '\tset path data', '\tcreate [-e] [-s] path [data]', '\tdelete path', '\tdeleteall path', '\tstat path', '\thistory', '\tquit']);
        case 'ls':
          return this.out(`[${this.backend.ls(rest[0] ?? '/', flags.has('-w')).join(', ')}]`);
        case 'get':
          return this.out(this.backend.get(need(rest[0]), flags.has('-w')));
        case 'set':
          this.backend.set(need(rest[0]), rest.slice(1).join(' '));
          return;
        case 'create':
          return this.out(`Created ${this.backend.create(need(rest[0]), rest.slice(1).join(' '), { ephemeral: flags.has('-e'), sequential: flags.has('-s') })}`);
        case 'delete':
          return this.backend.delete(need(rest[0]), false);
        case 'deleteall':
          return this.backend.delete(need(rest[0]), true);
        case 'stat':
          return this.out(this.backend.stat(need(rest[0])));
        case 'history':
          return this.out(this.history.map((h, i) => `${i}: ${h}`));
        case 'quit':
          this.closed = true;
          this.onQuit();
          return;
        default:
          return this.out(`Command not found: Command not found ${name}`);
      }
    } catch (e) {
      const m = /KeeperErrorCode = (\w+) for (\S+)/.exec((e as Error).message);
      this.out(m ? describeError(m[1]!, m[2]!) : (e as Error).message);
    }
  }
}

function need(path: string | undefined): string {
  if (!path) throw new Error('Path must not be empty');
  return path;
}

/** zkCli's wording for the common errors. */
function describeError(code: string, path: string): string {
  switch (code) {
    case 'NoNode':
      return `Node does not exist: ${path}`;
    case 'NodeExists':
      return `Node already exists: ${path}`;
    case 'NotEmpty':
      return `Node not empty: ${path}`;
    case 'BadVersion':
      return `version No is not valid : ${path}`;
    default:
      return `KeeperErrorCode = ${code} for ${path}`;
  }
}
