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

  get lineCount(): number {
    return this.starts().length;
  }
}

/**
 * Maps each character of a scalar's parsed value back to its offset in the file, so a token found
 * inside a `run:` block lands on the line and column a person sees. The value is a subsequence of the
 * source once quotes, indentation and folding are removed; whitespace in the value may stand for any
 * whitespace (folded line breaks) in the source.
 */
export function valueOffsets(
  source: string,
  start: number,
  end: number,
  value: string,
  block: boolean,
): Int32Array {
  const map = new Int32Array(value.length + 1);
  let j = start;
  if (block) {
    const newline = source.indexOf('\n', start);
    j = newline === -1 || newline >= end ? end : newline + 1;
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const isSpace = c === 32 || c === 9 || c === 10 || c === 13;
    while (j < end) {
      const s = source.charCodeAt(j);
      if (s === c || (isSpace && (s === 32 || s === 9 || s === 10 || s === 13))) break;
      j++;
    }
    map[i] = Math.min(j, end);
    if (j < end) j++;
  }
  map[value.length] = Math.min(j, end);
  return map;
}
