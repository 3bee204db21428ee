/**
 * Steps that act as ZooKeeper clients: open and close sessions, create / set / delete /
 * read with or without watches, persistent watches, sync, multi, a small write workload,
 * and the two ways a session ends without a goodbye (severed until it times out, or taken
 * over and closed: "expire it now", as Curator's KillSession does).
 */
import { ZkClient, ZkMultiError, parsePerms, type Op } from '../../client/index.js';
import { counterOf, epochOf, hex } from '../../jute/zxid.js';
import { ScenarioClient } from '../clients.js';
import { defineAction, type AnyActionDef, type RunContext } from '../context.js';
import { any, arrayOf, bool, int, member, objectOf, oneOf, opt, path, str } from '../schema.js';
import { join, same, t } from '../text.js';
import { display } from '../values.js';
import { CREATE_MODES, MODE_FLAGS, dataText, savedStat, withDeadline } from './zk-ops.js';

const clientName = () => str({ what: 'a client name', pattern: /^[A-Za-z][\w-]*$/, templates: false });
const timeout = () => opt(int(100, 120_000));

function asData(v: unknown): string | null {
  if (v === undefined) return '';
  if (v === null) return null;
  return typeof v === 'string' ? v : display(v);
}

/** Which member the client is talking to right now (from the proxy port it is connected through). */
function connectedMember(c: ScenarioClient): number | null {
  return c.connectedMember ?? c.member;
}

function noteWrite(ctx: RunContext, c: ScenarioClient, path: string, zxid: bigint, data: string | null): void {
  if (zxid > c.lastWriteZxid) c.lastWriteZxid = zxid;
  ctx.safety.observeAckedWrite({ client: c.name, path, zxid, member: connectedMember(c), at: ctx.now(), data });
}

export async function openClient(ctx: RunContext, name: string, memberSel: number | string | null | undefined, sessionTimeoutMs?: number, readOnly = false, hosts?: (number | string)[]): Promise<ScenarioClient> {
  const memberId = memberSel === null || memberSel === undefined ? null : await ctx.member(memberSel);
  let connectString = await ctx.lab.connectStringFor(memberId);
  if (hosts && hosts.length > 0) {
    // Several members, tried in the order given (the client does not shuffle them).
    const parts: string[] = [];
    for (const h of hosts) parts.push(await ctx.lab.connectStringFor(await ctx.member(h)));
    connectString = parts.join(',');
  }
  const status = await ctx.lab.status();
  const ports = new Map(status.members.map((m) => [m.proxyClientPort, m.id] as const));
  const c = await ctx.clients.open(
    { name, member: memberId, connectString, sessionTimeoutMs: sessionTimeoutMs ?? ctx.defaultSessionTimeoutMs, canBeReadOnly: readOnly, memberOfPort: (port) => ports.get(port) ?? null },
    Math.max(15_000, (sessionTimeoutMs ?? ctx.defaultSessionTimeoutMs) * 2),
  );
  c.onState(() => ctx.poke());
  return c;
}

const open = defineAction({
  name: 'client.open',
  params: { name: clientName(), member: opt(member()), members: opt(arrayOf(member(), { min: 1 })), sessionTimeoutMs: opt(int(1, 600_000)), readOnly: opt(bool()) },
  describe: (p) =>
    p.members !== undefined
      ? t('action.client.open', { client: p.name, member: p.members.join(', ') })
      : p.member === undefined
        ? t('action.client.openAny', { client: p.name })
        : t('action.client.open', { client: p.name, member: p.member }),
  async run(ctx, p) {
    const c = await openClient(ctx, p.name, p.member, p.sessionTimeoutMs, p.readOnly, p.members);
    const value = { sessionId: c.zk.sessionId, timeoutMs: c.zk.negotiatedTimeout, requestedMs: p.sessionTimeoutMs ?? ctx.defaultSessionTimeoutMs, member: c.member };
    return { value, result: t('result.client.open', { session: hex(c.zk.sessionId), timeout: c.zk.negotiatedTimeout }) };
  },
});

const close = defineAction({
  name: 'client.close',
  params: { name: clientName() },
  describe: (p) => t('action.client.close', { client: p.name }),
  async run(ctx, p) {
    ctx.client(p.name);
    await ctx.clients.close(p.name);
  },
});

