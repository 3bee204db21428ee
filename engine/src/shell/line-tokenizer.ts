/**
 * Splits a typed line into words exactly as zkCli does (ZooKeeperMain.MyCommandOptions
 * #parseCommand): a word is a run of non-space characters, or a `"…"` / `'…'` string whose
 * quotes are removed. zkCli's pattern has quirks users can see, kept on purpose so scripts
 * behave the same in both shells: an unclosed quote is not an error (it sticks to the word
 * or is dropped), and a line of blanks is one blank word (`Command not found`).
 */

/** Java's `\s` is ASCII-only; JavaScript's is not, so spell the class out. */
const SPACE = '[ \\t\\n\\x0B\\f\\r]';
const NON_SPACE = '[^ \\t\\n\\x0B\\f\\r]';
const ARGS_PATTERN = new RegExp(`${SPACE}*([^"']${NON_SPACE}*|"[^"]*"|'[^']*')${SPACE}*`, 'g');
const QUOTED_PATTERN = /^(['"])([\s\S]*)\1$/;

export function tokenizeLine(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(ARGS_PATTERN)) {
    const word = match[1];
    words.push(QUOTED_PATTERN.test(word) ? word.slice(1, -1) : word);
  }
  return words;
}
