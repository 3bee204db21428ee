/**
 * "Serving" = a brand-new session is accepted and answers `exists /` (wire-protocol.md
 * §4.2: the ConnectResponse itself follows a committed createSession, so a server still
 * loading its database cannot fake it). The same probe times restarts of both servers.
 */
import { existsFrame } from '../loadgen/frames.js';
import { PipelinedSession } from '../loadgen/session.js';
import { monoNow, sleep } from '../lib/clock.js';

const RETRY_MS = 5;
/** A server that accepted the connection but answers nothing is retried after this. */
const ATTEMPT_TIMEOUT_MS = 1000;

export async function waitServing(hostPort: string, timeoutMs: number): Promise<void> {
  const deadline = monoNow() + timeoutMs;
  let lastError = '';
  while (monoNow() < deadline) {
    try {
      const s = await PipelinedSession.open(hostPort, 30_000, ATTEMPT_TIMEOUT_MS);
      const r = await s.call(existsFrame('/')).finally(() => {
        // Closing is not part of the time to serve: done in the background.
        void s.close().catch(() => s.destroy());
      });
      if (r.err === 0) return;
      lastError = `exists / answered error ${r.err}`;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await sleep(RETRY_MS);
  }
  throw new Error(`${hostPort} was not serving after ${timeoutMs} ms (${lastError})`);
}
