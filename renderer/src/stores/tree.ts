/**
 * The live tree browser: one lab-side mirror session (`tree.open`), the expanded nodes
 * and loaded pages (TreeModel, not reactive — `version` says when to redraw), the
 * live / paused switch, flashes on nodes a watch fired on, selection, jump-to-path and the
 * whole-tree search (`tree.search`, answered by a member from its own tree).
 *
 * Only what is on screen is fetched: the view reports its visible rows (`setViewport`),
 * and missing or stale pages of those rows are requested once each.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { MemberId, MirrorInfo, TreeChange, TreeSearchResult } from '../../../engine/src/lab/api.js';
import { TreeModel } from '../lib/tree-model.js';
import { ancestorsOf, nameOf, parentOf } from '../lib/paths.js';
import { useLabStore } from './lab.js';

export const PAGE_SIZE = 200;
/** Page size used when scanning a wide parent for one child's index (jump-to-path). */
const SCAN_PAGE = 5000;
const MAX_FLASHES = 500;

export const useTreeStore = defineStore('tree', () => {
  const mirror = shallowRef<MirrorInfo | null>(null);
  const member = ref<MemberId | null>(null);
  const model = markRaw(new TreeModel(PAGE_SIZE));
  const version = ref(0);
  const live = ref(true);
  /** Changes held back while paused. */
  const queued = ref(0);
  /** path → flash generation; a new generation restarts the row's animation. */
  const flashes = shallowRef<ReadonlyMap<string, number>>(new Map());
  const selectedPath = ref<string | null>(null);
  /** A row the view should scroll to (set by jumpTo, cleared by the view). */
  const scrollRequest = ref<number | null>(null);
  const opening = ref(false);

  const heldBack: TreeChange[] = [];
  const inFlight = new Set<string>();
  let viewport: [number, number] = [0, 60];
  let flashGen = 0;
  let unsubscribe: (() => void)[] = [];

  const rowCount = computed(() => {
    void version.value;
    return model.rowCount();
  });

  function bump(): void {
    version.value = model.version;
  }

  function bind(): void {
    const lab = useLabStore();
    for (const u of unsubscribe) u();
    unsubscribe = [
      lab.on('tree.changed', ({ mirrorId, change }) => {
        if (mirrorId === mirror.value?.mirrorId) void applyChange(change);
      }),
      lab.on('tree.state', (info) => {
        if (info.mirrorId === mirror.value?.mirrorId) mirror.value = info;
      }),
    ];
  }

  /** Opens a browser session on `m` (null: any member) and lists the root. */
  async function open(m: MemberId | null): Promise<void> {
    const lab = useLabStore();
    opening.value = true;
    try {
      await close();
      member.value = m;
      mirror.value = await lab.call('tree.open', { member: m, pageSize: PAGE_SIZE });
      model.clear();
      bump();
      await expandPath('/', -1);
    } finally {
      opening.value = false;
    }
  }

  async function close(): Promise<void> {
    const m = mirror.value;
    mirror.value = null;
    inFlight.clear();
    heldBack.length = 0;
    queued.value = 0;
    if (m) await useLabStore().call('tree.close', { mirrorId: m.mirrorId }).catch(() => {});
  }

  function requireMirror(): string {
    const m = mirror.value;
    if (!m) throw Object.assign(new Error('the tree browser is not connected; open it on a member first'), { code: 'no-mirror' });
    return m.mirrorId;
  }

  async function expandPath(path: string, index: number): Promise<void> {
    const mirrorId = requireMirror();
    if (model.isExpanded(path)) return;
    model.expand(path, index);
    bump();
    const key = `${path}@0`;
    inFlight.add(key);
    try {
      model.setPage(await useLabStore().call('tree.expand', { mirrorId, path, limit: PAGE_SIZE }));
      bump();
    } catch (e) {
      model.collapse(path);
      bump();
      throw e;
    } finally {
      inFlight.delete(key);
    }
    await refreshVisible();
  }

  async function collapsePath(path: string): Promise<void> {
    const mirrorId = requireMirror();
    const removed = model.collapse(path);
    bump();
    await Promise.all(removed.map((p) => useLabStore().call('tree.collapse', { mirrorId, path: p }).catch(() => {})));
  }

  async function toggle(path: string, index: number): Promise<void> {
    if (model.isExpanded(path)) await collapsePath(path);
    else await expandPath(path, index);
  }

  /** The view's visible row range [from, to); fetches what those rows lack. */
  async function setViewport(from: number, to: number): Promise<void> {
    viewport = [from, to];
    await refreshVisible();
  }

  async function refreshVisible(): Promise<void> {
    const m = mirror.value;
    if (!m) return;
    const requests = model.pagesFor(viewport[0], viewport[1]).filter((r) => !inFlight.has(`${r.path}@${r.offset}`));
    await Promise.all(
      requests.map(async (r) => {
        const key = `${r.path}@${r.offset}`;
        inFlight.add(key);
        try {
          model.setPage(await useLabStore().call('tree.children', { mirrorId: m.mirrorId, path: r.path, offset: r.offset, limit: PAGE_SIZE }));
          bump();
        } catch {
          // The node may have been deleted meanwhile; its parent's change event follows.
        } finally {
          inFlight.delete(key);
        }
      }),
    );
  }

  function flash(path: string): void {
    const next = new Map(flashes.value);
    next.delete(path);
    next.set(path, ++flashGen);
    while (next.size > MAX_FLASHES) next.delete(next.keys().next().value!);
    flashes.value = next;
  }

  async function applyChange(change: TreeChange): Promise<void> {
    if (!live.value) {
      heldBack.push(change);
      queued.value = heldBack.length;
      return;
    }
    switch (change.kind) {
      case 'children':
        model.invalidate(change.path, change.total);
        flash(change.path);
        break;
      case 'created':
        model.invalidate(parentOf(change.path) ?? '/');
        flash(change.path);
        break;
      case 'deleted':
        if (model.isExpanded(change.path)) model.collapse(change.path);
        model.invalidate(parentOf(change.path) ?? '/');
        if (selectedPath.value === change.path) selectedPath.value = null;
        break;
      case 'data':
        if (change.stat) model.patchChild(change.path, { dataLength: change.stat.dataLength, numChildren: change.stat.numChildren });
        flash(change.path);
        break;
    }
    bump();
    await refreshVisible();
  }

  /** Live: changes apply as they come. Paused: they wait, and apply together on resume. */
  async function setLive(on: boolean): Promise<void> {
    live.value = on;
    if (!on) return;
    const pending = heldBack.splice(0);
    queued.value = 0;
    for (const c of pending) await applyChange(c);
  }

  /**
   * A fresh Stat for a node (read by the node panel): updates its row's child count and
   * size. Only expanded nodes are watched, so counts of collapsed rows can lag until read.
   */
  function noteStat(path: string, stat: { numChildren: number; dataLength: number }): void {
    const known = model.summaryOf(path);
    if (!known || (known.numChildren === stat.numChildren && known.dataLength === stat.dataLength)) return;
    model.patchChild(path, { numChildren: stat.numChildren, dataLength: stat.dataLength });
    bump();
  }

  function select(path: string | null): void {
    selectedPath.value = path;
  }

  /** Finds a child's index in a (possibly huge) listing, scanning in big pages. */
  async function findIndex(mirrorId: string, parent: string, name: string): Promise<number | null> {
    const known = model.indexOf(parent, name);
    if (known !== null) return known;
    for (let offset = 0; ; offset += SCAN_PAGE) {
      const page = await useLabStore().call('tree.children', { mirrorId, path: parent, offset, limit: SCAN_PAGE });
      const i = page.children.findIndex((c) => c.name === name);
      if (i >= 0) return offset + i;
      if (offset + page.children.length >= page.total || page.children.length === 0) return null;
    }
  }

  /** One page of the paths matching `query` anywhere in the tree (the browser's member answers, else the leader). */
  async function search(query: string, offset = 0, limit = 30): Promise<TreeSearchResult> {
    return useLabStore().call('tree.search', { query, offset, limit, member: member.value });
  }

  /** Expands every ancestor of `path`, selects it and asks the view to scroll there. Resolves false when it does not exist. */
  async function jumpTo(path: string): Promise<boolean> {
    const mirrorId = requireMirror();
    const chain = ancestorsOf(path);
    for (let i = 0; i < chain.length - 1; i++) {
      const p = chain[i]!;
      if (model.isExpanded(p)) continue;
      const index = await findIndex(mirrorId, parentOf(p)!, nameOf(p));
      if (index === null) return false;
      await expandPath(p, index);
    }
    if (path !== '/') {
      const index = await findIndex(mirrorId, parentOf(path)!, nameOf(path));
      if (index === null) return false;
      // Load the page that holds it so the row shows its name.
      const offset = Math.floor(index / PAGE_SIZE) * PAGE_SIZE;
      model.setPage(await useLabStore().call('tree.children', { mirrorId, path: parentOf(path)!, offset, limit: PAGE_SIZE }));
      bump();
    }
    selectedPath.value = path;
    scrollRequest.value = model.rowOf(path);
    return true;
  }

  return {
    mirror, member, model, version, live, queued, flashes, selectedPath, scrollRequest, opening, rowCount,
    bind, open, close, expandPath, collapsePath, toggle, setViewport, refreshVisible, applyChange, setLive, select, noteStat, jumpTo, flash, search,
  };
});
