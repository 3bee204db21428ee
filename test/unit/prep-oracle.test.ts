/**
 * Prep against the oracle: the same scripted write requests go to a real Apache
 * ZooKeeper 3.8 (raw wire protocol) and to our Prep + ZkDatabase, and the outcomes must
 * match — error codes (validation ORDER included: each case is built so two rules
 * compete), created paths (sequential suffixes), multi result types and codes, and the
 * zxid each write consumes (failed and undecodable writes consume one too, §5).
 *
 * Cases where 3.8.0 is known to be wrong (§18: standalone check gets no reply; createTTL
 * with a non-TTL mode and ttl −1 kills the server) are not sent to the oracle; they are
 * covered by prep-*.test.ts.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthPacket,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  Err,
  OpCode,
  Perms,
  ReconfigRequest,
  SetACLRequest,
  SetDataRequest,
  errName,
  type ACL,
  type Id,
} from '../../engine/src/jute/index.js';
import { Prep, digestId } from '../../engine/src/server/prep/index.js';
import { ZkDatabase, type OpResult } from '../../engine/src/tree/index.js';
import { apacheZkAvailable, startApacheZk, type ApacheZk } from '../helpers/apache-zk.js';
import { RawZkClient } from '../helpers/raw-client.js';
import { decodeMultiResponse, encodeMulti, type MultiOp } from '../helpers/raw-multi.js';

const OPEN: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
const ALICE = digestId('alice:secret');
const SUPER_DIGEST = digestId('super:test');
const aliceOnly = (perms: number): ACL[] => [{ perms, id: { scheme: 'digest', id: ALICE } }];

type Who = 'anon' | 'alice' | 'super';
interface Step {
  who: Who;
  op: number;
  body: Buffer;
  note: string;
}

const create = (path: string, flags = 0, acl: ACL[] = OPEN, data: Buffer | null = Buffer.from('d')): Buffer =>
  CreateRequest.encode({ path, data, acl, flags });
const createTtl = (path: string, flags: number, ttl: bigint, acl: ACL[] = OPEN): Buffer =>
  CreateTTLRequest.encode({ path, data: null, acl, flags, ttl });
const del = (path: string, version = -1): Buffer => DeleteRequest.encode({ path, version });
const setData = (path: string, version = -1): Buffer => SetDataRequest.encode({ path, data: Buffer.from('v'), version });
const setAcl = (path: string, acl: ACL[], version = -1): Buffer => SetACLRequest.encode({ path, acl, version });
const multi = (ops: MultiOp[]): Buffer => encodeMulti(ops);

function script(): Step[] {
  const s: Step[] = [];
  const add = (who: Who, op: number, body: Buffer, note: string) => s.push({ who, op, body, note });
  // --- setup
  add('anon', OpCode.create, create('/t'), 'setup /t');
  add('anon', OpCode.create, create('/t/a'), 'setup /t/a');
  add('alice', OpCode.create, create('/locked', 0, aliceOnly(Perms.READ)), 'setup /locked (alice READ only)');
  add('anon', OpCode.create, create('/e', 1), 'ephemeral /e');
  // --- create: validation order
  add('anon', OpCode.create, create('/x', 7), 'flags 7 → BadArguments');
  add('anon', OpCode.create, create('/x', -1), 'flags -1 → BadArguments');
  add('anon', OpCode.create, create('/x', 5), 'TTL flags on opcode 1 (ttl −1) → BadArguments');
  add('anon', OpCode.createTTL, createTtl('/ttl0', 5, 0n), 'ttl 0 → BadArguments');
  add('anon', OpCode.createTTL, createTtl('/ttl0', 5, 1n << 40n), 'ttl 2^40 → BadArguments');
  add('anon', OpCode.createTTL, createTtl('/ttl1', 5, 1n), 'ttl 1 → ok');
  add('anon', OpCode.createTTL, createTtl('/ttlseq-', 6, 1000n), 'sequential TTL');
  add('anon', OpCode.createTTL, createTtl('/ttle', 1, 100n), 'opcode 21, ephemeral mode, ttl ≥ 0 → BadArguments');
  add('anon', OpCode.create, create('noslash'), 'no slash → BadArguments');
  add('anon', OpCode.create, create('/a\u0000b'), 'NUL → BadArguments');
  add('anon', OpCode.create, create('/missing/x', 0, []), 'empty ACL beats missing parent → InvalidACL');
  add('anon', OpCode.create, create('/missing/x', 0, [{ perms: 31, id: { scheme: 'world', id: 'someone' } }]), 'world:someone → InvalidACL');
  add('anon', OpCode.create, create('/x', 0, [{ perms: 31, id: { scheme: 'digest', id: 'nocolon' } }]), 'digest id without colon → InvalidACL');
  add('anon', OpCode.create, create('/x', 0, [{ perms: 31, id: { scheme: 'ip', id: '300.1.1.1' } }]), 'bad ip → InvalidACL');
  add('anon', OpCode.create, create('/x', 0, [{ perms: 31, id: { scheme: 'ip', id: '10.0.0.0/33' } }]), 'bad ip prefix → InvalidACL');
  add('anon', OpCode.create, create('/x', 0, [{ perms: 31, id: { scheme: 'auth', id: '' } }]), 'auth with no auth id → InvalidACL');
  add('anon', OpCode.create, create('/x', 0, [{ perms: 31, id: { scheme: 'foo', id: 'bar' } }]), 'unknown scheme → InvalidACL');
  add('anon', OpCode.create, create('/x', 0, [{ perms: 31, id: { scheme: 'super', id: '' } }]), 'super scheme → InvalidACL');
  add('alice', OpCode.create, create('/authed', 0, [{ perms: 31, id: { scheme: 'auth', id: '' } }]), 'auth expands to digest');
  add('anon', OpCode.create, create('/ipacl', 0, [{ perms: 31, id: { scheme: 'ip', id: '127.0.0.0/8' } }, ...OPEN, ...OPEN]), 'ip CIDR + duplicates');
  add('anon', OpCode.create, create('/ipacl/child'), 'ip ACL matches 127.0.0.1');
  add('anon', OpCode.create, create('/noperm', 0, [{ perms: 31, id: { scheme: 'ip', id: '10.0.0.0/8' } }]), 'ip ACL elsewhere');
  add('anon', OpCode.create, create('/noperm/child'), 'ip ACL does not match → NoAuth');
  add('anon', OpCode.create, create('/missing/'), '/missing/ → NoNode');
  add('anon', OpCode.create, create('/t//b'), '/t//b → NoNode');
  add('anon', OpCode.create, create('/t/./x'), '/t/./x → NoNode');
  add('anon', OpCode.create, create('/locked/'), 'NoAuth beats a bad final path');
  add('anon', OpCode.create, create('/locked/x'), 'no CREATE on parent → NoAuth');
  add('super', OpCode.create, create('/locked/x'), 'super bypasses ACLs');
  add('anon', OpCode.create, create('/t/'), '/t/ → BadArguments');
  add('anon', OpCode.create, create('//a'), '//a → BadArguments');
  add('anon', OpCode.create, create('/t/.'), '/t/. → BadArguments');
  add('anon', OpCode.create, create('/t/\ud83d\ude00'), 'emoji → BadArguments');
  add('anon', OpCode.create, create('/'), 'create / → NodeExists');
  add('anon', OpCode.create, create('/t'), 'NodeExists');
  add('anon', OpCode.create, create('/e/c'), 'child of ephemeral → NoChildrenForEphemerals');
  add('anon', OpCode.create, create('/t/s-', 2), 'sequential under /t (counter 1)');
  add('anon', OpCode.create2, create('/t/s-', 3), 'ephemeral sequential, create2');
  add('anon', OpCode.delete, del('/t/a'), 'deletes do not advance the counter');
  add('anon', OpCode.create, create('/t/s-', 2), 'sequential after a delete');
  add('anon', OpCode.create, create('/t/', 2), '/t/ sequential is legal');
  add('anon', OpCode.create, create('/s-', 2), 'sequential under the root');
  add('anon', OpCode.createContainer, create('/c1', 0), 'container via opcode 19');
  add('anon', OpCode.createContainer, create('/c1/k-', 2), 'sequential child of a container');
  add('anon', OpCode.create, create('/p4', 4), 'opcode 1 with flags 4');
  add('anon', OpCode.create, create('/nul', 0, OPEN, null), 'null data');
  // --- delete
  add('anon', OpCode.delete, del('/'), 'delete / → BadArguments');
  add('anon', OpCode.delete, del('/zookeeper/config'), 'protected → BadArguments');
  add('anon', OpCode.delete, del('noslash'), 'no slash → BadArguments');
  add('anon', OpCode.delete, del('/missing/x'), 'parent missing → NoNode');
  add('anon', OpCode.delete, del('/locked/nothing'), 'DELETE on parent checked before existence → NoAuth');
  add('anon', OpCode.delete, del('/t', 99), 'BadVersion before NotEmpty');
  add('anon', OpCode.delete, del('/t'), 'NotEmpty');
  add('anon', OpCode.delete, del('/t/'), 'no syntax check: /t/ → NoNode');
  add('anon', OpCode.delete, del('/t/.'), '/t/. → NoNode');
  add('anon', OpCode.delete, del('/nul', 3), 'BadVersion');
  add('anon', OpCode.delete, del('/nul', 0), 'delete with the right version');
  // --- setData
  add('anon', OpCode.setData, setData('/t/'), 'syntax → BadArguments');
  add('anon', OpCode.setData, setData('/nothing', 5), 'NoNode before BadVersion');
  add('anon', OpCode.setData, setData('/zookeeper/config'), 'READ-only config → NoAuth');
  add('anon', OpCode.setData, setData('/locked', 7), 'NoAuth before BadVersion');
  add('anon', OpCode.setData, setData('/t', 1), 'BadVersion');
  add('anon', OpCode.setData, setData('/t', 0), 'setData ok');
  add('anon', OpCode.setData, setData('/', -1), 'setData on / succeeds');
  // --- setACL
  add('anon', OpCode.setACL, setAcl('/nothing', []), 'InvalidACL before NoNode');
  add('anon', OpCode.setACL, setAcl('/nothing', OPEN), 'NoNode');
  add('anon', OpCode.setACL, setAcl('/locked', OPEN, 9), 'no ADMIN → NoAuth before BadVersion');
  add('anon', OpCode.setACL, setAcl('/t', OPEN, 3), 'BadVersion on aversion');
  add('anon', OpCode.setACL, setAcl('/t', [...OPEN, ...OPEN], 0), 'setACL ok, de-duplicated');
  add('anon', OpCode.setACL, setAcl('//x', OPEN), 'syntax → BadArguments');
  // --- multi
  add('anon', OpCode.multi, multi([]), 'empty multi');
  add('anon', OpCode.multi, multi([
    { op: 'create', path: '/m', data: null, acl: OPEN, flags: 0 },
    { op: 'setData', path: '/m', data: Buffer.from('x'), version: 0 },
    { op: 'check', path: '/m', version: 5 },
    { op: 'create', path: '/m2', data: null, acl: OPEN, flags: 0 },
    { op: 'delete', path: '/m', version: -1 },
  ]), 'failed multi → [0, 0, -103, -2, -2]');
  add('anon', OpCode.multi, multi([
    { op: 'create', path: '/m', data: null, acl: OPEN, flags: 0 },
    { op: 'create', path: '/m/n', data: null, acl: OPEN, flags: 0 },
    { op: 'create', path: '/m/q-', data: null, acl: OPEN, flags: 2 },
    { op: 'create', path: '/m/q-', data: null, acl: OPEN, flags: 2, type: 15 },
    { op: 'delete', path: '/m/n', version: 0 },
    { op: 'setData', path: '/m', data: Buffer.from('x'), version: 0 },
    { op: 'check', path: '/m', version: 1 },
  ]), 'nested creates, sequential numbers, create-then-delete');
  add('anon', OpCode.multi, multi([
    { op: 'create', path: '/mc', data: null, acl: OPEN, flags: 4 },
    { op: 'create', path: '/mp', data: null, acl: OPEN, flags: 0, type: 19 },
    { op: 'create', path: '/mt', data: null, acl: OPEN, flags: 5, ttl: 500n },
  ]), 'inside multi the flags decide: container → type 15, header 19 flags 0 → type 1, TTL → 15');
  add('anon', OpCode.multi, multi([{ op: 'create', path: '/mx', data: null, acl: OPEN, flags: 0 }, { op: 'getData', path: '/t' }]), 'read op inside multi → MarshallingError');
  add('anon', OpCode.multi, multi([{ op: 'create', path: '/my', data: null, acl: OPEN, flags: 0 }]).subarray(0, 20), 'truncated multi → MarshallingError');
  add('anon', OpCode.multi, multi([
    { op: 'create', path: '/mz', data: null, acl: [], flags: 0 },
    { op: 'create', path: '/mz2', data: null, acl: OPEN, flags: 0 },
  ]), 'InvalidACL inside multi');
  add('anon', OpCode.multi, multi([{ op: 'delete', path: '/e', version: -1 }, { op: 'create', path: '/e', data: null, acl: OPEN, flags: 0 }]), 'delete an ephemeral and recreate it persistent');
  // --- odd requests
  add('anon', OpCode.create, Buffer.from([0, 0, 0, 5, 0x2f]), 'truncated create → MarshallingError');
  add('anon', OpCode.setData, Buffer.alloc(2), 'truncated setData → MarshallingError');
  add('anon', OpCode.deleteContainer, Buffer.from('/c1'), 'client deleteContainer → BadArguments');
  add('anon', OpCode.reconfig, ReconfigRequest.encode({ joiningServers: null, leavingServers: null, newMembers: null, curConfigId: -1n }), 'reconfig → ReconfigDisabled');
  return s;
}

/** What a step produced, in a shape both sides can give. */
type Outcome = { err: number; zxidStep: bigint; path?: string; results?: string[] };

