/**
 * TreeModel: flat rows over lazily paged children, nested expansion, 100,000-child
 * listings that cost only the pages scrolled through, and the bookkeeping that keeps
 * expanded children in place when listings change.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { ChildSummary, ChildrenPage } from '../../engine/src/lab/api.js';
import { TreeModel } from '../../renderer/src/lib/tree-model.js';

const child = (parent: string, name: string, numChildren = 0): ChildSummary => ({
  name,
  path: parent === '/' ? `/${name}` : `${parent}/${name}`,
  numChildren,
  dataLength: 0,
  ephemeral: false,
});

/** A fake server listing: `names` sorted, pages of `size`. */
function page(parent: string, names: string[], offset: number, size: number): ChildrenPage {
  return { path: parent, total: names.length, offset, children: names.slice(offset, offset + size).map((n) => child(parent, n)) };
}

test('rows walk the root, its children and expanded grandchildren in order', () => {
  const m = new TreeModel(10);
  m.expand('/', -1);
  m.setPage(page('/', ['a', 'b', 'c'], 0, 10));
  assert.equal(m.rowCount(), 4);
  m.expand('/b', 1);
  m.setPage(page('/b', ['x', 'y'], 0, 10));
  assert.deepEqual(
    Array.from({ length: m.rowCount() }, (_, i) => `${m.rowAt(i)!.depth}:${m.rowAt(i)!.path}`),
    ['0:/', '1:/a', '1:/b', '2:/b/x', '2:/b/y', '1:/c'],
  );
  assert.equal(m.rowAt(2)!.expanded, true);
  assert.equal(m.rowOf('/b/y'), 4);
  assert.equal(m.rowOf('/c'), 5);
  assert.equal(m.rowAt(99), null);
  assert.throws(() => m.expand('/z/q', 0), /parent \/z is not expanded/);
});

test('a 100,000-child node is a count plus the pages scrolled through', () => {
  const size = 200;
  const names = Array.from({ length: 100_000 }, (_, i) => `item-${String(i).padStart(6, '0')}`);
  const m = new TreeModel(size);
  m.expand('/', -1);
  m.setPage(page('/', ['wide'], 0, size));
  m.expand('/wide', 0);
  m.setPage(page('/wide', names, 0, size));
  assert.equal(m.rowCount(), 2 + 100_000);
  // Near the bottom: placeholder rows until their page arrives.
  const bottom = m.rowAt(m.rowCount() - 1)!;
  assert.equal(bottom.summary, null);
  assert.equal(bottom.index, 99_999);
  const wanted = m.pagesFor(m.rowCount() - 40, m.rowCount());
  assert.deepEqual(wanted, [{ path: '/wide', offset: 99_800 }], 'one page request for the visible rows');
  m.setPage(page('/wide', names, 99_800, size));
  assert.equal(m.rowAt(m.rowCount() - 1)!.path, '/wide/item-099999');
  assert.equal(m.pagesFor(m.rowCount() - 40, m.rowCount()).length, 0);
  assert.equal(m.rowOf('/wide/item-099900'), 2 + 99_900);
});

test('an expanded child stays put when a listing shifts, and its subtree is counted in', () => {
  const m = new TreeModel(2);
  m.expand('/', -1);
  m.setPage(page('/', ['b', 'd'], 0, 2));
  m.expand('/d', 1);
  m.setPage(page('/d', ['x'], 0, 2));
  assert.equal(m.rowOf('/d/x'), 3);
  // 'a' and 'c' were created: the listing grew and /d moved to index 3.
  m.invalidate('/', 4);
  assert.equal(m.rowAt(1)!.stale, true);
  m.setPage(page('/', ['a', 'b', 'c', 'd'], 0, 2));
  m.setPage(page('/', ['a', 'b', 'c', 'd'], 2, 2));
  assert.deepEqual(
    Array.from({ length: m.rowCount() }, (_, i) => m.rowAt(i)!.path),
    ['/', '/a', '/b', '/c', '/d', '/d/x'],
  );
  assert.equal(m.rowAt(1)!.stale, false);
});

test('collapse forgets the subtree and reports what was being watched', () => {
  const m = new TreeModel(10);
  m.expand('/', -1);
  m.setPage(page('/', ['a'], 0, 10));
  m.expand('/a', 0);
  m.setPage(page('/a', ['b'], 0, 10));
  m.expand('/a/b', 0);
  assert.deepEqual(m.collapse('/a').sort(), ['/a', '/a/b']);
  assert.equal(m.isExpanded('/a/b'), false);
  assert.equal(m.rowCount(), 2);
  assert.deepEqual(m.collapse('/nothing'), []);
});

test('pages for an expanded node that was never listed are requested; answers for collapsed nodes are dropped', () => {
  const m = new TreeModel(10);
  m.expand('/', -1);
  assert.deepEqual(m.pagesFor(0, 10), [{ path: '/', offset: 0 }]);
  m.setPage(page('/gone', ['x'], 0, 10));
  assert.equal(m.rowCount(), 1);
});

test('patchChild updates a loaded summary; search finds loaded paths', () => {
  const m = new TreeModel(10);
  m.expand('/', -1);
  m.setPage(page('/', ['app', 'apple', 'zoo'], 0, 10));
  const v = m.version;
  m.patchChild('/zoo', { dataLength: 42 });
  assert.equal(m.summaryOf('/zoo')!.dataLength, 42);
  assert.ok(m.version > v);
  assert.deepEqual(m.search('APP').map((c) => c.path), ['/app', '/apple']);
  assert.deepEqual(m.search(''), []);
  assert.equal(m.indexOf('/', 'zoo'), 2);
  assert.equal(m.totalOf('/'), 3);
});
