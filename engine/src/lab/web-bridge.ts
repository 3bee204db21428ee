/**
 * The browser's way into a lab: an HTTP server on 127.0.0.1 that serves the built
 * renderer and, at `/api`, a WebSocket carrying LabApi frames (`BridgeClientMessage` /
 * `BridgeServerMessage`, api.ts). Several tabs may watch the same lab.
 *
 * Who may use the API:
 * - the socket URL must carry the random access token (`/api?token=…`), compared in
 *   constant time; a wrong or missing token is refused with HTTP 401 before the upgrade;
 * - a browser's `Origin` must be this server's own (`http://127.0.0.1:PORT` or
 *   `http://localhost:PORT`): another site cannot drive the lab even if it learned the
 *   port (HTTP 403). Non-browser clients send no Origin and need only the token;
 * - the `Host` header must name this server too, which defeats DNS-rebinding pages.
 * Static files are the public renderer build and need no token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Actor, BridgeClientMessage, BridgeServerMessage, CommandName, EventName, LabInfo } from './api.js';
import { isCommandName, isEventName } from './api.js';

/** What the bridge drives: a LabService, or a control-channel client wrapped to take an actor. */
export interface LabBackend {
  invoke(name: CommandName, arg: unknown, actor: Actor): Promise<unknown>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  info(): LabInfo | null;
}

export interface WebBridgeOptions {
  backend: LabBackend;
  port?: number;
  host?: string;
  /** The renderer build (index.html and assets); null serves a small built-in page. */
  staticDir: string | null;
  /** A fixed token (tests); default: 32 random bytes as hex. */
  token?: string;
}

export interface WebBridge {
  /** `http://127.0.0.1:PORT/?token=…` — what `zk-lab serve` prints. */
  url: string;
  port: number;
  token: string;
  /** Open browser connections. */
  clients(): number;
  /** Event frames not sent to tabs that had stopped reading (they catch up with events.since). */
  droppedEvents(): number;
  close(): Promise<void>;
}

