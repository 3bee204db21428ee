/**
 * Auth packets (opcode 100, wire-protocol.md §15.2–§15.3). Digest auth never fails: the
 * connection gains `digest:user:base64(sha1(user:password))`, plus `super:` when that id
 * equals the configured superDigest. `ip` auth adds the connection's address (as
 * ZooKeeper's IP provider does). Any other scheme is AuthFailed, and the server then
 * closes the connection.
 */
import type { Id } from '../jute/records.js';
import type { AclRules } from './server-deps.js';

export type AuthOutcome = { ok: true; add: Id[] } | { ok: false; reason: string };

export function authenticate(
  scheme: string,
  auth: Buffer | null,
  ctx: { acl: AclRules; superDigest: string | null; remoteIp: string },
): AuthOutcome {
  switch (scheme) {
    case 'digest': {
      const id = ctx.acl.digestId((auth ?? Buffer.alloc(0)).toString('utf8'));
      const add: Id[] = [];
      if (ctx.superDigest !== null && id === ctx.superDigest) add.push({ scheme: 'super', id: '' });
      add.push({ scheme: 'digest', id });
      return { ok: true, add };
    }
    case 'ip':
      return { ok: true, add: [{ scheme: 'ip', id: ctx.remoteIp }] };
    default:
      return { ok: false, reason: `no authentication provider for scheme '${scheme}'` };
  }
}

/** Adds ids the connection does not hold yet (auth packets add up, §15.3). */
export function addAuthIds(current: Id[], add: readonly Id[]): void {
  for (const id of add) {
    if (!current.some((c) => c.scheme === id.scheme && c.id === id.id)) current.push(id);
  }
}
