/**
 * Starts a ZooLab ensemble of real member processes on loopback (engine/bin/zk-server.js
 * through test/helpers/zoolab-server.ts): N voters and M observers, each with its own
 * data dir and myid, fixed free quorum/election ports, client port chosen by the member.
 *
 *   const e = await startEnsemble({ voters: 3 });
 *   const leader = await e.waitForLeader();        // polls `srvr` until one leader and all serving
 *   await e.kill(leader);  await e.restart(leader); // kill -9 keeps the data dir
 *   e.connectString()                               // every member, for clients
 *   await e.stop();                                 // always, in `after`/`finally`
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fourLetterWord } from '../../helpers/four-letter.js';
import { freePorts } from '../../helpers/ports.js';
import { type TcpProxy, startTcpProxy } from '../../helpers/tcp-proxy.js';
import { type ConfigValue, type ZooLabServer, startZooLabServer } from '../../helpers/zoolab-server.js';
import { type JsonSafe, type ProtocolEvent, type ReportedEvent, fromJsonSafe } from '../../../engine/src/quorum/protocol-events.js';

export interface EnsembleOptions {
  voters?: number;
  observers?: number;
  tickTime?: number;
  initLimit?: number;
  syncLimit?: number;
  /** Extra zoo.cfg keys for every member. */
  config?: Record<string, ConfigValue>;
  /**
   * Members reach each other through one TCP proxy per ordered pair and port, so a test
   * can cut a member off (`isolate`) and reconnect it (`heal`).
   */
  proxied?: boolean;
}

export interface EnsembleMember {
  sid: number;
  dataDir: string;
  server: ZooLabServer | null;
}

export interface Ensemble {
  readonly members: EnsembleMember[];
  /** The client port of a running member. */
  port(sid: number): number;
  /** host:port of the running members (or of `sids`). */
  connectString(sids?: number[]): string;
  /** `srvr`'s Mode line: leader, follower, observer, read-only, or null when not serving / down. */
  mode(sid: number): Promise<string | null>;
  /** Waits until exactly one member leads and every running member serves; returns the leader. */
  waitForLeader(timeoutMs?: number, among?: number[]): Promise<number>;
  kill(sid: number): Promise<void>;
  restart(sid: number): Promise<void>;
  /** Protocol events a member reported over IPC so far (all incarnations). */
  events(sid: number): ProtocolEvent[];
  /** Proxied ensembles: cut every peer connection to and from `sid` (refused while isolated). */
  isolate(sid: number): void;
  heal(): void;
  stop(): Promise<void>;
}

