/**
 * The seeded generator of differential operation sequences. It works offline (it never
 * sees a server's answers), so a seed alone determines the sequence; a rough model of
 * which nodes probably exist only biases the choices towards interesting cases.
 * Every candidate op is first offered to the intended-differences list, which vetoes
 * the ones where Apache ZooKeeper 3.8 is known to be wrong (see intended-differences.ts).
 */
import { Prng } from '../lib/prng.js';
import { avoidedBy } from '../intended-differences.js';
import type { WatchLists } from '../../helpers/raw-ops.js';
import type { AclSpec, DataSpec, GenOp, MultiSpec } from './ops.js';

export interface GenConfig {
  seed: number;
  /** The run's private subtree, e.g. `/d17`; created by the runner before op 0. */
  base: string;
  ops: number;
  slots: number;
}

/** What the generator remembers about each slot's connection, for the vetoes. */
export interface SlotWatchState {
  /** Paths on which this connection may hold a standard (one-shot) watch. */
  standard: Set<string>;
  /** Paths on which this connection holds persistent watches, with their addWatch modes (0, 1). */
  persistent: Map<string, Set<number>>;
}

export interface GenContext {
  slots: SlotWatchState[];
  /** Sessions closed so far, per slot (resumeClosed needs one). */
  closedSessions: number[];
}

const NAMES = ['a', 'b', 'c'];
const SEQ_PREFIX = 'q-';
const seqName = (n: number): string => SEQ_PREFIX + String(n).padStart(10, '0');

/**
 * A rough model of the tree the sequence builds, only to bias choices towards nodes
 * that exist (so most ops do real work). It guesses the outcome of each op without
 * ACLs or races in mind; being wrong only makes an op fail, which is also worth testing.
 */
class TreeModel {
  /** path → owning slot for ephemerals (null for other nodes) and the child-create counter (§10.2). */
  readonly nodes = new Map<string, { ephemeralSlot: number | null; creates: number }>();

  constructor(readonly base: string) {
    this.nodes.set(base, { ephemeralSlot: null, creates: 0 });
  }

  static parent(p: string): string {
    return p.slice(0, p.lastIndexOf('/'));
  }

  /** Records a create that probably succeeds; returns the (predicted) created path. */
  create(path: string, flags: number, slot: number): void {
    const parent = this.nodes.get(TreeModel.parent(path));
    if (!parent || parent.ephemeralSlot !== null) return;
    const sequential = flags === 2 || flags === 3 || flags === 6;
    const name = sequential ? path + String(parent.creates).padStart(10, '0') : path;
    if (this.nodes.has(name)) return;
    parent.creates++;
    this.nodes.set(name, { ephemeralSlot: flags === 1 || flags === 3 ? slot : null, creates: 0 });
  }

  delete(path: string): void {
    if (!path.startsWith(this.base + '/')) return;
    for (const p of [...this.nodes.keys()]) if (p === path || p.startsWith(path + '/')) this.nodes.delete(p);
  }

  closeSession(slot: number): void {
    for (const [p, n] of [...this.nodes]) if (n.ephemeralSlot === slot) this.nodes.delete(p);
  }

  paths(): string[] {
    return [...this.nodes.keys()].sort();
  }
}

class PathChooser {
  constructor(
    private readonly rng: Prng,
    private readonly base: string,
    readonly model: TreeModel,
  ) {}

  /** A path under the base, 1–4 levels deep; usually a new child of a node that probably exists. */
  fresh(): string {
    const parents = [...this.model.nodes].filter(([p, n]) => n.ephemeralSlot === null && p.split('/').length <= 5).map(([p]) => p);
    if (this.rng.chance(0.75)) return `${this.rng.pick(parents)}/${this.rng.pick(NAMES)}`;
    const depth = this.rng.pick([1, 1, 2, 2, 2, 3]);
    let p = this.base;
    for (let i = 0; i < depth; i++) p += '/' + (this.rng.chance(0.15) ? seqName(this.rng.int(4)) : this.rng.pick(NAMES));
    return p;
  }

