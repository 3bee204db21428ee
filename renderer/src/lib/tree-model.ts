/**
 * The tree view's model: which nodes are expanded, which pages of their children are
 * loaded, and how a flat row index (what the virtual scroller asks for) maps to a node.
 *
 * Nothing here is proportional to the number of children: a node with 100,000 children
 * costs only the pages that were scrolled through, and `rowAt(i)` walks the *expanded*
 * nodes, not the rows (product-anchors.md §3.1 item 1). Children are addressed by their
 * index in the sorted listing (`ChildrenPage`), pages are aligned to `pageSize`.
 *
 * Pure and synchronous: the tree store fetches pages and feeds them in.
 */
import type { ChildSummary, ChildrenPage } from '../../../engine/src/lab/api.js';
import { depthOf, joinPath, nameOf, parentOf } from './paths.js';

export interface TreeRow {
  /** The node's path; a placeholder (page not loaded) gets a key that is not a real path. */
  path: string;
  /** The expanded node this row is a child of (null for the root). */
  parent: string | null;
  name: string;
  depth: number;
  /** Position among its siblings (-1 for the root). */
  index: number;
  /** Null while the page holding this child is not loaded yet. */
  summary: ChildSummary | null;
  expanded: boolean;
  /** The data shown may be out of date (a refetch is pending). */
  stale: boolean;
}

export interface PageRequest {
  path: string;
  offset: number;
}

interface Entry {
  path: string;
  total: number;
  /** Page number → children of that page. */
  pages: Map<number, ChildSummary[]>;
  stale: Set<number>;
  /** Expanded children by name → their index in this listing. */
  open: Map<string, number>;
  /** False until the first page arrived (total unknown). */
  listed: boolean;
}

const ROOT_SUMMARY = (numChildren: number): ChildSummary => ({ name: '/', path: '/', numChildren, dataLength: 0, ephemeral: false });

export class TreeModel {
  private readonly entries = new Map<string, Entry>();
  private sizeCache = new Map<string, number>();
  /** Bumped on every change; views compare it to know when to redraw. */
  version = 0;

  constructor(readonly pageSize = 200) {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a positive integer');
  }

  isExpanded(path: string): boolean {
    return this.entries.has(path);
  }

  expandedPaths(): string[] {
    return [...this.entries.keys()];
  }

  /** Total children of an expanded node (null when not listed yet). */
  totalOf(path: string): number | null {
    const e = this.entries.get(path);
    return e && e.listed ? e.total : null;
  }

  /**
   * Marks `path` expanded. Its parent must be expanded (the root always may be) and,
   * unless it is the root, `index` is its position in the parent's listing.
   */
  expand(path: string, index: number): void {
    if (this.entries.has(path)) return;
    const parent = parentOf(path);
    if (parent !== null) {
      const p = this.entries.get(parent);
      if (!p) throw new Error(`cannot expand ${path}: its parent ${parent} is not expanded`);
      p.open.set(nameOf(path), index);
    }
    this.entries.set(path, { path, total: 0, pages: new Map(), stale: new Set(), open: new Map(), listed: false });
    this.changed();
  }

  /** Collapses `path` and forgets everything below it. Returns the paths that were expanded (for unwatching). */
  collapse(path: string): string[] {
    const e = this.entries.get(path);
    if (!e) return [];
    const removed: string[] = [];
    const drop = (x: Entry) => {
      for (const name of x.open.keys()) {
        const child = this.entries.get(joinPath(x.path, name));
        if (child) drop(child);
      }
      this.entries.delete(x.path);
      removed.push(x.path);
    };
    drop(e);
    const parent = parentOf(path);
    if (parent !== null) this.entries.get(parent)?.open.delete(nameOf(path));
    this.changed();
    return removed;
  }

  /** Stores a page of children (offset aligned to pageSize by the caller). */
  setPage(page: ChildrenPage): void {
    const e = this.entries.get(page.path);
    if (!e) return; // collapsed meanwhile: the answer is no longer wanted
    const pageNo = Math.floor(page.offset / this.pageSize);
    if (e.listed && page.total !== e.total) {
      // The listing changed size: everything cached may have shifted.
      for (const n of e.pages.keys()) e.stale.add(n);
      const last = Math.max(0, Math.ceil(page.total / this.pageSize) - 1);
      for (const n of [...e.pages.keys()]) if (n > last) e.pages.delete(n);
    }
    e.total = page.total;
    e.listed = true;
    e.pages.set(pageNo, page.children);
    e.stale.delete(pageNo);
    // Re-find expanded children by name: creations and deletions shift indexes.
    page.children.forEach((c, i) => {
      if (e.open.has(c.name)) e.open.set(c.name, pageNo * this.pageSize + i);
    });
    this.changed();
  }

  /** The children of `path` changed: keep showing the cached pages but refetch them. */
  invalidate(path: string, total?: number): void {
    const e = this.entries.get(path);
    if (!e) return;
    for (const n of e.pages.keys()) e.stale.add(n);
    if (total !== undefined && e.listed) e.total = total;
    this.changed();
  }

  /** Updates the cached summary of one child (after a data change) when its page is loaded. */
  patchChild(path: string, patch: Partial<ChildSummary>): void {
    const parent = parentOf(path);
    if (parent === null) return;
    const e = this.entries.get(parent);
    if (!e) return;
    for (const children of e.pages.values()) {
      const i = children.findIndex((c) => c.path === path);
      if (i >= 0) {
        children[i] = { ...children[i]!, ...patch };
        this.changed();
        return;
      }
    }
  }

