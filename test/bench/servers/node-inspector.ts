/**
 * A full garbage collection in our member from outside, the counterpart of `jcmd <pid>
 * GC.run` for the JVM, so RSS "after a full GC" means the same for both servers. The
 * member is started with `--inspect=127.0.0.1:0`; node prints the inspector's WebSocket
 * address on stderr, and the DevTools protocol's HeapProfiler.collectGarbage runs a full
 * (mark-compact) collection.
 */
import WebSocket from 'ws';

const LISTENING = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+)/g;

/** The inspector address of the most recent start, from the process's stderr so far. */
export function inspectorUrl(output: string): string {
  const all = [...output.matchAll(LISTENING)];
  const last = all[all.length - 1];
  if (!last) throw new Error('the member did not print an inspector address (started without --inspect?)');
  return last[1]!;
}

/** Sends DevTools protocol commands in order and resolves with their results. */
async function inspect(url: string, methods: string[]): Promise<unknown[]> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  try {
    const results: unknown[] = [];
    for (const [i, method] of methods.entries()) {
      results.push(
        await new Promise((resolve, reject) => {
          const onMessage = (data: WebSocket.RawData) => {
            const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
            if (msg.id !== i + 1) return;
            ws.off('message', onMessage);
            if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
            else resolve(msg.result);
          };
          ws.on('message', onMessage);
          ws.send(JSON.stringify({ id: i + 1, method }));
        }),
      );
    }
    return results;
  } finally {
    ws.close();
  }
}

/** Two full collections (the second frees what the first's finalizers released). */
export async function nodeFullGc(output: string): Promise<void> {
  await inspect(inspectorUrl(output), ['HeapProfiler.collectGarbage', 'HeapProfiler.collectGarbage']);
}

/** V8's used and total JS heap (bytes) of the member. */
export async function nodeHeapUsage(output: string): Promise<{ usedSize: number; totalSize: number }> {
  const [r] = await inspect(inspectorUrl(output), ['Runtime.getHeapUsage']);
  return r as { usedSize: number; totalSize: number };
}