  /** Mostly a node that probably exists, sometimes any candidate. */
  existing(): string {
    const known = this.model.paths().filter((p) => p !== this.base);
    if (known.length > 0 && this.rng.chance(0.75)) return this.rng.pick(known);
    return this.rng.chance(0.3) ? this.base : this.fresh();
  }

  /** A path for reads/writes, occasionally a reserved or malformed one (§8). */
  any(): string {
    if (this.rng.chance(0.07)) return this.special();
    return this.rng.chance(0.5) ? this.existing() : this.fresh();
  }

  special(): string {
    const b = this.base;
    return this.rng.pick([
      b,
      '/',
      '/zookeeper',
      '/zookeeper/config',
      '/zookeeper/quota',
      'rel',
      '',
      `${b}/a/`,
      `${b}//a`,
      `${b}/./a`,
      `${b}/a/..`,
      `${b}/x\u0000y`,
      `${b}/\u{1F600}`,
      `${b}/sp ace`,
      `${b}/é`,
      `${b}/...`,
    ]);
  }

}

/** The create mode rules of §8.3 steps 1–4, roughly: enough to guess whether a create makes a node. */
function createProbablySucceeds(opcode: number, flags: number, acl: AclSpec, ttl: bigint | undefined): boolean {
  if (flags < 0 || flags > 6) return false;
  if (!['open', 'read', 'digestAlice', 'digestBobRead', 'ip'].includes(acl)) return false;
  const ttlMode = flags === 5 || flags === 6;
  if (opcode === 21) return ttlMode && ttl !== undefined && ttl > 0n && ttl < 1n << 40n;
  return !ttlMode;
}

const VERSIONS = { '-1': 5, '0': 3, '1': 2, '2': 1, '7': 1 } as const;

class Generator {
  private readonly rng: Prng;
  private readonly paths: PathChooser;
  readonly ctx: GenContext;

  constructor(private readonly cfg: GenConfig) {
    this.rng = new Prng(cfg.seed);
    this.paths = new PathChooser(this.rng, cfg.base, new TreeModel(cfg.base));
    this.ctx = {
      slots: Array.from({ length: cfg.slots }, () => ({ standard: new Set<string>(), persistent: new Map<string, Set<number>>() })),
      closedSessions: Array.from({ length: cfg.slots }, () => 0),
    };
  }

  run(): GenOp[] {
    const out: GenOp[] = [];
    while (out.length < this.cfg.ops) {
      const op = this.candidate(this.rng.int(this.cfg.slots));
      if (!op || this.vetoed(op)) continue;
      this.remember(op);
      out.push(op);
    }
    return out;
  }

  private vetoed(op: GenOp): boolean {
    if (op.k === 'burst') return op.ops.some((o) => avoidedBy(o, this.ctx) !== null);
    return avoidedBy(op, this.ctx) !== null;
  }

  private version(): number {
    return Number(this.rng.weighted(VERSIONS));
  }

  private data(): DataSpec {
    const k = this.rng.weighted({ nul: 1, empty: 1, small: 8, big: 0.5 });
    if (k === 'nul') return null;
    if (k === 'empty') return '';
    if (k === 'big') return 'x'.repeat(3000);
    return `v${this.rng.int(100)}`;
  }

  private acl(): AclSpec {
    return this.rng.weighted<AclSpec>({
      open: 14,
      read: 1,
      digestAlice: 2,
      digestBobRead: 1,
      authAll: 1,
      ip: 0.5,
      empty: 0.3,
      badWorld: 0.3,
      badIp: 0.3,
      unknownScheme: 0.3,
      noColonDigest: 0.3,
    });
  }

