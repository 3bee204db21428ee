/**
 * The ACL matrix (wire-protocol.md §15): checkAcl, fixupAcl, digest helpers and ip
 * matching (IPv4 and IPv6 CIDR).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Perms, type ACL, type Id } from '../../engine/src/jute/index.js';
import {
  addressBytes,
  checkAcl,
  digestAuthIds,
  digestId,
  fixupAcl,
  ipMatches,
  isValidAclId,
  isValidIpAcl,
} from '../../engine/src/server/prep/index.js';

const world = (perms: number): ACL => ({ perms, id: { scheme: 'world', id: 'anyone' } });
const digest = (perms: number, id: string): ACL => ({ perms, id: { scheme: 'digest', id } });
const ip = (perms: number, id: string): ACL => ({ perms, id: { scheme: 'ip', id } });
const ALICE = digestId('alice:secret');

test('digest ids are user + base64(sha1("user:password")) (§15.2)', () => {
  assert.equal(ALICE, 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=');
  assert.deepEqual(digestAuthIds(Buffer.from('alice:secret')), [{ scheme: 'digest', id: ALICE }]);
  const superDigest = digestId('super:test');
  assert.deepEqual(digestAuthIds(Buffer.from('super:test'), superDigest), [
    { scheme: 'digest', id: superDigest },
    { scheme: 'super', id: '' },
  ]);
  assert.deepEqual(digestAuthIds(Buffer.from('super:wrong'), superDigest), [{ scheme: 'digest', id: digestId('super:wrong') }]);
});

test('checkAcl: the permission matrix', () => {
  const anon: Id[] = [{ scheme: 'ip', id: '127.0.0.1' }];
  const alice: Id[] = [...anon, { scheme: 'digest', id: ALICE }];
  const root: Id[] = [...anon, { scheme: 'super', id: '' }];
  const acl = [world(Perms.READ), digest(Perms.ALL, ALICE)];
  const cases: [readonly ACL[], number, Id[], boolean][] = [
    [acl, Perms.READ, anon, true],
    [acl, Perms.WRITE, anon, false],
    [acl, Perms.WRITE, alice, true],
    [acl, Perms.ADMIN, alice, true],
    [[digest(Perms.READ, ALICE)], Perms.WRITE, alice, false],
    [[digest(Perms.ALL, 'bob:x')], Perms.READ, alice, false],
    [[digest(Perms.ALL, 'bob:x')], Perms.READ, root, true],
    [[], Perms.ADMIN, anon, true],
    [[world(0)], Perms.READ, anon, false],
    [[{ perms: Perms.ALL, id: { scheme: 'world', id: 'someone' } }], Perms.READ, anon, false],
    [[ip(Perms.ALL, '127.0.0.0/8')], Perms.DELETE, anon, true],
    [[ip(Perms.ALL, '10.0.0.0/8')], Perms.DELETE, anon, false],
    [[{ perms: Perms.ALL, id: { scheme: 'sasl', id: 'x' } }], Perms.READ, [{ scheme: 'sasl', id: 'x' }], false],
    [[world(Perms.READ | Perms.WRITE)], Perms.WRITE | Perms.CREATE, anon, true],
  ];
  for (const [a, perm, ids, expected] of cases) {
    assert.equal(checkAcl(a, perm, ids), expected, `${JSON.stringify(a)} perm ${perm} ids ${JSON.stringify(ids)}`);
  }
  assert.equal(checkAcl([digest(Perms.ALL, 'bob:x')], Perms.READ, anon, { skipACL: true }), true);
});

test('fixupAcl: InvalidACL rules, auth expansion, de-duplication', () => {
  const anon: Id[] = [{ scheme: 'ip', id: '127.0.0.1' }];
  const authed: Id[] = [...anon, { scheme: 'digest', id: ALICE }, { scheme: 'digest', id: 'bob:y' }, { scheme: 'super', id: '' }];
  assert.equal(fixupAcl([], anon), null);
  assert.equal(fixupAcl([{ perms: 31, id: { scheme: 'world', id: 'someone' } }], anon), null);
  assert.equal(fixupAcl([{ perms: 31, id: { scheme: 'auth', id: '' } }], anon), null, 'ip does not count as authenticated');
  assert.deepEqual(fixupAcl([{ perms: 5, id: { scheme: 'auth', id: 'ignored' } }], authed), [digest(5, ALICE), digest(5, 'bob:y')]);
  assert.deepEqual(fixupAcl([world(31), world(31), world(1)], anon), [world(31), world(1)]);
  assert.deepEqual(fixupAcl([world(0)], anon), [world(0)], 'perms 0 is accepted');
  assert.equal(fixupAcl([{ perms: 31, id: { scheme: 'super', id: '' } }], anon), null);
  assert.equal(fixupAcl([{ perms: 31, id: { scheme: 'x509', id: 'cn' } }], anon), null);
  assert.equal(fixupAcl([world(31), digest(31, 'nocolon')], anon), null, 'one bad entry spoils the list');
});

test('digest and ip ACL ids: what is valid', () => {
  assert.equal(isValidAclId('digest', 'user:hash'), true);
  assert.equal(isValidAclId('digest', ':hash'), true, "Java's split keeps a leading empty part");
  assert.equal(isValidAclId('digest', 'user:'), false);
  assert.equal(isValidAclId('digest', 'a:b:c'), false);
  assert.equal(isValidAclId('digest', 'nocolon'), false);
  for (const ok of ['127.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '1.2.3.4/32', '::1', 'fe80::/10', '2001:db8::1/128', '::ffff:10.1.2.3', '1:2:3:4:5:6:7:8']) {
    assert.equal(isValidIpAcl(ok), true, ok);
  }
  for (const bad of ['300.1.1.1', '1.2.3', '1.2.3.4/33', '1.2.3.4/x', 'host.example', '::1/129', '1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '']) {
    assert.equal(isValidIpAcl(bad), false, bad);
  }
});

test('ip matching: IPv4 and IPv6 CIDR', () => {
  assert.equal(ipMatches('127.0.0.1', '127.0.0.1'), true);
  assert.equal(ipMatches('127.0.0.2', '127.0.0.1'), false);
  assert.equal(ipMatches('10.200.3.4', '10.0.0.0/8'), true);
  assert.equal(ipMatches('11.0.0.1', '10.0.0.0/8'), false);
  assert.equal(ipMatches('192.168.1.77', '192.168.1.64/26'), true);
  assert.equal(ipMatches('192.168.1.128', '192.168.1.64/26'), false);
  assert.equal(ipMatches('8.8.8.8', '0.0.0.0/0'), true);
  assert.equal(ipMatches('::1', '::1'), true);
  assert.equal(ipMatches('0:0:0:0:0:0:0:1', '::1/128'), true);
  assert.equal(ipMatches('fe80::1234', 'fe80::/10'), true);
  assert.equal(ipMatches('fec0::1', 'fe80::/10'), false);
  assert.equal(ipMatches('127.0.0.1', '::1'), false, 'families never match each other');
  assert.deepEqual(addressBytes('::ffff:10.1.2.3'), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3]);
});
