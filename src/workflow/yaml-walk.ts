import { isAlias, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Document } from 'yaml';

/** A key GitHub refuses, which makes it reject the whole file: why, and where the key is. */
export interface RefusedKey {
  message: string;
  start: number;
  end: number;
}

const MERGE_KEY =
  'GitHub Actions does not support YAML merge keys (`<<:`), only anchors and aliases: write the merged keys out, or alias the whole mapping';

/**
 * One pass over the document: the first key GitHub refuses (one that repeats within a mapping, else a
 * merge key), whether any alias (or a key that is not a scalar) is used, and the values of double-quoted
 * strings, the only ones whose text can differ from what the file spells out (escapes).
 */
export function walkDocument(doc: Document): { refused?: RefusedKey; aliases: boolean; quoted: string[] } {
  let aliases = false;
  let mergeKey: RefusedKey | undefined;
  const quoted: string[] = [];
  // Each node with whether it lies under a `matrix:`, whose values GitHub takes as data of any shape.
  const stack: [unknown, boolean][] = [[doc.contents, false]];
  const visitScalar = (node: Scalar): void => {
    if (node.type === Scalar.QUOTE_DOUBLE && typeof node.value === 'string') quoted.push(node.value);
  };
  while (stack.length > 0) {
    const [node, inMatrix] = stack.pop()!;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          visitScalar(key);
          const name = String(key.value);
          if (seen.has(name)) {
            const message = `YAML syntax error: the key "${name}" appears twice in one mapping`;
            return {
              refused: { message, start: key.range?.[0] ?? 0, end: key.range?.[1] ?? 0 },
              aliases,
              quoted,
            };
          }
          seen.add(name);
          // A plain `<<` key is YAML 1.1's merge key, which GitHub does not support (only anchors and
          // aliases): the runner rejects the file, so nothing in it runs as the merged mapping says.
          if (name === '<<' && key.type === Scalar.PLAIN && !inMatrix && !mergeKey)
            mergeKey = { message: MERGE_KEY, start: key.range?.[0] ?? 0, end: key.range?.[1] ?? 0 };
          stack.push([pair.value, inMatrix || name === 'matrix']);
        } else {
          if (key !== null) aliases = true; // an alias or a complex key: modelled, never skipped
          stack.push([pair.value, inMatrix]);
        }
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push([item, inMatrix]);
    } else if (isScalar(node)) visitScalar(node);
    else if (isAlias(node)) aliases = true;
  }
  return { aliases, quoted, ...(mergeKey ? { refused: mergeKey } : {}) };
}