function describe(o: Outcome): string {
  return JSON.stringify({ ...o, err: errName(o.err), zxidStep: Number(o.zxidStep) });
}

function oracleOutcome(op: number, reply: { err: number; body: Buffer }, zxidStep: bigint): Outcome {
  if (reply.err !== 0) return { err: reply.err, zxidStep };
  if (op === OpCode.multi) {
    const results = decodeMultiResponse(reply.body).map((r) =>
      r.type === -1 && 'err' in r ? `err ${errName(r.err)}` : 'path' in r ? `${r.type} ${r.path}` : `${r.type}`,
    );
    return { err: 0, zxidStep, results };
  }
  if (op === OpCode.create || op === OpCode.create2 || op === OpCode.createContainer || op === OpCode.createTTL) {
    const n = reply.body.readInt32BE(0);
    return { err: 0, zxidStep, path: reply.body.toString('utf8', 4, 4 + n) };
  }
  return { err: 0, zxidStep };
}

function resultLabel(r: OpResult): string {
  switch (r.op) {
    case 'create':
      return `${r.extended ? 15 : 1} ${r.path}`;
    case 'delete':
      return '2';
    case 'setData':
      return '5';
    case 'check':
      return '13';
    case 'error':
      return `err ${errName(r.err)}`;
    default:
      return r.op;
  }
}

