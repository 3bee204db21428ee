/**
 * Checks command arguments that arrive as untrusted JSON (a browser tab, a CLI, IPC).
 * Each helper returns the typed value or throws a `bad-request` LabError naming the field.
 */
import type { LinkEnd, LinkSettings, MemberId, PartitionPreset } from './api.js';

export class RequestError extends Error {
  override name = 'RequestError';
  readonly code = 'bad-request';
}

export type Obj = Record<string, unknown>;

export function obj(v: unknown, what = 'the request'): Obj {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new RequestError(`${what} must be an object`);
  return v as Obj;
}

export function str(o: Obj, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new RequestError(`${key} must be a non-empty string`);
  return v;
}

export function optStr(o: Obj, key: string): string | undefined {
  if (o[key] === undefined || o[key] === null) return undefined;
  return str(o, key);
}

export function int(o: Obj, key: string, min = -2147483648, max = 2147483647): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RequestError(`${key} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`);
  }
  return v;
}

export function optInt(o: Obj, key: string, min?: number, max?: number): number | undefined {
  return o[key] === undefined || o[key] === null ? undefined : int(o, key, min, max);
}

export function optBool(o: Obj, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new RequestError(`${key} must be true or false`);
  return v;
}

export function memberId(o: Obj, key = 'member'): MemberId {
  return int(o, key, 1, 255);
}

export function optMemberId(o: Obj, key = 'member'): MemberId | null {
  return o[key] === undefined || o[key] === null ? null : memberId(o, key);
}

export function linkEnd(o: Obj, key: string): LinkEnd {
  return o[key] === 'client' ? 'client' : memberId(o, key);
}

export function settings(o: Obj, key = 'settings'): Partial<LinkSettings> {
  const s = obj(o[key], key);
  const out: Partial<LinkSettings> = {};
  if (s.mode !== undefined) {
    if (s.mode !== 'pass' && s.mode !== 'blackhole' && s.mode !== 'reject') throw new RequestError('settings.mode must be pass, blackhole or reject');
    out.mode = s.mode;
  }
  for (const k of ['delayMs', 'jitterMs', 'lossPercent'] as const) {
    if (s[k] === undefined) continue;
    if (typeof s[k] !== 'number' || !Number.isFinite(s[k])) throw new RequestError(`settings.${k} must be a number`);
    out[k] = s[k] as number;
  }
  return out;
}

export function preset(o: Obj): PartitionPreset {
  const p = obj(o.preset, 'preset');
  const mode = p.mode === undefined ? undefined : p.mode === 'blackhole' || p.mode === 'reject' ? p.mode : bad('preset.mode must be blackhole or reject');
  switch (p.kind) {
    case 'isolate':
      return { kind: 'isolate', member: memberId(p, 'member'), mode };
    case 'isolate-leader':
    case 'bridge':
    case 'ring':
      return { kind: p.kind, mode };
    case 'majority-minority':
      if (p.leaderSide !== 'majority' && p.leaderSide !== 'minority') bad('preset.leaderSide must be majority or minority');
      return { kind: 'majority-minority', leaderSide: p.leaderSide as 'majority' | 'minority', mode };
    case 'groups': {
      if (!Array.isArray(p.groups)) bad('preset.groups must be a list of {name, members}');
      const groups = (p.groups as unknown[]).map((g, i) => {
        const go = obj(g, `group ${i + 1}`);
        if (!Array.isArray(go.members)) bad(`group ${i + 1} needs a members list`);
        return {
          name: typeof go.name === 'string' ? go.name : String.fromCharCode(97 + i),
          members: (go.members as unknown[]).map((m) => memberId({ m }, 'm')),
        };
      });
      return { kind: 'groups', groups, mode };
    }
    default:
      return bad(`unknown preset kind ${JSON.stringify(p.kind)} (isolate, isolate-leader, majority-minority, groups, bridge, ring)`);
  }
}

export function bad(message: string): never {
  throw new RequestError(message);
}