/** A tab that stops reading loses event frames (it re-reads with events.since); results are never dropped. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Large enough for an uploaded cluster export (snapshot.importBytes) of a lab-sized tree. */
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('hex');
  let port = 0;
  let dropped = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server: Server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return plain(res, 403, 'wrong Host header\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed\n');
    serveStatic(req, res, options.staticDir);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`);
      socket.destroy();
    };
    if (url.pathname !== '/api') return refuse(404, 'Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(403, 'Forbidden (Host)');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(403, 'Forbidden (Origin)');
    if (!sameToken(url.searchParams.get('token') ?? '', token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.backend, () => dropped++));
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    clients: () => wss.clients.size,
    droppedEvents: () => dropped,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((ok) => wss.close(() => ok()));
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function serveSocket(ws: WebSocket, backend: LabBackend, countDropped: () => void): void {
  const subscriptions = new Map<EventName, () => void>();
  const send = (m: BridgeServerMessage, droppable: boolean) => {
    if (ws.readyState !== ws.OPEN) return;
    if (droppable && ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      countDropped();
      return;
    }
    ws.send(JSON.stringify(m));
  };
  send({ t: 'hello', lab: backend.info(), protocol: 1 }, false);
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text frames only');
    let m: BridgeClientMessage;
    try {
      m = JSON.parse(data.toString()) as BridgeClientMessage;
    } catch {
      return ws.close(1007, 'not JSON');
    }
    switch (m?.t) {
      case 'invoke': {
        const id = typeof m.id === 'number' ? m.id : 0;
        if (!isCommandName(m.name)) {
          send({ t: 'result', id, ok: false, error: { code: 'unknown-command', message: `unknown command ${JSON.stringify(m.name)}` } }, false);
          return;
        }
        backend.invoke(m.name, m.arg, 'web').then(
          (value) => send({ t: 'result', id, ok: true, value }, false),
          (e: unknown) => send({ t: 'result', id, ok: false, error: errorShape(e) }, false),
        );
        return;
      }
      case 'subscribe':
        for (const name of Array.isArray(m.events) ? m.events : []) {
          if (!isEventName(name) || subscriptions.has(name)) continue;
          subscriptions.set(name, backend.on(name, (payload) => send({ t: 'event', name, payload }, true)));
        }
        return;
      case 'unsubscribe':
        for (const name of Array.isArray(m.events) ? m.events : []) {
          subscriptions.get(name)?.();
          subscriptions.delete(name);
        }
        return;
      default:
        send({ t: 'result', id: 0, ok: false, error: { code: 'bad-request', message: 'unknown frame type' } }, false);
    }
  });
  ws.on('close', () => {
    for (const u of subscriptions.values()) u();
    subscriptions.clear();
  });
  ws.on('error', () => {});
}

function errorShape(e: unknown): { code: string; message: string } {
  const err = e as { code?: unknown; message?: unknown };
  return { code: typeof err?.code === 'string' ? err.code : 'failed', message: typeof err?.message === 'string' ? err.message : String(e) };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function serveStatic(req: IncomingMessage, res: ServerResponse, staticDir: string | null): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const securityHeaders = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (staticDir === null) {
    if (url.pathname !== '/' && url.pathname !== '/index.html') return plain(res, 404, 'not found\n');
    res.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'" });
    res.end(FALLBACK_PAGE);
    return;
  }
  const root = resolve(staticDir);
  let file = normalize(join(root, decodeURIComponent(url.pathname)));
  if (file !== root && !file.startsWith(root + sep)) return plain(res, 403, 'forbidden\n');
  if (!existsSync(file) || statSync(file).isDirectory()) {
    // Single-page app: unknown paths get index.html; missing assets a 404.
    if (extname(file) !== '' && !file.endsWith('.html')) return plain(res, 404, 'not found\n');
    file = join(root, 'index.html');
    if (!existsSync(file)) return plain(res, 404, 'the renderer build has no index.html\n');
  }
  res.writeHead(200, { ...securityHeaders, 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': statSync(file).size });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

/** Shown when no renderer build exists: proves the API works and shows the lab's status live. */
const FALLBACK_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>ZooLab (headless)</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}pre{background:#f4f4f4;padding:1em;overflow:auto;max-height:40vh}</style></head>
<body><h1>ZooLab lab</h1><p>The desktop UI is not built here (build the renderer); this page shows the lab through the same WebSocket API.</p>
<h2>Status</h2><pre id="status" data-testid="status">connecting…</pre><h2>Events</h2><pre id="events" data-testid="events"></pre>
<script>
const token = new URLSearchParams(location.search).get('token') || '';
const ws = new WebSocket('ws://' + location.host + '/api?token=' + encodeURIComponent(token));
let id = 0; const pending = new Map();
const call = (name, arg) => new Promise((ok, fail) => { const i = ++id; pending.set(i, { ok, fail }); ws.send(JSON.stringify({ t: 'invoke', id: i, name, arg })); });
const show = (s) => { document.getElementById('status').textContent = s.members.map(m => m.id + '  ' + m.role.padEnd(10) + ' ' + m.state.padEnd(8) + ' zxid ' + (m.zxid || '-')).join('\\n') + '\\n\\nleader ' + (s.leader ?? 'none') + ', writes ' + (s.quorum.canWrite ? 'yes' : 'no'); };
ws.onmessage = (msg) => { const m = JSON.parse(msg.data);
  if (m.t === 'result') { const p = pending.get(m.id); pending.delete(m.id); m.ok ? p.ok(m.value) : p.fail(m.error); }
  else if (m.t === 'event' && m.name === 'lab.status') show(m.payload);
  else if (m.t === 'event' && m.name === 'lab.event') { const el = document.getElementById('events'); el.textContent = '#' + m.payload.seq + ' ' + m.payload.body.kind + ' ' + JSON.stringify(m.payload.body).slice(0, 160) + '\\n' + el.textContent.slice(0, 20000); }
  else if (m.t === 'hello') { ws.send(JSON.stringify({ t: 'subscribe', events: ['lab.status', 'lab.event'] })); call('lab.status', {}).then(show, (e) => document.getElementById('status').textContent = e.message); } };
ws.onclose = () => { document.getElementById('status').textContent += '\\n(disconnected)'; };
</script></body></html>
`;
