/**
 * 64-bit values as the LabApi carries them (`Hex64`, lowercase `0x…` strings) turned into
 * what people read: zxids split into epoch and counter (zab.md §1.4: zxid = epoch << 32 |
 * counter), session ids in ZooKeeper's own hex spelling.
 */
import type { Hex64 } from '../../../engine/src/lab/api.js';

export interface ZxidParts {
  epoch: number;
  counter: number;
}

const MASK_32 = 0xffffffffn;

/** Parses `0x…` (or `-0x…`); null for null, malformed or negative input (-1 means "none"). */
export function parseHex64(value: Hex64 | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  const m = /^(-?)0x([0-9a-f]+)$/i.exec(value);
  if (!m) return null;
  const v = BigInt('0x' + m[2]);
  return m[1] ? -v : v;
}

export function splitZxid(value: Hex64 | null | undefined): ZxidParts | null {
  const z = parseHex64(value);
  if (z === null || z < 0n) return null;
  return { epoch: Number(z >> 32n), counter: Number(z & MASK_32) };
}

/** `3:17`, or `—` when unknown. */
export function zxidLabel(value: Hex64 | null | undefined): string {
  const p = splitZxid(value);
  return p ? `${p.epoch}:${p.counter}` : '—';
}

/** Orders two zxids; unknown sorts first. */
export function compareZxid(a: Hex64 | null | undefined, b: Hex64 | null | undefined): number {
  const x = parseHex64(a) ?? -1n;
  const y = parseHex64(b) ?? -1n;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Session ids as zkCli prints them (`0x100000a3b2c0001`), unsigned. */
export function sessionLabel(value: Hex64 | null | undefined): string {
  const v = parseHex64(value);
  if (v === null) return '—';
  return '0x' + BigInt.asUintN(64, v).toString(16);
}

/** The member a session id was minted by (ZooKeeper puts the server id in the top byte). */
export function sessionOrigin(value: Hex64 | null | undefined): number | null {
  const v = parseHex64(value);
  if (v === null || v === 0n) return null;
  return Number(BigInt.asUintN(64, v) >> 56n);
}
