/**
 * Parses one ensemble member line, `server.N=host:quorumPort:electionPort[:participant|
 * :observer][;[clientHost:]clientPort]` (ZooKeeper's QuorumServer syntax, static and
 * dynamic forms). IPv6 hosts are written in brackets: `[::1]:2888:3888`.
 */
import { ConfigError } from './config-error.js';
import type { PeerType, ServerSpec } from './server-config.js';

const EXPECTED = 'host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort]';

/** Splits `host:port…` on colons, keeping a bracketed IPv6 host whole. */
function splitAddress(s: string): string[] {
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return [];
    const rest = s.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return [];
    return [s.slice(1, end), ...(rest === '' ? [] : rest.slice(1).split(':'))];
  }
  return s.split(':');
}

function port(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}

export function parseServerSpec(key: string, id: number, value: string): ServerSpec {
  const bad = () => ConfigError.badValue(key, value, EXPECTED);
  const [addressPart, clientPart, ...extra] = value.split(';');
  if (extra.length > 0) throw bad();
  const parts = splitAddress(addressPart.trim());
  if (parts.length < 3 || parts.length > 4) throw bad();
  const [host, quorumText, electionText, roleText] = parts;
  const quorumPort = port(quorumText);
  const electionPort = port(electionText);
  if (host === '' || quorumPort === null || electionPort === null) throw bad();
  let type: PeerType = 'participant';
  if (roleText !== undefined) {
    if (roleText !== 'participant' && roleText !== 'observer') throw bad();
    type = roleText;
  }
  let clientHost: string | null = null;
  let clientPort: number | null = null;
  if (clientPart !== undefined) {
    const client = clientPart.trim();
    const colon = client.lastIndexOf(':');
    const hostText = colon < 0 ? null : client.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    clientPort = port(colon < 0 ? client : client.slice(colon + 1));
    if (clientPort === null || hostText === '') throw bad();
    clientHost = hostText;
  }
  return { id, host, quorumPort, electionPort, type, clientHost, clientPort };
}
