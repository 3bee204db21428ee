/**
 * JSON with comments (`//`, `/* *\/`) and trailing commas — the scenario file format —
 * parsed into plain values plus a map from each value's JSON pointer to where it starts
 * in the text, so a validator can say "line 42: steps[3].do[0].member must be …" and show
 * the line. Nothing else is relaxed: keys are quoted, strings use JSON escapes.
 */

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ParsedJsonc {
  value: JsonValue;
  /** Where the value at a JSON pointer (`/steps/3/do/0`) starts; the nearest parent when unknown. */
  locate(pointer: string): SourcePosition;
  /** The source line with a caret under `position`, for error messages. */
  excerpt(position: SourcePosition): string;
}

/** A syntax or validation error that points into the file. */
export class SourceError extends Error {
  override name = 'SourceError';
  constructor(
    readonly source: string,
    readonly position: SourcePosition,
    readonly reason: string,
    excerpt: string,
  ) {
    super(`${source}:${position.line}:${position.column}: ${reason}\n${excerpt}`);
  }
}

export function parseJsonc(text: string, source = '<input>'): ParsedJsonc {
  const positions = new Map<string, number>();
  let i = 0;

  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const positionOf = (offset: number): SourcePosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const excerpt = (p: SourcePosition): string => {
    const start = lineStarts[p.line - 1] ?? 0;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
    return `  ${line}\n  ${' '.repeat(Math.max(0, p.column - 1))}^`;
  };
  const fail = (reason: string, at = i): never => {
    const p = positionOf(Math.min(at, text.length));
    throw new SourceError(source, p, reason, excerpt(p));
  };

  const skip = (): void => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\ufeff') i++;
      else if (c === '/' && text[i + 1] === '/') {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('unterminated /* comment');
        i = end + 2;
      } else return;
    }
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\n') fail('a string cannot span lines (use \\n)');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail(`bad escape \\${e ?? ''} in a string`);
      } else {
        out += c;
        i++;
      }
    }
  };

  const parseValue = (pointer: string): JsonValue => {
    skip();
    positions.set(pointer, i);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: JsonValue } = {};
      skip();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skip();
        if (text[i] === '}') {
          i++; // trailing comma
          return obj;
        }
        if (text[i] !== '"') fail('expected a quoted key');
        const keyAt = i;
        const key = parseString();
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
        skip();
        if (text[i] !== ':') fail(`expected ':' after the key ${JSON.stringify(key)}`);
        i++;
        obj[key] = parseValue(`${pointer}/${escapePointer(key)}`);
        skip();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      for (;;) {
        skip();
        if (text[i] === ']') {
          i++;
          return arr;
        }
        arr.push(parseValue(`${pointer}/${arr.length}`));
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail("expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) fail(i >= text.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(c)}`);
    i += m![0].length;
    const word = m![0];
    return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
  };

  const value = parseValue('');
  skip();
  if (i < text.length) fail('unexpected text after the end of the document');

  return {
    value,
    locate(pointer) {
      for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
        const at = positions.get(p);
        if (at !== undefined) return positionOf(at);
        if (p === '') return { line: 1, column: 1 };
      }
    },
    excerpt,
  };
}

/** RFC 6901 escaping of one reference token. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `/steps/3/do/0` → `steps[3].do[0]` for messages people read. */
export function describePointer(pointer: string): string {
  if (pointer === '') return '(the document)';
  return pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, t) => (/^\d+$/.test(t) ? `${acc}[${t}]` : acc ? `${acc}.${t}` : t), '');
}