  private createOp(slot: number): GenOp {
    const flags = Number(this.rng.weighted({ '0': 6, '1': 3, '2': 2, '3': 2, '4': 1, '5': 1, '6': 1, '7': 0.15, '-1': 0.1 }));
    let opcode: number;
    if (flags === 5 || flags === 6) opcode = this.rng.chance(0.9) ? 21 : this.rng.pick([1, 15]);
    else if (flags === 4) opcode = this.rng.chance(0.7) ? 19 : this.rng.pick([1, 15]);
    else opcode = Number(this.rng.weighted({ '1': 10, '15': 8, '19': 1, '21': 1 }));
    const seq = flags === 2 || flags === 3 || flags === 6;
    const path = seq ? this.paths.existing() + '/' + SEQ_PREFIX : this.rng.chance(0.04) ? this.paths.special() : this.paths.fresh();
    const op: GenOp = { k: 'create', slot, path, data: this.data(), acl: this.acl(), flags, opcode };
    if (opcode === 21) op.ttl = this.rng.pick([1000n, 60_000n, 60_000n, 0n, -5n, -1n, 1n << 40n, (1n << 40n) - 1n]);
    return op;
  }

  /** A multi that should commit: valid creates under existing nodes, then checks/sets/deletes of what exists. */
  private likelyMulti(): MultiSpec[] {
    const ops: MultiSpec[] = [];
    const n = this.rng.range(1, 4);
    const created: string[] = [];
    for (let i = 0; i < n; i++) {
      const kind = this.rng.weighted({ create: 3, setData: 2, check: 2, deleteCreated: created.length ? 2 : 0 });
      if (kind === 'create') {
        const flags = this.rng.pick([0, 0, 1, 2, 3]);
        const path = flags >= 2 ? `${this.paths.existing()}/${SEQ_PREFIX}` : this.paths.fresh();
        ops.push({ op: 'create', path, data: this.data(), acl: 'open', flags, type: this.rng.pick([1, 15]) });
        if (flags < 2) created.push(path);
      } else if (kind === 'deleteCreated') {
        ops.push({ op: 'delete', path: created.pop()!, version: -1 });
      } else if (kind === 'setData') {
        ops.push({ op: 'setData', path: this.paths.existing(), data: this.data(), version: -1 });
      } else {
        ops.push({ op: 'check', path: this.paths.existing(), version: this.rng.chance(0.8) ? -1 : 0 });
      }
    }
    return ops;
  }

  private multiSpec(read: boolean): MultiSpec[] {
    if (!read && this.rng.chance(0.5)) return this.likelyMulti();
    const n = read ? this.rng.range(1, 4) : this.rng.weighted({ '0': 0.3, '1': 2, '2': 3, '3': 3, '4': 2 }) === '0' ? 0 : this.rng.range(1, 4);
    const ops: MultiSpec[] = [];
    for (let i = 0; i < n; i++) {
      const wrongKind = this.rng.chance(0.04);
      if (read !== wrongKind) {
        ops.push(this.rng.chance(0.5) ? { op: 'getData', path: this.paths.any() } : { op: 'getChildren', path: this.paths.any() });
        continue;
      }
      const kind = this.rng.weighted({ create: 4, delete: 2, setData: 2, check: 2 });
      if (kind === 'create') {
        const c = this.createOp(0) as Extract<GenOp, { k: 'create' }>;
        // Inside multi the header type and the flags decide the mode (§9, §14.1).
        const type = c.opcode === 21 ? 21 : this.rng.weighted({ '1': 5, '15': 3, '19': 1 }) === '1' ? 1 : this.rng.pick([15, 19]);
        ops.push({ op: 'create', path: c.path, data: c.data, acl: c.acl, flags: c.flags, type, ...(c.ttl !== undefined ? { ttl: c.ttl } : {}) });
      } else if (kind === 'delete') ops.push({ op: 'delete', path: this.paths.existing(), version: this.version() });
      else if (kind === 'setData') ops.push({ op: 'setData', path: this.paths.existing(), data: this.data(), version: this.version() });
      else ops.push({ op: 'check', path: this.paths.existing(), version: this.version() });
    }
    return ops;
  }

