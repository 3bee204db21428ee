/**
 * Terminal sessions for the UI: each is the zkCli-compatible shell (engine/src/shell)
 * running on the Node side with its own ZooKeeper session, its bytes crossing the LabApi
 * (`shell.input` in, `shell.output` events out). One tab = one session, labelled with its
 * member and session id. A shell opened with flow control pauses while too much of its
 * output is unacknowledged (shell-flow-control.ts).
 */
import { PassThrough, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { startShell, type ShellHandle } from '../shell/repl.js';
import { zkClientFactory } from '../shell/zk-client-port.js';
import type { MemberId, ShellInfo } from './api.js';
import { hex64 } from './tree-json.js';
import { gatedClientFactory, ShellFlowControl, type FlowLimits } from './shell-flow-control.js';

export interface ShellSessionsOptions {
  /** The connect string for a member (null: the whole lab). */
  connectStringFor(member: MemberId | null): string;
  emitOutput(shellId: string, data: string): void;
  emitInfo(info: ShellInfo): void;
  emitExit(shellId: string, reason: string): void;
  /** Upper bound of open shells (default 32). */
  maxShells?: number;
  /** Flow-control marks (default SHELL_FLOW_CONTROL; tests use small ones). */
  flowLimits?: FlowLimits;
}

interface Shell {
  id: string;
  member: MemberId | null;
  input: PassThrough;
  handle: ShellHandle;
  info: ShellInfo;
  /** Null when the shell was opened without flow control. */
  flow: ShellFlowControl | null;
}

export class ShellSessionsError extends Error {
  override name = 'ShellSessionsError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ShellSessions {
  private readonly shells = new Map<string, Shell>();
  private nextId = 1;

  constructor(private readonly options: ShellSessionsOptions) {}

  open(member: MemberId | null, cols = 80, rows = 24, flowControl = false): ShellInfo {
    if (this.shells.size >= (this.options.maxShells ?? 32)) {
      throw new ShellSessionsError('too-many-shells', `at most ${this.options.maxShells ?? 32} shells may be open; close one first`);
    }
    const id = `shell-${this.nextId++}`;
    const input = new PassThrough();
    const decoder = new StringDecoder('utf8');
    const flow = flowControl ? new ShellFlowControl(this.options.flowLimits) : null;
    const output = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        const text = decoder.write(chunk);
        if (text) {
          flow?.sent(text.length);
          this.options.emitOutput(id, text);
        }
        done();
      },
    });
    const info: ShellInfo = { shellId: id, member, sessionId: null, state: 'connecting', title: titleOf(member, null, 'connecting') };
    const handle = startShell({
      input,
      output,
      connectString: this.options.connectStringFor(member),
      openClient: flow ? gatedClientFactory(zkClientFactory(), () => flow.gate()) : zkClientFactory(),
      terminal: true,
      columns: cols,
      rows,
      crlf: true,
      onStateChange: (state, sessionId) => {
        const shell = this.shells.get(id);
        if (!shell) return;
        const shown: ShellInfo['state'] =
          state === 'connected' || state === 'connected-read-only' ? 'connected' : state === 'expired' ? 'expired' : state === 'closed' || state === 'auth-failed' ? 'closed' : state === 'disconnected' ? 'disconnected' : 'connecting';
        const sid = sessionId === 0n ? null : hex64(sessionId);
        shell.info = { ...shell.info, state: shown, sessionId: sid, title: titleOf(member, sid, state) };
        this.options.emitInfo(shell.info);
      },
      onExit: (code) => {
        flow?.release();
        if (!this.shells.delete(id)) return;
        this.options.emitExit(id, `shell ended (exit code ${code})`);
      },
    });
    this.shells.set(id, { id, member, input, handle, info, flow });
    return info;
  }

  /** The renderer wrote `chars` more of this shell's output (ignored for shells without flow control). */
  ack(shellId: string, chars: number): void {
    this.get(shellId).flow?.ack(chars);
  }

  /** Flow-control state of a shell (tests, diagnostics); null without flow control. */
  flowState(shellId: string): { paused: boolean; unacknowledged: number } | null {
    const flow = this.get(shellId).flow;
    return flow ? { paused: flow.isPaused, unacknowledged: flow.pending } : null;
  }

  input(shellId: string, data: string): void {
    this.get(shellId).input.write(data);
  }

  resize(shellId: string, cols: number, rows: number): void {
    this.get(shellId).handle.resize(cols, rows);
  }

  async close(shellId: string): Promise<void> {
    const shell = this.get(shellId);
    this.shells.delete(shellId);
    shell.flow?.release();
    await shell.handle.close();
    this.options.emitExit(shellId, 'closed');
  }

  list(): ShellInfo[] {
    return [...this.shells.values()].map((s) => s.info);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.shells.keys()].map((id) => this.close(id).catch(() => {})));
  }

  private get(shellId: string): Shell {
    const s = this.shells.get(shellId);
    if (!s) throw new ShellSessionsError('no-such-shell', `there is no open shell ${JSON.stringify(shellId)}`);
    return s;
  }
}

function titleOf(member: MemberId | null, sessionId: string | null, state: string): string {
  return [member === null ? 'lab' : `member ${member}`, sessionId ?? '—', state].join(' · ');
}
