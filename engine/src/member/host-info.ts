/**
 * Facts about the host process that conf, envi, dirs and mntr print: environment,
 * directory sizes, file descriptors. Read on demand (four-letter words are rare).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname, userInfo, homedir, platform, arch, release, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Total size of the regular files directly in `dir` (ZooKeeper sums its log/snapshot files). */
export function directorySize(dir: string): number {
  let total = 0;
  try {
    for (const name of readdirSync(dir)) {
      try {
        const st = statSync(join(dir, name));
        if (st.isFile()) total += st.size;
      } catch {
        // vanished meanwhile
      }
    }
  } catch {
    return 0;
  }
  return total;
}

export function openFileDescriptors(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}

export function maxFileDescriptors(): number {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

/** `envi` lines after zookeeper.version: Node's counterparts of the JVM properties. */
export function environment(): [string, string][] {
  const mem = process.memoryUsage();
  const mb = (n: number) => `${Math.round(n / (1024 * 1024))}MB`;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry
  }
  return [
    ['host.name', hostname()],
    ['node.version', process.version],
    ['node.execPath', process.execPath],
    ['node.pid', String(process.pid)],
    ['os.tmpdir', tmpdir()],
    ['os.name', platform()],
    ['os.arch', arch()],
    ['os.version', release()],
    ['user.name', user],
    ['user.home', homedir()],
    ['user.dir', process.cwd()],
    ['os.memory.free', mb(mem.heapTotal - mem.heapUsed)],
    ['os.memory.max', mb(mem.rss)],
    ['os.memory.total', mb(mem.heapTotal)],
  ];
}
