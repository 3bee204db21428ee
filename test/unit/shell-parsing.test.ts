/**
 * How the shell splits lines and parses flags: zkCli's tokenizer and commons-cli 1.5's
 * DefaultParser, including the quirks users can observe (checked against zkCli.sh 3.8).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeLine } from '../../engine/src/shell/line-tokenizer.js';
import { parseOptions, OptionParseError, type OptionTable } from '../../engine/src/shell/cli-options.js';
import { pathProblem } from '../../engine/src/shell/path-rules.js';

test('tokenizer: words, quotes, and zkCli\'s unclosed-quote behaviour', () => {
  assert.deepEqual(tokenizeLine('ls /'), ['ls', '/']);
  assert.deepEqual(tokenizeLine('  create   /a  "hello world" '), ['create', '/a', 'hello world']);
  assert.deepEqual(tokenizeLine("set /a 'it\"s'"), ['set', '/a', 'it"s']);
  assert.deepEqual(tokenizeLine('set /a ""'), ['set', '/a', '']);
  // Checked with java.util.regex and zkCli's pattern: an unclosed quote is dropped…
  assert.deepEqual(tokenizeLine('create /q "hello world'), ['create', '/q', 'hello', 'world']);
  // …or, at the start of a line, glued to the blank before it.
  assert.deepEqual(tokenizeLine(" 'a b"), [" 'a", 'b']);
  // zkCli.sh: `create /q3 x"y z"` → data `x"y`, acl `z"`.
  assert.deepEqual(tokenizeLine('create /q3 x"y z"'), ['create', '/q3', 'x"y', 'z"']);
  // A line of blanks is one blank word (zkCli answers `Command not found:  `).
  assert.deepEqual(tokenizeLine('   '), [' ']);
  assert.deepEqual(tokenizeLine(''), []);
  // Java's \s is ASCII only: a no-break space is part of a word.
  assert.deepEqual(tokenizeLine('get /a\u00a0b'), ['get', '/a\u00a0b']);
});

const SET: OptionTable = {
  options: [
    { key: 's', hasArg: false, description: 'stats' },
    { key: 'v', hasArg: true, description: 'version' },
  ],
};

function errorText(table: OptionTable, words: string[]): string {
  try {
    parseOptions(table, words);
  } catch (e) {
    assert.ok(e instanceof OptionParseError);
    return e.cliText;
  }
  assert.fail(`expected ${words.join(' ')} to fail`);
}

test('options anywhere, combined, attached or separate values', () => {
  let p = parseOptions(SET, ['set', '/a', 'x', '-s']);
  assert.deepEqual(p.args, ['set', '/a', 'x']);
  assert.equal(p.has('s'), true);
  assert.equal(p.has('v'), false);
  p = parseOptions(SET, ['set', '-v', '3', '/a', 'x']);
  assert.equal(p.value('v'), '3');
  assert.equal(parseOptions(SET, ['set', '-v3', '/a', 'x']).value('v'), '3');
  assert.equal(parseOptions(SET, ['set', '-v=4', '/a', 'x']).value('v'), '4');
  p = parseOptions(SET, ['set', '-sv', '5', '/a', 'x']);
  assert.equal(p.value('v'), '5');
  assert.equal(p.has('s'), true);
  assert.equal(parseOptions(SET, ['set', '-sv7', '/a']).value('v'), '7');
  // A negative number is a value, not a flag.
  assert.equal(parseOptions(SET, ['set', '-v', '-1', '/a', 'x']).value('v'), '-1');
  assert.deepEqual(parseOptions(SET, ['set', '--', '-s', '-x']).args, ['set', '-s', '-x']);
  assert.deepEqual(parseOptions(SET, ['set', '/a', '-']).args, ['set', '/a', '-']);
});

test('commons-cli error texts', () => {
  assert.equal(errorText(SET, ['set', '-x', '/']), 'org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x');
  assert.equal(errorText(SET, ['set', '/a', '-1']), 'org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -1');
  assert.equal(errorText(SET, ['set', '--long']), 'org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: --long');
  assert.equal(errorText(SET, ['set', '-v']), 'org.apache.commons.cli.MissingArgumentException: Missing argument for option: v');
  assert.equal(errorText(SET, ['set', '-v', '-s', '/a']), 'org.apache.commons.cli.MissingArgumentException: Missing argument for option: v');
  assert.equal(errorText(SET, ['set', '-sx']), 'org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -sx');
});

const QUOTA: OptionTable = {
  options: [
    { key: 'n', hasArg: true, description: 'num soft quota' },
    { key: 'b', hasArg: true, description: 'bytes soft quota' },
    { key: 'N', hasArg: true, description: 'num hard quota' },
    { key: 'B', hasArg: true, description: 'bytes hard quota' },
  ],
  group: { keys: ['n', 'b', 'N', 'B'], required: true },
};

test('option groups: one required, only one allowed', () => {
  assert.equal(
    errorText(QUOTA, ['setquota', '/w']),
    'org.apache.commons.cli.MissingOptionException: Missing required option: [-n num soft quota, -b bytes soft quota, -N num hard quota, -B bytes hard quota]',
  );
  assert.equal(
    errorText(QUOTA, ['setquota', '-n', '1', '-b', '2', '/w']),
    "org.apache.commons.cli.AlreadySelectedException: The option 'b' was specified but an option from this group has already been selected: 'n'",
  );
  assert.equal(parseOptions(QUOTA, ['setquota', '-n', '1', '-n', '2', '/w']).value('n'), '1');
});

test('client-side path rules with the Java texts', () => {
  assert.equal(pathProblem('/'), null);
  assert.equal(pathProblem('/a/b'), null);
  assert.equal(pathProblem('a'), 'Path must start with / character');
  assert.equal(pathProblem(''), 'Path length must be > 0');
  assert.equal(pathProblem('/a/'), 'Path must not end with / character');
  assert.equal(pathProblem('/a/', true), null);
  assert.equal(pathProblem('/a//b'), 'Invalid path string "/a//b" caused by empty node name specified @3');
  assert.equal(pathProblem('/a/./b'), 'Invalid path string "/a/./b" caused by relative paths not allowed @3');
  assert.equal(pathProblem('/a/..'), 'Invalid path string "/a/.." caused by relative paths not allowed @4');
  assert.equal(pathProblem('/a/.b'), null);
  assert.equal(pathProblem('/a\u0001'), 'Invalid path string "/a\u0001" caused by invalid character @2');
  assert.equal(pathProblem('/a\u0000'), 'Invalid path string "/a\u0000" caused by null character not allowed @2');
  assert.equal(pathProblem('/\ud83d\ude00'), 'Invalid path string "/\ud83d\ude00" caused by invalid character @1');
});
