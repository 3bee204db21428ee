/**
 * Client-side path rules: Java's PathUtils.validatePath (same rules as the server's
 * create check, wire-protocol.md §8.1, and the same messages, which zkCli prints), and
 * the chroot mapping (§13.4: entirely client-side).
 */
import { ZkArgumentError } from './errors.js';

function isBadChar(c: number): boolean {
  return (
    (c > 0x0000 && c <= 0x001f) ||
    (c >= 0x007f && c <= 0x009f) ||
    (c >= 0xd800 && c <= 0xf8ff) ||
    (c >= 0xfff0 && c <= 0xffff)
  );
}

/**
 * Throws ZkArgumentError unless `path` is a valid znode path. For a sequential create
 * the server appends digits, so a trailing `/` is allowed (`/p/` → `/p/0000000004`).
 */
export function validatePath(path: string, isSequential = false): void {
  if (typeof path !== 'string') throw new ZkArgumentError('Path cannot be null');
  const p = isSequential ? path + '1' : path;
  if (p.length === 0) throw new ZkArgumentError('Path length must be > 0');
  if (p[0] !== '/') throw new ZkArgumentError('Path must start with / character');
  if (p.length === 1) return;
  if (p[p.length - 1] === '/') throw new ZkArgumentError('Path must not end with / character');
  let reason: string | null = null;
  // Works on UTF-16 code units, like Java, so every surrogate (non-BMP character) is refused.
  for (let i = 1; i < p.length; i++) {
    const c = p.charCodeAt(i);
    const last = p[i - 1];
    const endOfSegment = i + 1 === p.length || p[i + 1] === '/';
    if (c === 0) reason = `null character not allowed @${i}`;
    else if (p[i] === '/' && last === '/') reason = `empty node name specified @${i}`;
    else if (p[i] === '.' && last === '.' && p[i - 2] === '/' && endOfSegment) reason = `relative paths not allowed @${i}`;
    else if (p[i] === '.' && last === '/' && endOfSegment) reason = `relative paths not allowed @${i}`;
    else if (isBadChar(c)) reason = `invalid character @${i}`;
    if (reason) throw new ZkArgumentError(`Invalid path string "${p}" caused by ${reason}`);
  }
}

/** The chroot of a connect string, mapping client paths to server paths and back. */
export class Chroot {
  /** `root` is '' for no chroot, else a validated path without a trailing slash. */
  constructor(readonly root: string) {}

  toServer(clientPath: string): string {
    if (this.root === '') return clientPath;
    return clientPath === '/' ? this.root : this.root + clientPath;
  }

  /**
   * Strips the chroot from a path the server sent. A path outside the chroot (only
   * possible for /zookeeper/config) is returned unchanged, as the Java client does.
   */
  toClient(serverPath: string): string {
    if (this.root === '') return serverPath;
    if (serverPath === this.root) return '/';
    if (serverPath.startsWith(this.root + '/')) return serverPath.slice(this.root.length);
    return serverPath;
  }

  /** True when the server path lies inside the chroot. */
  contains(serverPath: string): boolean {
    return this.root === '' || serverPath === this.root || serverPath.startsWith(this.root + '/');
  }
}

/** The parent of a path ('/' for a top-level node, '' for the root). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  if (i <= 0) return path === '/' ? '' : '/';
  return path.slice(0, i);
}

/** Joins a parent path and a child name. */
export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