const sever = defineAction({
  name: 'client.sever',
  params: { name: clientName() },
  describe: (p) => t('action.client.sever', { client: p.name }),
  async run(ctx, p) {
    ctx.client(p.name).sever();
  },
});

const restore = defineAction({
  name: 'client.restore',
  params: { name: clientName() },
  describe: (p) => t('action.client.restore', { client: p.name }),
  async run(ctx, p) {
    ctx.client(p.name).restore();
  },
});

/** Waits for the lab to report that the server ended `sessionId` (closed or expired). */
async function waitSessionEnded(ctx: RunContext, sessionId: bigint, afterSeq: number, timeoutMs: number): Promise<boolean> {
  const id = hex(sessionId);
  const ended = () =>
    ctx.lab.events(afterSeq).some((e) => e.body.kind === 'protocol' && (e.body.event.kind === 'session-closed' || e.body.event.kind === 'session-expired') && (e.body.event as { sessionId: string }).sessionId === id);
  const deadline = ctx.now() + timeoutMs;
  while (!ended()) {
    if (ctx.now() > deadline) return false;
    await ctx.sleep(50);
  }
  return true;
}

const expire = defineAction({
  name: 'session.expire',
  params: { client: clientName(), timeoutMs: timeout() },
  describe: (p) => t('action.session.expire', { client: p.client }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const sessionId = c.zk.sessionId;
    const started = ctx.now();
    const afterSeq = ctx.lab.lastSeq;
    c.sever();
    const ended = await waitSessionEnded(ctx, sessionId, afterSeq, p.timeoutMs ?? c.zk.negotiatedTimeout * 3 + 5000);
    c.restore();
    if (!ended) throw new Error(`the server did not end session ${hex(sessionId)} within the wait`);
    const elapsedMs = ctx.now() - started;
    // The client learns it on reconnect (§13.2): wait for it to say so.
    const learnt = ctx.now() + 10_000;
    while (c.state !== 'expired' && ctx.now() < learnt) await ctx.sleep(50);
    return { value: { sessionId, elapsedMs, timeoutMs: c.zk.negotiatedTimeout, clientState: c.state }, result: t('result.session.expire', { ms: elapsedMs, timeout: c.zk.negotiatedTimeout }) };
  },
});

const kill = defineAction({
  name: 'session.kill',
  params: { client: clientName() },
  describe: (p) => t('action.session.kill', { client: p.client }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const sessionId = c.zk.sessionId;
    // Curator's KillSession / kazoo's expire_session: a second connection takes the session over and closes it.
    const connectString = await ctx.lab.connectStringFor(c.member);
    const twin = new ZkClient({ connectString, sessionId, sessionPassword: c.zk.sessionPassword, sessionTimeout: c.zk.negotiatedTimeout || ctx.defaultSessionTimeoutMs });
    try {
      await twin.connect(15_000);
    } finally {
      await twin.close().catch(() => undefined);
    }
    const learnt = ctx.now() + 10_000;
    while (c.state !== 'expired' && ctx.now() < learnt) await ctx.sleep(50);
    return { value: { sessionId, clientState: c.state } };
  },
});

const create = defineAction({
  name: 'create',
  params: { client: clientName(), path: path(), data: opt(any()), mode: opt(oneOf(CREATE_MODES)), ttlMs: opt(int(1)), timeoutMs: timeout() },
  describe: (p) => t('action.create', { client: p.client, path: p.path, mode: p.mode ?? 'persistent', data: p.data === undefined ? '' : ` ${display(p.data)}` }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const data = asData(p.data);
    const started = ctx.now();
    const r = await withDeadline(ctx, c, c.zk.createWithStat(p.path, data, { mode: MODE_FLAGS[p.mode ?? 'persistent'], ttl: p.ttlMs }), p.timeoutMs);
    noteWrite(ctx, c, r.path, r.stat.czxid, data);
    const value = { path: r.path, name: r.path.slice(r.path.lastIndexOf('/') + 1), stat: savedStat(r.stat), zxidEpoch: epochOf(r.stat.czxid), zxidCounter: counterOf(r.stat.czxid), elapsedMs: ctx.now() - started, at: ctx.now() };
    return { value, result: t('result.create', { path: r.path, zxid: hex(r.stat.czxid) }) };
  },
});

