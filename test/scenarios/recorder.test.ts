/** Recording: commands from any actor become a scenario file that validates and replays them in order. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ScenarioRecorder } from '../../engine/src/scenarios/recorder.js';
import { loadScenarioText } from '../../engine/src/scenarios/document.js';

test('member actions, link faults, tree edits and typed terminal lines become steps; pauses become waits', () => {
  const r = new ScenarioRecorder({ members: 3, observers: 0, tickTimeMs: 250, name: 'demo' }, 0);
  r.observe('member.kill', { member: 2 }, 'ui', 100);
  r.observe('links.preset', { preset: { kind: 'isolate-leader' } }, 'cli', 3_600);
  r.observe('lab.status', {}, 'ui', 3_700); // reads are not recorded
  r.observe('tree.create', { mirrorId: 'tree-1', path: '/a', dataBase64: Buffer.from('hello').toString('base64'), mode: 'ephemeral' }, 'ui', 3_800);
  r.observe('shell.open', { member: 1 }, 'ui', 3_900, { shellId: 'shell-1' });
  r.observe('shell.input', { shellId: 'shell-1', data: 'ls /x' }, 'ui', 4_000);
  r.observe('shell.input', { shellId: 'shell-1', data: '\x7f\x7f/\r' }, 'ui', 4_100); // backspaces fix the typo
  r.observe('links.heal', {}, 'web', 4_200);
  r.observe('member.restart', { member: 2 }, 'scenario', 4_300); // the scenario engine's own actions are not the learner's
  const text = r.finish({ id: 'my-demo', at: 5_000 });
  const doc = loadScenarioText(text, 'my-demo.json');
  assert.equal(doc.lab.members, 3);
  const actions = doc.steps.flatMap((s) => s.do.map((a) => a.name));
  assert.deepEqual(actions, ['member.kill', 'wait', 'links.preset', 'client.open', 'create', 'shell.run', 'links.heal']);
  const wait = doc.steps[1]!.do[0]!;
  assert.equal(wait.params.ms, 3500);
  assert.deepEqual(doc.steps.find((s) => s.do.some((a) => a.name === 'create'))!.do.find((a) => a.name === 'create')!.params, { client: 'tree', path: '/a', data: 'hello', mode: 'ephemeral' });
  assert.deepEqual(doc.steps.find((s) => s.do.some((a) => a.name === 'shell.run'))!.do[0]!.params, { commands: ['ls /'], member: 1 });
  const last = doc.steps.at(-1)!;
  assert.equal(last.check[0]!.name, 'safety', 'a replay ends by checking that safety held');
  assert.match(text, /^\/\/ Recorded by ZooLab/);
  assert.ok(doc.steps.every((s) => s.title.ko.length > 0));
});
