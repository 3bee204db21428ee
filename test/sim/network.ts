/**
 * The simulated network between members (TigerBeetle's packet_simulator, style.md A3):
 * one queue of packets ordered by delivery tick, with per-packet loss, duplication and
 * random delay (which reorders), optional FIFO paths (TCP-like: later packets never
 * overtake earlier ones on a path), partitions (symmetric or one-way) and clogging
 * (a path's packets held back for a while). Deterministic for a seeded PRNG.
 */
import type { PeerMessage } from '../../engine/src/quorum/messages.js';
import type { SeededPrng } from '../../engine/src/quorum/prng.js';

export interface NetworkOptions {
  /** Probability that a packet is lost. */
  lossP: number;
  /** Probability that a packet is delivered twice. */
  duplicateP: number;
  delayMin: number;
  delayMax: number;
  /**
   * ZAB packets keep send order on each path, as TCP does; off, random delays reorder
   * them too (the cores then see gaps, i.e. broken connections). Election notifications
   * are always reordered freely.
   */
  fifo: boolean;
}

export interface Packet {
  from: number;
  to: number;
  msg: PeerMessage;
  at: number;
  /** Send order, to break ties deterministically. */
  seq: number;
}

export class SimNetwork {
  private packets: Packet[] = [];
  private seq = 0;
  /** Blocked directed paths: "from>to". */
  private readonly blocked = new Set<string>();
  /** Path → tick until which it is clogged. */
  private readonly clogged = new Map<string, number>();
  /** Path → last scheduled delivery tick (FIFO mode). */
  private readonly lastAt = new Map<string, number>();
  sent = 0;
  delivered = 0;

  constructor(
    readonly opts: NetworkOptions,
    private readonly prng: SeededPrng,
  ) {}

  private static key(from: number, to: number): string {
    return `${from}>${to}`;
  }

  canReach(from: number, to: number): boolean {
    return !this.blocked.has(SimNetwork.key(from, to));
  }

  send(from: number, to: number, msg: PeerMessage, now: number): void {
    this.sent++;
    if (!this.canReach(from, to)) return;
    if (this.prng.chance(this.opts.lossP)) return;
    const copies = this.prng.chance(this.opts.duplicateP) ? 2 : 1;
    for (let i = 0; i < copies; i++) this.schedule(from, to, msg, now);
  }

  private schedule(from: number, to: number, msg: PeerMessage, now: number): void {
    const key = SimNetwork.key(from, to);
    let at = now + this.prng.between(this.opts.delayMin, this.opts.delayMax);
    const clogUntil = this.clogged.get(key);
    if (clogUntil !== undefined && clogUntil > at) at = clogUntil;
    if (this.opts.fifo && msg.type === 'zab') {
      at = Math.max(at, this.lastAt.get(key) ?? 0);
      this.lastAt.set(key, at);
    }
    this.packets.push({ from, to, msg, at, seq: this.seq++ });
  }

  /** Removes and returns the packets due by `now`, in delivery order. */
  due(now: number): Packet[] {
    if (this.packets.length === 0) return [];
    const ready: Packet[] = [];
    const rest: Packet[] = [];
    for (const p of this.packets) (p.at <= now ? ready : rest).push(p);
    this.packets = rest;
    ready.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const out: Packet[] = [];
    for (const p of ready) {
      // A partition that started after sending still stops the packet.
      if (!this.canReach(p.from, p.to)) continue;
      out.push(p);
    }
    this.delivered += out.length;
    return out;
  }

  /** Drops everything in flight to or from `sid` (its process died: sockets closed). */
  dropFor(sid: number): void {
    this.packets = this.packets.filter((p) => p.from !== sid && p.to !== sid);
  }

  block(from: number, to: number): void {
    this.blocked.add(SimNetwork.key(from, to));
  }

  /** Splits members into groups that cannot reach each other; `oneWay` blocks only a→b. */
  partition(groups: number[][], oneWay = false): void {
    this.blocked.clear();
    for (let i = 0; i < groups.length; i++) {
      for (let j = 0; j < groups.length; j++) {
        if (i === j || (oneWay && j < i)) continue;
        for (const a of groups[i]!) for (const b of groups[j]!) this.block(a, b);
      }
    }
  }

  heal(): void {
    this.blocked.clear();
    this.clogged.clear();
  }

  clog(from: number, to: number, until: number): void {
    this.clogged.set(SimNetwork.key(from, to), until);
  }

  get inFlight(): number {
    return this.packets.length;
  }

  /** Turns off loss, duplication and reordering of ZAB packets (the liveness phase). */
  calm(): void {
    this.opts.lossP = 0;
    this.opts.duplicateP = 0;
    this.opts.fifo = true;
  }
}