function modelOutcome(result: OpResult, zxidStep: bigint): Outcome {
  if (result.op === 'error') return { err: result.err, zxidStep };
  if (result.op === 'multi') return { err: 0, zxidStep, results: result.results.map(resultLabel) };
  if (result.op === 'create') return { err: 0, zxidStep, path: result.path };
  return { err: 0, zxidStep };
}

let zk: ApacheZk | null = null;
before(async () => {
  if (apacheZkAvailable()) zk = await startApacheZk({ extendedTypesEnabled: true, superDigest: SUPER_DIGEST });
});
after(async () => {
  await zk?.stop();
});

test('prep + apply answer every scripted write exactly as ZooKeeper 3.8 does', { skip: !apacheZkAvailable() && 'Apache ZooKeeper is not installed' }, async () => {
  const port = zk!.members[0]!.clientPort;
  const clients: Record<Who, RawZkClient> = {
    anon: await RawZkClient.connect(port),
    alice: await RawZkClient.connect(port),
    super: await RawZkClient.connect(port),
  };
  try {
    const ip: Id = { scheme: 'ip', id: '127.0.0.1' };
    const authIds: Record<Who, Id[]> = { anon: [ip], alice: [ip], super: [ip] };
    for (const [who, cred] of [['alice', 'alice:secret'], ['super', 'super:test']] as const) {
      const r = await clients[who].request(OpCode.auth, AuthPacket.encode({ type: 0, scheme: 'digest', auth: Buffer.from(cred) }), { xid: -4 });
      assert.equal(r.err, 0);
      authIds[who].push({ scheme: 'digest', id: digestId(cred) });
    }
    authIds.super.push({ scheme: 'super', id: '' });

    // Our side: the same sessions, created by transactions.
    const db = new ZkDatabase();
    const prep = new Prep(db, { extendedTypesEnabled: true });
    let zxid = 0n;
    const time = 1_700_000_000_000;
    for (const who of ['anon', 'alice', 'super'] as const) {
      const e = prep.prepareCreateSession(clients[who].sessionId, 30000, Buffer.alloc(16), ++zxid, time);
      db.apply(e);
      prep.committed(e.zxid);
    }

    let lastOracleZxid = (await clients.anon.ping()).zxid;
    const mismatches: string[] = [];
    for (const step of script()) {
      const reply = await clients[step.who].request(step.op, step.body);
      const expected = oracleOutcome(step.op, reply, reply.zxid - lastOracleZxid);
      lastOracleZxid = reply.zxid;

      const entry = prep.prepare({ sessionId: clients[step.who].sessionId, cxid: 0, op: step.op, body: step.body, authIds: authIds[step.who] }, zxid + 1n, time);
      const actual = modelOutcome(db.apply(entry).result, entry.zxid - zxid);
      zxid = entry.zxid;
      prep.committed(entry.zxid);
      if (process.env.PREP_ORACLE_VERBOSE) console.log(step.note.padEnd(60), describe(expected));
      if (describe(actual) !== describe(expected)) {
        mismatches.push(`${step.note}\n    zookeeper: ${describe(expected)}\n    zoolab:    ${describe(actual)}`);
      }
    }
    assert.deepEqual(mismatches, [], `differences from ZooKeeper 3.8:\n  ${mismatches.join('\n  ')}`);
  } finally {
    for (const c of Object.values(clients)) c.destroy();
  }
});
