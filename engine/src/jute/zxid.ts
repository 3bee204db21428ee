/** zxid = epoch << 32 | counter (wire-protocol.md §17, zab.md §1.4). */
export function makeZxid(epoch: number, counter: number): bigint {
  return (BigInt(epoch) << 32n) | BigInt(counter >>> 0);
}
export function epochOf(zxid: bigint): number {
  return Number(zxid >> 32n);
}
export function counterOf(zxid: bigint): number {
  return Number(zxid & 0xffffffffn);
}
/** `0x1a` as ZooKeeper prints zxids and session ids. Negative values print as two's complement. */
export function hex(v: bigint): string {
  return '0x' + BigInt.asUintN(64, v).toString(16);
}
/** `3:17` — the lab shows zxids split into epoch and counter. */
export function zxidLabel(zxid: bigint): string {
  return zxid < 0n ? String(zxid) : `${epochOf(zxid)}:${counterOf(zxid)}`;
}
