/**
 * Reads for conditions and checks: through a named scenario client when the step names
 * one, otherwise through the run's own inspector session pinned to a member (or to any
 * member). Reading from one chosen member is the point of several lessons: members may
 * disagree for a while (stale reads, lesson 9).
 */
import { ZkClient } from '../../client/index.js';
import type { MemberId } from '../../lab/api.js';
import type { RunContext } from '../context.js';
import { t, type LocalizedText } from '../text.js';

export class Inspector {
  private client: ZkClient | null = null;

  constructor(
    readonly member: MemberId | null,
    private readonly connectString: string,
  ) {}

  async zk(): Promise<ZkClient> {
    if (this.client && !['expired', 'closed', 'auth-failed'].includes(this.client.state)) {
      if (this.client.isConnected) return this.client;
      await this.client.waitForConnected(5000);
      return this.client;
    }
    await this.client?.close().catch(() => undefined);
    this.client = null;
    this.client = await ZkClient.connect({ connectString: this.connectString, sessionTimeout: 10_000, shuffleHosts: false, retryDelay: 100 }, 5000);
    return this.client;
  }

  async close(): Promise<void> {
    await this.client?.close().catch(() => undefined);
    this.client = null;
  }
}

/** The ZooKeeper client a read should use. */
export async function readerFor(ctx: RunContext, opts: { client?: string; member?: number | string | null }): Promise<{ zk: ZkClient; member: MemberId | null; label: LocalizedText }> {
  if (opts.client) {
    const c = ctx.client(opts.client);
    return { zk: c.zk, member: c.member, label: t('where.client', { client: c.name }) };
  }
  const member = opts.member === undefined || opts.member === null ? null : await ctx.member(opts.member);
  const key = `__inspector:${member ?? '*'}`;
  let inspector = ctx.helpers.get(key) as Inspector | undefined;
  if (!inspector) {
    inspector = new Inspector(member, await ctx.lab.connectStringFor(member));
    ctx.helpers.set(key, inspector);
  }
  return { zk: await inspector.zk(), member, label: member === null ? t('where.lab') : t('where.member', { member }) };
}

/** Where a read goes, in words: a client, a member, every member, or the lab. */
export function whereText(member: unknown, client?: string): LocalizedText {
  if (client) return t('where.client', { client });
  if (member === 'all') return t('where.all');
  if (member === undefined || member === null) return t('where.lab');
  return t('where.member', { member: String(member) });
}
