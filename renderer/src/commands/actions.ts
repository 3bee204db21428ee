/**
 * Every user action, once: what it confirms first (every destructive action does), which
 * store call it makes, and what it reports (a success toast with the lab's own sentence,
 * or an error saying what failed and what to try). Buttons, keyboard shortcuts and the
 * Electron menu all call these, so they behave the same whichever way they are reached.
 *
 * No DOM here: dialogs that need a view are opened through the ui store, files go through
 * the Host, time comes from `now()`.
 */
import type { CreateModeName, Hex64, LabSpec, LinkEnd, LinkSettings, MemberId, PartitionPreset } from '../../../engine/src/lab/api.js';
import type { Translate } from '../i18n/translate.js';
import { layoutTimeline } from '../lib/timeline-layout.js';
import { renderTimelineSvg } from '../lib/timeline-svg.js';
import { timelineLabel } from '../lib/timeline-labels.js';
import { bytesToBase64, utf8ToBytes } from '../lib/bytes.js';
import { formatBytes } from '../lib/format.js';
import { joinPath, parentOf } from '../lib/paths.js';
import type { Host } from '../platform/host.js';
import { useEnsembleStore, type MemberAction } from '../stores/ensemble.js';
import { useEventsStore } from '../stores/events.js';
import { useLabStore } from '../stores/lab.js';
import { useNetworkStore } from '../stores/network.js';
import { useNodeStore } from '../stores/node.js';
import { useNoticesStore } from '../stores/notices.js';
import { useSessionsStore } from '../stores/sessions.js';
import { parseSubtreeJson, useSnapshotsStore, type ImportConflict } from '../stores/snapshots.js';
import { useTerminalsStore } from '../stores/terminals.js';
import { useTimelineStore } from '../stores/timeline.js';
import { useTreeStore } from '../stores/tree.js';
import { useUiStore } from '../stores/ui.js';

export interface ActionDeps {
  t: Translate;
  host: Host;
  now(): number;
}

/** Actions that ask before they act (SIGKILL loses un-fsynced state, wipe loses everything, stop/restart interrupt). */
const CONFIRMED: Partial<Record<MemberAction, 'killMember' | 'wipe' | 'stop' | 'restart'>> = {
  kill: 'killMember',
  wipe: 'wipe',
  stop: 'stop',
  restart: 'restart',
};

export type PresetKind = 'isolate-leader' | 'majority-minority' | 'leader-minority' | 'halves' | 'bridge' | 'ring';

export function presetFor(kind: PresetKind, memberIds: MemberId[]): PartitionPreset {
  switch (kind) {
    case 'isolate-leader':
      return { kind: 'isolate-leader' };
    case 'majority-minority':
      return { kind: 'majority-minority', leaderSide: 'majority' };
    case 'leader-minority':
      return { kind: 'majority-minority', leaderSide: 'minority' };
    case 'halves': {
      // Jepsen's random halves, made deterministic: the lower ids against the upper ones.
      const half = Math.ceil(memberIds.length / 2);
      return { kind: 'groups', groups: [{ name: 'A', members: memberIds.slice(0, half) }, { name: 'B', members: memberIds.slice(half) }] };
    }
    case 'bridge':
      return { kind: 'bridge' };
    case 'ring':
      return { kind: 'ring' };
  }
}

