/**
 * The renderer's view of its shell (desktop or browser): file dialogs, downloads and
 * menu commands. Chosen once at startup like the LabApi (./choose-host.ts).
 */
import type { FileFilter } from '../../../electron/host-api.js';

export type { FileFilter };

export interface Host {
  readonly kind: 'desktop' | 'browser';
  /** Desktop: a path picked in a native dialog. Browser: null (the lab host's file system is not browsable). */
  chooseSavePath(o: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
  chooseOpenPath(o: { title: string; filters: FileFilter[] }): Promise<string | null>;
  /** Desktop: save dialog + write. Browser: a download. Resolves with where it went (a path or the file name), null when cancelled. */
  saveText(o: { title: string; defaultName: string; filters: FileFilter[]; text: string }): Promise<string | null>;
  /** Desktop: open dialog + read. Browser: a file picker. */
  openText(o: { title: string; filters: FileFilter[] }): Promise<{ name: string; text: string } | null>;
  /** Like saveText for binary data (base64 in, so it crosses IPC as a string). */
  saveBytes(o: { title: string; defaultName: string; filters: FileFilter[]; dataBase64: string }): Promise<string | null>;
  /** Like openText for binary data. */
  openBytes(o: { title: string; filters: FileFilter[] }): Promise<{ name: string; dataBase64: string } | null>;
  /** Desktop: the app's labs folder. Browser: null (the lab was started by zk-lab serve). */
  labsDir(): Promise<string | null>;
  onMenuCommand(listener: (command: string) => void): () => void;
}
