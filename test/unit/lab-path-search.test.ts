/**
 * The lab's whole-tree search as a member runs it (engine/src/member/path-search.ts):
 * the query language, tree order, paging and the bound on nodes examined.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { compilePathQuery, PathQueryError, searchPaths } from '../../engine/src/member/path-search.js';

/** A tree as parent → children (names unsorted on purpose: the member's order is arbitrary). */
const TREE: Record<string, string[]> = {
  '/': ['zookeeper', 'app', 'Apple'],
  '/zookeeper': ['quota', 'config'],
  '/app': ['locks', 'config', 'queue'],
  '/app/locks': ['lock-0000000002', 'lock-0000000001'],
  '/app/queue': ['item-0000000001'],
};
const childrenOf = (p: string) => TREE[p] ?? [];

const search = (q: string, offset?: number, limit?: number) => searchPaths(childrenOf, compilePathQuery(q), { offset, limit });

test('a plain query is a case-insensitive substring of the whole path; results come in tree order', () => {
  const r = search('app');
  assert.deepEqual(r.matches, ['/Apple', '/app', '/app/config', '/app/locks', '/app/locks/lock-0000000001', '/app/locks/lock-0000000002', '/app/queue', '/app/queue/item-0000000001']);
  assert.equal(r.total, 8);
  assert.equal(r.complete, true);
  assert.equal(r.visited, 12, 'every node of the tree was examined once');
  assert.deepEqual(search('CONFIG').matches, ['/app/config', '/zookeeper/config']);
});

test('a glob without a slash matches the node name; with a slash, the whole path', () => {
  assert.deepEqual(search('lock-*').matches, ['/app/locks/lock-0000000001', '/app/locks/lock-0000000002']);
  assert.deepEqual(search('lock-???????????').matches, [], '? is exactly one character');
  assert.deepEqual(search('lock-??????????').matches.length, 2);
  assert.deepEqual(search('/app/*').matches, ['/app/config', '/app/locks', '/app/queue'], '* stays within one segment');
  assert.deepEqual(search('/app/**1').matches, ['/app/locks/lock-0000000001', '/app/queue/item-0000000001'], '** crosses segments');
  assert.deepEqual(search('/*/config').matches, ['/app/config', '/zookeeper/config']);
  assert.deepEqual(search('app').matches.includes('/Apple'), true);
  assert.deepEqual(search('app*').matches, ['/app'], 'globs are case-sensitive, as znode names are');
  assert.deepEqual(search('/app/(x)*').matches, [], 'regular-expression characters are literal');
});

test('pages: offset and limit over the same order, total counts every match', () => {
  const all = search('/**').matches;
  assert.equal(all.length, 12, 'every node but the root (/** needs a character after the slash)');
  const page = search('/**', 4, 3);
  assert.deepEqual(page.matches, all.slice(4, 7));
  assert.equal(page.total, 12);
  assert.deepEqual(search('/**', 20, 5).matches, []);
});

test('the walk stops after maxVisited nodes and says the answer is partial', () => {
  const r = searchPaths(childrenOf, compilePathQuery('a'), { maxVisited: 4 });
  assert.equal(r.complete, false);
  assert.equal(r.visited, 4);
  assert.ok(r.total <= 4);
});

test('nodes that vanish during the walk are skipped; an empty query is refused', () => {
  const r = searchPaths((p) => (p === '/' ? ['gone', 'here'] : p === '/gone' ? null : []), compilePathQuery('e'));
  assert.deepEqual(r.matches, ['/gone', '/here']);
  assert.throws(() => compilePathQuery('   '), PathQueryError);
});
