/**
 * The values of GitHub's expression language: truthiness, how a value is written into a string or read
 * as a number, `==` and the comparisons, property reads, and the functions whose result the files can
 * fix. Pure; a result too large to keep throws GiveUp, which the evaluator turns into "not evaluated".
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What kind of value an unknown is, so its falsy value is known: `''` for a string, `false`, `0`. */
export type ValueType = 'string' | 'boolean' | 'number' | 'any';

/** Thrown where evaluating costs more than the bounds allow: the value is then read by its shape. */
export class GiveUp extends Error {}

/** Characters a string built by `format`, `join` or `toJSON` may reach. */
export const MAX_STRING = 65536;

/** GitHub's truthiness: false, 0, -0, NaN, '' and null are falsy; arrays and objects are truthy. */
export function truthy(value: Json): boolean {
  if (value === null || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

/** A value as GitHub writes it into a string (an env value, a `format` argument); undefined for objects. */
export function asText(value: Json): string | undefined {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return value;
  return undefined;
}

/** GitHub's number coercion: null 0, booleans 1 and 0, a string parsed whole (empty is 0), others NaN. */
function asNumber(value: Json): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return 0;
    return /^[-+]?(0x[0-9a-f]+|(\d+\.?\d*|\.\d+)(e[-+]?\d+)?|infinity)$/i.test(trimmed)
      ? Number(trimmed.replace(/infinity/i, 'Infinity'))
      : NaN;
  }
  return NaN;
}

function sameKind(a: Json, b: Json): boolean {
  const kind = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  return kind(a) === kind(b);
}

/** `==`: strings ignore case; values of different kinds compare as numbers; arrays and objects by identity. */
export function looseEquals(a: Json, b: Json): boolean {
  if (sameKind(a, b)) {
    if (typeof a === 'string') return a.toLowerCase() === (b as string).toLowerCase();
    if (typeof a === 'number') return a === b;
    return a === b;
  }
  if (typeof a === 'object' && a !== null) return false;
  if (typeof b === 'object' && b !== null) return false;
  return asNumber(a) === asNumber(b);
}

export function compare(op: string, a: Json, b: Json): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
  }
  const x = asNumber(a);
  const y = asNumber(b);
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

/** `value.key` or `value[key]`: a property of an object (names ignore case) or an index of an array. */
export function property(value: Json, key: Json): Json {
  if (Array.isArray(value)) {
    const index = asNumber(key);
    return Number.isInteger(index) && index >= 0 && index < value.length ? value[index]! : null;
  }
  if (value === null || typeof value !== 'object' || typeof key !== 'string') return null;
  const lower = key.toLowerCase();
  const name = Object.keys(value).find((k) => k.toLowerCase() === lower);
  return name === undefined ? null : value[name]!;
}

/** A function of GitHub's: how many arguments it takes, what its result is when unknown, and its value. */
export interface Fn {
  min: number;
  max: number;
  type: ValueType;
  /** The result, or undefined when the files cannot decide it. */
  apply(args: Json[]): Json | undefined;
  /**
   * Whether the argument at `index` cannot change the result, given the arguments before it: a value
   * the files do not give there still leaves the result known (`format('', secrets.X)` is '').
   */
  ignores?(before: Json[], index: number): boolean;
}

const text = (v: Json): string | undefined => asText(v);

/**
 * The pieces of a `format` template: literal text, and the argument index each `{N}` names (`{{` and
 * `}}` are braces; a `{` that opens no index is -1, which no argument fills).
 */
function* formatPieces(template: string): Generator<string | number> {
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      yield c;
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)\}/.exec(template.slice(i, i + 12));
      yield m ? Number(m[1]) : -1;
      if (m) i += m[0].length - 1;
    } else yield c;
  }
}

/** `format('{0} and {1}', a, b)`, with `{{` and `}}` for braces; an index with no argument fails. */
function format(args: Json[]): Json | undefined {
  const template = text(args[0]!);
  if (template === undefined) return undefined;
  let out = '';
  for (const piece of formatPieces(template)) {
    if (typeof piece === 'string') out += piece;
    else {
      const arg = args[piece + 1];
      const written = arg === undefined ? undefined : text(arg);
      if (written === undefined) throw new GiveUp();
      out += written;
    }
    if (out.length > MAX_STRING) throw new GiveUp();
  }
  return out;
}

/** An argument no `{N}` of a known template names is never written. */
function formatIgnores(before: Json[], index: number): boolean {
  const template = before.length > 0 ? text(before[0]!) : undefined;
  if (index === 0 || template === undefined) return false;
  for (const piece of formatPieces(template)) if (piece === index - 1) return false;
  return true;
}

/** JSON nested deeper than this is not parsed: its text is what the file wrote, and bounded already. */
const MAX_JSON_DEPTH = 32;

function fromJSON(args: Json[]): Json | undefined {
  const source = args[0];
  if (typeof source !== 'string') return undefined;
  let depth = 0;
  let deepest = 0;
  for (const c of source) {
    if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  if (deepest > MAX_JSON_DEPTH) throw new GiveUp();
  try {
    return JSON.parse(source) as Json;
  } catch {
    throw new GiveUp();
  }
}

function toJSON(args: Json[]): Json | undefined {
  const written = JSON.stringify(args[0], null, 2);
  if (written.length > MAX_STRING) throw new GiveUp();
  return written;
}

function search(args: Json[], test: (hay: string, needle: string) => boolean): Json | undefined {
  const hay = text(args[0]!);
  const needle = text(args[1]!);
  if (hay === undefined || needle === undefined) return undefined;
  return test(hay.toLowerCase(), needle.toLowerCase());
}

export const FUNCTIONS: Record<string, Fn> = {
  format: { min: 1, max: 64, type: 'string', apply: format, ignores: formatIgnores },
  fromjson: { min: 1, max: 1, type: 'any', apply: fromJSON },
  tojson: { min: 1, max: 1, type: 'string', apply: toJSON },
  contains: {
    min: 2,
    max: 2,
    type: 'boolean',
    apply: (args) =>
      Array.isArray(args[0])
        ? args[0].some((item) => looseEquals(item, args[1]!))
        : search(args, (hay, needle) => hay.includes(needle)),
  },
  startswith: { min: 2, max: 2, type: 'boolean', apply: (a) => search(a, (h, n) => h.startsWith(n)) },
  endswith: { min: 2, max: 2, type: 'boolean', apply: (a) => search(a, (h, n) => h.endsWith(n)) },
  join: {
    min: 1,
    max: 2,
    type: 'string',
    apply: (args) => {
      const separator = args.length > 1 ? text(args[1]!) : ',';
      if (separator === undefined) return undefined;
      const items = Array.isArray(args[0]) ? args[0].map(text) : [text(args[0]!)];
      if (items.some((i) => i === undefined)) return undefined;
      const joined = items.join(separator);
      if (joined.length > MAX_STRING) throw new GiveUp();
      return joined;
    },
    // The separator goes only between items: a value that is no array, or has one item or none, is
    // joined without it (`join(fromJSON('[]'), secrets.X)` is '').
    ignores: (before, index) =>
      index === 1 && before.length === 1 && (!Array.isArray(before[0]) || before[0].length <= 1),
  },
};
