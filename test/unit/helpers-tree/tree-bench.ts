/**
 * Memory and restore-speed figures for the tree (not a test: run it by hand).
 *
 *   node --expose-gc .build/<you>/test/unit/helpers-tree/tree-bench.js [znodes=100000] [dataBytes=100] [fanout=1000]
 *
 * Builds a database of `znodes` znodes holding `dataBytes` bytes each, spread under
 * parents of `fanout` children, through `apply` (the only mutation). Prints the process
 * RSS and heap after a full GC, then the time to take a snapshot (incrementally, as a
 * member would) and to restore it.
 */
import { OpCode } from '../../../engine/src/jute/index.js';
import { ZkDatabase } from '../../../engine/src/tree/index.js';
import { OPEN_ACL } from '../../../engine/src/tree/data-tree.js';

const n = Number(process.argv[2] ?? 100_000);
const dataBytes = Number(process.argv[3] ?? 100);
const fanout = Number(process.argv[4] ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc;

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1) + ' MiB';
}
function report(label: string): void {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  console.log(`${label}: rss ${mib(m.rss)}, heapTotal ${mib(m.heapTotal)}, heapUsed ${mib(m.heapUsed)}, external ${mib(m.external)}, arrayBuffers ${mib(m.arrayBuffers)}`);
}

report('baseline');
let db = new ZkDatabase();
let zxid = 0n;
const acl = [...OPEN_ACL];
const t0 = performance.now();
const parents = Math.ceil(n / fanout);
for (let p = 0; p < parents; p++) {
  db.apply({ zxid: ++zxid, sessionId: 0n, cxid: 0, time: Date.now(), txn: { op: OpCode.create, path: `/p${p}`, data: null, acl, ephemeralOwner: 0n } });
  for (let c = 0; c < fanout && p * fanout + c < n; c++) {
    const data = Buffer.allocUnsafe(dataBytes).fill(97 + (c % 26)); // pooled, like a decoded request
    db.apply({
      zxid: ++zxid,
      sessionId: 0n,
      cxid: 0,
      time: Date.now(),
      txn: { op: OpCode.create, path: `/p${p}/node-${String(c).padStart(6, '0')}`, data, acl, ephemeralOwner: 0n },
    });
  }
}
console.log(`built ${db.tree.nodeCount} znodes in ${(performance.now() - t0).toFixed(0)} ms`);
report(`${n} znodes x ${dataBytes} B`);

const t1 = performance.now();
let snap: ReturnType<ZkDatabase['beginSnapshot']> | null = db.beginSnapshot();
const chunks: Buffer[] = [];
let longest = 0;
for (;;) {
  const c0 = performance.now();
  const chunk = snap!.nextChunk(20_000);
  longest = Math.max(longest, performance.now() - c0);
  if (chunk === null) break;
  chunks.push(chunk);
}
const bytes = Buffer.concat(chunks);
console.log(`snapshot: ${mib(bytes.length)} in ${(performance.now() - t1).toFixed(0)} ms (longest chunk ${longest.toFixed(1)} ms)`);

const digest = db.digest();
db = undefined as unknown as ZkDatabase;
snap = null;
chunks.length = 0;
report('dropped the database');
const t2 = performance.now();
const restored = ZkDatabase.deserialize(bytes);
console.log(`restore: ${(performance.now() - t2).toFixed(0)} ms, digest ${restored.digest() === digest ? 'matches' : 'DIFFERS'}`);
report('after restore');
