/**
 * Autopurge (autopurge.purgeInterval hours, autopurge.snapRetainCount ≥ 3): a member run
 * in-process on manual timers, so "an hour later" is a call, not a wait.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseZooCfg } from '../../engine/src/config/parse-zoo-cfg.js';
import { startMember } from '../../engine/src/member/member.js';
import { defaultCoreParts } from '../../engine/src/member/core-parts.js';
import { createLogger } from '../../engine/src/server/log.js';
import { ManualTimers } from '../../engine/src/server/timers.js';
import { RawZkClient } from '../helpers/raw-client.js';
import { create, OPEN_ACL } from '../helpers/raw-ops.js';

test('every purge interval the member keeps only the newest snapRetainCount snapshots', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoolab-purge-'));
  const lines: string[] = [];
  let onLine: ((line: string) => void) | null = null;
  const log = createLogger('info', 'test', (line) => {
    lines.push(line);
    onLine?.(line);
  });
  /** Resolves with the first log line (already written or future) matching `re`. */
  const logLine = (re: RegExp) =>
    new Promise<string>((resolve) => {
      const seen = lines.find((l) => re.test(l));
      if (seen) return resolve(seen);
      onLine = (l) => {
        if (re.test(l)) resolve(l);
      };
    });
  const timers = new ManualTimers(Date.now());
  const config = parseZooCfg(
    `dataDir=${dir}\nclientPort=0\nsnapCount=10\nautopurge.purgeInterval=1\nautopurge.snapRetainCount=3\n`,
  );
  const member = await startMember(config, { log, parts: defaultCoreParts, timers });
  try {
    const c = await RawZkClient.connect(member.clientPort);
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 5; i++) assert.equal((await create(c, { path: `/p${round}-${i}`, acl: OPEN_ACL })).err, 0);
      await member.snapshot();
    }
    c.destroy();
    const written = lines.filter((l) => /snapshot at zxid/.test(l)).length;
    assert.ok(written >= 6, `expected at least 6 snapshots, got ${written}`);
    assert.equal(lines.filter((l) => /autopurge removed/.test(l)).length, 0, 'nothing is purged before the interval');

    const purged = logLine(/autopurge removed/);
    timers.advance(3_600_000);
    assert.match(await purged, new RegExp(`autopurge removed ${written - 3} snapshots`));
  } finally {
    await member.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
