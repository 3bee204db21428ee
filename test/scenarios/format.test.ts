/**
 * The scenario file format: JSON with comments and trailing commas, and validation errors
 * that name the field, the line and the column and show the line. Every built-in file
 * loads, in both languages, with unique ids and steps.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonc, SourceError, describePointer } from '../../engine/src/scenarios/jsonc.js';
import { loadScenarioText, ScenarioFileError } from '../../engine/src/scenarios/document.js';
import { builtInScenarioDir, loadScenarioDir } from '../../engine/src/scenarios/library.js';

const minimal = (steps: string, extra = '') => `{
  "format": "zoolab-scenario", "version": 1, "id": "t", "kind": "lesson",
  "title": { "en": "T", "ko": "티" }, "goal": { "en": "G", "ko": "지" },
  "lab": { "members": 1 }${extra},
  "steps": [${steps}]
}`;
const step = (body: string) => `{ "id": "s1", "title": { "en": "S", "ko": "에스" }, "say": { "en": "x", "ko": "엑스" }${body} }`;

function problems(text: string): string[] {
  try {
    loadScenarioText(text, 'case.json');
  } catch (e) {
    assert.ok(e instanceof ScenarioFileError, `expected a ScenarioFileError, got ${(e as Error).message}`);
    return e.problems;
  }
  assert.fail('the file was accepted');
}

test('jsonc: comments and trailing commas are accepted; pointers locate values', () => {
  const text = '// header\n{\n  "a": 1, /* inline */\n  "b": [true, null, "x",],\n}\n';
  const p = parseJsonc(text, 'f');
  assert.deepEqual(p.value, { a: 1, b: [true, null, 'x'] });
  assert.deepEqual(p.locate('/b/2'), { line: 4, column: 21 });
  assert.deepEqual(p.locate('/b/7'), p.locate('/b'), 'an unknown pointer falls back to its nearest parent');
  assert.equal(describePointer('/steps/3/do/0/member'), 'steps[3].do[0].member');
});

test('jsonc: syntax errors give line, column and a caret under the spot', () => {
  assert.throws(
    () => parseJsonc('{\n  "a": 1\n  "b": 2\n}', 'bad.json'),
    (e: unknown) => e instanceof SourceError && /bad\.json:3:3: expected ',' or '}'/.test(e.message) && e.message.includes('\n    "b": 2\n    ^'),
  );
  assert.throws(() => parseJsonc('{"a": 1, "a": 2}'), /duplicate key "a"/);
  assert.throws(() => parseJsonc('{"a": "x\ny"}'), /cannot span lines/);
  assert.throws(() => parseJsonc('{"a": 1} x'), /unexpected text after the end/);
});

test('validation: every problem at once, each with its line and the offending text', () => {
  const text = minimal(
    [
      step(', "do": [{ "action": "member.kill", "member": "leadr" }, { "action": "fly" }]'),
      step(', "check": [{ "check": "node", "path": "/a", "explain": { "en": "only english" } }]'),
    ].join(',\n'),
  );
  const list = problems(text);
  const kill = list.find((p) => p.includes('steps[0].do[0].member'));
  assert.ok(kill, list.join('\n'));
  assert.match(kill!, /^case\.json:5:141: steps\[0\]\.do\[0\]\.member must be a member id/);
  assert.ok(kill!.includes('"leadr"'), 'shows the line');
  assert.ok(list.some((p) => /there is no action called "fly" \(known: .*member\.kill/.test(p)));
  assert.ok(list.some((p) => /explain needs a non-empty text in ko/.test(p)));
  assert.ok(list.some((p) => /another step is already called "s1"/.test(p)));
});

test('validation: unknown fields, references to values nobody saved, and bug switches in files are refused', () => {
  assert.ok(problems(minimal(step(', "do": [{ "action": "wait", "ms": 1, "colour": "red" }]'))).some((p) => /unknown field "colour"/.test(p)));
  assert.ok(problems(minimal(step(', "do": [{ "action": "member.kill", "member": "${old.leader}" }]'))).some((p) => /refers to "old", which no earlier action or condition saves/.test(p)));
  assert.ok(problems(minimal(step(''), ', "challenge": null')).length > 0);
  const bug = problems(minimal(step('')).replace('"lab": { "members": 1 }', '"lab": { "members": 1, "zooCfg": { "zoolab.bugs": "smallQuorum" } }'));
  assert.ok(bug.some((p) => /bug switches cannot be set by a scenario file/.test(p)), bug.join('\n'));
  const challenge = problems(minimal(step('')).replace('"kind": "lesson"', '"kind": "challenge"'));
  assert.ok(challenge.some((p) => /a challenge needs "challenge"/.test(p)));
});

test('validation: a value saved earlier may be used later, and a good file loads with defaults', () => {
  const doc = loadScenarioText(
    minimal(
      [
        `{ "id": "a", "title": { "en": "A", "ko": "가" }, "say": { "en": "x", "ko": "x" }, "do": [{ "action": "lab.observe", "save": "o" }] }`,
        `{ "id": "b", "title": { "en": "B", "ko": "나" }, "say": { "en": "x", "ko": "x" }, "do": [{ "action": "member.kill", "member": "\${o.leader}" }],
           "check": [{ "check": "compare", "value": "\${o.epoch}", "is": { "gt": 0 }, "explain": { "en": "e", "ko": "이" } }] }`,
      ].join(','),
    ),
    'ok.json',
  );
  assert.equal(doc.steps.length, 2);
  assert.equal(doc.lab.tickTimeMs, 250);
  assert.equal(doc.lab.sessionTimeoutMs, 2000);
  assert.equal(doc.steps[1]!.do[0]!.params.member, '${o.leader}');
});

test('every built-in scenario loads: unique ids, both languages, lessons and challenges', () => {
  const dir = builtInScenarioDir();
  assert.ok(dir, 'resources/scenarios is found next to the build');
  const files = readdirSync(dir!).filter((f) => f.endsWith('.json'));
  const docs = loadScenarioDir(dir!);
  assert.equal(docs.length, files.length);
  assert.equal(new Set(docs.map((d) => d.id)).size, docs.length, 'ids are unique');
  const lessons = docs.filter((d) => d.kind === 'lesson');
  const challenges = docs.filter((d) => d.kind === 'challenge');
  assert.ok(lessons.length >= 12, `twelve lessons or more (${lessons.length})`);
  assert.equal(challenges.length, 3);
  assert.deepEqual(challenges.map((c) => c.challenge?.bugSwitch).sort(), ['ackBeforeFsync', 'smallQuorum', 'staleReads']);
  for (const d of docs) {
    assert.ok(d.steps.length >= 3, `${d.id} has a few steps`);
    for (const s of d.steps) {
      assert.ok(s.say.en && s.say.ko && s.title.en && s.title.ko, `${d.id}/${s.id} narrates in both languages`);
      assert.notEqual(s.say.en, s.say.ko, `${d.id}/${s.id}: the Korean text is a translation`);
    }
    assert.ok(d.steps.some((s) => s.check.length > 0 || s.do.some((a) => a.expect)), `${d.id} is checkable`);
  }
  assert.ok(join(dir!, 'x').includes('resources'));
});
