/**
 * The environment behind the golden interaction tests (etcd's rafttest interaction env):
 * real members (SimMember: core + store + database) whose messages wait in a queue until
 * a command delivers them, so a test spells out a conversation step by step.
 *
 *   members voters=3 observers=0 window=500 forcesnap   configure (before start)
 *   start [sids=1,2]            start (or restart from disk) members
 *   tick [n=1] [sids=..]        advance members' clocks
 *   deliver [from=] [to=] [drop]  deliver (or drop) the queued messages that match
 *   stabilize                   deliver until nothing is queued (no ticks)
 *   run ticks=N                 N rounds of: tick everyone, deliver everything
 *   crash sid=N                 kill -9 (unflushed writes lost, queued messages dropped)
 *   partition groups=1,2/3      cut the network; `heal` restores it
 *   write sid=N path=/a value=v [op=create|set|delete]   a client write (session 0)
 *   status                      one line per member
 *   show votes=on msgs=on pings=on   what transcripts include
 * Transcripts list protocol events (`<sid> <event>`) and, with msgs=on, deliveries.
 */
import { CreateRequest, DeleteRequest, OpCode, SetDataRequest } from '../../engine/src/jute/index.js';
import { zxidLabel } from '../../engine/src/jute/zxid.js';
import { describeMessage } from '../../engine/src/quorum/describe.js';
import type { Outgoing, PeerMessage } from '../../engine/src/quorum/messages.js';
import { describeEvent, type ProtocolEvent } from '../../engine/src/quorum/protocol-events.js';
import { SeededPrng } from '../../engine/src/quorum/prng.js';
import type { MemberSpec } from '../../engine/src/quorum/quorum-verifier.js';
import type { Ready } from '../../engine/src/quorum/ready.js';
import { defaultTimingConfig } from '../../engine/src/quorum/timings.js';
import { OPEN_ACL } from '../../engine/src/tree/data-tree.js';
import type { Command } from './datadriven.js';
import { Ghost } from './ghost.js';
import { type MemberObserver, SimMember } from './sim-member.js';

interface Queued {
  from: number;
  to: number;
  msg: PeerMessage;
}

export class InteractionEnv {
  private members: SimMember[] = [];
  private queue: Queued[] = [];
  private out: string[] = [];
  private blocked = new Set<string>();
  private show = { votes: false, msgs: false, pings: false };
  /** The invariant checker rides along: a golden that breaks an invariant fails. */
  readonly ghost = new Ghost();
  private now = 0;

  async handle(cmd: Command): Promise<string> {
    this.out = [];
    const a = cmd.args;
    switch (cmd.name) {
      case 'members':
        this.configure(Number(a.get('voters') ?? 3), Number(a.get('observers') ?? 0), Number(a.get('window') ?? 500), a.has('forcesnap'));
        break;
      case 'start':
        for (const m of this.select(a.get('sids'))) m.start();
        await this.pumpAll();
        break;
      case 'tick':
        for (let i = 0; i < Number(a.get('n') ?? 1); i++) await this.tick(this.select(a.get('sids')));
        break;
      case 'deliver':
        await this.deliver((q) => (!a.has('from') || q.from === Number(a.get('from'))) && (!a.has('to') || q.to === Number(a.get('to'))), a.has('drop'));
        break;
      case 'stabilize':
        for (let i = 0; i < 1000 && this.queue.length > 0; i++) await this.deliver(() => true, false);
        break;
      case 'run':
        for (let i = 0; i < Number(a.get('ticks') ?? 1); i++) {
          await this.tick(this.members);
          for (let j = 0; j < 100 && this.queue.length > 0; j++) await this.deliver(() => true, false);
        }
        break;
      case 'crash': {
        const m = this.member(Number(a.get('sid')));
        m.crash();
        this.queue = this.queue.filter((q) => q.from !== m.sid && q.to !== m.sid);
        this.out.push(`${m.sid} crashed`);
        break;
      }
      case 'partition':
        this.partition(a.get('groups') ?? '');
        break;
      case 'heal':
        this.blocked.clear();
        break;
      case 'write':
        await this.write(Number(a.get('sid')), a.get('op') ?? 'create', a.get('path') ?? '/a', a.get('value') ?? '');
        break;
      case 'status':
        for (const m of this.members) this.out.push(this.status(m));
        break;
      case 'show':
        for (const k of ['votes', 'msgs', 'pings'] as const) if (a.has(k)) this.show[k] = a.get(k) === 'on';
        break;
      default:
        throw new Error(`line ${cmd.line}: unknown command ${cmd.name}`);
    }
    if (this.ghost.failures.length > 0) throw new Error(`invariant broken: ${this.ghost.failures.join('; ')}`);
    return this.out.length > 0 ? this.out.join('\n') : 'ok';
  }

  private configure(voters: number, observers: number, windowSize: number, forceSnapshotSync: boolean): void {
    const specs: MemberSpec[] = [];
    for (let i = 1; i <= voters; i++) specs.push({ sid: i, type: 'participant' });
    for (let i = 1; i <= observers; i++) specs.push({ sid: voters + i, type: 'observer' });
    const timing = { ...defaultTimingConfig(250), resolutionMs: 50, maxNotificationIntervalMs: 800 };
    const prng = new SeededPrng(1);
    this.members = specs.map(
      (s) =>
        new SimMember(
          s.sid,
          { peer: { sid: s.sid, members: specs, timing, windowSize, forceSnapshotSync, recordEvents: true }, diskLatencyMax: 0, snapshotP: 0 },
          prng.fork(),
          this.observer(),
        ),
    );
  }

