/**
 * JSON written piece by piece: a report of fifty thousand files is tens of megabytes as one string (and
 * as much again in each copy on its way to stdout), while each of its entries is small. The pieces join
 * to exactly `JSON.stringify(value, null, 2)`.
 */

/** An array whose entries are made only as they are written (a finding in its JSON shape). */
export class Mapped<T, U> {
  constructor(
    readonly items: readonly T[],
    readonly shape: (item: T) => U,
  ) {}
}

const INDENT = '  ';

function whole(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2);
  // JSON escapes line breaks inside strings, so every raw one is structure, shifted to this depth.
  return indent === '' ? text : text.replace(/\n/g, `\n${indent}`);
}

/** Undefined, functions and symbols are left out of objects and are `null` in arrays, as JSON.stringify does. */
function absent(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * The pieces of `value` as JSON.stringify writes it with two spaces: objects and arrays are opened down to
 * `depth` levels, and below that each value is one piece.
 */
export function* jsonPieces(value: unknown, depth: number, indent = ''): Generator<string> {
  const list =
    value instanceof Mapped
      ? (value as Mapped<unknown, unknown>)
      : Array.isArray(value)
        ? new Mapped(value as unknown[], (item) => (absent(item) ? null : item))
        : undefined;
  if (depth <= 0 || value === null || typeof value !== 'object' || 'toJSON' in value) {
    yield whole(list ? list.items.map(list.shape) : value, indent);
    return;
  }
  const inner = indent + INDENT;
  if (list) {
    if (list.items.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < list.items.length; i++) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      yield* jsonPieces(list.shape(list.items[i]), depth - 1, inner);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => !absent(v));
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    yield `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* jsonPieces(item, depth - 1, inner);
  }
  yield `\n${indent}}`;
}

/** Gathers pieces into writes of about `size` characters: one write per piece would be a syscall each. */
export function writeInBatches(pieces: Iterable<string>, write: (text: string) => void, size = 65536): void {
  let batch = '';
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= size) {
      write(batch);
      batch = '';
    }
  }
  if (batch !== '') write(batch);
}
