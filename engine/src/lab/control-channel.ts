/**
 * The supervisor's local control channel: a Unix socket in the lab directory
 * (`control.sock`, mode 0600, in a 0700 directory) plus a random token in
 * `control.token` (mode 0600). Only the owner can reach the socket, and a client must
 * also present the token in its first line before anything else is answered; anyone
 * else is refused and disconnected.
 *
 * Frames are newline-delimited JSON carrying the same messages as the WebSocket bridge
 * (`BridgeClientMessage` / `BridgeServerMessage` in api.ts), after one
 * `{"t":"auth","token":…}` line. `ControlClient` implements `LabApi` over it, so the CLI,
 * `zk-lab serve` and (optionally) Electron drive a running lab the same way.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type {
  Actor,
  BridgeClientMessage,
  BridgeServerMessage,
  CommandName,
  CommandRequest,
  CommandResponse,
  EventName,
  EventPayload,
  LabApi,
  LabError as LabErrorShape,
  LabInfo,
} from './api.js';
import { isCommandName, isEventName } from './api.js';
import { controlSocketPath, controlTokenPath } from './lab-layout.js';
import type { LabService } from './lab-service.js';
import { LabError } from './supervisor.js';

/** A client that stops reading gets disconnected rather than growing our memory. */
const MAX_BUFFERED_OUTPUT_BYTES = 16 * 1024 * 1024;
/** Longest accepted request line. */
const MAX_LINE_BYTES = 128 * 1024 * 1024;

export class ControlChannelError extends Error {
  override name = 'ControlChannelError';
}

type AuthFrame = { t: 'auth'; token: string };

/** Splits a byte stream into lines and parses each as JSON. */
function lineReader(onMessage: (m: unknown) => void, onError: (why: string) => void): (chunk: Buffer) => void {
  let buffered = '';
  return (chunk) => {
    buffered += chunk.toString('utf8');
    if (buffered.length > MAX_LINE_BYTES && !buffered.includes('\n')) {
      buffered = '';
      onError('request line too long');
      return;
    }
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() === '') continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        onError('a line that is not JSON');
        return;
      }
      onMessage(message);
    }
  };
}

function send(socket: Socket, message: BridgeServerMessage | AuthFrame | BridgeClientMessage): void {
  if (socket.destroyed) return;
  if (socket.writableLength > MAX_BUFFERED_OUTPUT_BYTES) {
    socket.destroy();
    return;
  }
  socket.write(JSON.stringify(message) + '\n');
}

// ───────────────────────────── server ─────────────────────────────

export class ControlServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private token = '';

  constructor(
    private readonly dir: string,
    private readonly service: LabService,
  ) {}

  /** Writes a fresh token and starts listening; refuses if another supervisor answers on the socket. */
  async start(): Promise<void> {
    const socketPath = controlSocketPath(this.dir);
    if (existsSync(socketPath)) {
      if (await socketAnswers(socketPath)) throw new ControlChannelError(`another supervisor is already running for ${this.dir}`);
      unlinkSync(socketPath);
    }
    this.token = randomBytes(32).toString('hex');
    const tokenPath = controlTokenPath(this.dir);
    if (existsSync(tokenPath)) unlinkSync(tokenPath);
    writeFileSync(tokenPath, this.token + '\n', { mode: 0o600, flag: 'wx' });
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(socketPath, 0o600);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const p of [controlSocketPath(this.dir), controlTokenPath(this.dir)]) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    let authed = false;
    const unsubscribes = new Map<EventName, () => void>();
    const cleanup = () => {
      this.sockets.delete(socket);
      for (const u of unsubscribes.values()) u();
      unsubscribes.clear();
    };
    socket.on('close', cleanup);
    socket.on('error', () => {});
    const refuse = (why: string) => {
      send(socket, { t: 'result', id: 0, ok: false, error: { code: 'refused', message: why } });
      socket.end();
      socket.destroy();
    };
    socket.on(
      'data',
      lineReader(
        (message) => {
          if (!authed) {
            const m = message as Partial<AuthFrame>;
            if (m?.t !== 'auth' || typeof m.token !== 'string' || !sameToken(m.token, this.token)) return refuse('wrong or missing token');
            authed = true;
            send(socket, { t: 'hello', lab: this.service.lab?.info() ?? null, protocol: 1 });
            return;
          }
          this.handle(socket, message as BridgeClientMessage, unsubscribes);
        },
        (why) => refuse(`bad request: ${why}`),
      ),
    );
  }

  private handle(socket: Socket, m: BridgeClientMessage, subs: Map<EventName, () => void>): void {
    switch (m?.t) {
      case 'invoke': {
        const id = typeof m.id === 'number' ? m.id : 0;
        if (!isCommandName(m.name)) {
          send(socket, { t: 'result', id, ok: false, error: { code: 'unknown-command', message: `unknown command ${JSON.stringify(m.name)}` } });
          return;
        }
        const actor: Actor = m.actor === 'ui' || m.actor === 'web' || m.actor === 'scenario' ? m.actor : 'cli';
        this.service.invoke(m.name, m.arg, actor).then(
          (value) => send(socket, { t: 'result', id, ok: true, value }),
          (e: unknown) => send(socket, { t: 'result', id, ok: false, error: errorShape(e) }),
        );
        return;
      }
      case 'subscribe':
        for (const name of Array.isArray(m.events) ? m.events : []) {
          if (!isEventName(name) || subs.has(name)) continue;
          subs.set(name, this.service.on(name, (payload) => send(socket, { t: 'event', name, payload })));
        }
        return;
      case 'unsubscribe':
        for (const name of Array.isArray(m.events) ? m.events : []) {
          subs.get(name)?.();
          subs.delete(name);
        }
        return;
      default:
        send(socket, { t: 'result', id: 0, ok: false, error: { code: 'bad-request', message: 'unknown frame' } });
    }
  }
}