  /** Rows shown: the root plus every visible descendant. */
  rowCount(): number {
    return 1 + this.visibleSize('/');
  }

  rowAt(row: number): TreeRow | null {
    if (row < 0 || row >= this.rowCount()) return null;
    if (row === 0) {
      const root = this.entries.get('/');
      return { path: '/', parent: null, name: '/', depth: 0, index: -1, summary: ROOT_SUMMARY(root?.listed ? root.total : 0), expanded: !!root, stale: false };
    }
    return this.locate(this.entries.get('/')!, row - 1);
  }

  /** Row index of `path` when it is visible and its index is known, else null. */
  rowOf(path: string): number | null {
    if (path === '/') return 0;
    const parent = parentOf(path)!;
    const e = this.entries.get(parent);
    if (!e) return null;
    const index = this.indexInParent(e, nameOf(path));
    if (index === null) return null;
    const parentRow = this.rowOf(parent);
    if (parentRow === null) return null;
    let offset = 0;
    for (const [name, k] of e.open) {
      if (k < index) offset += this.visibleSize(joinPath(parent, name));
    }
    return parentRow + 1 + index + offset;
  }

  /** Pages that rows [from, to) need (missing or stale), at most one request per page. */
  pagesFor(from: number, to: number): PageRequest[] {
    const wanted = new Map<string, PageRequest>();
    const end = Math.min(to, this.rowCount());
    for (let r = Math.max(1, from); r < end; r++) {
      const row = this.rowAt(r);
      if (!row) continue;
      const parent = row.parent!;
      if (row.summary === null || row.stale) {
        const offset = Math.floor(row.index / this.pageSize) * this.pageSize;
        wanted.set(`${parent}\u0000${offset}`, { path: parent, offset });
      }
    }
    // Expanded nodes never listed yet (e.g. just expanded, zero rows so far).
    for (const e of this.entries.values()) {
      if (!e.listed) wanted.set(`${e.path}\u0000${0}`, { path: e.path, offset: 0 });
    }
    return [...wanted.values()];
  }

  /** Loaded children whose path contains `needle` (case-insensitive), at most `limit`. */
  search(needle: string, limit = 50): ChildSummary[] {
    const q = needle.toLowerCase();
    const out: ChildSummary[] = [];
    if (!q) return out;
    for (const e of this.entries.values()) {
      for (const children of e.pages.values()) {
        for (const c of children) {
          if (c.path.toLowerCase().includes(q)) {
            out.push(c);
            if (out.length >= limit) return out.sort((a, b) => a.path.localeCompare(b.path));
          }
        }
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** The index of child `name` under an expanded node, when a loaded page holds it. */
  indexOf(parent: string, name: string): number | null {
    const e = this.entries.get(parent);
    return e ? this.indexInParent(e, name) : null;
  }

  summaryOf(path: string): ChildSummary | null {
    if (path === '/') return ROOT_SUMMARY(this.entries.get('/')?.total ?? 0);
    const e = this.entries.get(parentOf(path) ?? '');
    if (!e) return null;
    for (const children of e.pages.values()) {
      const c = children.find((x) => x.path === path);
      if (c) return c;
    }
    return null;
  }

  clear(): void {
    this.entries.clear();
    this.changed();
  }

  // ───────────────────────────── internals ─────────────────────────────

  private changed(): void {
    this.sizeCache = new Map();
    this.version++;
  }

  private indexInParent(e: Entry, name: string): number | null {
    const open = e.open.get(name);
    if (open !== undefined) return open;
    for (const [n, children] of e.pages) {
      const i = children.findIndex((c) => c.name === name);
      if (i >= 0) return n * this.pageSize + i;
    }
    return null;
  }

  /** Rows below an expanded node (0 when collapsed). */
  private visibleSize(path: string): number {
    const cached = this.sizeCache.get(path);
    if (cached !== undefined) return cached;
    const e = this.entries.get(path);
    let size = 0;
    if (e) {
      size = e.total;
      for (const [name, k] of e.open) if (k < e.total) size += this.visibleSize(joinPath(path, name));
    }
    this.sizeCache.set(path, size);
    return size;
  }

  /** Row `i` (0-based) within the block of children of `e`. */
  private locate(e: Entry, i: number): TreeRow | null {
    const open = [...e.open].filter(([, k]) => k < e.total).sort((a, b) => a[1] - b[1]);
    let extra = 0;
    for (const [name, k] of open) {
      const at = k + extra;
      if (i < at) break;
      const childPath = joinPath(e.path, name);
      if (i === at) return this.childRow(e, k);
      const size = this.visibleSize(childPath);
      if (i <= at + size) return this.locate(this.entries.get(childPath)!, i - at - 1);
      extra += size;
    }
    const index = i - extra;
    return index < e.total ? this.childRow(e, index) : null;
  }

  private childRow(e: Entry, index: number): TreeRow {
    const pageNo = Math.floor(index / this.pageSize);
    const summary = e.pages.get(pageNo)?.[index - pageNo * this.pageSize] ?? null;
    let name: string | null = summary?.name ?? null;
    if (name === null) for (const [n, k] of e.open) if (k === index) name = n;
    const path = name === null ? `${e.path}\u0000#${index}` : joinPath(e.path, name);
    return {
      path,
      parent: e.path,
      name: name ?? '',
      depth: depthOf(e.path) + 1,
      index,
      summary,
      expanded: name !== null && this.entries.has(path),
      stale: e.stale.has(pageNo),
    };
  }
}