  private watchLists(): WatchLists {
    const some = (): string[] => Array.from({ length: this.rng.int(3) }, () => this.paths.any()).filter((p) => p !== '');
    const lists = { dataWatches: some(), existWatches: some(), childWatches: some() };
    if (this.rng.chance(0.4)) return { ...lists, persistentWatches: some(), persistentRecursiveWatches: some() };
    return lists;
  }

  private simple(slot: number): GenOp {
    const k = this.rng.weighted({ create: 4, setData: 2, getData: 2, exists: 2, delete: 2, getChildren: 1 });
    if (k === 'create') return this.createOp(slot);
    if (k === 'setData') return { k, slot, path: this.paths.existing(), data: this.data(), version: this.version() };
    if (k === 'delete') return { k, slot, path: this.paths.existing(), version: this.version() };
    return { k, slot, path: this.paths.existing(), watch: false };
  }

  private candidate(slot: number): GenOp | null {
    const kind = this.rng.weighted({
      create: 16,
      delete: 6,
      setData: 7,
      read: 14,
      getACL: 2,
      setACL: 3,
      addWatch: 3,
      removeWatches: 2,
      checkWatches: 1,
      multi: 5,
      multiRead: 2,
      getEphemerals: 1.5,
      getAllChildrenNumber: 1.5,
      sync: 1,
      auth: 2,
      whoAmI: 1,
      closeSession: 0.8,
      reconnect: 2,
      resumeClosed: 0.5,
      connectAhead: 0.3,
      burst: 2,
      truncated: 0.7,
      unknownOpcode: 0.3,
    });
    const p = this.paths;
    switch (kind) {
      case 'create':
        return this.createOp(slot);
      case 'delete':
        return { k: 'delete', slot, path: this.rng.chance(0.9) ? p.existing() : p.special(), version: this.version() };
      case 'setData':
        return { k: 'setData', slot, path: this.rng.chance(0.95) ? p.existing() : p.special(), data: this.data(), version: this.version() };
      case 'read': {
        const k = this.rng.pick(['exists', 'getData', 'getChildren', 'getChildren2'] as const);
        return { k, slot, path: p.any(), watch: this.rng.chance(0.6) };
      }
      case 'getACL':
        return { k: 'getACL', slot, path: p.any() };
      case 'setACL':
        return { k: 'setACL', slot, path: p.existing(), acl: this.acl(), version: this.version() };
      case 'addWatch':
        return { k: 'addWatch', slot, path: this.rng.chance(0.3) ? this.cfg.base : p.any(), mode: this.rng.chance(0.04) ? 2 : this.rng.int(2) };
      case 'removeWatches':
      case 'checkWatches':
        // 0 and 7 are invalid everywhere (MarshallingError); 4 and 5 are 3.9-only (see intended-differences.ts).
        return { k: kind, slot, path: p.any(), type: this.rng.chance(0.05) ? this.rng.pick([0, 7]) : this.rng.range(1, 3) };
      case 'multi':
        return { k: 'multi', slot, ops: this.multiSpec(false) };
      case 'multiRead':
        return { k: 'multiRead', slot, ops: this.multiSpec(true) };
      case 'getEphemerals':
        return { k: 'getEphemerals', slot, prefix: this.rng.pick([null, '', '/', this.cfg.base, `${this.cfg.base}/a`, `${this.cfg.base}/b/q`, `${this.cfg.base}/zz`]) };
      case 'getAllChildrenNumber':
        return { k: 'getAllChildrenNumber', slot, path: this.rng.chance(0.2) ? this.cfg.base : p.any() };
      case 'sync':
        return { k: 'sync', slot, path: p.any() };
      case 'auth': {
        const [scheme, credentials] = this.rng.pick([
          ['digest', 'alice:secret'],
          ['digest', 'alice:secret'],
          ['digest', 'bob:pw'],
          ['digest', 'bob:pw'],
          ['digest', 'super:superpw'],
          ['digest', 'super:wrong'],
          ['digest', 'nocolon'],
          ['ip', '127.0.0.1'],
          ['foo', 'bar'],
        ] as const);
        return { k: 'auth', slot, scheme, credentials };
      }
      case 'whoAmI':
        return { k: 'whoAmI', slot };
      case 'closeSession':
        return { k: 'closeSession', slot };
      case 'reconnect':
        return {
          k: 'reconnect',
          slot,
          watches: this.watchLists(),
          relativeZxid: this.rng.chance(0.8) ? 'last' : 'zero',
          readOnly: this.rng.weighted({ f: 6, omit: 2, t: 1 }) === 'f' ? false : this.rng.chance(0.66) ? 'omit' : true,
        };
      case 'resumeClosed':
        return this.ctx.closedSessions[slot] > 0 ? { k: 'resumeClosed', slot } : null;
      case 'connectAhead':
        return { k: 'connectAhead', slot };
      case 'burst':
        return { k: 'burst', slot, ops: Array.from({ length: this.rng.range(2, 5) }, () => this.simple(slot)) };
      case 'truncated':
        return { k: 'truncated', slot, opcode: this.rng.pick([1, 2, 3, 4, 5, 7, 8, 15, 106]), path: p.existing(), keepBytes: this.rng.range(0, 9) };
      case 'unknownOpcode':
        return { k: 'unknownOpcode', slot, opcode: this.rng.pick([0, 10, 99, 108, 200, -3]) };
    }
  }

