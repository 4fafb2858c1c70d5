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

/** Cut to `width` characters from the left, the first one an ellipsis: the end of a path is what names it. */
export function cutLeft(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? ELLIPSIS.slice(0, width) : ELLIPSIS + text.slice(text.length - width + 1);
}

/** How a table column may give room: down to the widest part of its cells that must stay whole. */
export interface Column {
  /** The start of a cell that is never cut (from the end, or from the start with `fromLeft`). */
  keep: (cell: string) => string;
  /** Cut from the left, keeping the end of the cell. */
  fromLeft?: boolean;
}

/**
 * Columns padded to the widest cell. When the rows are wider than `width`, the columns `give` lists are
 * cut in that order, each down to the widest part its cells keep (plus the ellipsis); undefined when
 * even that is not enough, so the caller can lay the rows out another way.
 */
export function table(
  rows: string[][],
  width: number,
  columns: readonly Column[],
  give: readonly number[],
  gap = 2,
): { lines: string[]; widths: number[] } | undefined {
  const count = columns.length;
  const widths = columns.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  let over = widths.reduce((a, b) => a + b, 0) + gap * (count - 1) - width;
  for (const c of give) {
    // The header is never cut below its own name; a cell longer than what it keeps needs the ellipsis.
    const least = Math.max(
      rows[0]![c]!.length,
      ...rows.slice(1).map((r) => {
        const kept = columns[c]!.keep(r[c]!).length;
        return kept < r[c]!.length ? kept + 1 : kept;
      }),
    );
    const spare = Math.max(0, Math.min(over, widths[c]! - least));
    widths[c]! -= spare;
    over -= spare;
  }
  if (over > 0) return undefined;
  const lines = rows.map((r) =>
    r
      .map((cell, c) => {
        const fitted = columns[c]!.fromLeft ? cutLeft(cell, widths[c]!) : cut(cell, widths[c]!);
        return c === count - 1 ? fitted : fitted.padEnd(widths[c]!);
      })
      .join(' '.repeat(gap))
      .trimEnd(),
  );
  return { lines, widths };
}
