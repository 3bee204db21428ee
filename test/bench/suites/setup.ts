/** Creating the fixed nodes a suite works on, from the coordinator, pipelined. */
import { createFrame } from '../loadgen/frames.js';
import { PipelinedSession, type ReplySink } from '../loadgen/session.js';

const NODE_EXISTS = -110;

/** Creates `paths` in order (parents first) with 100-byte values; existing ones are fine. */
export async function createNodes(hostPort: string, paths: string[], inFlight = 100): Promise<void> {
  const s = await PipelinedSession.open(hostPort);
  try {
    let i = 0;
    const codes = new Map<number, number>();
    const sink: ReplySink = {
      reply(_sentAt, _now, err, _length) {
        if (err !== 0 && err !== NODE_EXISTS) codes.set(err, (codes.get(err) ?? 0) + 1);
      },
    };
    s.startLoad({ next: () => (i < paths.length ? createFrame(paths[i++]!) : null) }, inFlight, sink);
    await s.whenIdle();
    if (s.failure) throw s.failure;
    if (codes.size > 0) throw new Error(`creating ${paths.length} nodes on ${hostPort} failed: ${[...codes].map(([c, n]) => `${n}× error ${c}`).join(', ')}`);
  } finally {
    await s.close().catch(() => s.destroy());
  }
}