  private select(sids: string | undefined): SimMember[] {
    if (!sids) return this.members.filter(() => true);
    return sids.split(',').map((s) => this.member(Number(s)));
  }

  private member(sid: number): SimMember {
    const m = this.members.find((x) => x.sid === sid);
    if (!m) throw new Error(`no member ${sid}`);
    return m;
  }

  private async tick(ms: SimMember[]): Promise<void> {
    this.now++;
    this.ghost.now = this.now;
    for (const m of ms) if (m.up) m.core!.tick(this.now * 50);
    await this.pumpAll();
  }

  private async deliver(match: (q: Queued) => boolean, drop: boolean): Promise<void> {
    const take = this.queue.filter(match);
    this.queue = this.queue.filter((q) => !match(q));
    for (const q of take) {
      const m = this.member(q.to);
      if (drop || !m.up || this.blocked.has(`${q.from}>${q.to}`)) continue;
      if (this.show.msgs && this.visible(q.msg)) this.out.push(`  ${describeMessage(q.from, q.to, q.msg)}`);
      m.core!.step(q.from, q.msg);
      await this.pumpAll();
    }
  }

  private async pumpAll(): Promise<void> {
    const send = (from: number, o: Outgoing): void => void this.queue.push({ from, to: o.to, msg: o.msg });
    for (const m of this.members) while (m.pump(this.now, send)) await m.settle(send);
  }

  private partition(spec: string): void {
    this.blocked.clear();
    const groups = spec.split('/').map((g) => g.split(',').map(Number));
    for (const g of groups) for (const h of groups) if (g !== h) for (const a of g) for (const b of h) this.blocked.add(`${a}>${b}`);
  }

  private async write(sid: number, op: string, path: string, value: string): Promise<void> {
    const data = Buffer.from(value);
    const m = this.member(sid);
    const req =
      op === 'set'
        ? { op: OpCode.setData, body: SetDataRequest.encode({ path, data, version: -1 }) }
        : op === 'delete'
          ? { op: OpCode.delete, body: DeleteRequest.encode({ path, version: -1 }) }
          : { op: OpCode.create, body: CreateRequest.encode({ path, data, acl: [...OPEN_ACL], flags: 0 }) };
    const accepted = m.core?.submit({ sessionId: 0n, cxid: 0, authIds: [], ...req }) ?? false;
    if (!accepted) this.out.push(`${sid} refused the write (not serving)`);
    await this.pumpAll();
  }

  private status(m: SimMember): string {
    if (!m.up) return `${m.sid}: down`;
    const c = m.core!;
    return (
      `${m.sid}: ${c.currentRole}/${c.currentPhase} leader=${c.leaderId ?? '-'} epochs=${c.acceptedEpoch()}/${c.currentEpoch()} ` +
      `logged=${zxidLabel(c.history.last())} applied=${zxidLabel(m.db.lastZxid)} serving=${c.servingMode} nodes=${m.db.tree.nodeCount}`
    );
  }

  private visible(msg: PeerMessage): boolean {
    if (msg.type === 'notification') return this.show.votes;
    return this.show.pings || (msg.body.type !== 'ping' && msg.body.type !== 'pong');
  }

  private showEvent(e: ProtocolEvent): boolean {
    if (e.kind === 'vote-sent' || e.kind === 'vote-received' || e.kind === 'vote-changed') return this.show.votes;
    return true;
  }

  private observer(): MemberObserver {
    const env = this;
    const g = this.ghost;
    return {
      batch(m: SimMember, r: Ready) {
        for (const e of r.events) if (env.showEvent(e)) env.out.push(`${m.sid} ${describeEvent(e)}`);
        for (const op of r.persist) if (op.op === 'truncate') g.truncating(m.sid, op.zxid, m.store.log.read(op.zxid));
        for (const e of r.events) {
          if (e.kind === 'leader-established') g.established(m.sid, e.epoch, m.core!.history);
          if (e.kind === 'role-changed' && e.role === 'leading' && e.phase !== 'discovery' && e.phase !== 'election') g.leading(m.sid, m.core!.currentEpoch());
        }
      },
      durable(m: SimMember, r: Ready) {
        for (const op of r.persist) if (op.op === 'append') for (const e of op.entries) g.seen(m.sid, e, 'logged');
        g.epochsDurable(m.sid, m.store.stable.acceptedEpoch(), m.store.stable.currentEpoch());
      },
      sent(m: SimMember, o: Outgoing) {
        if (o.msg.type === 'zab' && o.msg.body.type === 'ack') {
          const z = o.msg.body.zxid;
          g.acking(m.sid, z, m.store.log.read(z - 1n, z).length > 0, m.store.stable.currentEpoch());
        }
      },
      applied(m: SimMember, entry) {
        g.delivered(m.sid, entry, m.db.digestHex());
      },
      restored(m: SimMember, zxid: bigint) {
        g.restored(m.sid, zxid, m.db.digestHex());
      },
      item() {},
      servingChanged() {},
      storageError(m: SimMember, e: Error) {
        g.fail(`member ${m.sid}: ${e.message}`);
      },
    };
  }
}