export function createActions({ t, host, now }: ActionDeps) {
  const notices = () => useNoticesStore();

  /** Runs `fn`; on failure shows `what` with the lab's reason. Resolves undefined when it failed. */
  async function attempt<T>(what: Parameters<ReturnType<typeof useNoticesStore>['error']>[0], fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      notices().error(what, e);
      return undefined;
    }
  }

  async function memberAction(id: MemberId, action: MemberAction): Promise<boolean> {
    const confirmKey = CONFIRMED[action];
    if (confirmKey) {
      const ok = await notices().confirm({
        title: { key: `confirm.${confirmKey}.title`, params: { id } },
        body: { key: `confirm.${confirmKey}.body` },
        confirm: { key: `confirm.${confirmKey}.confirm`, params: { id } },
        danger: action !== 'restart',
      });
      if (!ok) return false;
    }
    const r = await attempt({ key: 'errors.member', params: { action: t(`actions.${action}`), id } }, () => useEnsembleStore().act(id, action));
    if (!r) return false;
    notices().success({ key: 'done.member', params: { action: t(`actions.${action}`), id } }, r.message);
    return true;
  }

  async function killLeader(): Promise<boolean> {
    const ensemble = useEnsembleStore();
    const id = ensemble.leader;
    if (id === null) {
      notices().error({ key: 'errors.killLeader' }, { code: 'no-leader', message: t('errors.noLeader') }, { key: 'errors.hint.checkQuorum' });
      return false;
    }
    const ok = await notices().confirm({
      title: { key: 'confirm.killLeader.title', params: { id } },
      body: { key: 'confirm.killLeader.body' },
      confirm: { key: 'confirm.killLeader.confirm' },
      danger: true,
    });
    if (!ok) return false;
    const r = await attempt({ key: 'errors.killLeader' }, () => ensemble.act(id, 'kill'));
    if (r) notices().success({ key: 'done.killLeader', params: { id } }, r.message);
    return !!r;
  }

  async function killMajority(): Promise<boolean> {
    const ensemble = useEnsembleStore();
    const victims = ensemble.majorityVictims;
    if (victims.length === 0) return false;
    const ids = victims.join(', ');
    const ok = await notices().confirm({
      title: { key: 'confirm.killMajority.title', params: { ids } },
      body: { key: 'confirm.killMajority.body' },
      confirm: { key: 'confirm.killMajority.confirm', params: { count: victims.length } },
      danger: true,
    });
    if (!ok) return false;
    const r = await attempt({ key: 'errors.killMajority' }, () => ensemble.killMajority());
    if (r) notices().success({ key: 'done.killMajority', params: { ids: r.join(', ') } });
    return !!r;
  }

  async function healAll(): Promise<boolean> {
    const r = await attempt({ key: 'errors.healAll' }, async () => {
      await useEnsembleStore().healAll();
      return true;
    });
    if (r) notices().success({ key: 'done.healAll' });
    return !!r;
  }

  async function selectedMemberAction(action: MemberAction | 'toggle-pause'): Promise<void> {
    const m = useEnsembleStore().selectedMember;
    if (!m) return;
    const resolved: MemberAction = action === 'toggle-pause' ? (m.state === 'paused' ? 'resume' : 'pause') : action;
    await memberAction(m.id, resolved);
  }

  // ───────────────────────────── network ─────────────────────────────

  async function applyPreset(kind: PresetKind): Promise<boolean> {
    const preset = presetFor(kind, useEnsembleStore().memberIds);
    const message = await attempt({ key: 'errors.preset' }, () => useNetworkStore().preset(preset));
    if (message !== undefined) notices().success({ key: 'network.applied' }, message);
    return message !== undefined;
  }

  /** Cuts every link to and from one member (Jepsen's "isolate one"). */
  async function isolateMember(id: MemberId): Promise<boolean> {
    const message = await attempt({ key: 'errors.preset' }, () => useNetworkStore().preset({ kind: 'isolate', member: id }));
    if (message !== undefined) notices().success({ key: 'network.applied' }, message);
    return message !== undefined;
  }

  async function healLinks(): Promise<boolean> {
    const message = await attempt({ key: 'errors.links' }, () => useNetworkStore().heal());
    if (message !== undefined) notices().success({ key: 'network.applied' }, message);
    return message !== undefined;
  }

  async function toggleLink(from: LinkEnd, to: LinkEnd, bothWays: boolean): Promise<boolean> {
    const r = await attempt({ key: 'errors.links' }, async () => {
      await useNetworkStore().toggle(from, to, bothWays);
      return true;
    });
    return !!r;
  }

  async function setLink(from: LinkEnd, to: LinkEnd, settings: Partial<LinkSettings>, bothWays: boolean): Promise<boolean> {
    const r = await attempt({ key: 'errors.links' }, async () => {
      await useNetworkStore().set(from, to, settings, bothWays);
      return true;
    });
    return !!r;
  }

  // ───────────────────────────── tree & node ─────────────────────────────

  async function openTree(member: MemberId | null): Promise<boolean> {
    const r = await attempt({ key: 'errors.treeOpen' }, async () => {
      await useTreeStore().open(member);
      return true;
    });
    return !!r;
  }

  async function toggleNode(path: string, index: number): Promise<void> {
    await attempt({ key: 'errors.treeExpand', params: { path } }, () => useTreeStore().toggle(path, index));
  }

  async function selectNode(path: string | null): Promise<void> {
    useTreeStore().select(path);
    useUiStore().editing = false;
    await useNodeStore().load(path);
  }

  async function jumpTo(path: string): Promise<boolean> {
    const found = await attempt({ key: 'errors.jump', params: { path } }, () => useTreeStore().jumpTo(path));
    if (found === false) notices().error({ key: 'errors.jump', params: { path } }, { code: 'not-found', message: t('tree.notFound', { path }) });
    if (found) await useNodeStore().load(path);
    return !!found;
  }

  async function toggleLive(): Promise<void> {
    const tree = useTreeStore();
    await tree.setLive(!tree.live);
  }

  async function createNode(parent: string, name: string, text: string, mode: CreateModeName, ttlMs?: number): Promise<string | null> {
    const path = joinPath(parent, name);
    const r = await attempt({ key: 'errors.nodeCreate', params: { path } }, () =>
      useNodeStore().create({ path, dataBase64: text === '' ? null : bytesToBase64(utf8ToBytes(text)), mode, ...(ttlMs !== undefined ? { ttlMs } : {}) }),
    );
    if (!r) return null;
    notices().success({ key: 'createNode.created', params: { path: r.path } });
    return r.path;
  }

  async function deleteNode(path: string, version: number, recursive: boolean): Promise<boolean> {
    // Read before deleting: the lab's change event clears the selection of a deleted node.
    const wasSelected = useTreeStore().selectedPath === path;
    const deleted = await attempt({ key: 'errors.nodeDelete', params: { path } }, () => useNodeStore().remove(path, version, recursive));
    if (deleted === undefined) return false;
    notices().success({ key: 'deleteNode.deleted', params: { count: deleted } });
    if (wasSelected) await selectNode(parentOf(path));
    return true;
  }

  function askCreateNode(): void {
    const parent = useTreeStore().selectedPath ?? '/';
    useUiStore().open({ kind: 'create-node', parent });
  }

  function askDeleteNode(): void {
    const path = useTreeStore().selectedPath;
    if (path && path !== '/' && path !== '/zookeeper') useUiStore().open({ kind: 'delete-node', path });
  }

  // ───────────────────────────── terminals ─────────────────────────────

  async function openTerminal(member: MemberId | null): Promise<string | null> {
    const info = await attempt({ key: 'errors.shellOpen' }, () => useTerminalsStore().open(member));
    if (!info) return null;
    useUiStore().requestFocus('terminal');
    return info.shellId;
  }

  async function closeTerminal(shellId?: string): Promise<void> {
    const terminals = useTerminalsStore();
    const id = shellId ?? terminals.activeId;
    if (id) await terminals.close(id);
  }

  // ───────────────────────────── sessions ─────────────────────────────

  async function expireSession(sessionId: Hex64): Promise<boolean> {
    const ok = await notices().confirm({
      title: { key: 'confirm.expireSession.title', params: { id: sessionId } },
      body: { key: 'confirm.expireSession.body' },
      confirm: { key: 'confirm.expireSession.confirm' },
      danger: true,
    });
    if (!ok) return false;
    const message = await attempt({ key: 'errors.sessionExpire', params: { id: sessionId } }, () => useSessionsStore().expire(sessionId, now()));
    if (message !== undefined) notices().success({ key: 'sessions.expired', params: { id: sessionId } }, message);
    return message !== undefined;
  }

  async function refreshSessions(): Promise<void> {
    await useSessionsStore().refresh(now());
  }

  // ───────────────────────────── snapshots ─────────────────────────────

  function stamp(): string {
    return new Date(now()).toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
  }

  const CLUSTER_FILES = [{ name: 'ZooLab cluster export', extensions: ['zoolab'] }];

  /** Desktop: a native save dialog, the lab writes the file. Browser: the bytes come over and are downloaded. */
  async function exportCluster(): Promise<string | null> {
    const snapshots = useSnapshotsStore();
    if (host.kind === 'desktop') {
      const defaultName = `zoolab-${useLabStore().info?.name ?? 'lab'}-${stamp()}.zoolab`;
      const file = await host.chooseSavePath({ title: t('snapshots.exportCluster'), defaultName, filters: CLUSTER_FILES });
      if (!file) return null;
      const rec = await attempt({ key: 'errors.snapshotExport' }, () => snapshots.exportCluster(file, now()));
      if (!rec) return null;
      notices().success({ key: 'snapshots.exported', params: { znodes: rec.manifest.znodes, file: rec.file, size: formatBytes(rec.sizeBytes) } });
      return rec.file;
    }
    const rec = await attempt({ key: 'errors.snapshotExport' }, () => snapshots.download(now()));
    if (!rec) return null;
    const where = await attempt({ key: 'errors.fileSave' }, () => host.saveBytes({ title: t('snapshots.exportCluster'), defaultName: rec.file, filters: CLUSTER_FILES, dataBase64: rec.dataBase64 }));
    if (!where) return null;
    notices().success({ key: 'snapshots.downloaded', params: { file: where, size: formatBytes(rec.sizeBytes), znodes: rec.manifest.znodes } });
    return where;
  }

  /**
   * Picks an export file and shows its manifest (nothing changes yet). Desktop: a path the
   * lab reads. Browser: an upload whose bytes the lab checks.
   */
  async function inspectCluster(): Promise<boolean> {
    const snapshots = useSnapshotsStore();
    if (host.kind === 'desktop') {
      const file = await host.chooseOpenPath({ title: t('snapshots.importCluster'), filters: CLUSTER_FILES });
      if (!file) return false;
      return !!(await attempt({ key: 'errors.snapshotInspect' }, () => snapshots.inspect(file)));
    }
    const upload = await attempt({ key: 'errors.snapshotInspect' }, () => host.openBytes({ title: t('snapshots.importCluster'), filters: CLUSTER_FILES }));
    if (!upload) return false;
    return !!(await attempt({ key: 'errors.snapshotInspect' }, () => snapshots.inspectBytes(upload.name, upload.dataBase64)));
  }

  /**
   * Imports the inspected export into a new lab (confirmed first). The desktop app switches
   * to it; a lab run by `zk-lab serve` starts it beside itself and gives its address, which
   * the success notice links to (this tab stays on the current lab).
   */
  async function importCluster(): Promise<boolean> {
    const snapshots = useSnapshotsStore();
    if (!snapshots.inspected && !(await inspectCluster())) return false;
    const chosen = snapshots.inspected;
    if (!chosen) return false;
    // In the browser the lab host's folders are not browsable: beside the open lab (where a served lab puts imports).
    const base = host.kind === 'browser' ? (siblingOfLab() ?? (await labsBase())) : ((await labsBase()) ?? siblingOfLab());
    if (!base) return false;
    const dir = `${base}/imported-${stamp()}`;
    const served = host.kind === 'browser' && useLabStore().transport !== 'demo';
    const ok = await notices().confirm({
      title: { key: 'confirm.importCluster.title' },
      body: { key: served ? 'confirm.importCluster.bodyBeside' : 'confirm.importCluster.body', params: { dir } },
      confirm: { key: 'confirm.importCluster.confirm' },
      danger: !served,
    });
    if (!ok) return false;
    const info = await attempt({ key: 'errors.snapshotImport' }, () =>
      chosen.dataBase64 !== undefined ? snapshots.importBytes(chosen.dataBase64, dir) : snapshots.importCluster(chosen.file, dir),
    );
    if (!info) return false;
    if (!info.switched) {
      const link = info.url ? { href: info.url, label: { key: 'snapshots.openImported' as const } } : undefined;
      notices().success({ key: 'snapshots.importedBeside', params: { dir: info.dir } }, info.message, link);
      return true;
    }
    await afterLabChange();
    notices().success({ key: 'snapshots.imported', params: { dir: info.dir } });
    return true;
  }

  /** Beside the open lab's folder (the browser cannot ask the host for a place). */
  function siblingOfLab(): string | null {
    const dir = useLabStore().info?.dir;
    if (!dir) return null;
    const i = dir.lastIndexOf('/');
    return i > 0 ? dir.slice(0, i) : dir;
  }

  async function exportSubtree(path?: string): Promise<string | null> {
    const root = path ?? useTreeStore().selectedPath ?? '/';
    const json = await attempt({ key: 'errors.subtreeExport', params: { path: root } }, () => useSnapshotsStore().exportSubtree(root, null));
    if (!json) return null;
    const safe = root === '/' ? 'root' : root.slice(1).replace(/[^\w.-]+/g, '_');
    const where = await attempt({ key: 'errors.fileSave' }, () =>
      host.saveText({ title: t('snapshots.exportSubtree'), defaultName: `zoolab-subtree-${safe}-${stamp()}.json`, filters: [{ name: 'JSON', extensions: ['json'] }], text: JSON.stringify(json, null, 2) }),
    );
    if (!where) return null;
    notices().success({ key: 'snapshots.subtreeExported', params: { count: Object.keys(json.nodes).length, path: root } }, where);
    return where;
  }

  /** Picks a JSON file and opens the import dialog for it. */
  async function chooseSubtreeFile(): Promise<void> {
    const file = await attempt({ key: 'errors.subtreeImport' }, () => host.openText({ title: t('snapshots.importSubtree'), filters: [{ name: 'JSON', extensions: ['json'] }] }));
    if (file) useUiStore().open({ kind: 'import-subtree', fileName: file.name, text: file.text });
  }

  async function importSubtree(text: string, targetPath: string | undefined, onConflict: ImportConflict, ephemeralsAsPersistent: boolean): Promise<boolean> {
    const r = await attempt({ key: 'errors.subtreeImport' }, () => useSnapshotsStore().importSubtree(parseSubtreeJson(text), targetPath, onConflict, ephemeralsAsPersistent));
    if (!r) return false;
    notices().success({ key: 'snapshots.subtreeImported', params: { created: r.created, updated: r.updated, skipped: r.skipped + r.skippedEphemerals.length } });
    return true;
  }

  // ───────────────────────────── timeline ─────────────────────────────

  async function exportTimelineSvg(): Promise<string | null> {
    const events = useEventsStore();
    const timeline = useTimelineStore();
    const ids = useEnsembleStore().memberIds;
    const all = events.ring.slice();
    const layout = layoutTimeline(all, ids, { members: ids.filter((m) => !timeline.hiddenMembers.has(m)), categories: timeline.categories }, (e) => timelineLabel(e, t));
    const upTo = timeline.following ? layout.rows.length : timeline.cursor + 1;
    const svg = renderTimelineSvg(layout, { upToRow: upTo, laneLabel: (id) => t('timeline.lane', { id }), labLabel: t('timeline.lab') });
    const where = await attempt({ key: 'errors.fileSave' }, () =>
      host.saveText({ title: t('timeline.exportSvg'), defaultName: `zoolab-timeline-${stamp()}.svg`, filters: [{ name: 'SVG', extensions: ['svg'] }], text: svg }),
    );
    if (where) notices().success({ key: 'timeline.exported', params: { file: where } });
    return where ?? null;
  }

  // ───────────────────────────── lab lifecycle ─────────────────────────────

  /** Where new labs go: the desktop's labs folder; the demo lab takes any path; the browser cannot choose. */
  async function labsBase(): Promise<string | null> {
    return (await host.labsDir()) ?? (useLabStore().transport === 'demo' ? '/demo-labs' : null);
  }

  /** After the open lab changed: every view reads the new one. */
  async function afterLabChange(): Promise<void> {
    useEventsStore().clear();
    await Promise.allSettled([useEnsembleStore().refresh(), useEventsStore().catchUp()]);
    await openTree(null);
  }

  async function createLab(spec: LabSpec): Promise<boolean> {
    const lab = useLabStore();
    const base = await labsBase();
    if (!base) {
      notices().info({ key: 'welcome.browserOnly' });
      return false;
    }
    const dir = `${base}/${(spec.name?.trim() || 'lab').replace(/[^\w.-]+/g, '-')}-${stamp()}`;
    const info = await attempt({ key: 'errors.labCreate' }, () => lab.create(dir, spec));
    if (!info) return false;
    await afterLabChange();
    notices().success({ key: 'done.labCreated', params: { members: info.members } }, info.connectString);
    return true;
  }

  async function openLab(dir: string): Promise<boolean> {
    const info = await attempt({ key: 'errors.labOpen', params: { dir } }, () => useLabStore().open(dir));
    if (!info) return false;
    await afterLabChange();
    return true;
  }

  async function labDown(): Promise<boolean> {
    const ok = await notices().confirm({ title: { key: 'confirm.labDown.title' }, body: { key: 'confirm.labDown.body' }, confirm: { key: 'confirm.labDown.confirm' }, danger: true });
    if (!ok) return false;
    await useTreeStore().close();
    const message = await attempt({ key: 'errors.labDown' }, () => useLabStore().down());
    if (message === undefined) return false;
    useEnsembleStore().reset();
    notices().success({ key: 'done.labDown' }, message);
    return true;
  }

  return {
    memberAction, killLeader, killMajority, healAll, selectedMemberAction,
    applyPreset, isolateMember, healLinks, toggleLink, setLink,
    openTree, toggleNode, selectNode, jumpTo, toggleLive, createNode, deleteNode, askCreateNode, askDeleteNode,
    openTerminal, closeTerminal,
    expireSession, refreshSessions,
    exportCluster, inspectCluster, importCluster, exportSubtree, chooseSubtreeFile, importSubtree,
    exportTimelineSvg,
    createLab, openLab, labDown, afterLabChange,
  };
}

export type Actions = ReturnType<typeof createActions>;
