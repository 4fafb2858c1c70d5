/**
 * Reads `${{ }}` expressions for what they can put into a variable. `secrets.A || secrets.B` names two
 * secrets; `inputs.x` and `env.X` are references the caller's context resolves; anything else is decided
 * only at run time.
 */
import { meter } from '../meter.js';

export type Context =
  'secrets' | 'vars' | 'inputs' | 'env' | 'matrix' | 'github' | 'steps' | 'needs' | 'other';

export interface Reference {
  context: Context;
  name: string;
}

/** One alternative of a top-level `a || b || c`. */
export type Operand =
  | { kind: 'ref'; ref: Reference }
  | { kind: 'string'; value: string }
  | {
      kind: 'complex';
      refs: Reference[];
      text: string;
      /** `cond && value`: the value or nothing, chosen at run time. */
      conditional: boolean;
      /** `format('{0}', x)` and the like: the value passes through unchanged. */
      passThrough: boolean;
    };

export type Classified =
  | { kind: 'empty' }
  | { kind: 'literal'; text: string }
  /** The whole value is one expression; at run time the first truthy operand wins. */
  | { kind: 'choice'; operands: Operand[] }
  /** Text mixed with expressions: non-empty whenever it has literal text. */
  | { kind: 'template'; refs: Reference[]; hasText: boolean };

const CONTEXTS = new Set<Context>(['secrets', 'vars', 'inputs', 'env', 'matrix', 'github', 'steps', 'needs']);

interface Token {
  type: 'ident' | 'string' | 'op' | 'number';
  text: string;
}

/**
 * The string literal whose opening quote is at `start` (`''` is a quote inside it): its value, where
 * reading stopped (past the closing quote), and whether that quote was found.
 */
export function readQuoted(expr: string, start: number): { value: string; end: number; closed: boolean } {
  let value = '';
  let i = start + 1;
  // Stryker disable next-line EqualityOperator: every caller refuses or never meets an unclosed string, so one more step changes nothing
  while (i < expr.length) {
    if (expr[i] === "'" && expr[i + 1] === "'") {
      value += "'";
      i += 2;
    } else if (expr[i] === "'") return { value, end: i + 1, closed: true };
    else value += expr[i++];
  }
  return { value, end: i, closed: false };
}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      const quoted = readQuoted(expr, i);
      i = quoted.end;
      tokens.push({ type: 'string', text: quoted.value });
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < expr.length && /[\w.*-]/.test(expr[j]!)) j++;
      // Property access by index: secrets['NAME'] reads as secrets.NAME.
      let text = expr.slice(i, j);
      while (expr[j] === '[') {
        const m = /^\[\s*'([^']*)'\s*\]/.exec(expr.slice(j));
        // secrets[matrix.k]: a secret named at run time; the index is read as its own tokens.
        if (!m && text === 'secrets') text = 'secrets.*';
        if (!m) break;
        text += '.' + m[1];
        j += m[0].length;
        while (j < expr.length && /[\w.-]/.test(expr[j]!)) text += expr[j++];
      }
      tokens.push({ type: 'ident', text });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < expr.length && /[0-9.xXa-fA-F]/.test(expr[j]!)) j++;
      // Stryker disable next-line StringLiteral: only idents, strings and operators are asked for; a number is neither
      tokens.push({ type: 'number', text: expr.slice(i, j) });
      i = j;
    } else {
      const two = expr.slice(i, i + 2);
      if (['||', '&&', '==', '!=', '<=', '>='].includes(two)) {
        tokens.push({ type: 'op', text: two });
        i += 2;
      } else {
        tokens.push({ type: 'op', text: c });
        i++;
      }
    }
  }
  return tokens;
}

function toReference(path: string): Reference | undefined {
  // An identifier starts with a letter or `_`, so a dot is never its first character.
  const dot = path.indexOf('.');
  if (dot === -1) return undefined;
  const head = path.slice(0, dot);
  const name = path.slice(dot + 1);
  if (!name) return undefined;
  return { context: CONTEXTS.has(head as Context) ? (head as Context) : 'other', name };
}

function referencesIn(tokens: Token[]): Reference[] {
  const refs: Reference[] = [];
  for (const t of tokens) {
    // A function's name has no dot, so it never reads as a reference.
    const ref = t.type === 'ident' ? toReference(t.text) : undefined;
    if (ref) refs.push(ref);
  }
  return refs;
}

function splitTopLevel(tokens: Token[], op: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === 'op' && (t.text === '(' || t.text === '[')) depth++;
    if (t.type === 'op' && (t.text === ')' || t.text === ']')) depth--;
    if (depth === 0 && t.type === 'op' && t.text === op) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts;
}

/** Functions whose result carries the value given to them whenever that value is set. */
const PASS_THROUGH_CALL = /^(format|toJSON|join|trim)$/i;

export function parseExpression(expr: string): Operand[] {
  const tokens = tokenize(expr);
  return splitTopLevel(tokens, '||').map((part): Operand => {
    let inner = part;
    while (inner.length >= 2 && inner[0]!.text === '(' && inner[inner.length - 1]!.text === ')') {
      inner = inner.slice(1, -1);
    }
    if (inner.length === 1 && inner[0]!.type === 'ident') {
      const ref = toReference(inner[0]!.text);
      if (ref) return { kind: 'ref', ref };
    }
    if (inner.length === 1 && inner[0]!.type === 'string') return { kind: 'string', value: inner[0]!.text };
    return {
      kind: 'complex',
      refs: referencesIn(inner),
      text: inner.map((t) => t.text).join(' '),
      conditional: inner.some((t) => t.type === 'op' && t.text === '&&'),
      passThrough: inner[1]?.text === '(' && PASS_THROUGH_CALL.test(inner[0]!.text),
    };
  });
}

export interface ExpressionSlice {
  start: number;
  end: number;
  expr: string;
}

/** Finds `${{ ... }}` in a value, with offsets, without being fooled by `}}` inside a string literal. */
export function findExpressions(text: string): ExpressionSlice[] {
  const out: ExpressionSlice[] = [];
  let i = text.indexOf('${{');
  while (i !== -1) {
    let j = i + 3;
    let inString = false;
    // Stryker disable next-line EqualityOperator: one step past the end matches nothing, and the check below stops
    while (j < text.length) {
      if (text[j] === "'") inString = !inString;
      else if (!inString && text[j] === '}' && text[j + 1] === '}') break;
      j++;
    }
    if (j >= text.length) break;
    out.push({ start: i, end: j + 2, expr: text.slice(i + 3, j) });
    // Stryker disable next-line ArithmeticOperator: no `${{` can start inside the `}}` just found, so j - 2 finds the same
    i = text.indexOf('${{', j + 2);
  }
  return out;
}

export function classify(text: string): Classified {
  meter.parsed();
  const slices = findExpressions(text);
  if (slices.length === 0) return text.trim() === '' ? { kind: 'empty' } : { kind: 'literal', text };
  const only = slices[0]!;
  // Blank around the first expression means there is no other.
  if (text.slice(0, only.start).trim() === '' && text.slice(only.end).trim() === '') {
    return { kind: 'choice', operands: parseExpression(only.expr) };
  }
  let rest = '';
  let last = 0;
  const refs: Reference[] = [];
  for (const s of slices) {
    rest += text.slice(last, s.start);
    last = s.end;
    for (const op of parseExpression(s.expr)) {
      if (op.kind === 'ref') refs.push(op.ref);
      else if (op.kind === 'complex') refs.push(...op.refs);
    }
  }
  rest += text.slice(last);
  return { kind: 'template', refs, hasText: rest.trim() !== '' };
}
