/**
 * The renderer's pure helpers: data views (base64, hex, JSON), zxid and session labels,
 * paths, formatting, the event ring, link conditions, roles, shortcuts and i18n.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Base64Error, base64ToBytes, bytesToBase64, bytesToUtf8, hexDump, prettyJson, suggestView, textToBase64, utf8ToBytes } from '../../renderer/src/lib/bytes.js';
import { compareZxid, parseHex64, sessionLabel, sessionOrigin, splitZxid, zxidLabel } from '../../renderer/src/lib/zxid.js';
import { ancestorsOf, depthOf, isSequentialName, joinPath, nameOf, parentOf, pathProblem } from '../../renderer/src/lib/paths.js';
import { formatBytes, formatDuration } from '../../renderer/src/lib/format.js';
import { SeqRing } from '../../renderer/src/lib/ring-buffer.js';
import { LinkTable, conditionOf, memberPairs, ringLayout, toggledMode } from '../../renderer/src/lib/links.js';
import { displayRole, majorityToKill } from '../../renderer/src/lib/roles.js';
import { isTypingTarget, keyCaps, matches, parseShortcut, type KeyLike } from '../../renderer/src/lib/shortcuts.js';
import { makeTranslate, pickLocale, translate } from '../../renderer/src/i18n/translate.js';
import { en } from '../../renderer/src/i18n/messages/en.js';
import { nodeKind, ttlRemaining } from '../../renderer/src/lib/node-type.js';
import { COMMAND_SPECS } from '../../renderer/src/commands/command-specs.js';
import type { LinkState, MemberStatus, NodeDetails } from '../../engine/src/lab/api.js';

test('base64 round-trips every byte value and refuses non-base64 text', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (const n of [0, 1, 2, 3, 4, 255, 256]) {
    const bytes = all.subarray(0, n);
    const b64 = bytesToBase64(bytes);
    assert.equal(b64, Buffer.from(bytes).toString('base64'), `length ${n} encodes as Node does`);
    assert.deepEqual([...base64ToBytes(b64)], [...bytes]);
  }
  assert.equal(textToBase64('héllo ✓'), Buffer.from('héllo ✓').toString('base64'));
  assert.throws(() => base64ToBytes('not*base64'), Base64Error);
  assert.throws(() => base64ToBytes('A'), Base64Error);
});

test('UTF-8 decoding is strict: invalid sequences mean "not text"', () => {
  assert.equal(bytesToUtf8(utf8ToBytes('zoo ✓')), 'zoo ✓');
  assert.equal(bytesToUtf8(Uint8Array.from([0xc3, 0x28])), null);
});

test('hex dump rows are xxd-like: offset, two groups of eight, printable ASCII', () => {
  const { rows, truncated } = hexDump(utf8ToBytes('ZooKeeper\u0000\u0001 data, 20 bytes+'));
  assert.equal(truncated, false);
  assert.equal(rows.length, 2);
  assert.equal(rows[0]!.offset, '00000000');
  assert.equal(rows[0]!.hex, '5a 6f 6f 4b 65 65 70 65  72 00 01 20 64 61 74 61');
  assert.equal(rows[0]!.ascii, 'ZooKeeper.. data');
  assert.equal(rows[1]!.offset, '00000010');
  assert.equal(hexDump(new Uint8Array(100), 32).truncated, true);
});

test('JSON view pretty-prints or says why not; the suggested view follows the content', () => {
  assert.deepEqual(prettyJson('{"a":[1,2]}'), { ok: true, pretty: '{\n  "a": [\n    1,\n    2\n  ]\n}' });
  assert.equal(prettyJson(null).ok, false);
  const bad = prettyJson('{oops');
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.reason, 'syntax');
  assert.equal(suggestView(utf8ToBytes('{"x":1}')), 'json');
  assert.equal(suggestView(utf8ToBytes('plain text')), 'text');
  assert.equal(suggestView(Uint8Array.from([0, 1, 2, 255])), 'hex');
  assert.equal(suggestView(null), 'text');
});

test('zxids split into epoch and counter; session ids print unsigned', () => {
  assert.deepEqual(splitZxid('0x30000002a'), { epoch: 3, counter: 42 });
  assert.equal(zxidLabel('0x100000005'), '1:5');
  assert.equal(zxidLabel(null), '—');
  assert.equal(zxidLabel('-0x1'), '—', 'zxid -1 means none');
  assert.equal(parseHex64('nonsense'), null);
  assert.equal(compareZxid('0x200000000', '0x1ffffffff'), 1);
  assert.equal(sessionLabel('-0x1'), '0xffffffffffffffff');
  assert.equal(sessionOrigin('0x300000000000001'), 3);
});

test('paths: parents, names, ancestors and the problems the UI catches before the server', () => {
  assert.equal(parentOf('/a/b'), '/a');
  assert.equal(parentOf('/a'), '/');
  assert.equal(parentOf('/'), null);
  assert.equal(nameOf('/a/b'), 'b');
  assert.equal(joinPath('/', 'x'), '/x');
  assert.deepEqual(ancestorsOf('/a/b/c'), ['/', '/a', '/a/b', '/a/b/c']);
  assert.equal(depthOf('/a/b'), 2);
  assert.equal(pathProblem('/ok/path'), null);
  assert.equal(pathProblem('no'), 'no-leading-slash');
  assert.equal(pathProblem('/a/'), 'trailing-slash');
  assert.equal(pathProblem('/a//b'), 'empty-name');
  assert.equal(pathProblem('/a/../b'), 'dot-name');
  assert.equal(pathProblem('/a\u0001'), 'control-char');
  assert.equal(isSequentialName('lock-0000000012'), true);
  assert.equal(isSequentialName('lock-12'), false);
});

test('sizes and durations read naturally', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(50 * 1024 * 1024), '50 MiB');
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(4200), '4.2 s');
  assert.equal(formatDuration(192_000), '3 m 12 s');
  assert.equal(formatDuration(2 * 3600_000 + 5 * 60_000), '2 h 5 m');
});

test('the event ring keeps the newest items, refuses replays and finds by sequence number', () => {
  const ring = new SeqRing<{ seq: number }>(4, (x) => x.seq);
  for (const seq of [1, 2, 3]) assert.equal(ring.push({ seq }), true);
  assert.equal(ring.push({ seq: 3 }), false, 'a replayed seq is ignored');
  assert.equal(ring.push({ seq: 2 }), false);
  for (const seq of [5, 8, 9]) ring.push({ seq });
  assert.equal(ring.length, 4);
  assert.equal(ring.droppedCount, 2);
  assert.deepEqual(ring.slice().map((x) => x.seq), [3, 5, 8, 9]);
  assert.equal(ring.firstSeq, 3);
  assert.equal(ring.lastSeq, 9);
  assert.equal(ring.lowerBound(6), 2);
  assert.equal(ring.lowerBound(100), 4);
  assert.throws(() => new SeqRing(0, () => 0), RangeError);
});

const link = (from: LinkState['from'], to: LinkState['to'], mode: 'pass' | 'blackhole' | 'reject' = 'pass', delayMs = 0): LinkState => ({
  from, to, settings: { mode, delayMs, jitterMs: 0, lossPercent: 0 }, connections: 0, bytesForwarded: 0, bytesDropped: 0,
});

test('link conditions: one-way cuts, slow links, toggling', () => {
  const table = new LinkTable([link(1, 2, 'blackhole'), link(2, 1), link(1, 3, 'pass', 200), link(3, 1), link(2, 3, 'reject'), link(3, 2, 'blackhole')]);
  assert.equal(table.condition(1, 2), 'cut');
  assert.equal(table.pair(1, 2), 'one-way');
  assert.equal(table.pair(1, 3), 'slow');
  assert.equal(table.pair(2, 3), 'cut');
  assert.equal(table.condition(1, 'client'), 'up', 'an unknown link counts as up');
  assert.equal(table.anyFault(), true);
  assert.equal(conditionOf({ mode: 'pass', delayMs: 0, jitterMs: 0, lossPercent: 5 }), 'slow');
  assert.equal(toggledMode(table.get(1, 2)!.settings), 'pass');
  assert.equal(toggledMode(table.get(2, 1)!.settings), 'blackhole');
  assert.deepEqual(memberPairs([1, 2, 3]), [[1, 2], [1, 3], [2, 3]]);
  const ring = ringLayout([1, 2, 3, 4], 100, 100, 50);
  assert.deepEqual([Math.round(ring[0]!.x), Math.round(ring[0]!.y)], [100, 50], 'member 1 is at the top');
  assert.deepEqual([Math.round(ring[1]!.x), Math.round(ring[1]!.y)], [150, 100], 'then clockwise');
});

function member(id: number, role: MemberStatus['role'], state: MemberStatus['state'] = 'running', kind: MemberStatus['kind'] = 'participant'): MemberStatus {
  return { id, role, state, kind } as MemberStatus;
}

test('the five display roles (the data-role contract) fold the lab’s roles and process states', () => {
  assert.equal(displayRole(member(1, 'leader')), 'leader');
  assert.equal(displayRole(member(1, 'standalone')), 'leader');
  assert.equal(displayRole(member(1, 'read-only')), 'looking');
  assert.equal(displayRole(member(1, 'follower', 'paused')), 'follower', 'a paused member keeps its role');
  assert.equal(displayRole(member(1, 'leader', 'killed')), 'down');
  assert.equal(displayRole(member(1, 'observer', 'starting')), 'down');
});

test('"kill majority" picks just enough running voters to lose the quorum, leader first, never observers', () => {
  const five = [member(1, 'follower'), member(2, 'follower'), member(3, 'leader'), member(4, 'follower'), member(5, 'follower'), member(6, 'observer', 'running', 'observer')];
  assert.deepEqual(majorityToKill(five, 3), [3, 1, 2]);
  const oneDown = [member(1, 'follower', 'killed'), member(2, 'leader'), member(3, 'follower')];
  assert.deepEqual(majorityToKill(oneDown, 2), [2], 'one more kill is enough when one voter is already down');
});

const key = (k: Partial<KeyLike>): KeyLike => ({ key: '', code: '', shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, ...k });

test('shortcuts match physical letters with modifiers, punctuation by character', () => {
  assert.equal(matches(parseShortcut('Shift+K'), key({ key: 'K', code: 'KeyK', shiftKey: true })), true);
  assert.equal(matches(parseShortcut('Shift+K'), key({ key: 'k', code: 'KeyK' })), false);
  assert.equal(matches(parseShortcut('k'), key({ key: 'k', code: 'KeyK' })), true);
  assert.equal(matches(parseShortcut('k'), key({ key: 'k', code: 'KeyK', ctrlKey: true })), false);
  assert.equal(matches(parseShortcut('Alt+1'), key({ key: '¡', code: 'Digit1', altKey: true })), true, 'macOS Alt+1 types ¡ but is still Alt+1');
  assert.equal(matches(parseShortcut('?'), key({ key: '?', code: 'Slash', shiftKey: true })), true);
  assert.equal(matches(parseShortcut('Delete'), key({ key: 'Delete', code: 'Delete' })), true);
  assert.deepEqual(keyCaps(parseShortcut('Shift+K'), false), ['Shift', 'K']);
  assert.deepEqual(keyCaps(parseShortcut('Mod+Alt+x'), true), ['⌘', '⌥', 'X']);
  assert.throws(() => parseShortcut('Hyper+K'), /unknown modifier/);
  assert.equal(isTypingTarget({ tagName: 'INPUT' }), true);
  assert.equal(isTypingTarget({ tagName: 'DIV', closest: (s: string) => (s === '[data-keyboard-owner]' ? {} : null) }), true);
  assert.equal(isTypingTarget({ tagName: 'DIV', closest: () => null }), false);
});

test('every command shortcut is unique and parses', () => {
  const seen = new Map<string, string>();
  for (const c of COMMAND_SPECS) {
    if (!c.shortcut) continue;
    const s = parseShortcut(c.shortcut);
    const id = `${s.mod}${s.alt}${s.shift}${s.key.toLowerCase()}`;
    assert.equal(seen.get(id), undefined, `${c.id} reuses the shortcut of ${seen.get(id)}`);
    seen.set(id, c.id);
  }
  assert.ok(seen.size >= 30);
});

test('translate interpolates, picks plurals by count, falls back to English, then to the key', () => {
  const t = makeTranslate(en, en);
  assert.equal(t('tree.children', { count: 1 }), '1 child');
  assert.equal(t('tree.children', { count: 100000 }), '100000 children');
  assert.equal(t('ensemble.member', { id: 3 }), 'Member 3');
  const partial = { ...en, ensemble: { ...en.ensemble, kill: 'Beenden' } };
  assert.equal(translate(partial, en, 'ensemble.kill'), 'Beenden');
  const missing = JSON.parse(JSON.stringify(en)) as typeof en;
  (missing.ensemble as Record<string, string>).kill = undefined as unknown as string;
  assert.equal(translate(missing, en, 'ensemble.kill'), 'Kill', 'a missing key falls back to English');
  assert.equal(pickLocale(['ko-KR', 'en-US'], ['en', 'ko']), 'ko');
  assert.equal(pickLocale(['fr-FR'], ['en', 'ko']), 'en');
  assert.equal(pickLocale(['EN-gb'], ['en']), 'en');
});

function details(path: string, ephemeralOwner: string, extra: Partial<NodeDetails & { mode: string; ttlMs: number }> = {}): NodeDetails {
  return {
    path,
    dataBase64: null,
    dataUtf8: null,
    stat: { czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: 1000, mtime: 1000, version: 0, cversion: 0, aversion: 0, ephemeralOwner, dataLength: 0, numChildren: 0 },
    acl: [],
    ...extra,
  } as NodeDetails;
}

test('node kinds: ephemeral from the owner, sequential from the name, TTL and container from the raw encoding or the lab’s mode', () => {
  assert.deepEqual(nodeKind(details('/a', '0x0')), { ephemeral: false, sequential: false, container: false, ttlMs: null });
  assert.equal(nodeKind(details('/a', '0x1000000000abc')).ephemeral, true);
  assert.equal(nodeKind(details('/q/item-0000000003', '0x0')).sequential, true);
  assert.equal(nodeKind(details('/c', '-0x8000000000000000')).container, true);
  const ttl = nodeKind(details('/t', '0xff00000000001388'));
  assert.equal(ttl.ttlMs, 5000);
  assert.equal(ttl.ephemeral, false);
  assert.equal(ttlRemaining(ttl, 1000, 0, 2000), 4000);
  assert.equal(ttlRemaining(ttl, 1000, 2, 2000), null, 'a TTL node with children is not reaped');
  const moded = nodeKind(details('/m', '0x0', { mode: 'persistent-ttl', ttlMs: 9000 } as never));
  assert.equal(moded.ttlMs, 9000);
});
