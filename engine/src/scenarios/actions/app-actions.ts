/**
 * Simulated applications built on ZooKeeper: application servers that register ephemeral
 * znodes (and "crash" without a goodbye), a fail-over monitor, a replica-set state keeper
 * and the two lock styles. Each runs on its own named client session, so the learner can
 * also expire or kill those sessions by name.
 */
import { hex } from '../../jute/zxid.js';
import { defineAction, type AnyActionDef } from '../context.js';
import { LockDemo } from '../helpers/lock-demo.js';
import { ReplicaKeeper } from '../helpers/replica-keeper.js';
import { ServiceMonitor } from '../helpers/service-monitor.js';
import { arrayOf, int, member, oneOf, opt, path, str } from '../schema.js';
import { t } from '../text.js';
import { openClient } from './client-actions.js';

const name = () => str({ what: 'a name', pattern: /^[A-Za-z][\w-]*$/, templates: false });

const appStart = defineAction({
  name: 'app.start',
  params: { name: name(), dir: path(), node: opt(str()), data: opt(str()), member: opt(member()), sessionTimeoutMs: opt(int(1, 600_000)) },
  describe: (p) => t('action.app.start', { app: p.name, path: `${p.dir}/${p.node ?? p.name}` }),
  async run(ctx, p) {
    const c = await openClient(ctx, p.name, p.member, p.sessionTimeoutMs);
    await c.zk.mkdirp(p.dir);
    // `at` is when the registration is sent: a watcher on the leader can hear it commit
    // before this client, on a follower, hears the reply.
    const at = ctx.now();
    const path = await c.zk.create(`${p.dir}/${p.node ?? p.name}`, p.data ?? p.name, { mode: 1 /* EPHEMERAL */ });
    return { value: { path, sessionId: c.zk.sessionId, timeoutMs: c.zk.negotiatedTimeout, at }, result: t('result.app.start', { session: hex(c.zk.sessionId), timeout: c.zk.negotiatedTimeout }) };
  },
});

const appCrash = defineAction({
  name: 'app.crash',
  params: { name: name() },
  describe: (p) => t('action.app.crash', { app: p.name }),
  async run(ctx, p) {
    const c = ctx.client(p.name);
    c.sever();
    for (const [, h] of ctx.helpers) if (h instanceof LockDemo) h.forget(p.name);
    return { value: { at: ctx.now(), sessionId: c.zk.sessionId, timeoutMs: c.zk.negotiatedTimeout } };
  },
});

const monitorStart = defineAction({
  name: 'monitor.start',
  params: { name: name(), dir: path(), member: opt(member()) },
  describe: (p) => t('action.monitor.start', { monitor: p.name, dir: p.dir }),
  async run(ctx, p) {
    const c = await openClient(ctx, p.name, p.member);
    await c.zk.mkdirp(p.dir);
    const m = new ServiceMonitor(c, p.dir, () => ctx.now(), () => ctx.poke());
    await m.start();
    ctx.helpers.set(p.name, m);
    return { value: { members: [...m.current].sort() }, result: t('result.monitor.start', { members: [...m.current].sort().join(', ') || '—' }) };
  },
});

const replicaKeeper = defineAction({
  name: 'replica.keeper',
  params: { name: name(), membersDir: path(), stateNode: path(), member: opt(member()) },
  describe: (p) => t('action.replica.keeper', { keeper: p.name, dir: p.membersDir, state: p.stateNode }),
  async run(ctx, p) {
    const c = await openClient(ctx, p.name, p.member);
    const k = new ReplicaKeeper(c, p.membersDir, p.stateNode, () => ctx.now(), () => ctx.poke());
    await k.start();
    ctx.helpers.set(p.name, k);
    return { value: { state: k.state } };
  },
});

const lockDemo = defineAction({
  name: 'lock.demo',
  params: { name: name(), style: oneOf(['herd', 'recipe'] as const), dir: path(), contenders: arrayOf(name(), { min: 2 }), member: opt(member()) },
  describe: (p) => t(p.style === 'herd' ? 'action.lock.demo.herd' : 'action.lock.demo.recipe', { n: p.contenders.length, dir: p.dir }),
  async run(ctx, p) {
    const demo = new LockDemo(p.style, p.dir, () => ctx.now(), () => ctx.poke());
    ctx.helpers.set(p.name, demo);
    for (const who of p.contenders) {
      const c = await openClient(ctx, who, p.member);
      await demo.join(c);
    }
    await settle(ctx, demo);
    return { value: { holder: demo.holder, wakeups: demo.totalWakeups }, result: t('result.lock', { holder: demo.holder ?? '—', wakeups: demo.totalWakeups }) };
  },
});

/** Waits until no contender is still re-checking its place (bounded). */
async function settle(ctx: Parameters<AnyActionDef['run']>[0], demo: LockDemo): Promise<void> {
  const until = ctx.now() + 10_000;
  do await ctx.sleep(30);
  while (!demo.settled && ctx.now() < until);
}

const lockRelease = defineAction({
  name: 'lock.release',
  params: { name: name() },
  describe: (p) => t('action.lock.release', { demo: p.name }),
  async run(ctx, p) {
    const demo = ctx.helper(p.name, LockDemo);
    const before = demo.totalWakeups;
    const released = await demo.release();
    const until = ctx.now() + 10_000;
    while ((demo.holder === released || !demo.settled) && ctx.now() < until) await ctx.sleep(30);
    await settle(ctx, demo);
    const woken = demo.totalWakeups - before;
    return { value: { released, holder: demo.holder, woken }, result: t('result.lock.release', { released, holder: demo.holder ?? '—', woken }) };
  },
});

export const APP_ACTIONS: AnyActionDef[] = [appStart, appCrash, monitorStart, replicaKeeper, lockDemo, lockRelease];
