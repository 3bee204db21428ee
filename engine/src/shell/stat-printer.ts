/**
 * The Stat block `get -s`, `ls -s`, `stat`, `set -s`, `getAcl -s` and `config -s` print:
 * eleven `name = value` lines in zkCli's order (zxids and the owner as `0x` + hex,
 * times as Java's `Date#toString`).
 */
import type { Stat } from '../jute/records.js';
import { javaDateString, javaLongHex } from './java-format.js';

export function formatStat(stat: Stat, timeZone?: string): string {
  return [
    `cZxid = 0x${javaLongHex(stat.czxid)}`,
    `ctime = ${javaDateString(stat.ctime, timeZone)}`,
    `mZxid = 0x${javaLongHex(stat.mzxid)}`,
    `mtime = ${javaDateString(stat.mtime, timeZone)}`,
    `pZxid = 0x${javaLongHex(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = 0x${javaLongHex(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ]
    .map((line) => line + '\n')
    .join('');
}
