/**
 * kill -9 under write load: every write the member acknowledged survives the restart
 * (a reply is sent only after its txn is durable), across several crash points. Each
 * round kills the member once a different number of acknowledgements has arrived.
 */
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { startZooLabServer, type ZooLabServer } from '../helpers/zoolab-server.js';
import { RawZkClient } from '../helpers/raw-client.js';
import { create, exists, OPEN_ACL } from '../helpers/raw-ops.js';

let server: ZooLabServer | null = null;
after(async () => {
  await server?.stop();
});

const WRITERS = 4;
const IN_FLIGHT = 25;

/** Writes `/k<round>-<writer>-<n>` in a pipelined loop until the connection dies. */
async function writer(port: number, round: number, id: number, acked: string[], onAck: () => void): Promise<void> {
  const c = await RawZkClient.connect(port);
  let n = 0;
  const one = async (): Promise<void> => {
    while (!c.closed) {
      const path = `/k${round}-${id}-${n++}`;
      try {
        const r = await create(c, { path, data: Buffer.from(path), acl: OPEN_ACL });
        if (r.err !== 0) throw new Error(`create ${path} failed with ${r.err}`);
        acked.push(path);
        onAck();
      } catch (e) {
        if (c.closed) return;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, one));
}

async function assertPresent(port: number, paths: string[]): Promise<void> {
  const c = await RawZkClient.connect(port);
  try {
    const replies = await Promise.all(paths.map((p) => exists(c, p)));
    const missing = paths.filter((_, i) => replies[i].err !== 0);
    assert.deepEqual(missing, [], `${missing.length} acknowledged writes lost`);
  } finally {
    c.destroy();
  }
}

test('every acknowledged write survives kill -9, over several crash points', { timeout: 60_000 }, async () => {
  server = await startZooLabServer({ snapCount: 500 });
  const allAcked: string[] = [];
  for (const [round, killAfter] of [[1, 150], [2, 777], [3, 1601]] as const) {
    const acked: string[] = [];
    let killed: Promise<unknown> | null = null;
    const s = server;
    const onAck = () => {
      if (killed === null && acked.length >= killAfter) killed = s.kill();
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, id) => writer(s.port, round, id, acked, onAck)));
    await killed;
    assert.ok(acked.length >= killAfter);
    allAcked.push(...acked);
    await s.restart();
    await assertPresent(s.port, allAcked);
  }
});