  /** Updates the model and the per-connection watch memory after an op is accepted. */
  private remember(op: GenOp): void {
    if (op.k === 'burst') return op.ops.forEach((o) => this.remember(o));
    const s = this.ctx.slots[op.slot];
    switch (op.k) {
      case 'create':
        if (createProbablySucceeds(op.opcode, op.flags, op.acl, op.ttl)) this.paths.model.create(op.path, op.flags, op.slot);
        break;
      case 'delete':
        this.paths.model.delete(op.path);
        break;
      case 'exists':
      case 'getData':
      case 'getChildren':
      case 'getChildren2':
        if (op.watch) s.standard.add(op.path);
        break;
      case 'addWatch':
        s.persistent.set(op.path, new Set([...(s.persistent.get(op.path) ?? []), op.mode]));
        break;
      case 'closeSession':
        // The connection ends, and with it every watch it held (§12.3).
        this.ctx.closedSessions[op.slot]++;
        this.paths.model.closeSession(op.slot);
        this.ctx.slots[op.slot] = { standard: new Set(), persistent: new Map() };
        break;
      case 'reconnect': {
        const w = op.watches;
        this.ctx.slots[op.slot] = {
          standard: new Set([...(w.dataWatches ?? []), ...(w.existWatches ?? []), ...(w.childWatches ?? [])]),
          persistent: new Map([...(w.persistentWatches ?? []).map((p) => [p, new Set([0])] as const), ...(w.persistentRecursiveWatches ?? []).map((p) => [p, new Set([1])] as const)]),
        };
        break;
      }
      case 'multi':
        // A multi applies all or nothing; guess "all" only for the small ones.
        if (op.ops.length <= 2) {
          for (const m of op.ops) {
            if (m.op === 'create' && createProbablySucceeds(m.type, m.flags, m.acl, m.ttl)) this.paths.model.create(m.path, m.flags, op.slot);
            if (m.op === 'delete') this.paths.model.delete(m.path);
          }
        }
        break;
      default:
        break;
    }
  }
}

export function generate(cfg: GenConfig): GenOp[] {
  return new Generator(cfg).run();
}