const set = defineAction({
  name: 'set',
  params: { client: clientName(), path: path(), data: any(), version: opt(int(-1)), timeoutMs: timeout() },
  describe: (p) => t('action.set', { client: p.client, path: p.path, data: display(p.data), version: p.version ?? -1 }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const data = asData(p.data);
    const started = ctx.now();
    const stat = await withDeadline(ctx, c, c.zk.setData(p.path, data, p.version ?? -1), p.timeoutMs);
    noteWrite(ctx, c, p.path, stat.mzxid, data);
    const value = { stat: savedStat(stat), zxidEpoch: epochOf(stat.mzxid), zxidCounter: counterOf(stat.mzxid), elapsedMs: ctx.now() - started, at: ctx.now() };
    return { value, result: t('result.set', { version: stat.version, zxid: hex(stat.mzxid) }) };
  },
});

/** setACL with world:anyone and the given permissions (`cdrwa` letters, as zkCli writes them). */
const setAcl = defineAction({
  name: 'set-acl',
  params: { client: clientName(), path: path(), perms: str({ pattern: /^[cdrwa]+$/, what: 'permission letters from cdrwa' }), version: opt(int(-1)), timeoutMs: timeout() },
  describe: (p) => t('action.setAcl', { client: p.client, path: p.path, perms: p.perms }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const stat = await withDeadline(ctx, c, c.zk.setACL(p.path, [{ perms: parsePerms(p.perms), id: { scheme: 'world', id: 'anyone' } }], p.version ?? -1), p.timeoutMs);
    return { value: { stat: savedStat(stat) }, result: t('result.setAcl', { aversion: stat.aversion }) };
  },
});

const del = defineAction({
  name: 'delete',
  params: { client: clientName(), path: path(), version: opt(int(-1)), recursive: opt(bool()), timeoutMs: timeout() },
  describe: (p) => t(p.recursive ? 'action.delete.recursive' : 'action.delete', { client: p.client, path: p.path }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    await withDeadline(ctx, c, p.recursive ? c.zk.deleteRecursive(p.path) : c.zk.delete(p.path, p.version ?? -1), p.timeoutMs);
  },
});

const get = defineAction({
  name: 'get',
  params: { client: clientName(), path: path(), watch: opt(bool()), timeoutMs: timeout() },
  describe: (p) => t(p.watch ? 'action.get.watch' : 'action.get', { client: p.client, path: p.path }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const r = await withDeadline(ctx, c, c.zk.getData(p.path, p.watch ? { watch: c.watcher('getData', p.path) } : {}), p.timeoutMs);
    ctx.safety.observeRead({ client: c.name, path: p.path, mzxid: r.stat.mzxid, member: connectedMember(c), at: ctx.now() });
    const data = dataText(r.data);
    return { value: { data, stat: savedStat(r.stat), member: connectedMember(c) }, result: t('result.get', { data: data === null ? 'null' : JSON.stringify(data), version: r.stat.version }) };
  },
});

const exists = defineAction({
  name: 'exists',
  params: { client: clientName(), path: path(), watch: opt(bool()), timeoutMs: timeout() },
  describe: (p) => t(p.watch ? 'action.exists.watch' : 'action.exists', { client: p.client, path: p.path }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const stat = await withDeadline(ctx, c, c.zk.exists(p.path, p.watch ? { watch: c.watcher('exists', p.path) } : {}), p.timeoutMs);
    ctx.safety.observeRead({ client: c.name, path: p.path, mzxid: stat?.mzxid ?? -1n, member: connectedMember(c), at: ctx.now() });
    return { value: { exists: stat !== null, stat: stat ? savedStat(stat) : null }, result: t(stat ? 'result.exists.yes' : 'result.exists.no') };
  },
});

const children = defineAction({
  name: 'children',
  params: { client: clientName(), path: path(), watch: opt(bool()), timeoutMs: timeout() },
  describe: (p) => t(p.watch ? 'action.children.watch' : 'action.children', { client: p.client, path: p.path }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const names = await withDeadline(ctx, c, c.zk.getChildren(p.path, p.watch ? { watch: c.watcher('getChildren', p.path) } : {}), p.timeoutMs);
    const sorted = [...names].sort();
    return { value: { children: sorted, count: sorted.length }, result: same(`[${sorted.join(', ')}]`) };
  },
});

