/**
 * One-line descriptions of peer messages and Ready batches (etcd's DescribeMessage /
 * DescribeReady) for logs, the golden interaction tests and the lab's message view.
 */
import { hex, zxidLabel } from '../jute/zxid.js';
import { opName } from '../jute/opcodes.js';
import type { PeerMessage, ZabBody } from './messages.js';
import { describeEvent, describeVote } from './protocol-events.js';
import type { ApplyItem, PersistOp, Ready } from './ready.js';

function describeBody(b: ZabBody): string {
  switch (b.type) {
    case 'learnerinfo':
      return `${b.learnerType === 'observer' ? 'OBSERVERINFO' : 'FOLLOWERINFO'} acceptedEpoch=${b.acceptedEpoch}`;
    case 'leaderinfo':
      return `LEADERINFO epoch=${b.epoch}`;
    case 'ackepoch':
      return `ACKEPOCH currentEpoch=${b.currentEpoch} last=${zxidLabel(b.lastZxid)}`;
    case 'diff':
      return `DIFF ${zxidLabel(b.zxid)}`;
    case 'trunc':
      return `TRUNC ${zxidLabel(b.zxid)}`;
    case 'snap':
      return `SNAP ${zxidLabel(b.zxid)} (${b.bytes.length} bytes, ${b.sessions.length} sessions)`;
    case 'proposal':
      return `PROPOSAL ${zxidLabel(b.entry.zxid)} ${opName(b.entry.txn.op)}`;
    case 'commit':
      return `COMMIT ${zxidLabel(b.zxid)}`;
    case 'inform':
      return `INFORM ${zxidLabel(b.entry.zxid)} ${opName(b.entry.txn.op)}`;
    case 'newleader':
      return `NEWLEADER epoch=${b.epoch}`;
    case 'ack':
      return `ACK ${zxidLabel(b.zxid)}`;
    case 'uptodate':
      return 'UPTODATE';
    case 'ping':
      return `PING ${zxidLabel(b.zxid)}`;
    case 'pong':
      return `PING-REPLY touches=${b.touches.length}`;
    case 'request':
      return `REQUEST ${opName(b.request.op)} session=${hex(b.request.sessionId)} cxid=${b.request.cxid}`;
    case 'revalidate':
      return `REVALIDATE ${hex(b.sessionId)}`;
    case 'revalidated':
      return `REVALIDATE-REPLY ${hex(b.sessionId)} ${b.valid ? 'valid' : 'invalid'}`;
    case 'sync':
      return `SYNC ${hex(b.sessionId)}`;
    case 'synced':
      return `SYNC-REPLY ${hex(b.sessionId)}`;
    case 'close':
      return `CLOSE (${b.reason})`;
  }
}

export function describeMessage(from: number, to: number, m: PeerMessage): string {
  if (m.type === 'notification') return `${from}->${to} VOTE ${describeVote(m.vote)} ${m.state}`;
  return `${from}->${to} ${describeBody(m.body)}`;
}

function describePersist(p: PersistOp): string {
  switch (p.op) {
    case 'acceptedEpoch':
    case 'currentEpoch':
      return `${p.op}=${p.epoch}`;
    case 'truncate':
      return `truncate>${zxidLabel(p.zxid)}`;
    case 'snapshot':
      return `snapshot@${zxidLabel(p.zxid)}`;
    case 'append':
      return `append[${p.entries.map((e) => zxidLabel(e.zxid)).join(',')}]`;
  }
}

function describeApply(a: ApplyItem): string {
  switch (a.kind) {
    case 'txn':
      return `apply ${zxidLabel(a.entry.zxid)}`;
    case 'restore':
      return `restore@${zxidLabel(a.zxid)}`;
    case 'sync':
      return `sync-done ${hex(a.sessionId)}`;
    case 'revalidated':
      return `revalidated ${hex(a.sessionId)} ${a.valid}`;
  }
}

/** A multi-line description of a batch, member `sid`'s point of view. */
export function describeReady(sid: number, r: Ready): string {
  const lines: string[] = [];
  if (r.persist.length) lines.push(`persist: ${r.persist.map(describePersist).join(' ')}`);
  for (const s of r.send) lines.push(`send: ${describeMessage(sid, s.to, s.msg)}`);
  if (r.applyNow.length) lines.push(`apply now: ${r.applyNow.map(describeApply).join(' ')}`);
  if (r.apply.length) lines.push(`apply: ${r.apply.map(describeApply).join(' ')}`);
  for (const e of r.events) lines.push(`event: ${describeEvent(e)}`);
  if (r.role) lines.push(`role: ${r.role.role}/${r.role.phase}`);
  if (r.serving) lines.push(`serving: ${r.serving}`);
  return lines.join('\n');
}
