/**
 * Connect strings: `host:port[,host:port...][/chroot]` (Java's ConnectStringParser).
 * A host without a port uses 2181; IPv6 literals are written `[::1]:2181`. A chroot of
 * `/` means none.
 */
import { ZkArgumentError } from './errors.js';
import { validatePath } from './paths.js';
import type { HostPort } from './types.js';

export const DEFAULT_PORT = 2181;

export interface ConnectString {
  hosts: HostPort[];
  /** '' when there is no chroot. */
  chroot: string;
}

function parseHost(text: string): HostPort {
  const t = text.trim();
  let host: string;
  let portText: string | undefined;
  if (t.startsWith('[')) {
    const end = t.indexOf(']');
    if (end < 0) throw new ZkArgumentError(`bad IPv6 address in connect string: ${t}`);
    host = t.slice(1, end);
    const rest = t.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) throw new ZkArgumentError(`bad host in connect string: ${t}`);
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const i = t.lastIndexOf(':');
    host = i < 0 ? t : t.slice(0, i);
    portText = i < 0 ? undefined : t.slice(i + 1);
  }
  if (host === '') throw new ZkArgumentError(`empty host in connect string: "${text}"`);
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !/^\d+$/.test(portText ?? '2181')) {
    throw new ZkArgumentError(`bad port in connect string: "${text}"`);
  }
  return { host, port };
}

export function parseConnectString(connectString: string): ConnectString {
  let hostsPart = connectString;
  let chroot = '';
  const slash = connectString.indexOf('/');
  if (slash >= 0) {
    hostsPart = connectString.slice(0, slash);
    const root = connectString.slice(slash);
    if (root.length > 1) {
      validatePath(root);
      chroot = root;
    }
  }
  const hosts = hostsPart
    .split(',')
    .filter((h) => h.trim() !== '')
    .map(parseHost);
  if (hosts.length === 0) throw new ZkArgumentError('A HostProvider may not be empty!');
  return { hosts, chroot };
}

/** Fisher–Yates shuffle with an injectable random source (the host order is shuffled, like Java's StaticHostProvider). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function formatHost(h: HostPort): string {
  return h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`;
}
