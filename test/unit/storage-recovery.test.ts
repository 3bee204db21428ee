/**
 * recover() is pure: hand it rows and a snapshot, get a database or a refusal.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toLogRow } from '../../engine/src/storage/checksum.js';
import { continuityProblem } from '../../engine/src/storage/continuity.js';
import type { RawLogRow, RecoveryInput } from '../../engine/src/storage/contracts.js';
import { epochProblems } from '../../engine/src/storage/epoch-check.js';
import { isStorageError } from '../../engine/src/storage/errors.js';
import { recover } from '../../engine/src/storage/recovery.js';
import { entries, entry, mapFns, serializeMap, z, type MapDb } from './storage-fixtures.js';

const rows = (...es: ReturnType<typeof entry>[]): RawLogRow[] => es.map(toLogRow);
const input = (over: Partial<RecoveryInput>): RecoveryInput => ({ snapshot: null, rows: [], purgedThrough: 0n, ...over });

function flipped(row: RawLogRow, at = 10): RawLogRow {
  const bytes = Buffer.from(row.bytes);
  bytes[at % bytes.length]! ^= 0x01;
  return { ...row, bytes };
}

function refuses(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStorageError(e, 'corrupt'), String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

function paths(db: MapDb): string[] {
  return [...db.nodes.keys()];
}

test('continuity: consecutive counters in an epoch, counter 1 opens the next', () => {
  assert.equal(continuityProblem(0n, z(0, 1)), null);
  assert.equal(continuityProblem(0n, z(1, 1)), null);
  assert.equal(continuityProblem(z(1, 5), z(1, 6)), null);
  assert.equal(continuityProblem(z(1, 5), z(3, 1)), null);
  assert.equal(continuityProblem(z(3, 0), z(3, 1)), null);
  assert.match(continuityProblem(z(1, 5), z(1, 7))!, /gap between 1:5 and 1:7/);
  assert.match(continuityProblem(z(1, 5), z(2, 4))!, /2:1\.\. are missing/);
  assert.match(continuityProblem(z(1, 5), z(1, 5))!, /does not come after/);
});

test('empty disk: empty database at zxid 0', () => {
  const r = recover(input({}), mapFns);
  assert.equal(r.lastZxid, 0n);
  assert.equal(r.snapshotZxid, null);
  assert.equal(r.db.nodes.size, 0);
  assert.equal(r.truncateAfter, null);
});

test('log only: everything replayed in order', () => {
  const r = recover(input({ rows: rows(...entries(1, 1, 3), ...entries(2, 1, 2)) }), mapFns);
  assert.equal(r.lastZxid, z(2, 2));
  assert.equal(r.replayed, 5);
  assert.deepEqual(paths(r.db), ['/n1-1', '/n1-2', '/n1-3', '/n2-1', '/n2-2']);
  assert.equal(r.reports.at(-1)?.code, 'recovered');
});

test('snapshot + log: only txns after the snapshot are applied', () => {
  const snapDb: MapDb = { nodes: new Map([['/from-snapshot', 'x']]), lastZxid: z(1, 3) };
  const r = recover(
    input({ snapshot: { zxid: z(1, 3), bytes: serializeMap(snapDb) }, rows: rows(...entries(1, 1, 5)) }),
    mapFns,
  );
  assert.equal(r.snapshotZxid, z(1, 3));
  assert.equal(r.replayed, 2);
  assert.equal(r.lastZxid, z(1, 5));
  assert.deepEqual(paths(r.db), ['/from-snapshot', '/n1-4', '/n1-5']);
});

test('a snapshot above the whole log (SNAP sync) is the last zxid', () => {
  const snapDb: MapDb = { nodes: new Map(), lastZxid: z(3, 40) };
  const r = recover(input({ snapshot: { zxid: z(3, 40), bytes: serializeMap(snapDb) }, rows: [] }), mapFns);
  assert.equal(r.lastZxid, z(3, 40));
  // ... and the log may continue from it after a gap no snapshot-less replay could bridge.
  const r2 = recover(
    input({ snapshot: { zxid: z(3, 40), bytes: serializeMap(snapDb) }, rows: rows(entry(2, 9), entry(3, 41)) }),
    mapFns,
  );
  assert.equal(r2.lastZxid, z(3, 41));
});

test('a damaged last row is a torn tail: cut, reported, never applied', () => {
  const good = rows(...entries(1, 1, 4));
  const r = recover(input({ rows: [...good, flipped(toLogRow(entry(1, 5)))] }), mapFns);
  assert.equal(r.truncateAfter, z(1, 4));
  assert.equal(r.lastZxid, z(1, 4));
  assert.ok(!r.db.nodes.has('/n1-5'));
  const report = r.reports.find((x) => x.code === 'log-tail-truncated');
  assert.ok(report, 'tail cut is reported');
  assert.equal(report.level, 'warn');
  assert.match(report.message, /1:5 \(checksum mismatch\).*1 entry cut after 1:4/);
});

test('several damaged rows at the end are one torn tail', () => {
  const tail = [flipped(toLogRow(entry(1, 3))), { ...toLogRow(entry(1, 4)), crc: 7 }];
  const r = recover(input({ rows: [...rows(...entries(1, 1, 2)), ...tail] }), mapFns);
  assert.equal(r.truncateAfter, z(1, 2));
  assert.deepEqual(paths(r.db), ['/n1-1', '/n1-2']);
});

test('a torn first row after the snapshot cuts back to the snapshot', () => {
  const snap = { zxid: z(1, 2), bytes: serializeMap({ nodes: new Map(), lastZxid: z(1, 2) }) };
  const r = recover(input({ snapshot: snap, rows: [flipped(toLogRow(entry(1, 3)))] }), mapFns);
  assert.equal(r.truncateAfter, z(1, 2));
  assert.equal(r.lastZxid, z(1, 2));
});

test('damage with valid rows after it is refused, unless the operator accepts the loss', () => {
  const damaged = [...rows(...entries(1, 1, 2)), flipped(toLogRow(entry(1, 3))), ...rows(...entries(1, 4, 6))];
  refuses(() => recover(input({ rows: damaged }), mapFns), /corrupt history at log entry 1:3 \(checksum mismatch\) with 3 valid entries after it/);
  const r = recover(input({ rows: damaged }), mapFns, { discardCorruptHistory: true });
  assert.equal(r.truncateAfter, z(1, 2));
  assert.deepEqual(paths(r.db), ['/n1-1', '/n1-2']);
  assert.equal(r.reports.find((x) => x.code === 'log-corrupt')?.level, 'error');
});

test('a row whose key disagrees with its entry is damage', () => {
  const wrongKey = { ...toLogRow(entry(1, 2)), zxid: z(1, 3) };
  refuses(() => recover(input({ rows: [...rows(entry(1, 1)), wrongKey, ...rows(entry(1, 4))] }), mapFns), /entry says zxid/);
});

test('missing txns (a gap) are refused even at the end', () => {
  refuses(() => recover(input({ rows: rows(entry(1, 1), entry(1, 2), entry(1, 4)) }), mapFns), /gap between 1:2 and 1:4/);
  refuses(() => recover(input({ rows: rows(entry(1, 1), entry(2, 2)) }), mapFns), /2:1\.\. are missing/);
});

test('history purged below the only loadable snapshot is refused', () => {
  refuses(() => recover(input({ purgedThrough: z(1, 30), rows: rows(...entries(1, 31, 32)) }), mapFns), /no valid snapshot/);
  const old = { zxid: z(1, 10), bytes: serializeMap({ nodes: new Map(), lastZxid: z(1, 10) }) };
  refuses(() => recover(input({ snapshot: old, purgedThrough: z(1, 30) }), mapFns), /purged through 1:30/);
});

test('a snapshot the deserializer rejects, or a txn apply rejects, is reported as corruption', () => {
  refuses(() => recover(input({ snapshot: { zxid: z(1, 1), bytes: Buffer.from('not json') } }), mapFns), /cannot be loaded/);
  const fns = { ...mapFns, apply: () => { throw new Error('tree says no'); } };
  refuses(() => recover(input({ rows: rows(entry(1, 1)) }), fns), /replaying 1:1 failed: tree says no/);
});

test('epoch invariants (zab.md §1.3)', () => {
  assert.deepEqual(epochProblems(3, 3, z(3, 9)), []);
  assert.deepEqual(epochProblems(0, 0, 0n), []);
  assert.match(epochProblems(2, 2, z(3, 1)).join(), /currentEpoch 2 is older than the last logged zxid 3:1/);
  assert.match(epochProblems(2, 3, z(3, 1)).join(), /acceptedEpoch 2 is older than currentEpoch 3/);
});
