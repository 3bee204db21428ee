/** One read of a znode for conditions and checks: exists, data as text, Stat, children. */
import { ZkError, type ZkClient } from '../../client/index.js';
import { savedStat, type SavedStat } from '../actions/zk-ops.js';

export interface NodeReading {
  exists: boolean;
  data: string | null;
  stat: SavedStat | null;
  children: string[];
}

export async function readNode(zk: ZkClient, path: string, sync = false): Promise<NodeReading> {
  if (sync) await zk.sync(path);
  try {
    const r = await zk.getData(path);
    const children = r.stat.numChildren > 0 ? (await zk.getChildren(path)).sort() : [];
    return { exists: true, data: r.data === null ? null : r.data.toString('utf8'), stat: savedStat(r.stat), children };
  } catch (e) {
    if (ZkError.is(e, 'NoNode')) return { exists: false, data: null, stat: null, children: [] };
    throw e;
  }
}
