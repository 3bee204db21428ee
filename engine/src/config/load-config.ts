/**
 * Reads a zoo.cfg file (and dataDir/myid) from disk. Relative dataDir/dataLogDir paths
 * resolve against the working directory, as in ZooKeeper.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { parseZooCfg } from './parse-zoo-cfg.js';
import type { ServerConfig } from './server-config.js';

function errnoText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function loadConfig(file: string): ServerConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${errnoText(e)}`);
  }
  return parseZooCfg(text, {
    source: file,
    resolvePath: (p) => resolve(p),
    readMyid: (dataDir) => {
      try {
        return readFileSync(join(dataDir, 'myid'), 'utf8');
      } catch (e) {
        // No myid (standalone), or a dataDir that is not a directory: the member's
        // dataDir check reports the latter with its own message.
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
        throw new ConfigError(`cannot read ${join(dataDir, 'myid')}: ${errnoText(e)}`);
      }
    },
  });
}
