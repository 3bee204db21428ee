/**
 * Conversions between wire values (bigint Stat, numeric perms and create modes) and the
 * LabApi's JSON shapes (hex strings, permission names, mode names). One place, used by
 * the tree browser, the subtree export/import and the cluster export.
 */
import { CONTAINER_EPHEMERAL_OWNER, CreateMode, Perms, TTL_OWNER_MASK } from '../jute/constants.js';
import type { ACL, Stat } from '../jute/records.js';
import type { AclJson, CreateModeName, PermName, StatJson } from './api.js';
import { RequestError } from './validate.js';

export function hex64(v: bigint): string {
  return '0x' + BigInt.asUintN(64, v).toString(16);
}

export function statToJson(s: Stat): StatJson {
  return {
    czxid: hex64(s.czxid),
    mzxid: hex64(s.mzxid),
    pzxid: hex64(s.pzxid),
    ctime: Number(s.ctime),
    mtime: Number(s.mtime),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: hex64(s.ephemeralOwner),
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

const PERM_BITS: [PermName, number][] = [
  ['read', Perms.READ],
  ['write', Perms.WRITE],
  ['create', Perms.CREATE],
  ['delete', Perms.DELETE],
  ['admin', Perms.ADMIN],
];

export function aclToJson(acl: readonly ACL[]): AclJson[] {
  return acl.map((a) => ({ scheme: a.id.scheme, id: a.id.id, perms: PERM_BITS.filter(([, bit]) => (a.perms & bit) !== 0).map(([n]) => n) }));
}

export function aclFromJson(acl: unknown): ACL[] {
  if (!Array.isArray(acl) || acl.length === 0) throw new RequestError('acl must be a non-empty list of {scheme, id, perms}');
  return acl.map((entry, i) => {
    const e = entry as Partial<AclJson>;
    if (typeof e?.scheme !== 'string' || typeof e.id !== 'string' || !Array.isArray(e.perms)) {
      throw new RequestError(`acl entry ${i + 1} must be {scheme, id, perms}`);
    }
    let perms = 0;
    for (const p of e.perms) {
      const bit = PERM_BITS.find(([n]) => n === p)?.[1];
      if (bit === undefined) throw new RequestError(`acl entry ${i + 1}: unknown permission ${JSON.stringify(p)} (read, write, create, delete, admin)`);
      perms |= bit;
    }
    return { perms, id: { scheme: e.scheme, id: e.id } };
  });
}

const MODES: Record<CreateModeName, CreateMode> = {
  persistent: CreateMode.PERSISTENT,
  ephemeral: CreateMode.EPHEMERAL,
  'persistent-sequential': CreateMode.PERSISTENT_SEQUENTIAL,
  'ephemeral-sequential': CreateMode.EPHEMERAL_SEQUENTIAL,
  container: CreateMode.CONTAINER,
  'persistent-ttl': CreateMode.PERSISTENT_WITH_TTL,
  'persistent-sequential-ttl': CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
};

export function createModeFromName(name: unknown): CreateMode {
  if (name === undefined || name === null) return CreateMode.PERSISTENT;
  const mode = MODES[name as CreateModeName];
  if (mode === undefined) throw new RequestError(`mode must be one of ${Object.keys(MODES).join(', ')}, not ${JSON.stringify(name)}`);
  return mode;
}

/**
 * What kind of node a Stat describes, as far as a client can tell: clients see
 * ephemeralOwner 0 for containers and TTL nodes (wire-protocol.md §10.3–10.4), so those
 * read as persistent unless the raw owner marker is known (the cluster export has it).
 */
export function modeOfOwner(ephemeralOwner: bigint): CreateModeName {
  if (ephemeralOwner === 0n) return 'persistent';
  if (ephemeralOwner === CONTAINER_EPHEMERAL_OWNER) return 'container';
  if ((BigInt.asUintN(64, ephemeralOwner) & TTL_OWNER_MASK) === TTL_OWNER_MASK) return 'persistent-ttl';
  return 'ephemeral';
}

export function dataToJson(data: Buffer | null): { dataBase64: string | null; dataUtf8: string | null } {
  if (data === null) return { dataBase64: null, dataUtf8: null };
  const text = data.toString('utf8');
  const valid = Buffer.from(text, 'utf8').equals(data);
  return { dataBase64: data.toString('base64'), dataUtf8: valid ? text : null };
}

export function dataFromBase64(v: unknown, key = 'dataBase64'): Buffer | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new RequestError(`${key} must be base64 text or null`);
  return Buffer.from(v, 'base64');
}
