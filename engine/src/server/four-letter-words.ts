/**
 * Four-letter words (wire-protocol.md §16): which are enabled, and their exact text, as
 * ZooKeeper 3.8 prints it (checked against the real server's output). Pure: the member's
 * figures come in through a `FourLetterContext`, so each format is unit-tested.
 */
import { hex64, javaDateUtc, javaDouble } from './java-format.js';
import type { ConnectionStats, ServerStats } from './server-stats.js';

export const NOT_SERVING = 'This ZooKeeper instance is not currently serving requests\n';

/** One connection as `stat` and `cons` list it. */
export interface ConnectionSummary {
  /** `/127.0.0.1:52318`, as Java prints an InetSocketAddress. */
  remote: string;
  /** NIO interest ops: 1 = reading, 4 = writing, 0 = neither (a four-letter-word connection). */
  interestOps: number;
  /** Requests received and not yet answered. */
  queued: number;
  stats: ConnectionStats;
  /** 0n before the handshake completes. */
  sessionId: bigint;
  /** Wall-clock ms when the session was established on this connection. */
  established: number;
  /** Negotiated timeout (ms). */
  timeout: number;
}

export interface SessionBucket {
  /** Wall-clock ms at which the sessions in this bucket expire unless touched. */
  expiresAt: number;
  sessions: bigint[];
}

export interface WatchSummary {
  connections: number;
  paths: number;
  total: number;
}

/** The member's figures, read when a word is answered. */
export interface FourLetterContext {
  readonly serving: boolean;
  readonly readOnly: boolean;
  /** srvr's `Mode:` value: standalone, leader, follower, observer or read-only. */
  readonly mode: string;
  /** `3.8.4-zoolab-0.1.0, built on 2026-01-05 10:00 UTC` */
  readonly version: string;
  readonly stats: ServerStats;
  /** Requests received and not yet answered, over all connections. */
  readonly outstanding: number;
  readonly lastZxid: bigint;
  readonly nodeCount: number;
  /** A leader's proposal sizes (srvr adds a line for them). */
  readonly proposalSizes?: { last: number; min: number; max: number };
  connections(): ConnectionSummary[];
  /** `conf` lines, in order. */
  conf(): [string, string | number][];
  /** `envi` lines, in order, after `zookeeper.version`. */
  environment(): [string, string][];
  /** `mntr` lines, in order, doubles already formatted (see mntr.ts). */
  monitor(): [string, string | number | bigint][];
  watchSummary(): WatchSummary;
  /** Data/exist watches per session (3.8 reports only that table, §16). */
  watchesBySession(): [bigint, string[]][];
  watchesByPath(): [string, bigint[]][];
  sessionBuckets(): SessionBucket[];
  /** Ephemeral paths per owning session. */
  ephemerals(): [bigint, string[]][];
  dirs(): { dataDirSize: number; logDirSize: number };
  /** `hash`: recent (zxid, digest) pairs. */
  digests(): [bigint, string][];
  resetConnectionStats(): void;
  resetServerStats(): void;
  traceMask: bigint;
}

/** The words ZooKeeper knows (the telnet close sequence is handled by the connection). */
export const FOUR_LETTER_WORDS: ReadonlySet<string> = new Set([
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'hash', 'isro', 'mntr',
  'ruok', 'srst', 'srvr', 'stat', 'stmk', 'wchc', 'wchp', 'wchs',
]);

/** Whether the first 4 bytes of a connection are a four-letter word (§1). */
export function asFourLetterWord(first4: Buffer): string | null {
  if (first4.length < 4) return null;
  const word = first4.toString('latin1', 0, 4);
  return FOUR_LETTER_WORDS.has(word) ? word : null;
}

export function notInWhitelist(word: string): string {
  return `${word} is not executed because it is not in the whitelist.\n`;
}

/** ServerCnxn.dumpConnectionInfo: brief for `stat`, full for `cons`. */
export function formatConnection(c: ConnectionSummary, brief: boolean): string {
  const s = c.stats;
  let line = ` ${c.remote}[${c.interestOps.toString(16)}](queued=${c.queued},recved=${s.received},sent=${s.sent}`;
  if (!brief && c.sessionId !== 0n) {
    line += `,sid=${hex64(c.sessionId)},lop=${s.lastOp},est=${c.established},to=${c.timeout}`;
    if (s.lastCxid >= 0) line += `,lcxid=0x${(s.lastCxid >>> 0).toString(16)}`;
    const l = s.latency;
    line +=
      `,lzxid=${hex64(s.lastZxid)},lresp=${s.lastResponseTime},llat=${l.last}` +
      `,minlat=${l.min},avglat=${l.count === 0 ? 0 : Math.floor(l.total / l.count)},maxlat=${l.max}`;
  }
  return line + ')\n';
}

function serverBody(ctx: FourLetterContext): string {
  const st = ctx.stats;
  let out =
    `Latency min/avg/max: ${st.latency.min}/${javaDouble(st.latency.avg)}/${st.latency.max}\n` +
    `Received: ${st.packetsReceived}\n` +
    `Sent: ${st.packetsSent}\n` +
    `Connections: ${ctx.connections().length}\n` +
    `Outstanding: ${ctx.outstanding}\n` +
    `Zxid: ${hex64(ctx.lastZxid)}\n` +
    `Mode: ${ctx.mode}\n` +
    `Node count: ${ctx.nodeCount}\n`;
  if (ctx.proposalSizes) {
    const p = ctx.proposalSizes;
    out += `Proposal sizes last/min/max: ${p.last}/${p.min}/${p.max}\n`;
  }
  return out;
}

