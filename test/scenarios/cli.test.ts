/** `zk-lab scenario …` end to end: list, show, check, run (exit codes), bugs, usage errors. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ZK_LAB = fileURLToPath(new URL('../../engine/bin/zk-lab.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'zoolab-scenario-cli-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

function zkLab(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ZK_LAB, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const tiny = (id: string, expected: number) => `// a tiny lesson for the CLI test
{
  "format": "zoolab-scenario", "version": 1, "id": "${id}", "kind": "lesson",
  "title": { "en": "Tiny", "ko": "작은" }, "goal": { "en": "One write.", "ko": "쓰기 하나." },
  "lab": { "members": 1 },
  "steps": [
    { "id": "write", "title": { "en": "Write", "ko": "쓰기" }, "say": { "en": "Write one node.", "ko": "노드 하나를 씁니다." },
      "do": [{ "action": "client.open", "name": "a" }, { "action": "create", "client": "a", "path": "/t", "data": "x", "save": "t" }],
      "check": [{ "check": "compare", "value": "\${t.stat.version}", "is": ${expected}, "explain": { "en": "A new node has version 0.", "ko": "새 노드의 version은 0입니다." } }] }
  ]
}
`;

test('scenario list shows the course in order, in either language, and as JSON', async () => {
  const r = await zkLab(['scenario', 'list', '--lang', 'en']);
  assert.equal(r.code, 0, r.err);
  const ids = r.out.trim().split('\n').map((l) => l.split(/\s+/)[0]);
  assert.equal(ids[0], 'znodes-and-stat');
  assert.ok(ids.includes('two-leaders-one-epoch'));
  assert.match(r.out, /\[challenge; instructor switch smallQuorum\]/);
  const ko = await zkLab(['scenario', 'list'], { ZOOLAB_LANG: 'ko' });
  assert.match(ko.out, /znode와 Stat/);
  const json = JSON.parse((await zkLab(['scenario', 'list', '--json'])).out) as { id: string }[];
  assert.equal(json.length, ids.length);
});

test('scenario show prints the steps without running anything', async () => {
  const r = await zkLab(['scenario', 'show', 'watches', '--lang', 'en']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\[1\/7\] Watch a node that does not exist yet/);
  assert.match(r.out, /\? In the terminal, create \/app1\/p_2\.\s+\(create \/app1\/p_2 first\)/);
});

test('scenario check points at the problem lines; a good file passes', async () => {
  const good = join(work, 'good.json');
  const bad = join(work, 'bad.json');
  writeFileSync(good, tiny('good', 0));
  writeFileSync(bad, tiny('bad', 0).replace('"client.open"', '"client.opn"'));
  const ok = await zkLab(['scenario', 'check', good]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /good\.json: ok \(good, 1 steps\)/);
  const r = await zkLab(['scenario', 'check', bad]);
  assert.equal(r.code, 1);
  assert.match(r.err, /bad\.json:8:26: steps\[0\]\.do\[0\]\.action there is no action called "client\.opn"/);
  assert.match(r.err, /\n\s+\^/, 'a caret marks the spot');
});

test('scenario run prints each step and exits 0 when every check passes, 1 when one fails', { timeout: 120_000 }, async () => {
  const pass = join(work, 'pass.json');
  const fail = join(work, 'fail.json');
  writeFileSync(pass, tiny('pass', 0));
  writeFileSync(fail, tiny('fail', 7));
  const ok = await zkLab(['scenario', 'run', pass, '--lang', 'en']);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /\[1\/1\] Write/);
  assert.match(ok.out, /✓ .*version|✓/);
  assert.match(ok.out, /PASSED — 1 check\(s\) passed\./);
  const bad = await zkLab(['scenario', 'run', fail, '--lang', 'en']);
  assert.equal(bad.code, 1, bad.out + bad.err);
  assert.match(bad.out, /✗ .* = 0, expected 7/);
  assert.match(bad.out, /Why: A new node has version 0\./);
  assert.match(bad.out, /FAILED — 1 of 1 check\(s\) failed\./);
});

test('scenario bugs lists the instructor switches; usage mistakes exit 2; unknown scenarios exit 1', async () => {
  const bugs = await zkLab(['scenario', 'bugs', '--lang', 'en']);
  assert.equal(bugs.code, 0);
  for (const name of ['smallQuorum', 'ackBeforeFsync', 'staleReads']) assert.match(bugs.out, new RegExp(`^${name}: .*\\(zoolab\\.bugs=${name}\\)`, 'm'));
  assert.equal((await zkLab(['scenario'])).code, 2);
  assert.equal((await zkLab(['scenario', 'run', 'watches', '--bug', 'everything'])).code, 2);
  assert.equal((await zkLab(['scenario', 'run', 'watches', '--lang', 'fr'])).code, 2);
  const unknown = await zkLab(['scenario', 'run', 'no-such-lesson']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /there is no scenario "no-such-lesson" \(known: znodes-and-stat/);
});

test('scenario record start/stop against a running lab writes a file that scenario run replays', { timeout: 180_000 }, async () => {
  const dir = join(work, 'rec-lab');
  const file = join(work, 'recorded.json');
  try {
    const up = await zkLab(['up', '--members', '1', '--dir', dir]);
    assert.equal(up.code, 0, up.err);
    const start = await zkLab(['scenario', 'record', 'start', '--dir', dir]);
    assert.equal(start.code, 0, start.err);
    assert.match(start.out, /recording what is done in/);
    assert.equal((await zkLab(['kill', '1', '--dir', dir])).code, 0);
    assert.equal((await zkLab(['start', '1', '--dir', dir])).code, 0);
    const stop = await zkLab(['scenario', 'record', 'stop', file, '--dir', dir]);
    assert.equal(stop.code, 0, stop.err);
    assert.match(stop.out, /wrote .*recorded\.json \(3 steps\)/);
  } finally {
    await zkLab(['down', '--dir', dir]);
  }
  const check = await zkLab(['scenario', 'check', file]);
  assert.equal(check.code, 0, check.err);
  const replay = await zkLab(['scenario', 'run', file, '--lang', 'en']);
  assert.equal(replay.code, 0, replay.out + replay.err);
  assert.match(replay.out, /Kill member 1/);
  assert.match(replay.out, /SAFETY HOLDS/);
});