function errorShape(e: unknown): LabErrorShape {
  const err = e as { code?: unknown; message?: unknown };
  return { code: typeof err?.code === 'string' ? err.code : 'failed', message: typeof err?.message === 'string' ? err.message : String(e) };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Whether a supervisor is listening for this lab right now. */
export function supervisorRunning(dir: string): Promise<boolean> {
  const path = controlSocketPath(dir);
  return existsSync(path) ? socketAnswers(path) : Promise.resolve(false);
}

// ───────────────────────────── client ─────────────────────────────

export class ControlClient implements LabApi {
  /** Recorded as the actor of every command sent (the control channel trusts its owner). */
  actor: Actor = 'cli';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<EventName, Set<(p: unknown) => void>>();
  private closedListeners = new Set<(why: string) => void>();
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    readonly hello: { lab: LabInfo | null },
  ) {}

  /** Connects to the supervisor of the lab in `dir` and authenticates with its token file. */
  static async connect(dir: string, timeoutMs = 5000): Promise<ControlClient> {
    let token: string;
    try {
      token = readFileSync(controlTokenPath(dir), 'utf8').trim();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES') throw new ControlChannelError(`permission denied reading ${controlTokenPath(dir)}: this lab belongs to another user`);
      throw new ControlChannelError(`the lab in ${dir} is not running (no supervisor; start it with zk-lab up --dir ${dir})`);
    }
    const socket = connect(controlSocketPath(dir));
    return new Promise<ControlClient>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ControlChannelError(`the supervisor of ${dir} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      let client: ControlClient | null = null;
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          new ControlChannelError(
            e.code === 'ECONNREFUSED' || e.code === 'ENOENT'
              ? `the lab in ${dir} is not running (no supervisor; start it with zk-lab up --dir ${dir})`
              : e.code === 'EACCES'
                ? `permission denied on ${controlSocketPath(dir)}: this lab belongs to another user`
                : `cannot reach the supervisor of ${dir}: ${e.message}`,
          ),
        );
      });
      socket.on(
        'data',
        lineReader(
          (message) => {
            const m = message as BridgeServerMessage;
            if (!client) {
              clearTimeout(timer);
              if (m.t === 'hello') {
                client = new ControlClient(socket, { lab: m.lab });
                socket.on('close', () => client!.onClose());
                resolve(client);
              } else {
                socket.destroy();
                reject(new ControlChannelError(m.t === 'result' && !m.ok ? `the supervisor refused: ${m.error.message}` : 'unexpected answer from the supervisor'));
              }
              return;
            }
            client.onMessage(m);
          },
          () => socket.destroy(),
        ),
      );
      send(socket, { t: 'auth', token });
    });
  }

  invoke<K extends CommandName>(name: K, arg: CommandRequest<K>): Promise<CommandResponse<K>> {
    if (this.closed) return Promise.reject(new LabError('closed', 'the connection to the supervisor is closed'));
    const id = this.nextId++;
    return new Promise<CommandResponse<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send(this.socket, { t: 'invoke', id, name, arg, actor: this.actor });
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      this.listeners.set(event, (set = new Set()));
      send(this.socket, { t: 'subscribe', events: [event] });
    }
    set.add(listener as (p: unknown) => void);
    return () => {
      set!.delete(listener as (p: unknown) => void);
      if (set!.size === 0) {
        this.listeners.delete(event);
        send(this.socket, { t: 'unsubscribe', events: [event] });
      }
    };
  }

  /** Called once when the supervisor goes away (down, crash) or `close()` is called. */
  onClosed(listener: (why: string) => void): void {
    this.closedListeners.add(listener);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private onMessage(m: BridgeServerMessage): void {
    if (m.t === 'result') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new LabError(m.error.code, m.error.message));
    } else if (m.t === 'event') {
      for (const l of [...(this.listeners.get(m.name) ?? [])]) l(m.payload);
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new LabError('closed', 'the supervisor closed the connection'));
    this.pending.clear();
    for (const l of this.closedListeners) l('the supervisor closed the connection');
  }
}
