/**
 * `zk-lab scenario …`: the guided lessons and break-it challenges without a UI.
 *
 *   scenario list [--json]                 the built-in course (and --scenarios DIR)
 *   scenario show NAME [--lang ko]         a scenario's steps without running it
 *   scenario check FILE…                   validate scenario files (problems with line numbers)
 *   scenario run NAME|FILE [--dir D] [--lang en|ko] [--bug a,b] [--json]
 *                                          run it in its own lab; exit 1 when a check fails
 *   scenario bugs                          the instructor bug switches
 *   scenario record start|stop [FILE]      record what is done in the running lab (--dir)
 *
 * Exit codes: 0 passed, 1 a check failed (or the run broke off), 2 usage, 3 unavailable here.
 */
import { writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BugSwitchName, ScenarioLang } from '../api.js';
import { ControlClient } from '../control-channel.js';
import { DEFAULT_LAB_DIR } from '../lab-layout.js';
import { allBugSwitches, parseBugSwitches } from '../../scenarios/bug-switches.js';
import { runHeadless, wrap } from '../../scenarios/headless.js';
import { loadScenarioFile } from '../../scenarios/library.js';
import { ScenarioFileError } from '../../scenarios/document.js';
import { ScenarioService } from '../../scenarios/service.js';
import { langFromEnv, pick } from '../../scenarios/text.js';
import { flagString, UsageError, type ParsedArgs } from './args.js';
import type { CliIo, CommandFn } from './commands.js';

const EXIT_FAILED = 1;
const EXIT_UNAVAILABLE = 3;

function lang(args: ParsedArgs): ScenarioLang {
  const v = flagString(args, 'lang');
  if (v === undefined) return langFromEnv(process.env);
  if (v !== 'en' && v !== 'ko') throw new UsageError(`--lang must be en or ko, not ${v}`);
  return v;
}

function extraDirs(args: ParsedArgs): string[] {
  const d = flagString(args, 'scenarios');
  return d ? [resolve(d)] : [];
}

