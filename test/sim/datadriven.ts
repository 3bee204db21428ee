/**
 * A minimal cockroachdb/datadriven runner (style.md B8): a file is a list of blocks
 *
 *   # comments
 *   command key=value key=value
 *   ----
 *   expected output (no blank lines)
 *
 * separated by blank lines. Each command's output is compared with the expected text;
 * with REWRITE_GOLDEN=1 the file is rewritten with the actual outputs instead (review the
 * diff before committing it).
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface Command {
  name: string;
  args: Map<string, string>;
  line: number;
}

interface Block {
  comments: string[];
  command: string;
  expected: string;
  line: number;
}

function parse(text: string): { blocks: Block[]; trailing: string[] } {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let comments: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.trim() === '') {
      i++;
      continue;
    }
    if (l.startsWith('#')) {
      comments.push(l);
      i++;
      continue;
    }
    const line = i + 1;
    const command = l;
    i++;
    if (lines[i] !== '----') throw new Error(`line ${line}: expected ---- after the command`);
    i++;
    const out: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') out.push(lines[i++]!);
    blocks.push({ comments, command, expected: out.join('\n'), line });
    comments = [];
  }
  return { blocks, trailing: comments };
}

export function parseCommand(text: string, line: number): Command {
  const [name, ...rest] = text.trim().split(/\s+/);
  const args = new Map<string, string>();
  for (const r of rest) {
    const eq = r.indexOf('=');
    if (eq < 0) args.set(r, '');
    else args.set(r.slice(0, eq), r.slice(eq + 1));
  }
  return { name: name!, args, line };
}

/** Runs every block of `file` through `run`; returns mismatch descriptions (empty when all match). */
export async function runDataDriven(file: string, run: (cmd: Command) => Promise<string> | string): Promise<string[]> {
  const { blocks, trailing } = parse(readFileSync(file, 'utf8'));
  const rewrite = process.env.REWRITE_GOLDEN === '1';
  const problems: string[] = [];
  const outText: string[] = [];
  for (const b of blocks) {
    const actual = (await run(parseCommand(b.command, b.line))).trimEnd();
    if (actual.split('\n').some((l) => l.trim() === '')) throw new Error(`line ${b.line}: output may not contain blank lines`);
    if (!rewrite && actual !== b.expected) {
      problems.push(`${file}:${b.line} ${b.command}\n--- expected\n${b.expected}\n--- actual\n${actual}`);
    }
    outText.push([...b.comments, b.command, '----', actual].join('\n'));
  }
  if (rewrite) writeFileSync(file, outText.join('\n\n') + '\n' + (trailing.length ? '\n' + trailing.join('\n') + '\n' : ''));
  return problems;
}
