import type { Span } from '../types.js';

/** The text of one file with the means to turn offsets into spans a person can find. */
export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  position(offset: number): { line: number; column: number } {
    const starts = this.starts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    // A column never points past what a person sees: the \r of a CRLF line ending is invisible.
    const next = starts[lo + 1];
    let visibleEnd = next === undefined ? this.text.length : next - 1;
    if (visibleEnd > starts[lo]! && this.text.charCodeAt(visibleEnd - 1) === 13) visibleEnd--;
    return { line: lo + 1, column: Math.min(clamped, visibleEnd) - starts[lo]! + 1 };
  }

  span(start: number, end: number): Span {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, '');
  }

  /** The offset where `line` starts; past the last line, the end of the text. */
  lineStart(line: number): number {
    return this.starts()[line - 1] ?? this.text.length;
  }

  get lineCount(): number {
    return this.starts().length;
  }
}

/**
 * Maps each character of a scalar's parsed value back to its offset in the file, so a token found
 * inside a `run:` block lands on the line and column a person sees. The value is a subsequence of the
 * source once quotes, indentation and folding are removed; whitespace in the value may stand for any
 * whitespace (folded line breaks) in the source. In a double-quoted scalar an escape (`\x63`, `\u0063`)
 * is one character of the value that sits where its backslash does, and an escaped line break is none.
 */
export function valueOffsets(
  source: string,
  start: number,
  end: number,
  value: string,
  block: boolean,
): Int32Array {
  const map = new Int32Array(value.length + 1);
  const doubleQuoted = !block && source.charCodeAt(start) === 34;
  let j = start;
  if (block) {
    const newline = source.indexOf('\n', start);
    j = newline === -1 || newline >= end ? end : newline + 1;
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const isSpace = c === 32 || c === 9 || c === 10 || c === 13;
    let at = end;
    let units = 1;
    while (j < end) {
      const s = source.charCodeAt(j);
      if (doubleQuoted && s === 92) {
        const escape = escapeAt(source, j, end);
        j = escape.next;
        if (escape.units === 0) continue;
        // Every unit the escape stands for (two for a character beyond U+FFFF) sits at its backslash.
        at = j - escape.length;
        units = escape.units;
        break;
      }
      if (s === c || (isSpace && (s === 32 || s === 9 || s === 10 || s === 13))) {
        at = j++;
        break;
      }
      j++;
    }
    for (let k = 0; k < units && i + k < value.length; k++) map[i + k] = at;
    i += units - 1;
  }
  map[value.length] = Math.min(j, end);
  return map;
}

const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/** The escape at a backslash of a double-quoted scalar: value units it yields, and where it ends. */
function escapeAt(source: string, at: number, end: number): { units: number; next: number; length: number } {
  const kind = source[at + 1] ?? '';
  if (kind === '\n' || kind === '\r') {
    // An escaped line break joins the lines: the break and the next line's indentation are not in the value.
    let next = at + 2;
    if (kind === '\r' && source[next] === '\n') next++;
    while (next < end && (source[next] === ' ' || source[next] === '\t')) next++;
    return { units: 0, next, length: next - at };
  }
  const digits = HEX_DIGITS[kind];
  const next = Math.min(at + 2 + (digits ?? 0), end);
  const code = digits === undefined ? 0 : Number.parseInt(source.slice(at + 2, next), 16);
  return { units: code > 0xffff ? 2 : 1, next, length: next - at };
}

/** Where a YAML comment starts on a line: a `#` at the start or after a blank, outside quotes; -1 for none. */
export function commentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return i;
  }
  return -1;
}