function bugs(args: ParsedArgs): BugSwitchName[] {
  const v = flagString(args, 'bug');
  if (v === undefined) return [];
  try {
    return parseBugSwitches(v);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const list = (args: ParsedArgs, io: CliIo): number => {
  const service = new ScenarioService({ extraDirs: extraDirs(args) });
  const all = service.library.list();
  if (args.flags.has('json')) {
    io.out(JSON.stringify(all));
    return 0;
  }
  const l = lang(args);
  for (const s of all) {
    const tag = s.kind === 'challenge' ? ` [challenge${s.bugSwitch ? `; instructor switch ${s.bugSwitch}` : ''}]` : '';
    io.out(`${s.id.padEnd(28)} ${s.members} member${s.members === 1 ? ' ' : 's'}  ${pick(s.text.title, l)}${tag}`);
  }
  return 0;
};

const show = (args: ParsedArgs, io: CliIo): number => {
  const name = args.positionals[1];
  if (!name) throw new UsageError('scenario show needs a scenario name, e.g. zk-lab scenario show znodes-and-stat');
  const l = lang(args);
  const service = new ScenarioService({ extraDirs: extraDirs(args) });
  const d = service.library.detail(name);
  io.out(`${d.summary.id}: ${pick(d.summary.text.title, l)}`);
  io.out(pick(d.summary.text.goal, l));
  for (const [i, s] of d.steps.entries()) {
    io.out('');
    io.out(`[${i + 1}/${d.steps.length}] ${pick(s.title, l)}`);
    for (const line of wrap(pick(s.narration, l), 88)) io.out(`    ${line}`);
    if (s.learner) io.out(`  ? ${pick(s.learner.ask, l)}${s.learner.command ? `  (${s.learner.command})` : ''}`);
  }
  return 0;
};

const check = (args: ParsedArgs, io: CliIo): number => {
  const files = args.positionals.slice(1);
  if (files.length === 0) throw new UsageError('scenario check needs one or more files');
  let bad = 0;
  for (const f of files) {
    try {
      const doc = loadScenarioFile(f);
      io.out(`${f}: ok (${doc.id}, ${doc.steps.length} steps)`);
    } catch (e) {
      bad++;
      io.err(e instanceof ScenarioFileError ? e.message : `${f}: ${(e as Error).message}`);
    }
  }
  return bad === 0 ? 0 : EXIT_FAILED;
};

const run = async (args: ParsedArgs, io: CliIo): Promise<number> => {
  const name = args.positionals[1];
  if (!name) throw new UsageError('scenario run needs a scenario name or file, e.g. zk-lab scenario run znodes-and-stat');
  const dirFlag = flagString(args, 'dir');
  if (dirFlag && existsSync(resolve(dirFlag, 'lab.sqlite'))) throw new UsageError(`${resolve(dirFlag)} already holds a lab; a scenario creates its own lab (use a new --dir, or none)`);
  const json = args.flags.has('json');
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await runHeadless({
      scenario: name,
      dir: dirFlag,
      lang: lang(args),
      bugSwitches: bugs(args),
      out: json ? () => {} : io.out,
      service: { extraDirs: extraDirs(args) },
      signal: controller.signal,
    });
    if (json) io.out(JSON.stringify(result));
    return result.state === 'passed' ? 0 : result.state === 'unavailable' ? EXIT_UNAVAILABLE : EXIT_FAILED;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
};

const bugsCommand = (args: ParsedArgs, io: CliIo): number => {
  const l = lang(args);
  for (const b of allBugSwitches()) {
    io.out(`${b.name}: ${pick(b.title, l)}  (${b.zooCfg})`);
    for (const line of wrap(pick(b.description, l), 84)) io.out(`    ${line}`);
    for (const line of wrap(pick(b.changes, l), 84)) io.out(`    ${line}`);
  }
  io.out('These are instructor-only and off by default: pass --bug NAME to `scenario run` for a challenge.');
  return 0;
};

const record = async (args: ParsedArgs, io: CliIo): Promise<number> => {
  const what = args.positionals[1];
  const dir = resolve(flagString(args, 'dir') ?? DEFAULT_LAB_DIR);
  const client = await ControlClient.connect(dir);
  try {
    if (what === 'start') {
      const r = await client.invoke('scenario.record.start', {});
      io.out(r.message);
      return 0;
    }
    if (what === 'stop') {
      const file = args.positionals[2];
      if (!file) throw new UsageError('scenario record stop needs a file to write, e.g. zk-lab scenario record stop my-lesson.json');
      const id = resolve(file).split('/').pop()!.replace(/\.jsonc?$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
      const r = await client.invoke('scenario.record.stop', { id });
      if (existsSync(resolve(file))) throw new UsageError(`${resolve(file)} exists; choose another name`);
      writeFileSync(resolve(file), r.text);
      io.out(`wrote ${resolve(file)} (${r.summary.stepCount} steps); replay it with zk-lab scenario run ${file}`);
      return 0;
    }
    throw new UsageError('scenario record needs start or stop');
  } finally {
    client.close();
  }
};

/** `zk-lab scenario <sub> …` */
export const scenarioCommand: CommandFn = async (args, io) => {
  const sub = args.positionals[0];
  switch (sub) {
    case 'list':
      return list(args, io);
    case 'show':
      return show(args, io);
    case 'check':
      return check(args, io);
    case 'run':
      return run(args, io);
    case 'bugs':
      return bugsCommand(args, io);
    case 'record':
      return record(args, io);
    default:
      throw new UsageError(`scenario needs list, show, check, run, bugs or record${sub ? `, not ${JSON.stringify(sub)}` : ''}`);
  }
};

export const SCENARIO_USAGE = `  scenario list|show NAME|run NAME [--dir D] [--lang en|ko] [--bug NAME]|check FILE…|bugs|record start|stop FILE
                         guided lessons and break-it challenges, headless (docs/teaching.md)`;
