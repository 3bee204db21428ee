/**
 * Command-line flags of `npm run bench -- <flags>`. Defaults give the full standalone
 * run (about 10 minutes); --quick and --only make it shorter.
 */
import type { ServerKind } from './servers/bench-server.js';

export const OPS = ['create', 'set', 'get', 'exists', 'mix', 'delete'] as const;
export type Op = (typeof OPS)[number];

export const STANDALONE_SUITES = ['ops', 'watch', 'sessions', 'memory', 'slowdisk', 'loadgen'] as const;
export type SuiteName = (typeof STANDALONE_SUITES)[number] | 'ensemble';

/** --only words that select operations of the ops suite rather than whole suites. */
const OP_GROUPS: Record<string, readonly Op[]> = {
  ops: OPS,
  reads: ['get', 'exists'],
  writes: ['create', 'set', 'delete'],
  create: ['create'],
  set: ['set'],
  get: ['get'],
  exists: ['exists'],
  mix: ['mix'],
  // Deletes remove what the create run of the same round made.
  delete: ['create', 'delete'],
};

export interface BenchOptions {
  suites: SuiteName[];
  ops: Op[];
  servers: ServerKind[];
  quick: boolean;
  rounds: number;
  /** Measured seconds per run (after the warm-up). */
  seconds: number;
  warmupMs: number;
  /** Load-generator processes. */
  workers: number;
  /** The throughput shape: sessions × in flight per session. */
  sessions: number;
  inFlight: number;
  watchers: number;
  /** setData → events measurements per round of the watch fan-out. */
  fires: number;
  /** Concurrent connect+close loops. */
  churnLoops: number;
  /** Tree sizes for RSS and restart (cumulative: the tree grows from one to the next). */
  znodes: number[];
  restarts: number;
  slowFsyncMs: number;
  loadgenChildren: number;
  /** Update docs/benchmarks.md (default: on for full standalone runs, off otherwise). */
  writeDocs: boolean;
  json: string | null;
  /** Node flags for our member (e.g. --max-semi-space-size=1). */
  memberNodeArgs: string[];
  argv: string[];
}

export const USAGE = `usage: npm run bench -- [flags]

  --suite standalone|ensemble   which benchmark (default standalone; ensemble: 3 members each)
  --only a,b,...                suites: ${STANDALONE_SUITES.join(', ')};
                                or ops: reads, writes, mix, create, set, get, exists, delete
  --servers zoolab,apache       measure only these (default both)
  --quick                       1 round, 1 s runs, 100 000 znodes only: a smoke run of a minute or two
  --rounds N                    rounds per measurement, medians reported (default 3)
  --seconds S                   measured seconds per run (default 2)
  --workers N                   load generator processes (default 2)
  --znodes 100000,1000000       tree sizes for RSS and restart
  --watchers N                  watcher sessions for the fan-out (default 1000)
  --slow-fsync-ms N             simulated fsync for the slow-disk run (default 5)
  --member-node-args "..."      node flags for our member (default none)
  --write-docs / --no-write-docs   update docs/benchmarks.md (default: only for a full run)
  --json FILE                   also write every sample as JSON`;

function fail(msg: string): never {
  throw new Error(`${msg}\n\n${USAGE}`);
}

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n <= 0) fail(`--${name} needs a positive number, got ${v}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) fail(`unexpected argument ${a}`);
    const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const boolean = ['quick', 'write-docs', 'no-write-docs', 'help'].includes(key);
    if (boolean) flags.set(key, true);
    else {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`--${key} needs a value`);
      flags.set(key, v);
    }
  }
  const known = ['suite', 'only', 'servers', 'quick', 'rounds', 'seconds', 'workers', 'znodes', 'watchers', 'slow-fsync-ms', 'member-node-args', 'write-docs', 'no-write-docs', 'json', 'help'];
  for (const k of flags.keys()) if (!known.includes(k)) fail(`unknown flag --${k}`);
  if (flags.has('help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const str = (k: string) => (typeof flags.get(k) === 'string' ? (flags.get(k) as string) : undefined);

  const quick = flags.has('quick');
  const suiteKind = str('suite') ?? 'standalone';
  if (suiteKind !== 'standalone' && suiteKind !== 'ensemble') fail(`--suite must be standalone or ensemble, not ${suiteKind}`);

  let suites: SuiteName[] = suiteKind === 'ensemble' ? ['ensemble'] : [...STANDALONE_SUITES];
  let ops: Op[] = [...OPS];
  const only = str('only');
  if (only !== undefined) {
    const words = only.split(',').map((w) => w.trim()).filter(Boolean);
    const chosenOps = new Set<Op>();
    const chosenSuites = new Set<SuiteName>();
    for (const w of words) {
      if (OP_GROUPS[w]) {
        OP_GROUPS[w].forEach((o) => chosenOps.add(o));
        chosenSuites.add('ops');
      } else if ((STANDALONE_SUITES as readonly string[]).includes(w)) chosenSuites.add(w as SuiteName);
      else fail(`--only: unknown word ${w}`);
    }
    if (suiteKind === 'standalone') suites = STANDALONE_SUITES.filter((s) => chosenSuites.has(s));
    if (chosenOps.size > 0) ops = OPS.filter((o) => chosenOps.has(o));
  }

  const servers = (str('servers') ?? 'zoolab,apache').split(',').map((s) => s.trim());
  for (const s of servers) if (s !== 'zoolab' && s !== 'apache') fail(`--servers: unknown server ${s}`);

  const znodes = (str('znodes') ?? (quick ? '100000' : '100000,1000000')).split(',').map((z) => positive('znodes', z));
  for (let i = 1; i < znodes.length; i++) if (znodes[i]! <= znodes[i - 1]!) fail('--znodes must increase (the tree grows from one size to the next)');

  const full = !quick && only === undefined && suiteKind === 'standalone' && servers.length === 2 && str('rounds') === undefined && str('seconds') === undefined;
  return {
    suites,
    ops,
    servers: servers as ServerKind[],
    quick,
    rounds: str('rounds') ? positive('rounds', str('rounds')) : quick ? 1 : 3,
    seconds: str('seconds') ? positive('seconds', str('seconds')) : quick ? 1 : 2,
    warmupMs: quick ? 300 : 500,
    workers: str('workers') ? positive('workers', str('workers')) : 2,
    sessions: 4,
    inFlight: 100,
    watchers: str('watchers') ? positive('watchers', str('watchers')) : 1000,
    fires: quick ? 3 : 5,
    churnLoops: 16,
    znodes,
    restarts: quick ? 1 : 3,
    slowFsyncMs: str('slow-fsync-ms') ? positive('slow-fsync-ms', str('slow-fsync-ms')) : 5,
    loadgenChildren: quick ? 5000 : 20000,
    writeDocs: flags.has('no-write-docs') ? false : flags.has('write-docs') ? true : full,
    json: str('json') ?? null,
    memberNodeArgs: (str('member-node-args') ?? '').split(' ').filter(Boolean),
    argv,
  };
}
