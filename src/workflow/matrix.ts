import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Json } from './evaluate.js';

/**
 * A job's `strategy.matrix` as the combinations GitHub runs: the product of its lists, less `exclude`,
 * with `include` added to the combinations it fits or as new ones. `unknown` when the files do not fix
 * it: an expression anywhere in it (`${{ fromJSON(needs.x.outputs.m) }}`), or more than GitHub allows.
 */
export type Matrix = { combinations: Record<string, Json>[] } | 'unknown';

/** GitHub's own cap on the jobs one matrix makes. */
export const MAX_COMBINATIONS = 256;
/** YAML nodes read from one matrix, and their nesting: past them, the matrix is run time's. */
const MAX_NODES = 4096;
const MAX_NESTING = 16;

class Unfixed extends Error {}

/** `resolve` follows an alias to its node (the model's bounded hops). */
export function readMatrix(node: Node | null, resolve: (n: unknown) => Node | null): Matrix {
  let nodes = 0;
  const toJson = (raw: unknown, depth: number): Json => {
    const n = resolve(raw);
    if (++nodes > MAX_NODES || depth > MAX_NESTING) throw new Unfixed();
    if (isScalar(n)) {
      const v = n.value;
      if (typeof v === 'string' && v.includes('${{')) throw new Unfixed();
      if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
      return String(v);
    }
    if (isSeq(n)) return n.items.map((item) => toJson(item, depth + 1));
    if (isMap(n)) {
      const out: Record<string, Json> = {};
      for (const pair of n.items) {
        const key = resolve(pair.key);
        if (!isScalar(key)) throw new Unfixed();
        out[String(key.value)] = toJson(pair.value, depth + 1);
      }
      return out;
    }
    if (n === null) return null;
    throw new Unfixed();
  };
  try {
    const table = toJson(node, 0);
    if (table === null || typeof table !== 'object' || Array.isArray(table)) return 'unknown';
    return combinationsOf(table);
  } catch (error) {
    if (error instanceof Unfixed) return 'unknown';
    throw error;
  }
}

const same = (a: Json | undefined, b: Json): boolean => JSON.stringify(a) === JSON.stringify(b);

function combinationsOf(table: Record<string, Json>): Matrix {
  const keys = Object.keys(table).filter((k) => k !== 'include' && k !== 'exclude');
  let combinations: Record<string, Json>[] = keys.length > 0 ? [{}] : [];
  for (const key of keys) {
    const values = table[key];
    if (!Array.isArray(values)) return 'unknown';
    combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
    if (combinations.length > MAX_COMBINATIONS) return 'unknown';
  }
  const list = (name: string): Record<string, Json>[] | undefined => {
    const v = table[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((e) => e === null || typeof e !== 'object' || Array.isArray(e)))
      return undefined;
    return v as Record<string, Json>[];
  };
  const exclude = list('exclude');
  const include = list('include');
  if (!exclude || !include) return 'unknown';
  combinations = combinations.filter(
    (c) => !exclude.some((e) => Object.keys(e).every((k) => same(c[k], e[k]!))),
  );
  const original = new Set(keys);
  const base = combinations.map((c) => ({ original: { ...c }, values: c }));
  const added: Record<string, Json>[] = [];
  for (const extra of include) {
    // An include joins each combination whose original values it does not change; else it is a new one.
    const fits = base.filter((c) =>
      Object.keys(extra).every((k) => !original.has(k) || same(c.original[k], extra[k]!)),
    );
    for (const c of fits) Object.assign(c.values, extra);
    if (fits.length === 0) added.push({ ...extra });
  }
  const all = [...base.map((c) => c.values), ...added];
  if (all.length === 0 || all.length > MAX_COMBINATIONS) return 'unknown';
  return { combinations: all };
}
