/**
 * Every built-in lesson that runs on a single member, headless, on a real zk-server: each
 * must pass every check. One of them also runs in Korean.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { assertPassed, builtIns, runScenario } from './helpers/run-scenario.js';

const lessons = builtIns().filter((d) => d.kind === 'lesson' && d.lab.members === 1);

test('there are single-member lessons to run', () => {
  assert.ok(lessons.length >= 5, lessons.map((d) => d.id).join(', '));
});

for (const doc of lessons) {
  test(`lesson ${doc.id} passes headless`, { timeout: 120_000 }, async () => {
    assertPassed(await runScenario(doc.id));
  });
}

test('a lesson runs in Korean: narration, actions, checks and the verdict', { timeout: 120_000 }, async () => {
  const t = await runScenario('watches', { lang: 'ko' });
  assertPassed(t);
  const text = t.lines.join('\n');
  assert.match(text, /시나리오 watches: 워치는 한 번만 울리는 방아쇠/);
  assert.match(text, /클라이언트 w 접속/);
  assert.match(text, /이유: /);
  assert.match(text, /통과 — \d+개 검사 통과\./);
  assert.doesNotMatch(text, /\bWhy: |Your turn|PASSED/);
});