const watch = defineAction({
  name: 'watch',
  params: { client: clientName(), path: path(), mode: oneOf(['persistent', 'persistent-recursive'] as const) },
  describe: (p) => t(p.mode === 'persistent' ? 'action.watch.persistent' : 'action.watch.recursive', { client: p.client, path: p.path }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    await withDeadline(ctx, c, c.zk.addWatch(p.path, c.watcher(p.mode, p.path), p.mode));
  },
});

const sync = defineAction({
  name: 'sync',
  params: { client: clientName(), path: opt(path()), timeoutMs: timeout() },
  describe: (p) => t('action.sync', { client: p.client, path: p.path ?? '/' }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const started = ctx.now();
    await withDeadline(ctx, c, c.zk.sync(p.path ?? '/'), p.timeoutMs);
    return { value: { elapsedMs: ctx.now() - started } };
  },
});

const multiOp = objectOf(
  { op: oneOf(['create', 'delete', 'set', 'check'] as const), path: path(), data: opt(any()), version: opt(int(-1)), mode: opt(oneOf(CREATE_MODES)) },
  'a multi operation {"op": "create"|"delete"|"set"|"check", "path": …}',
);

const multi = defineAction({
  name: 'multi',
  params: { client: clientName(), ops: arrayOf(multiOp, { min: 1 }), timeoutMs: timeout() },
  describe: (p) => t('action.multi', { client: p.client, ops: p.ops.map((o) => `${o.op} ${o.path}${o.version !== undefined ? ` v${o.version}` : ''}`).join('; ') }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    const ops: Op[] = p.ops.map((o) => {
      switch (o.op) {
        case 'create':
          return { type: 'create', path: o.path, data: asData(o.data), mode: MODE_FLAGS[o.mode ?? 'persistent'] };
        case 'delete':
          return { type: 'delete', path: o.path, version: o.version ?? -1 };
        case 'set':
          return { type: 'setData', path: o.path, data: asData(o.data), version: o.version ?? -1 };
        case 'check':
          return { type: 'check', path: o.path, version: o.version ?? -1 };
      }
    });
    try {
      const results = await withDeadline(ctx, c, c.zk.multi(ops), p.timeoutMs);
      return { value: { ok: true, results: results.map((r) => r.type) }, result: t('result.multi.ok', { n: results.length }) };
    } catch (e) {
      if (e instanceof ZkMultiError) {
        // §14.2: ops before the failing one report 0 (rolled back), later ones RuntimeInconsistency (not tried).
        const results = e.results.map((r, i) =>
          i === e.failedIndex ? same(r.type === 'error' ? r.codeName : r.type) : r.type === 'error' && r.code === 0 ? t('result.multi.rolledBack') : r.type === 'error' && r.code === -2 ? t('result.multi.notTried') : same(r.type === 'error' ? r.codeName : r.type),
        );
        ctx.log(t('result.multi.failed', { index: e.failedIndex + 1, error: e.codeName, results: join(results, ', ') }), false);
      }
      throw e;
    }
  },
});

const workload = defineAction({
  name: 'workload',
  params: { client: clientName(), path: path(), count: int(1, 10_000), data: opt(str()), timeoutMs: timeout() },
  describe: (p) => t('action.workload', { client: p.client, count: p.count, path: p.path }),
  async run(ctx, p) {
    const c = ctx.client(p.client);
    let last = -1n;
    const base = p.path.replace(/\/$/, '');
    await withDeadline(ctx, c, c.zk.mkdirp(base), p.timeoutMs);
    for (let i = 1; i <= p.count; i++) {
      const node = `${base}/w-${String(i).padStart(4, '0')}`;
      const data = `${p.data ?? 'v'}-${i}`;
      const r = await withDeadline(ctx, c, c.zk.createWithStat(node, data), p.timeoutMs);
      noteWrite(ctx, c, node, r.stat.czxid, data);
      last = r.stat.czxid;
    }
    return { value: { count: p.count, lastZxid: last }, result: t('result.workload', { count: p.count, zxid: hex(last) }) };
  },
});

export const CLIENT_ACTIONS: AnyActionDef[] = [open, close, sever, restore, expire, kill, create, set, setAcl, del, get, exists, children, watch, sync, multi, workload];
