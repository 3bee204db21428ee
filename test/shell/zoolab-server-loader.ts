/**
 * Finds test/helpers/zoolab-server.ts (our member's launcher, owned by the server
 * engineer) at run time, so shell tests can use it once it exists without failing to
 * compile before it does.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface MemberForShell {
  connectString: string;
  port: number;
  stop(): Promise<void>;
}

interface ZooLabServerModule {
  startZooLabServer(options?: Record<string, unknown>): Promise<{ port: number; stop(): Promise<void> }>;
}

/** A starter for a fresh member, or null while the launcher does not exist. */
export async function zooLabServerHelper(): Promise<(() => Promise<MemberForShell>) | null> {
  const url = new URL('../helpers/zoolab-server.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  const mod = (await import(url.href)) as Partial<ZooLabServerModule>;
  const start = mod.startZooLabServer;
  if (typeof start !== 'function') return null;
  return async () => {
    const member = await start();
    return { connectString: `127.0.0.1:${member.port}`, port: member.port, stop: () => member.stop() };
  };
}
