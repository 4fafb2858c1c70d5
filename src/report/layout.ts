/** Fitting text to a terminal: cut with an ellipsis, wrap at spaces, and a table that drops to lines. */

const ELLIPSIS = '…';

/** Cut to `width` characters, the last one an ellipsis when anything was left out. */
export function cut(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? ELLIPSIS.slice(0, width) : text.slice(0, width - 1) + ELLIPSIS;
}

/** Word-wrap `text` to `width`, the first line after `first`, the others after `rest` (same width). */
export function wrap(text: string, width: number, first: string, rest = ' '.repeat(first.length)): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const prefix = lines.length === 0 ? first : rest;
    const room = width - prefix.length;
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    if (empty && word.length > room) {
      // A word longer than the line (a URL, a path) is cut rather than overflowing.
      line += cut(word, Math.max(1, width - line.length));
    } else line += (empty ? '' : ' ') + word;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}

/** 40-hex commit pins read as their 7-character short form. */
export function shortPins(text: string): string {
  return text.replace(/@([0-9a-f]{7})[0-9a-f]{33}\b/g, '@$1');
}

/**
 * Columns padded to the widest cell. When the rows are wider than `width`, the columns `give` lists are
 * cut in that order (each down to a few characters, cells ending in an ellipsis); undefined when even
 * that is not enough, so the caller can lay the rows out another way.
 */
export function table(rows: string[][], width: number, give: number[], gap = 2): string[] | undefined {
  const count = rows[0]!.length;
  const widths = Array.from({ length: count }, (_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  let over = widths.reduce((a, b) => a + b, 0) + gap * (count - 1) - width;
  const MIN = 8;
  for (const column of give) {
    const spare = Math.max(0, Math.min(over, widths[column]! - MIN));
    widths[column]! -= spare;
    over -= spare;
  }
  if (over > 0) return undefined;
  return rows.map((r) =>
    r
      .map((cell, c) => {
        const fitted = cut(cell, widths[c]!);
        return c === count - 1 ? fitted : fitted.padEnd(widths[c]!);
      })
      .join(' '.repeat(gap))
      .trimEnd(),
  );
}
