/**
 * The lab's network: the link matrix and every proxy that obeys it.
 * - For each ordered pair (a, b): two proxies that member a dials to reach member b, one
 *   for b's quorum port and one for b's election port. Bytes a→b obey direction (a, b);
 *   bytes b→a on those connections obey (b, a).
 * - For each member b: a client proxy (what the lab's connect string lists). Bytes from
 *   clients obey (client, b); replies obey (b, client).
 * Proxy ports come from the lab configuration; one that cannot be bound any more is moved
 * to a free port and the configuration updated (members get new zoo.cfg files at start).
 */
import type { MemberId } from './api.js';
import { apacheElectionAddressRewriter } from './election-handshake.js';
import { memberPorts, type LabConfig } from './lab-config.js';
import { LinkMatrix } from './link-matrix.js';
import { LinkProxy } from './link-proxy.js';
import { seededRandom, type LabTimers } from './timers.js';

export interface ProxyRef {
  kind: 'quorum' | 'election' | 'client';
  from: MemberId | 'client';
  to: MemberId;
  proxy: LinkProxy;
}

export class LabNetwork {
  readonly matrix: LinkMatrix;
  private readonly proxies: ProxyRef[] = [];
  private started = false;

  constructor(
    private readonly config: LabConfig,
    private readonly timers: LabTimers,
  ) {
    this.matrix = new LinkMatrix(config.members.map((m) => m.id));
  }

  /** Starts every proxy. Returns true when a port had to move (the configuration changed). */
  async start(): Promise<boolean> {
    if (this.started) return false;
    this.started = true;
    const random = seededRandom(this.config.seed);
    let moved = false;
    for (const p of this.config.peerProxies) {
      const to = memberPorts(this.config, p.to);
      for (const kind of ['quorum', 'election'] as const) {
        const proxy = new LinkProxy({
          target: { host: '127.0.0.1', port: kind === 'quorum' ? to.quorumPort : to.electionPort },
          forward: this.matrix.direction(p.from, p.to),
          backward: this.matrix.direction(p.to, p.from),
          timers: this.timers,
          random,
          listenPort: kind === 'quorum' ? p.quorumPort : p.electionPort,
          // Apache members announce their own election address; the answer must come back through the proxy.
          ...(kind === 'election' ? { openingRewriter: () => apacheElectionAddressRewriter(() => `127.0.0.1:${this.reverseElectionPort(p.from, p.to)}`) } : {}),
        });
        const port = await startOrMove(proxy);
        if (kind === 'quorum' && port !== p.quorumPort) (p.quorumPort = port), (moved = true);
        if (kind === 'election' && port !== p.electionPort) (p.electionPort = port), (moved = true);
        this.proxies.push({ kind, from: p.from, to: p.to, proxy });
      }
    }
    for (const m of this.config.members) {
      const proxy = new LinkProxy({
        target: { host: '127.0.0.1', port: m.clientPort },
        forward: this.matrix.direction('client', m.id),
        backward: this.matrix.direction(m.id, 'client'),
        timers: this.timers,
        random,
        listenPort: m.proxyClientPort,
      });
      const port = await startOrMove(proxy);
      if (port !== m.proxyClientPort) (m.proxyClientPort = port), (moved = true);
      this.proxies.push({ kind: 'client', from: 'client', to: m.id, proxy });
    }
    return moved;
  }

  /** The port of the proxy that member `to` dials to reach member `from`'s election port. */
  private reverseElectionPort(from: MemberId, to: MemberId): number {
    const reverse = this.config.peerProxies.find((q) => q.from === to && q.to === from);
    if (!reverse) throw new Error(`no election proxy from member ${to} to member ${from}`);
    return reverse.electionPort;
  }

  /** Points the proxies in front of member `id` at its (possibly new) ports. */
  retarget(id: MemberId): void {
    const m = memberPorts(this.config, id);
    for (const p of this.proxies) {
      if (p.to !== id) continue;
      const port = p.kind === 'client' ? m.clientPort : p.kind === 'quorum' ? m.quorumPort : m.electionPort;
      if (p.proxy.target.port !== port) p.proxy.retarget({ host: '127.0.0.1', port });
    }
  }

  /** Every proxy listener port, for diagnostics. */
  list(): ProxyRef[] {
    return [...this.proxies];
  }

  async close(): Promise<void> {
    await Promise.all(this.proxies.map((p) => p.proxy.close()));
    this.proxies.length = 0;
    this.started = false;
  }
}

async function startOrMove(proxy: LinkProxy): Promise<number> {
  try {
    return await proxy.start();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    // Someone took the saved port while the lab was down: move to a free one.
    return proxy.start(0);
  }
}
