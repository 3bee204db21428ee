/**
 * Pins down every intended difference (intended-differences.ts): Apache ZooKeeper 3.8
 * still shows the bug (so the veto in the differential generator is still needed), and
 * our member does the right thing. Non-destructive probes share one server per kind.
 */
import test, { after } from 'node:test';
import { INTENDED_DIFFERENCES } from './intended-differences.js';
import { skipUnless, startTarget, type TargetKind, type ZkTarget } from './lib/targets.js';

const shared = new Map<TargetKind, Promise<ZkTarget>>();
const sharedServer = (kind: TargetKind): Promise<ZkTarget> => {
  let p = shared.get(kind);
  if (!p) shared.set(kind, (p = startTarget(kind)));
  return p;
};

after(async () => {
  for (const p of shared.values()) await (await p.catch(() => null))?.stop();
});

for (const kind of ['apache', 'zoolab'] as const) {
  for (const d of INTENDED_DIFFERENCES) {
    test(`${kind}: ${d.id} (${d.ref})`, { skip: skipUnless(kind) }, async () => {
      const own = d.probe.destructive ? await startTarget(kind) : null;
      const t = own ?? (await sharedServer(kind));
      try {
        const result = await d.probe.run(t);
        d.probe[kind](result, t);
      } finally {
        await own?.stop();
      }
    });
  }
}

