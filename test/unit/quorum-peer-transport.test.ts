/**
 * The TCP peer transport on loopback: election notifications flow both ways whichever
 * side dials first (the higher sid's connection survives, zab.md §2.7), a learner's link
 * to the leader carries packets both ways in order, and closing a link is reported.
 * The transport reports a fresh election connection and does not replay old votes: the
 * core answers `peerConnection(up)` with its current vote, which `trio` mimics.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { PeerTransport, type PeerAddress } from '../../engine/src/quorum/peer-transport.js';
import type { PeerMessage } from '../../engine/src/quorum/messages.js';
import { createLogger } from '../../engine/src/server/log.js';
import { freePorts } from '../helpers/ports.js';

interface Received {
  from: number;
  msg: PeerMessage;
}

function waitFor<T>(list: T[], count: number, timeoutMs = 5000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      if (list.length >= count) return resolve(list.slice(0, count));
      if (Date.now() - started > timeoutMs) return reject(new Error(`got ${list.length} of ${count}`));
      setTimeout(check, 5);
    };
    check();
  });
}

async function trio(): Promise<{ t: PeerTransport[]; inbox: Received[][]; closed: [number, number][][]; up: number[][]; vote(from: number, to: number, msg: PeerMessage): void; stop(): Promise<void> }> {
  const ports = await freePorts(6);
  const members: PeerAddress[] = [1, 2, 3].map((sid, i) => ({ sid, host: '127.0.0.1', quorumPort: ports[2 * i]!, electionPort: ports[2 * i + 1]! }));
  const inbox: Received[][] = [[], [], []];
  const closed: [number, number][][] = [[], [], []];
  const up: number[][] = [[], [], []];
  /** Each member's current vote per peer, sent again when a connection to that peer comes up (as peer.ts does). */
  const current = [new Map<number, PeerMessage>(), new Map<number, PeerMessage>(), new Map<number, PeerMessage>()];
  const log = createLogger('error', 'test', () => undefined);
  const t = members.map(
    (m, i) =>
      new PeerTransport(
        { self: m.sid, members, listenHost: '127.0.0.1', connectTimeoutMs: 2000, handshakeTimeoutMs: 2000, log },
        {
          message: (from, msg) => void inbox[i]!.push({ from, msg }),
          linkClosed: (peer, link) => void closed[i]!.push([peer, link]),
          peerConnection: (peer, isUp) => {
            if (!isUp) return;
            up[i]!.push(peer);
            const msg = current[i]!.get(peer);
            if (msg) t[i]!.send(peer, msg);
          },
        },
      ),
  );
  await Promise.all(t.map((x) => x.start()));
  const vote = (from: number, to: number, msg: PeerMessage): void => {
    current[from - 1]!.set(to, msg);
    t[from - 1]!.send(to, msg);
  };
  return { t, inbox, closed, up, vote, stop: () => Promise.all(t.map((x) => x.stop())).then(() => undefined) };
}

const vote = (leader: number): PeerMessage => ({ type: 'notification', vote: { leader, zxid: 5n, peerEpoch: 1, round: 2 }, state: 'looking' });

test('notifications reach a higher and a lower sid, over the connection the higher sid dials', async () => {
  const { inbox, up, vote: send, stop } = await trio();
  try {
    send(1, 3, vote(1)); // lower dials higher: dropped, the higher dials back, the vote goes again on "up"
    const [got] = await waitFor(inbox[2]!, 1);
    assert.deepEqual(got, { from: 1, msg: vote(1) });
    assert.ok(up[0]!.includes(3) && up[2]!.includes(1), 'both sides were told the connection is up');
    send(3, 1, vote(3));
    const [back] = await waitFor(inbox[0]!, 1);
    assert.deepEqual(back, { from: 3, msg: vote(3) });
    send(2, 1, vote(2));
    send(1, 2, vote(1));
    assert.deepEqual((await waitFor(inbox[0]!, 2))[1], { from: 2, msg: vote(2) });
    assert.deepEqual((await waitFor(inbox[1]!, 1))[0], { from: 1, msg: vote(1) });
  } finally {
    await stop();
  }
});

test('a learner link carries packets both ways in order; closing it is reported to the other side', async () => {
  const { t, inbox, closed, stop } = await trio();
  try {
    const link = 0x1234 * 0x100000 + 1;
    t[1]!.send(3, { type: 'zab', link, seq: 0, body: { type: 'learnerinfo', acceptedEpoch: 1, learnerType: 'participant' } });
    t[1]!.send(3, { type: 'zab', link, seq: 1, body: { type: 'ack', zxid: 7n } });
    const got = await waitFor(inbox[2]!, 2);
    assert.deepEqual(got.map((r) => (r.msg.type === 'zab' ? [r.from, r.msg.seq, r.msg.body.type] : null)), [
      [2, 0, 'learnerinfo'],
      [2, 1, 'ack'],
    ]);
    for (let seq = 0; seq < 50; seq++) t[2]!.send(2, { type: 'zab', link, seq, body: { type: 'commit', zxid: BigInt(seq) } });
    const replies = await waitFor(inbox[1]!, 50);
    assert.deepEqual(
      replies.map((r) => (r.msg.type === 'zab' ? r.msg.seq : -1)),
      Array.from({ length: 50 }, (_, i) => i),
    );
    t[1]!.send(3, { type: 'zab', link, seq: 2, body: { type: 'close', reason: 'bye' } });
    await waitFor(closed[2]!, 1);
    assert.deepEqual(closed[2], [[2, link]]);
  } finally {
    await stop();
  }
});

test('a stopped transport sends nothing', async () => {
  const { t, stop } = await trio();
  assert.ok(t[0]!.send(3, vote(1)) > 0);
  await stop();
  assert.equal(t[0]!.send(3, vote(1)), 0);
});
