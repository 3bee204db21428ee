/**
 * One contract, three stores: the memory store, SQLite with one file, SQLite with a
 * separate dataLogDir. Every test here runs against each, so the simulator's store
 * cannot drift from the real one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DurableStore, SnapshotInfo, StorageReport } from '../../engine/src/storage/contracts.js';
import { isStorageError } from '../../engine/src/storage/errors.js';
import { MemoryStore } from '../../engine/src/storage/memory-store.js';
import { openSqliteStore } from '../../engine/src/storage/sqlite-store.js';
import { entries, entry, tempDir, z } from './storage-fixtures.js';

/** The snapshot's zxid and bytes, whatever else the store adds (the pieces, a lazy join). */
function plainSnapshot(s: SnapshotInfo | null): { zxid: bigint; bytes: Buffer } | null {
  return s === null ? null : { zxid: s.zxid, bytes: s.bytes };
}

interface Harness {
  store: DurableStore;
  reports: StorageReport[];
  /** Close (or crash, for memory) and open the same disk again. */
  reopen(): Promise<DurableStore>;
  cleanup(): Promise<void>;
}

const impls: { name: string; open(): Promise<Harness> }[] = [
  {
    name: 'memory',
    async open() {
      const reports: StorageReport[] = [];
      const store = new MemoryStore({ autoFlush: true, logger: (r) => reports.push(r), chunkBytes: 4 });
      return {
        store,
        reports,
        async reopen() {
          store.crash();
          return store;
        },
        async cleanup() {},
      };
    },
  },
  ...[false, true].map((split) => ({
    name: split ? 'sqlite (split dataLogDir)' : 'sqlite (one file)',
    async open(): Promise<Harness> {
      const tmp = tempDir();
      const reports: StorageReport[] = [];
      const opts = {
        dataDir: `${tmp.dir}/data`,
        dataLogDir: split ? `${tmp.dir}/log` : `${tmp.dir}/data`,
        logger: (r: StorageReport) => reports.push(r),
        chunkBytes: 4,
      };
      const h: Harness = {
        store: await openSqliteStore(opts),
        reports,
        async reopen() {
          await h.store.close();
          h.store = await openSqliteStore(opts);
          return h.store;
        },
        async cleanup() {
          await h.store.close();
          tmp.cleanup();
        },
      };
      return h;
    },
  })),
];

