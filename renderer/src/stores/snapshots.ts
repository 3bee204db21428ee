/**
 * Snapshots: the whole cluster as one self-describing file on the lab host
 * (`snapshot.export` / `inspect` / `import`), and subtrees as our JSON
 * (`subtree.export` / `subtree.import`, which travel through the UI as text so the
 * browser build can download and upload them).
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { ExportManifest, ImportedLab, MemberId, SubtreeImportResult, SubtreeJson } from '../../../engine/src/lab/api.js';
import { LabCommandError } from '../lab-client/errors.js';
import { useLabStore } from './lab.js';

export interface ExportRecord {
  /** A path on the lab host (desktop) or the downloaded file's name (browser). */
  file: string;
  sizeBytes: number;
  manifest: ExportManifest;
  at: number;
}

export type ImportConflict = 'fail' | 'skip' | 'overwrite';

/** Parses uploaded text as our subtree format; throws a LabCommandError saying why not. */
export function parseSubtreeJson(text: string): SubtreeJson {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new LabCommandError('bad-file', `the file is not JSON: ${(e as Error).message}`, 'subtree.import');
  }
  const o = v as Partial<SubtreeJson> | null;
  if (!o || typeof o !== 'object' || o.format !== 'zoolab-subtree' || typeof o.root !== 'string' || !o.nodes || typeof o.nodes !== 'object') {
    throw new LabCommandError('bad-file', 'the file is not a ZooLab subtree export (format "zoolab-subtree" with root and nodes)', 'subtree.import');
  }
  return o as SubtreeJson;
}

export const useSnapshotsStore = defineStore('snapshots', () => {
  const exports = shallowRef<ExportRecord[]>([]);
  /** The export file looked at last: a host path, or an uploaded file (then its bytes are kept for the import). */
  const inspected = shallowRef<{ file: string; manifest: ExportManifest; dataBase64?: string } | null>(null);

  async function exportCluster(file: string, now: number): Promise<ExportRecord> {
    const r = await useLabStore().call('snapshot.export', { file });
    const rec = { ...r, at: now };
    exports.value = [rec, ...exports.value].slice(0, 20);
    return rec;
  }

  /** The export as bytes (for a browser download). */
  async function download(now: number): Promise<ExportRecord & { dataBase64: string }> {
    const r = await useLabStore().call('snapshot.download', {});
    const rec = { file: r.fileName, sizeBytes: r.sizeBytes, manifest: r.manifest, at: now };
    exports.value = [rec, ...exports.value].slice(0, 20);
    return { ...rec, dataBase64: r.dataBase64 };
  }

  async function inspectBytes(name: string, dataBase64: string): Promise<ExportManifest> {
    const manifest = await useLabStore().call('snapshot.inspectBytes', { dataBase64 });
    inspected.value = { file: name, manifest, dataBase64 };
    return manifest;
  }

  /** A lab served by a `zk-lab` supervisor imports beside itself (`switched: false`, with the new lab's URL). */
  async function importBytes(dataBase64: string, dir: string): Promise<ImportedLab> {
    const info = await useLabStore().call('snapshot.importBytes', { dataBase64, dir });
    inspected.value = null;
    return info;
  }

  async function inspect(file: string): Promise<ExportManifest> {
    const manifest = await useLabStore().call('snapshot.inspect', { file });
    inspected.value = { file, manifest };
    return manifest;
  }

  /** Creates a new lab in `dir` from an export (and switches to it where the lab can). */
  async function importCluster(file: string, dir: string): Promise<ImportedLab> {
    const info = await useLabStore().call('snapshot.import', { file, dir });
    inspected.value = null;
    return info;
  }

  async function exportSubtree(path: string, member: MemberId | null): Promise<SubtreeJson> {
    return useLabStore().call('subtree.export', { path, member });
  }

  async function importSubtree(json: SubtreeJson, targetPath: string | undefined, onConflict: ImportConflict, ephemeralsAsPersistent: boolean): Promise<SubtreeImportResult> {
    return useLabStore().call('subtree.import', { json, ...(targetPath ? { targetPath } : {}), onConflict, ephemeralsAsPersistent });
  }

  return { exports, inspected, exportCluster, download, inspect, inspectBytes, importCluster, importBytes, exportSubtree, importSubtree };
});
