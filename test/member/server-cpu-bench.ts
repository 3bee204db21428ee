/**
 * The member thread's CPU cost per request, without sockets, disk or other processes:
 * the real ZkServer + StandaloneReplication + Prep + ZkDatabase + WatchManager (the unit
 * test harness), fed pre-encoded request frames by fake channels, with a log that does
 * what the SQLite store does on the member thread (encode each entry, CRC it, pack the
 * batch into one transferable buffer) and is "durable" one turn later. A figure, not a
 * test; on a shared machine this is far steadier than end-to-end throughput, so it is
 * how the member-thread optimisations in docs/performance.md were judged.
 *
 *   node <build>/test/member/server-cpu-bench.js [--ops create,set,get,exists,delete] [--rounds 5] [--n 40000]
 *
 * Prints, per op, the median over rounds of member-thread µs per request (4 sessions ×
 * 100 in flight, the benchmark's shape).
 */
import { harness, connectRequest, request, type FakeChannel } from '../unit/helpers-server/harness.js';
import { CreateRequest, DeleteRequest, GetDataRequest, ExistsRequest, OpCode, SetDataRequest } from '../../engine/src/jute/index.js';
import type { TxnLog } from '../../engine/src/storage/contracts.js';
import type { TxnEntry } from '../../engine/src/tree/txn.js';
import { toLogRows } from '../../engine/src/storage/checksum.js';
import { packOps } from '../../engine/src/storage/writer-protocol.js';

const SESSIONS = 4;
const IN_FLIGHT = 100;
const DATA = Buffer.alloc(100, 0x61);
const ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

/** Encodes and packs each batch as the SQLite store's member-thread side does; durable a turn later. */
class EncodingLog implements TxnLog {
  private last = 0n;
  append(entries: readonly TxnEntry[]): Promise<void> {
    const rows = toLogRows(entries);
    packOps([{ kind: 'append', rows, currentEpoch: null }]);
    this.last = entries.at(-1)?.zxid ?? this.last;
    return new Promise((resolve) => setImmediate(resolve));
  }
  read(): TxnEntry[] {
    return [];
  }
  async truncateAfter(): Promise<void> {}
  lastZxid(): bigint {
    return this.last;
  }
  firstZxid(): bigint {
    return 0n;
  }
}

type Op = 'create' | 'set' | 'get' | 'exists' | 'delete';

function frameFor(op: Op, i: number): Buffer {
  const key = `/bench/k${String(i % 1000).padStart(4, '0')}`;
  switch (op) {
    case 'create':
      return request(i, OpCode.create, CreateRequest.encode({ path: `/bench/c/n${String(i).padStart(10, '0')}`, data: DATA, acl: ACL, flags: 0 }));
    case 'delete':
      return request(i, OpCode.delete, DeleteRequest.encode({ path: `/bench/c/n${String(i).padStart(10, '0')}`, version: -1 }));
    case 'set':
      return request(i, OpCode.setData, SetDataRequest.encode({ path: key, data: DATA, version: -1 }));
    case 'get':
      return request(i, OpCode.getData, GetDataRequest.encode({ path: key, watch: false }));
    case 'exists':
      return request(i, OpCode.exists, ExistsRequest.encode({ path: key, watch: false }));
  }
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

async function run(op: Op, n: number, setupCreates: boolean): Promise<number> {
  const h = harness();
  // Swap in the encoding log (the harness's manual log needs hand-driven flushes).
  (h.replication as unknown as { opts: { log: TxnLog } }).opts.log = new EncodingLog();
  const channels: FakeChannel[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    const ch = h.connect();
    ch.send(connectRequest());
    channels.push(ch);
  }
  await turn();
  await turn();
  await turn();
  let xid = 1;
  const setup = (frames: Buffer[]) => {
    for (let i = 0; i < frames.length; i++) channels[i % SESSIONS]!.send(frames[i]!);
  };
  setup([request(xid++, OpCode.create, CreateRequest.encode({ path: '/bench', data: DATA, acl: ACL, flags: 0 }))]);
  await turn();
  await turn();
  setup([request(xid++, OpCode.create, CreateRequest.encode({ path: '/bench/c', data: DATA, acl: ACL, flags: 0 })), ...Array.from({ length: 1000 }, (_, i) => request(xid++, OpCode.create, CreateRequest.encode({ path: `/bench/k${String(i).padStart(4, '0')}`, data: DATA, acl: ACL, flags: 0 })))]);
  for (let i = 0; i < 5; i++) await turn();
  if (setupCreates) {
    for (let i = 0; i < n; i += SESSIONS * IN_FLIGHT) {
      setup(Array.from({ length: SESSIONS * IN_FLIGHT }, (_, j) => frameFor('create', i + j)));
      await turn();
      await turn();
      await turn();
    }
  }
  for (const ch of channels) ch.frames();
  const frames = Array.from({ length: n }, (_, i) => frameFor(op, i));
  let answered = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  // Waves of 4 × 100 requests, answered before the next wave: the closed loop of the benchmark.
  for (let i = 0; i < n; i += SESSIONS * IN_FLIGHT) {
    for (let j = i; j < Math.min(n, i + SESSIONS * IN_FLIGHT); j++) channels[j % SESSIONS]!.send(frames[j]!);
    await turn();
    await turn();
    await turn();
    for (const ch of channels) {
      for (const f of ch.frames()) {
        answered++;
        // ReplyHeader: xid int, zxid long, err int.
        if (f.readInt32BE(12) !== 0) errors++;
      }
    }
  }
  const cpu = process.cpuUsage(cpu0);
  if (answered !== n || errors > 0) throw new Error(`${op}: ${answered} of ${n} answered, ${errors} errors`);
  return (cpu.user + cpu.system) / n;
}

async function main(): Promise<void> {
  const ops = arg('ops', 'create,set,get,exists,delete').split(',') as Op[];
  const rounds = Number(arg('rounds', '5'));
  const n = Number(arg('n', '40000'));
  for (const op of ops) {
    const us: number[] = [];
    for (let r = 0; r < rounds; r++) us.push(await run(op, n, op === 'delete'));
    us.sort((a, b) => a - b);
    console.log(`${op.padEnd(7)} ${us[us.length >> 1]!.toFixed(2).padStart(7)} µs/request (rounds: ${us.map((u) => u.toFixed(2)).join(', ')})`);
  }
}

await main();
