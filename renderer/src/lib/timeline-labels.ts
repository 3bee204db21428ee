/**
 * One line per timeline row, worded through the current language. Protocol message names
 * (PROPOSAL, ACK, COMMIT, ACKEPOCH, NEWLEADER, UPTODATE — zab.md §3–§4) stay as
 * ZooKeeper spells them; zxids show as epoch:counter.
 */
import type { LabEvent, ProtocolEventJson } from '../../../engine/src/lab/api.js';
import type { Translate } from '../i18n/translate.js';
import { sessionLabel, zxidLabel } from './zxid.js';

const vote = (v: { leader: number; zxid: string; peerEpoch: number; round: number }) => `(${v.leader}, ${zxidLabel(v.zxid)}, e${v.peerEpoch}, r${v.round})`;

export function timelineLabel(e: LabEvent, t: Translate): string {
  const b = e.body;
  switch (b.kind) {
    case 'action':
      return b.message;
    case 'process': {
      const state = t(`process.${b.state}`);
      if (b.signal || (b.code !== undefined && b.code !== null)) return t('timeline.labels.processExit', { member: b.member, state, how: b.signal ?? `code ${b.code}` });
      if (b.pid) return t('timeline.labels.processPid', { member: b.member, state, pid: b.pid });
      return t('timeline.labels.process', { member: b.member, state });
    }
    case 'role': {
      const role = b.role;
      if (b.phase === 'none' || b.epoch === null) return t('timeline.labels.role', { member: b.member, role });
      return t('timeline.labels.rolePhase', { member: b.member, role, phase: t(`phases.${b.phase}`), epoch: b.epoch });
    }
    case 'links':
      return t('timeline.labels.links', {
        list: b.changed
          .map((l) => `${l.from}→${l.to} ${l.settings.mode}${l.settings.delayMs ? ` +${l.settings.delayMs}ms` : ''}${l.settings.lossPercent ? ` ${l.settings.lossPercent}%` : ''}`)
          .join(', '),
      });
    case 'quorum':
      return t(b.quorum.canWrite ? 'timeline.labels.quorumOk' : 'timeline.labels.quorumBlocked', { reachable: b.quorum.reachable, size: b.quorum.size });
    case 'log':
      return t('timeline.labels.log', { level: b.level, line: b.line });
    case 'protocol':
      return protocolLabel(b.event, t);
  }
}

function protocolLabel(p: ProtocolEventJson, t: Translate): string {
  const L = (key: Parameters<Translate>[0], params?: Record<string, string | number>) => t(key, params);
  switch (p.kind) {
    case 'vote-sent':
      return L('timeline.labels.voteSent', { vote: vote(p.vote), to: p.to });
    case 'vote-received':
      return L('timeline.labels.voteReceived', { vote: vote(p.vote), from: p.from, state: p.state });
    case 'vote-changed':
      return L('timeline.labels.voteChanged', { vote: vote(p.vote), because: p.because });
    case 'election-started':
      return L('timeline.labels.electionStarted', { round: p.round, vote: vote(p.vote) });
    case 'election-decided':
      return L('timeline.labels.electionDecided', { leader: p.leader, epoch: p.peerEpoch, role: p.role });
    case 'proposal-sent':
      return L('timeline.labels.proposalSent', { zxid: zxidLabel(p.zxid), op: p.op, to: p.to.join(',') });
    case 'proposal-received':
      return L('timeline.labels.proposalReceived', { zxid: zxidLabel(p.zxid), op: p.op, from: p.from });
    case 'request-forwarded':
      return L('timeline.labels.requestForwarded', { op: p.op, leader: p.leader });
    case 'ack-sent':
      return L('timeline.labels.ackSent', { zxid: zxidLabel(p.zxid), to: p.to });
    case 'ack-received':
      return L('timeline.labels.ackReceived', { zxid: zxidLabel(p.zxid), from: p.from });
    case 'committed':
      return L('timeline.labels.committed', { zxid: zxidLabel(p.zxid), op: p.op });
    case 'logged':
      return L('timeline.labels.logged', { zxid: zxidLabel(p.zxid), count: p.count });
    case 'sync-chosen':
      return L('timeline.labels.syncChosen', { mode: p.mode, learner: p.learner, count: p.txnCount });
    case 'sync-received':
      return L('timeline.labels.syncReceived', { mode: p.mode, leader: p.leader });
    case 'truncated':
      return L('timeline.labels.truncated', { zxid: zxidLabel(p.zxid) });
    case 'snapshot-loaded':
      return L('timeline.labels.snapshotLoaded', { zxid: zxidLabel(p.zxid) });
    case 'epoch-proposed':
      return L('timeline.labels.epochProposed', { epoch: p.epoch });
    case 'epoch-accepted':
      return L('timeline.labels.epochAccepted', { epoch: p.epoch, leader: p.leader });
    case 'epoch-acked':
      return L('timeline.labels.epochAcked', { learner: p.learner });
    case 'epoch-persisted':
      return L('timeline.labels.epochPersisted', { which: p.which, epoch: p.epoch });
    case 'newleader-acked':
      return L('timeline.labels.newleaderAcked', { leader: p.leader });
    case 'learner-synced':
      return L('timeline.labels.learnerSynced', { learner: p.learner });
    case 'leader-established':
      return L('timeline.labels.leaderEstablished', { epoch: p.epoch, voters: p.voters.join(',') });
    case 'uptodate':
      return L('timeline.labels.uptodate', { leader: p.leader });
    case 'role-changed':
      return L('timeline.labels.roleChanged', { from: p.previousRole, to: `${p.role}${p.phase ? ` / ${p.phase}` : ''}` });
    case 'learner-connected':
      return L('timeline.labels.learnerConnected', { learner: p.learner });
    case 'learner-disconnected':
      return L('timeline.labels.learnerDisconnected', { learner: p.learner, reason: p.reason });
    case 'leader-lost':
      return L('timeline.labels.leaderLost', { leader: p.leader, reason: p.reason });
    case 'leader-stepped-down':
      return L('timeline.labels.steppedDown', { reason: p.reason });
    case 'peer-connected':
      return L('timeline.labels.peerConnected', { peer: p.peer });
    case 'peer-disconnected':
      return L('timeline.labels.peerDisconnected', { peer: p.peer });
    case 'watch-fired':
      return L('timeline.labels.watchFired', { path: p.path });
    case 'session-created':
      return L('timeline.labels.sessionCreated', { id: sessionLabel(p.sessionId) });
    case 'session-expired':
      return L('timeline.labels.sessionExpired', { id: sessionLabel(p.sessionId) });
    case 'session-closed':
      return L('timeline.labels.sessionClosed', { id: sessionLabel(p.sessionId), reason: p.reason });
    case 'session-revalidated':
      return L('timeline.labels.sessionRevalidated', { id: sessionLabel(p.sessionId), owner: p.owner, verdict: p.valid ? 'valid' : 'invalid' });
    case 'sync-parked':
      return L('timeline.labels.syncParked', { zxid: zxidLabel(p.zxid) });
    case 'sync-released':
      return L('timeline.labels.syncReleased', { zxid: zxidLabel(p.zxid) });
    case 'read-only':
      return L('timeline.labels.readOnly', { state: p.entered ? 'on' : 'off' });
    default:
      // Kinds added to protocol-events.ts later still get a row, named by their kind.
      return L('timeline.labels.other', { kind: (p as { kind: string }).kind });
  }
}