async function rejectsWith(p: Promise<unknown>, kind: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isStorageError(e), `expected a StorageError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    assert.match(e.message, pattern);
    return true;
  });
}

async function* slowly<T>(items: T[], gate?: Promise<void>): AsyncGenerator<T> {
  for (const [i, item] of items.entries()) {
    if (i === 1 && gate) await gate;
    yield item;
  }
}

for (const impl of impls) {
  describe(`storage contract: ${impl.name}`, () => {
    async function withStore(fn: (h: Harness) => Promise<void>): Promise<void> {
      const h = await impl.open();
      try {
        await fn(h);
      } finally {
        await h.cleanup();
      }
    }

    test('a fresh store is empty', () =>
      withStore(async ({ store }) => {
        assert.equal(store.log.lastZxid(), 0n);
        assert.equal(store.log.firstZxid(), 0n);
        assert.deepEqual(store.log.read(0n), []);
        assert.equal(store.stable.acceptedEpoch(), 0);
        assert.equal(store.stable.currentEpoch(), 0);
        assert.equal(store.snapshots.latest(), null);
        assert.deepEqual(store.recoveryInput(), { snapshot: null, rows: [], purgedThrough: 0n });
      }));

    test('append, read ranges, bounds', () =>
      withStore(async ({ store }) => {
        await store.log.append(entries(1, 1, 10));
        assert.equal(store.log.firstZxid(), z(1, 1));
        assert.equal(store.log.lastZxid(), z(1, 10));
        assert.deepEqual(store.log.read(0n), entries(1, 1, 10));
        assert.deepEqual(store.log.read(z(1, 3), z(1, 5)), entries(1, 4, 5));
        assert.deepEqual(store.log.read(z(1, 10)), []);
        assert.deepEqual(store.log.read(z(1, 8), z(9, 9)), entries(1, 9, 10));
      }));

    test('concurrent appends all land, in call order', () =>
      withStore(async ({ store }) => {
        await Promise.all(entries(1, 1, 200).map((e) => store.log.append([e])));
        assert.deepEqual(store.log.read(0n), entries(1, 1, 200));
      }));

    test('bad appends reject at once and write nothing', () =>
      withStore(async ({ store }) => {
        await store.log.append(entries(1, 1, 3));
        await rejectsWith(store.log.append([entry(1, 5), entry(1, 4)]), 'invalid', /increase within an append/);
        await rejectsWith(store.log.append([entry(2, 0)]), 'invalid', /counter 0/);
        await rejectsWith(store.log.append([entry(1, 3)]), 'invalid', /already holds 1:3/);
        await rejectsWith(store.log.append([entry(1, 4), entry(1, 2)]), 'invalid', /increase/);
        // The store keeps working and holds exactly what it held.
        await store.log.append([entry(1, 4)]);
        assert.deepEqual(store.log.read(0n), entries(1, 1, 4));
      }));

    test('everything survives a reopen', () =>
      withStore(async (h) => {
        await h.store.log.append(entries(1, 1, 5));
        await h.store.stable.setAcceptedEpoch(3);
        await h.store.appendAndSetCurrentEpoch(entries(2, 1, 2), 2);
        await h.store.snapshots.write(z(1, 5), Buffer.from('tree@1:5'));
        const store = await h.reopen();
        assert.deepEqual(store.log.read(0n), [...entries(1, 1, 5), ...entries(2, 1, 2)]);
        assert.equal(store.stable.acceptedEpoch(), 3);
        assert.equal(store.stable.currentEpoch(), 2);
        assert.deepEqual(store.snapshots.latest(), { zxid: z(1, 5), bytes: Buffer.from('tree@1:5') });
      }));

    test('appendAndSetCurrentEpoch sets txns and epoch together', () =>
      withStore(async ({ store }) => {
        await store.appendAndSetCurrentEpoch(entries(4, 1, 3), 4);
        assert.equal(store.stable.currentEpoch(), 4);
        assert.equal(store.log.lastZxid(), z(4, 3));
        await store.appendAndSetCurrentEpoch([], 5);
        assert.equal(store.stable.currentEpoch(), 5);
        await rejectsWith(store.appendAndSetCurrentEpoch([entry(5, 1)], -1), 'invalid', /epoch -1/);
        assert.equal(store.log.lastZxid(), z(4, 3));
      }));

    test('truncateAfter cuts the log and the snapshots above it', () =>
      withStore(async ({ store }) => {
        await store.log.append(entries(1, 1, 10));
        await store.snapshots.write(z(1, 4), Buffer.from('at4'));
        await store.snapshots.write(z(1, 8), Buffer.from('at8'));
        await store.log.truncateAfter(z(1, 6));
        assert.equal(store.log.lastZxid(), z(1, 6));
        assert.deepEqual(store.log.read(0n), entries(1, 1, 6));
        assert.deepEqual(store.snapshots.list(), [{ zxid: z(1, 4), size: 3 }]);
        // The next epoch continues from the cut.
        await store.log.append(entries(2, 1, 2));
        assert.deepEqual(store.log.read(z(1, 6)), entries(2, 1, 2));
        await store.log.truncateAfter(0n);
        assert.equal(store.log.lastZxid(), 0n);
        assert.deepEqual(store.snapshots.list(), []);
      }));

    test('writes from all facades take effect in call order', () =>
      withStore(async ({ store }) => {
        const all = [
          store.log.append(entries(1, 1, 5)),
          store.stable.setAcceptedEpoch(2),
          store.log.truncateAfter(z(1, 2)),
          store.log.append(entries(2, 1, 1)),
          store.stable.setCurrentEpoch(2),
          // A snapshot takes effect when its last chunk is handed over: at once (memory) or
          // after the next truncation (SQLite, chunk by chunk), which then abandons it.
          // Either way the truncation below leaves no snapshot above 1:2.
          store.snapshots.write(z(2, 1), Buffer.from('s')).catch((e: unknown) => {
            assert.ok(isStorageError(e, 'abandoned'), String(e));
          }),
          store.log.truncateAfter(z(1, 2)),
        ];
        await Promise.all(all);
        assert.deepEqual(store.log.read(0n), entries(1, 1, 2));
        assert.deepEqual(store.snapshots.list(), []);
        assert.equal(store.stable.acceptedEpoch(), 2);
        assert.equal(store.stable.currentEpoch(), 2);
      }));

    test('snapshots from a Buffer, an iterable or an async iterable', () =>
      withStore(async ({ store }) => {
        await store.snapshots.write(z(1, 1), Buffer.from('hello snapshot'));
        await store.snapshots.write(z(1, 2), [Buffer.from('ab'), Buffer.from('cdefghij'), Buffer.alloc(0)]);
        await store.snapshots.write(z(1, 3), slowly([Buffer.from('xy'), Buffer.from('z')]));
        await store.snapshots.write(z(1, 4), Buffer.alloc(0));
        assert.deepEqual(store.snapshots.list(), [
          { zxid: z(1, 4), size: 0 },
          { zxid: z(1, 3), size: 3 },
          { zxid: z(1, 2), size: 10 },
          { zxid: z(1, 1), size: 14 },
        ]);
        assert.deepEqual(store.snapshots.latest(), { zxid: z(1, 4), bytes: Buffer.alloc(0) });
        await store.log.truncateAfter(z(1, 3));
        assert.deepEqual(store.snapshots.latest(), { zxid: z(1, 3), bytes: Buffer.from('xyz') });
      }));

    test('a serializer that fails leaves no snapshot behind', () =>
      withStore(async ({ store }) => {
        async function* failing(): AsyncGenerator<Buffer> {
          yield Buffer.from('partial state');
          throw new Error('serializer broke');
        }
        await assert.rejects(store.snapshots.write(z(1, 1), failing()), /serializer broke/);
        assert.deepEqual(store.snapshots.list(), []);
        await store.snapshots.write(z(1, 1), Buffer.from('ok'));
        assert.equal(store.snapshots.list().length, 1);
      }));

    test('a truncation below a snapshot being written abandons it', () =>
      withStore(async ({ store }) => {
        await store.log.append(entries(1, 1, 10));
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const writing = store.snapshots.write(z(1, 9), slowly([Buffer.from('first'), Buffer.from('second')], gate));
        await store.log.truncateAfter(z(1, 5));
        release();
        await rejectsWith(writing, 'abandoned', /truncated/);
        assert.deepEqual(store.snapshots.list(), []);
        assert.equal(store.log.lastZxid(), z(1, 5));
      }));

    test('installSnapshot replaces everything above its zxid, exactly at its place in the queue', () =>
      withStore(async ({ store }) => {
        await store.log.append(entries(2, 1, 12)); // 2:11 and 2:12 are a divergent tail
        await store.snapshots.write(z(2, 5), Buffer.from('old'));
        await store.snapshots.write(z(2, 11), Buffer.from('divergent'));
        // SNAP at 3:40, then the txns after it — queued back to back, no await in between.
        const installed = store.installSnapshot(z(3, 40), Buffer.from('leader state at 3:40'));
        const appended = store.log.append(entries(3, 41, 42));
        await Promise.all([installed, appended]);
        assert.deepEqual(store.snapshots.latest(), { zxid: z(3, 40), bytes: Buffer.from('leader state at 3:40') });
        assert.deepEqual(store.snapshots.list().map((s) => s.zxid), [z(3, 40), z(2, 11), z(2, 5)]);
        assert.deepEqual(store.recoveryInput().rows.map((r) => r.zxid), [z(3, 41), z(3, 42)]);
        // A SNAP below what the member logged drops the divergent history above it.
        await store.installSnapshot(z(2, 10), Buffer.from('state at 2:10'));
        assert.equal(store.log.lastZxid(), z(2, 10));
        assert.deepEqual(store.snapshots.list().map((s) => s.zxid), [z(2, 10), z(2, 5)]);
        assert.equal(store.snapshots.latest()?.bytes.toString(), 'state at 2:10');
        await rejectsWith(store.installSnapshot(z(1, 1), 'x' as unknown as Buffer), 'invalid', /one Buffer/);
      }));

    test('installSnapshot below the purge point makes the snapshot the new starting point', () =>
      withStore(async ({ store }) => {
        await store.log.append(entries(1, 1, 40));
        for (const c of [10, 20, 30]) await store.snapshots.write(z(1, c), Buffer.from(`s${c}`));
        await store.snapshots.purge(3);
        await store.snapshots.write(z(1, 40), Buffer.from('s40'));
        await store.snapshots.purge(3);
        assert.equal(store.recoveryInput().purgedThrough, z(1, 20));
        await store.installSnapshot(z(1, 15), Buffer.from('leader s15'));
        const input = store.recoveryInput();
        assert.equal(input.purgedThrough, z(1, 15));
        assert.deepEqual(plainSnapshot(input.snapshot), { zxid: z(1, 15), bytes: Buffer.from('leader s15') });
        assert.deepEqual(input.rows, []);
      }));

    test('purge keeps the newest snapshots (at least 3) and the log they need', () =>
      withStore(async ({ store }) => {
        await store.log.append(entries(1, 1, 60));
        for (const c of [10, 20, 30, 40, 50]) await store.snapshots.write(z(1, c), Buffer.from(`tree@${c}`));
        const result = await store.snapshots.purge(1);
        assert.deepEqual(result, { snapshotsRemoved: 2, logEntriesRemoved: 30, purgedThrough: z(1, 30) });
        assert.deepEqual(
          store.snapshots.list().map((s) => s.zxid),
          [z(1, 50), z(1, 40), z(1, 30)],
        );
        assert.equal(store.log.firstZxid(), z(1, 31));
        assert.deepEqual(store.recoveryInput().purgedThrough, z(1, 30));
        // Nothing could rebuild the state below the oldest kept snapshot.
        await rejectsWith(store.log.truncateAfter(z(1, 29)), 'invalid', /purged/);
        await store.log.truncateAfter(z(1, 30));
        assert.deepEqual(store.snapshots.list().map((s) => s.zxid), [z(1, 30)]);
        assert.equal(store.log.lastZxid(), 0n);
        // A second purge with nothing to remove changes nothing.
        assert.deepEqual(await store.snapshots.purge(3), { snapshotsRemoved: 0, logEntriesRemoved: 0, purgedThrough: z(1, 30) });
      }));

    test('purge without snapshots keeps the whole log', () =>
      withStore(async ({ store }) => {
        await store.log.append(entries(1, 1, 5));
        assert.deepEqual(await store.snapshots.purge(3), { snapshotsRemoved: 0, logEntriesRemoved: 0, purgedThrough: 0n });
        assert.equal(store.log.firstZxid(), z(1, 1));
      }));

    test('recoveryInput: newest snapshot and the rows after it', () =>
      withStore(async ({ store }) => {
        await store.log.append(entries(1, 1, 8));
        await store.snapshots.write(z(1, 5), Buffer.from('s5'));
        const input = store.recoveryInput();
        assert.deepEqual(plainSnapshot(input.snapshot), { zxid: z(1, 5), bytes: Buffer.from('s5') });
        // A store that keeps pieces hands them out too, and they join to the same bytes.
        if (input.snapshot?.chunks) assert.deepEqual(Buffer.concat([...input.snapshot.chunks]), Buffer.from('s5'));
        assert.deepEqual(
          input.rows.map((r) => r.zxid),
          [z(1, 6), z(1, 7), z(1, 8)],
        );
        assert.equal(input.purgedThrough, 0n);
      }));

    test('after close, writes reject', () =>
      withStore(async (h) => {
        await h.store.log.append(entries(1, 1, 1));
        await h.store.close();
        await rejectsWith(h.store.log.append(entries(1, 2, 2)), 'closed', /closed/);
        await h.reopen();
      }));
  });
}
