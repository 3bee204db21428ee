/**
 * Where things live in a lab directory, and how a new lab is laid out:
 *
 *   <dir>/lab.sqlite              configuration, saved link faults, the event log
 *   <dir>/members/<id>/zoo.cfg    rewritten at every start from the configuration
 *   <dir>/members/<id>/data/      the member's dataDir: myid and its SQLite file(s)
 *   <dir>/members/<id>/member.log the member's stderr
 *   <dir>/control.sock            the supervisor's control channel (owner only)
 *   <dir>/control.token           its access token (mode 0600)
 *   <dir>/supervisor.json         pid and start time of the running supervisor
 *   <dir>/supervisor.log          the supervisor's own log
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LabSpec, MemberId } from './api.js';
import { LAB_FORMAT, LAB_FORMAT_VERSION, normalizeSpec, renderZooCfg, type LabConfig, type MemberPorts, type PeerProxyPorts } from './lab-config.js';
import { LabStore, isLabDir } from './lab-store.js';

export const DEFAULT_LAB_DIR = './zoolab-lab';

export function memberDir(dir: string, id: MemberId): string {
  return join(dir, 'members', String(id));
}
export function memberDataDir(dir: string, id: MemberId): string {
  return join(memberDir(dir, id), 'data');
}
export function memberConfigPath(dir: string, id: MemberId): string {
  return join(memberDir(dir, id), 'zoo.cfg');
}
export function memberLogPath(dir: string, id: MemberId): string {
  return join(memberDir(dir, id), 'member.log');
}
/**
 * The control socket lives in the lab directory unless that path is too long for a Unix
 * socket (about 107 bytes); then it lives in the temp directory under a name derived from
 * the lab's absolute path.
 */
export function controlSocketPath(dir: string): string {
  const inLab = join(resolve(dir), 'control.sock');
  if (Buffer.byteLength(inLab) <= 100) return inLab;
  const hash = createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 16);
  return join(tmpdir(), `zoolab-${process.getuid?.() ?? 'user'}-${hash}.sock`);
}
export function controlTokenPath(dir: string): string {
  return join(dir, 'control.token');
}
export function supervisorInfoPath(dir: string): string {
  return join(dir, 'supervisor.json');
}
export function supervisorLogPath(dir: string): string {
  return join(dir, 'supervisor.log');
}

/** Asks the OS for `n` distinct free loopback ports by holding them all open at once. */
export async function allocatePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:net').Server>((ok, fail) => {
      const s = createServer();
      s.once('error', fail);
      s.listen(0, '127.0.0.1', () => ok(s));
    })),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === 'object' && a ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
  return ports;
}

/** Whether a loopback port can be bound right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = createServer();
    s.once('error', () => ok(false));
    s.listen(port, '127.0.0.1', () => s.close(() => ok(true)));
  });
}

/**
 * Creates a lab directory: the configuration with freshly allocated ports, lab.sqlite,
 * each member's folder, myid and zoo.cfg. Refuses a directory that already holds a lab
 * or has other files in it.
 */
export async function createLabDir(dirArg: string, spec: LabSpec, now: number, seed: number): Promise<LabConfig> {
  const dir = resolve(dirArg);
  const s = normalizeSpec(spec);
  if (isLabDir(dir)) throw new Error(`${dir} already holds a lab`);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} exists and is not empty; choose a new directory for the lab`);
  const ids = Array.from({ length: s.members + s.observers }, (_, i) => i + 1);
  const pairs = ids.flatMap((a) => ids.filter((b) => b !== a).map((b) => [a, b] as const));
  const ports = await allocatePorts(ids.length * 4 + pairs.length * 2);
  let next = 0;
  const take = () => ports[next++]!;
  const members: MemberPorts[] = ids.map((id) => ({
    id,
    kind: id <= s.members ? 'participant' : 'observer',
    clientPort: take(),
    quorumPort: take(),
    electionPort: take(),
    proxyClientPort: take(),
  }));
  const peerProxies: PeerProxyPorts[] = pairs.map(([from, to]) => ({ from, to, quorumPort: take(), electionPort: take() }));
  const config: LabConfig = {
    format: LAB_FORMAT,
    version: LAB_FORMAT_VERSION,
    name: s.name || dir.split('/').filter(Boolean).pop() || 'lab',
    createdAt: now,
    tickTimeMs: s.tickTimeMs,
    initLimit: s.initLimit,
    syncLimit: s.syncLimit,
    seed,
    members,
    peerProxies,
    superSecret: randomBytes(18).toString('base64url'),
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const m of members) prepareMemberDir(dir, config, m.id);
  LabStore.create(dir, config).close();
  return config;
}

/** Makes sure a member's folders and myid exist and writes its zoo.cfg from the configuration. */
export function prepareMemberDir(dir: string, config: LabConfig, id: MemberId): void {
  const dataDir = memberDataDir(dir, id);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'myid'), `${id}\n`);
  writeFileSync(memberConfigPath(dir, id), renderZooCfg(config, id, dataDir));
}

/** "Replace disk": deletes everything in the member's dataDir, then writes myid again. */
export function wipeMemberData(dir: string, config: LabConfig, id: MemberId): void {
  const dataDir = memberDataDir(dir, id);
  rmSync(dataDir, { recursive: true, force: true });
  prepareMemberDir(dir, config, id);
}
