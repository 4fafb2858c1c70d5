import type { Position } from './scanner.js';

/**
 * Where a value sits in a message's text, so a finding about a log points at the very field that decides
 * it (`apiKeySource`'s value, a model's `provider`). The text already parsed as JSON, so this walk only
 * skips values and compares keys; it never copies the log's text anywhere.
 */

export interface Located {
  start: Position;
  end: Position;
}

/** The span of the value at `path` (object keys, outermost first) in `text`, which starts at `origin`. */
export function locate(text: string, path: readonly string[], origin: Position): Located | undefined {
  const walker = new Walker(text);
  const found = walker.find(0, path);
  if (!found) return undefined;
  return { start: positionAt(text, found[0], origin), end: positionAt(text, found[1], origin) };
}

/** The line and column of `offset` in `text`, counted in code points from `origin`. */
export function positionAt(text: string, offset: number, origin: Position): Position {
  let { line, column } = origin;
  for (let i = 0; i < offset; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) {
      line++;
      column = 1;
    } else if (code < 0xdc00 || code > 0xdfff) column++;
  }
  return { line, column };
}

class Walker {
  constructor(private readonly text: string) {}

  private space(i: number): number {
    while (i < this.text.length && /\s/.test(this.text[i]!)) i++;
    return i;
  }

  /** The end of the string that opens at `i`. */
  private string(i: number): number {
    for (let j = i + 1; j < this.text.length; j++) {
      const c = this.text[j];
      if (c === '\\') j++;
      else if (c === '"') return j + 1;
    }
    return this.text.length;
  }

  /** The end of the value that starts at `i`. */
  private value(i: number): number {
    const c = this.text[i];
    if (c === '"') return this.string(i);
    if (c !== '{' && c !== '[') {
      let j = i;
      while (j < this.text.length && !/[\s,\]}]/.test(this.text[j]!)) j++;
      return j;
    }
    let j = this.space(i + 1);
    while (j < this.text.length && this.text[j] !== '}' && this.text[j] !== ']') {
      if (c === '{') j = this.space(this.string(j)) + 1;
      j = this.space(this.value(this.space(j)));
      if (this.text[j] === ',') j = this.space(j + 1);
    }
    return j + 1;
  }

  /** [start, end) of the value at `path` inside the value at `i`, or undefined. */
  find(i: number, path: readonly string[]): [number, number] | undefined {
    i = this.space(i);
    if (path.length === 0) return [i, this.value(i)];
    if (this.text[i] !== '{') return undefined;
    let j = this.space(i + 1);
    while (j < this.text.length && this.text[j] === '"') {
      const keyEnd = this.string(j);
      const key = JSON.parse(this.text.slice(j, keyEnd)) as string;
      const valueStart = this.space(this.space(keyEnd) + 1);
      if (key === path[0]) return this.find(valueStart, path.slice(1));
      j = this.space(this.value(valueStart));
      if (this.text[j] === ',') j = this.space(j + 1);
    }
    return undefined;
  }
}