function srvrOrStat(ctx: FourLetterContext, withClients: boolean): string {
  let out = `Zookeeper version: ${ctx.version}\n`;
  if (ctx.readOnly) out += 'READ-ONLY mode; serving only read-only clients\n';
  if (withClients) {
    out += 'Clients:\n';
    for (const c of ctx.connections()) out += formatConnection(c, true);
    out += '\n';
  }
  return out + serverBody(ctx);
}

function keyValues(lines: [string, string | number][]): string {
  return lines.map(([k, v]) => `${k}=${v}\n`).join('');
}

function dump(ctx: FourLetterContext): string {
  const buckets = ctx.sessionBuckets();
  const total = buckets.reduce((n, b) => n + b.sessions.length, 0);
  let out = `SessionTracker dump:\nSession Sets (${buckets.length})/(${total}):\n`;
  for (const b of buckets) {
    out += `${b.sessions.length} expire at ${javaDateUtc(b.expiresAt)}:\n`;
    for (const s of b.sessions) out += `\t${hex64(s)}\n`;
  }
  const eph = ctx.ephemerals();
  out += `ephemeral nodes dump:\nSessions with Ephemerals (${eph.length}):\n`;
  for (const [sid, paths] of eph) out += `${hex64(sid)}:\n` + paths.map((p) => `\t${p}\n`).join('');
  // ZooKeeper's NIO factory groups connections by idle-expiry time; we list them as one set.
  const conns = ctx.connections();
  out += `Connections dump:\nConnections Sets (${conns.length === 0 ? 0 : 1})/(${conns.length}):\n`;
  if (conns.length > 0) {
    const expires = Math.max(0, ...buckets.map((b) => b.expiresAt));
    out += `${conns.length} expire at ${javaDateUtc(expires)}:\n`;
    for (const c of conns) out += `\tip: ${c.remote} sessionId: ${hex64(c.sessionId)}\n`;
  }
  return out;
}

function watchesBySession(ctx: FourLetterContext): string {
  let out = '';
  for (const [sid, paths] of ctx.watchesBySession()) out += `${hex64(sid)}\n` + paths.map((p) => `\t${p}\n`).join('');
  return out + '\n';
}

function watchesByPath(ctx: FourLetterContext): string {
  let out = '';
  for (const [path, sids] of ctx.watchesByPath()) out += `${path}\n` + sids.map((s) => `\t${hex64(s)}\n`).join('');
  return out + '\n';
}

function monitor(ctx: FourLetterContext): string {
  return ctx
    .monitor()
    .map(([k, v]) => `zk_${k}\t${v}\n`)
    .join('');
}

/** Words that print the "not currently serving" line while the member is not serving. */
const NEEDS_SERVING = new Set(['conf', 'cons', 'crst', 'dirs', 'dump', 'hash', 'mntr', 'srst', 'srvr', 'stat', 'wchc', 'wchp', 'wchs']);

/**
 * The answer to an enabled word (the caller checked the whitelist). `stmk` takes the
 * 8-byte mask that followed the word.
 */
export function answerFourLetterWord(word: string, ctx: FourLetterContext, stmkArg?: bigint): string {
  if (NEEDS_SERVING.has(word) && !ctx.serving) return NOT_SERVING;
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'isro':
      return !ctx.serving ? 'null' : ctx.readOnly ? 'ro' : 'rw';
    case 'srvr':
      return srvrOrStat(ctx, false);
    case 'stat':
      return srvrOrStat(ctx, true);
    case 'cons':
      return ctx.connections().map((c) => formatConnection(c, false)).join('') + '\n';
    case 'conf':
      return keyValues(ctx.conf());
    case 'envi':
      return 'Environment:\n' + keyValues([['zookeeper.version', ctx.version], ...ctx.environment()]);
    case 'mntr':
      return monitor(ctx);
    case 'wchs': {
      const w = ctx.watchSummary();
      return `${w.connections} connections watching ${w.paths} paths\nTotal watches:${w.total}\n`;
    }
    case 'wchc':
      return watchesBySession(ctx);
    case 'wchp':
      return watchesByPath(ctx);
    case 'dump':
      return dump(ctx);
    case 'dirs': {
      const d = ctx.dirs();
      return `datadir_size: ${d.dataDirSize}\nlogdir_size: ${d.logDirSize}\n`;
    }
    case 'crst':
      ctx.resetConnectionStats();
      return 'Connection stats reset.\n';
    case 'srst':
      ctx.resetServerStats();
      return 'Server stats reset.\n';
    case 'gtmk':
      return String(ctx.traceMask);
    case 'stmk':
      if (stmkArg !== undefined) ctx.traceMask = stmkArg;
      return String(ctx.traceMask);
    case 'hash':
      return ctx
        .digests()
        .map(([zxid, digest]) => `${zxid.toString(16)}: ${digest}\n`)
        .join('');
    default:
      return '';
  }
}