export async function startEnsemble(opts: EnsembleOptions = {}): Promise<Ensemble> {
  const voters = opts.voters ?? 3;
  const observers = opts.observers ?? 0;
  const n = voters + observers;
  const root = mkdtempSync(join(tmpdir(), 'zoolab-ensemble-'));
  const ports = await freePorts(2 * n);
  const real = (sid: number) => ({ quorum: ports[2 * (sid - 1)]!, election: ports[2 * (sid - 1) + 1]! });
  const kind = (sid: number) => (sid > voters ? ':observer' : '');
  /** proxies[from][to] fronts `to`'s quorum and election ports for `from`. */
  const proxies = new Map<string, { from: number; to: number; quorum: TcpProxy; election: TcpProxy }>();
  if (opts.proxied) {
    for (let from = 1; from <= n; from++) {
      for (let to = 1; to <= n; to++) {
        if (from === to) continue;
        const quorum = await startTcpProxy(real(to).quorum);
        const election = await startTcpProxy(real(to).election);
        proxies.set(`${from}>${to}`, { from, to, quorum, election });
      }
    }
  }
  /** Member `sid`'s server lines: its own real ports, peers through its proxies. */
  const serverLines = (sid: number): Record<string, ConfigValue> => {
    const lines: Record<string, ConfigValue> = {};
    for (let i = 1; i <= n; i++) {
      const p = proxies.get(`${sid}>${i}`);
      const q = p ? p.quorum.port : real(i).quorum;
      const el = p ? p.election.port : real(i).election;
      lines[`server.${i}`] = `127.0.0.1:${q}:${el}${kind(i)}`;
    }
    return lines;
  };
  const base: Record<string, ConfigValue> = {
    tickTime: opts.tickTime ?? 200,
    initLimit: opts.initLimit ?? 10,
    syncLimit: opts.syncLimit ?? 5,
    ...opts.config,
  };
  const members: EnsembleMember[] = [];
  for (let sid = 1; sid <= n; sid++) {
    const dataDir = join(root, `m${sid}`);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'myid'), `${sid}\n`);
    members.push({ sid, dataDir, server: null });
  }
  const launch = async (m: EnsembleMember): Promise<void> => {
    const extra: Record<string, ConfigValue> = m.sid > voters ? { peerType: 'observer' } : {};
    const previous = m.server?.messages ?? [];
    m.server = await startZooLabServer({ ...base, ...serverLines(m.sid), ...extra }, { dataDir: m.dataDir });
    reports.set(m.sid, [...(reports.get(m.sid) ?? []), ...previous]);
  };
  /** IPC messages of earlier incarnations, per member. */
  const reports = new Map<number, unknown[]>();
  const stopAll = async (): Promise<void> => {
    await Promise.all(members.map((m) => m.server?.stop().catch(() => undefined)));
    await Promise.all([...proxies.values()].flatMap((p) => [p.quorum.close(), p.election.close()]));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await Promise.all(members.map(launch));
  } catch (e) {
    await stopAll();
    throw e;
  }
  const member = (sid: number): EnsembleMember => {
    const m = members.find((x) => x.sid === sid);
    if (!m) throw new Error(`no member ${sid}`);
    return m;
  };
  const mode = async (sid: number): Promise<string | null> => {
    const s = member(sid).server;
    if (!s) return null;
    try {
      const text = await fourLetterWord(s.port, 'srvr', '127.0.0.1', 2000);
      return /^Mode: (\S+)/m.exec(text)?.[1] ?? null;
    } catch {
      return null;
    }
  };
  return {
    members,
    port: (sid) => member(sid).server!.port,
    connectString: (sids) =>
      members
        .filter((m) => m.server && (!sids || sids.includes(m.sid)))
        .map((m) => `127.0.0.1:${m.server!.port}`)
        .join(','),
    mode,
    async waitForLeader(timeoutMs = 30_000, among) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      for (;;) {
        const running = members.filter((m) => m.server && (!among || among.includes(m.sid)));
        const modes = await Promise.all(running.map((m) => mode(m.sid)));
        last = running.map((m, i) => `${m.sid}:${modes[i]}`).join(' ');
        const leaders = running.filter((_, i) => modes[i] === 'leader');
        if (leaders.length === 1 && modes.every((x) => x !== null)) return leaders[0]!.sid;
        if (Date.now() > deadline) {
          // The members' own last log lines, so a failure here says why (their directory is removed on stop).
          const quiet = running.filter((_, i) => modes[i] !== 'leader' && modes[i] !== 'follower' && modes[i] !== 'observer');
          const logs = quiet.map((m) => `--- member ${m.sid} ---\n${m.server!.output().split('\n').slice(-15).join('\n')}`).join('\n');
          throw new Error(`no settled leader within ${timeoutMs} ms (${last})${logs ? `\n${logs}` : ''}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill(sid) {
      const m = member(sid);
      await m.server?.kill();
      reports.set(sid, [...(reports.get(sid) ?? []), ...(m.server?.messages ?? [])]);
      m.server = null;
    },
    events(sid) {
      const all = [...(reports.get(sid) ?? []), ...(member(sid).server?.messages ?? [])];
      const out: ProtocolEvent[] = [];
      for (const msg of all as { type?: string; events?: JsonSafe<ReportedEvent>[] }[]) {
        if (msg.type === 'events') for (const e of msg.events ?? []) out.push(fromJsonSafe<ReportedEvent>(e).event);
      }
      return out;
    },
    isolate(sid) {
      for (const p of proxies.values()) {
        if (p.from !== sid && p.to !== sid) continue;
        for (const x of [p.quorum, p.election]) {
          x.setBlocked(true);
          x.dropAll();
        }
      }
    },
    heal() {
      for (const p of proxies.values()) for (const x of [p.quorum, p.election]) x.setBlocked(false);
    },
    async restart(sid) {
      const m = member(sid);
      if (m.server) {
        await m.server.kill();
        reports.set(sid, [...(reports.get(sid) ?? []), ...m.server.messages]);
        m.server = null;
      }
      await launch(m);
    },
    stop: stopAll,
  };
}
