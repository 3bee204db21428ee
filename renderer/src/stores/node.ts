/**
 * The node panel: the selected node's data, Stat and ACL; create, edit and delete.
 *
 * Edits are conditional on the version that was read (ZooKeeper's optimistic concurrency:
 * setData with a version fails with BadVersion when someone wrote meanwhile). That
 * failure becomes a `conflict` holding both sides, for the conflict dialog; the lab also
 * pushes a `data` change for the selected node, which marks what is shown as outdated.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AclJson, CreateModeName, DeletePreview, NodeDetails, StatJson } from '../../../engine/src/lab/api.js';
import { LabCommandError } from '../lab-client/errors.js';
import { useLabStore } from './lab.js';
import { useTreeStore } from './tree.js';

export type DataView = 'text' | 'json' | 'hex' | 'base64';

export interface EditConflict {
  path: string;
  /** The version the edit was based on. */
  baseVersion: number;
  /** What the user wanted to write, as typed (shown) and as bytes (written on overwrite). */
  mine: string | null;
  mineBase64: string | null;
  /** The node as it is now. */
  theirs: NodeDetails;
}

export interface CreateRequest {
  path: string;
  dataBase64: string | null;
  mode: CreateModeName;
  ttlMs?: number;
  acl?: AclJson[];
}

/** BadVersion is ZooKeeper error -103 (wire-protocol.md §7); the lab reports it as code `zk:BadVersion` (api.ts ZkErrorCode). */
export function isBadVersion(e: unknown): boolean {
  return e instanceof LabCommandError && e.code === 'zk:BadVersion';
}

export const useNodeStore = defineStore('node', () => {
  const details = shallowRef<NodeDetails | null>(null);
  const loading = ref(false);
  const loadError = shallowRef<LabCommandError | null>(null);
  /** The node changed on the server after it was read. */
  const outdated = ref(false);
  /** Remembered per path, like PrettyZoo #301 asks. */
  const views = ref<Record<string, DataView>>({});
  const conflict = shallowRef<EditConflict | null>(null);
  let unsubscribe: (() => void) | null = null;
  let loadSeq = 0;

  function bind(): void {
    const lab = useLabStore();
    unsubscribe?.();
    unsubscribe = lab.on('tree.changed', ({ mirrorId, change }) => {
      const tree = useTreeStore();
      const d = details.value;
      if (!d || mirrorId !== tree.mirror?.mirrorId || change.path !== d.path) return;
      if (change.kind === 'data' && (!change.stat || change.stat.mzxid !== d.stat.mzxid || change.stat.aversion !== d.stat.aversion)) outdated.value = true;
      if (change.kind === 'deleted') outdated.value = true;
    });
  }

  function mirrorId(): string {
    const m = useTreeStore().mirror;
    if (!m) throw new LabCommandError('no-mirror', 'the tree browser is not connected', 'tree.get');
    return m.mirrorId;
  }

  /** Reads a node (the lab keeps its data watched while it is selected). */
  async function load(path: string | null): Promise<void> {
    const seq = ++loadSeq;
    conflict.value = null;
    if (path === null) {
      details.value = null;
      loadError.value = null;
      return;
    }
    loading.value = true;
    try {
      const d = await useLabStore().call('tree.get', { mirrorId: mirrorId(), path });
      if (seq !== loadSeq) return; // a newer selection won
      details.value = d;
      useTreeStore().noteStat(path, d.stat);
      loadError.value = null;
      outdated.value = false;
    } catch (e) {
      if (seq !== loadSeq) return;
      details.value = null;
      loadError.value = e instanceof LabCommandError ? e : new LabCommandError('failed', String(e), 'tree.get');
    } finally {
      if (seq === loadSeq) loading.value = false;
    }
  }

  async function reload(): Promise<void> {
    await load(details.value?.path ?? null);
  }

  function viewFor(path: string, fallback: DataView): DataView {
    return views.value[path] ?? fallback;
  }

  function setView(path: string, view: DataView): void {
    views.value = { ...views.value, [path]: view };
  }

  /**
   * Writes data conditional on `version` (the one read). On BadVersion, fills `conflict`
   * and resolves 'conflict' instead of throwing.
   */
  async function save(path: string, dataBase64: string | null, version: number, mineText: string | null): Promise<StatJson | 'conflict'> {
    const lab = useLabStore();
    try {
      const { stat } = await lab.call('tree.set', { mirrorId: mirrorId(), path, dataBase64, version });
      await load(path);
      return stat;
    } catch (e) {
      if (!isBadVersion(e)) throw e;
      const theirs = await lab.call('tree.get', { mirrorId: mirrorId(), path });
      conflict.value = { path, baseVersion: version, mine: mineText, mineBase64: dataBase64, theirs };
      return 'conflict';
    }
  }

  function dismissConflict(): void {
    conflict.value = null;
  }

  async function create(req: CreateRequest): Promise<{ path: string; stat: StatJson }> {
    const arg = { mirrorId: mirrorId(), path: req.path, dataBase64: req.dataBase64, mode: req.mode, ...(req.ttlMs !== undefined ? { ttlMs: req.ttlMs } : {}), ...(req.acl ? { acl: req.acl } : {}) };
    return useLabStore().call('tree.create', arg);
  }

  async function previewDelete(path: string): Promise<DeletePreview> {
    return useLabStore().call('tree.deletePreview', { mirrorId: mirrorId(), path, limit: 200 });
  }

  async function remove(path: string, version: number, recursive: boolean): Promise<number> {
    const r = await useLabStore().call('tree.delete', { mirrorId: mirrorId(), path, version, recursive });
    if (details.value?.path === path) details.value = null;
    return r.deleted;
  }

  async function setAcl(path: string, acl: AclJson[], version: number): Promise<void> {
    await useLabStore().call('tree.setAcl', { mirrorId: mirrorId(), path, acl, version });
    await load(path);
  }

  return { details, loading, loadError, outdated, views, conflict, bind, load, reload, viewFor, setView, save, dismissConflict, create, previewDelete, remove, setAcl };
});
