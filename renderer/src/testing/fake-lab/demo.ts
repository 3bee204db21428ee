/**
 * The demo lab behind `?lab=demo`: a FakeLab on real timers, seeded with a few nodes so
 * the tree has something to show. URL parameters shape it (for component tests):
 * `members=N` (default 5; 0 starts with no lab), `observers=N`, `wide=N` (children under
 * /wide), `serve=1` (behave like zk-lab serve: no lab switching).
 */
import type { LabApi } from '../../../../engine/src/lab/api.js';
import { utf8ToBytes } from '../../lib/bytes.js';
import { FakeLab } from './fake-lab.js';
import { realScheduler } from './scheduler.js';

export function createDemoLab(params: URLSearchParams): LabApi {
  const members = Number(params.get('members') ?? 5);
  const observers = Number(params.get('observers') ?? 0);
  const wide = Number(params.get('wide') ?? 0);
  const lab = new FakeLab({
    scheduler: realScheduler,
    spec: members > 0 ? { members, observers, name: 'demo' } : null,
    wideChildren: wide,
    allowLabSwitch: params.get('serve') !== '1',
  });
  if (members > 0) {
    const tree = lab.treeForTests;
    const now = Date.now();
    tree.create('/app', utf8ToBytes('{"name":"shop","replicas":3}'), 'persistent', 0n, now, 0n, undefined, false);
    tree.create('/app/config', utf8ToBytes('{\n  "featureFlags": {"checkout": true},\n  "timeoutMs": 1500\n}'), 'persistent', 0n, now, 0n, undefined, false);
    tree.create('/app/locks', null, 'persistent', 0n, now, 0n, undefined, false);
    tree.create('/services', null, 'persistent', 0n, now, 0n, undefined, false);
    tree.create('/services/api', utf8ToBytes('10.0.0.7:8080'), 'persistent', 0n, now, 0n, undefined, false);
  }
  return lab;
}
