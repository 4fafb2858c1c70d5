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
      /** The references whose value the operand can yield. */
      refs: Reference[];
      /** References only compared or tested (`secrets.A == ''`, `!inputs.x`): they yield a boolean, never their value. */
      compared: Reference[];
      /** The operand as written, every character kept, but a string literal it may yield shown as `'…'`. */
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
  /** Where it is in the expression: from `start`, up to `end`. */
  start: number;
  end: number;
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
      const start = i;
      const quoted = readQuoted(expr, i);
      i = quoted.end;
      tokens.push({ type: 'string', text: quoted.value, start, end: i });
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
      tokens.push({ type: 'ident', text, start: i, end: j });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < expr.length && /[0-9.xXa-fA-F]/.test(expr[j]!)) j++;
      // Stryker disable next-line StringLiteral: only idents, strings and operators are asked for; a number is neither
      tokens.push({ type: 'number', text: expr.slice(i, j), start: i, end: j });
      i = j;
    } else {
      const two = expr.slice(i, i + 2);
      if (['||', '&&', '==', '!=', '<=', '>='].includes(two)) {
        tokens.push({ type: 'op', text: two, start: i, end: i + 2 });
        i += 2;
      } else {
        tokens.push({ type: 'op', text: c, start: i, end: i + 1 });
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
/** Operators that yield true or false, whatever their operands hold. */
const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '<', '>', '<=', '>=']);
/** Functions that yield true or false. */
const BOOLEAN_CALL = /^(contains|startsWith|endsWith|success|failure|always|cancelled)$/i;

const isOp = (t: Token | undefined, text: string): boolean => t?.type === 'op' && t.text === text;

/** Whether the parenthesis that opens `tokens` is the one that closes it: `(a)`, not `(a) && (b)`. */
function enclosed(tokens: Token[]): boolean {
  if (tokens.length < 2 || !isOp(tokens[0], '(') || !isOp(tokens[tokens.length - 1], ')')) return false;
  let depth = 0;
  for (const t of tokens.slice(0, -1)) {
    if (isOp(t, '(')) depth++;
    if (isOp(t, ')')) depth--;
    if (depth === 0) return false;
  }
  return true;
}

function withoutParens(tokens: Token[]): Token[] {
  let inner = tokens;
  while (enclosed(inner)) inner = inner.slice(1, -1);
  return inner;
}

/**
 * Whether a part of `a && b` yields a boolean, so the references in it are compared and never passed on:
 * a comparison, a negation, or a call that answers true or false.
 */
function yieldsBoolean(part: Token[]): boolean {
  if (isOp(part[0], '!')) return true;
  if (part[0]?.type === 'ident' && BOOLEAN_CALL.test(part[0].text) && enclosed(part.slice(1))) return true;
  let depth = 0;
  for (const t of part) {
    if (isOp(t, '(') || isOp(t, '[')) depth++;
    if (isOp(t, ')') || isOp(t, ']')) depth--;
    if (depth === 0 && t.type === 'op' && COMPARISONS.has(t.text)) return true;
  }
  return false;
}

/** A string made of nothing but `{0}` placeholders, blanks and punctuation: it can hold no credential. */
const HOLDS_NOTHING = /^(?:\{\d+\}|[^A-Za-z0-9])*$/;

/**
 * An operand as written, every character kept, except a string literal it may yield: that may be a
 * credential written into the expression, and the text is printed in messages, so it shows as `'…'`.
 */
function shownText(expr: string, tokens: Token[], yielded: ReadonlySet<Token>): string {
  let text = '';
  let at = tokens[0]!.start;
  for (const t of tokens) {
    if (t.type !== 'string' || HOLDS_NOTHING.test(t.text) || !yielded.has(t)) continue;
    text += `${expr.slice(at, t.start)}'…'`;
    at = t.end;
  }
  return text + expr.slice(at, tokens[tokens.length - 1]!.end);
}

function complexOperand(expr: string, inner: Token[]): Operand {
  // `a && b` yields a when it is falsy, else b: a part that yields a boolean never yields what it reads.
  const parts = splitTopLevel(inner, '&&').map(withoutParens);
  const tested = parts.filter(yieldsBoolean);
  const passed = parts.filter((p) => !yieldsBoolean(p)).flat();
  return {
    kind: 'complex',
    refs: referencesIn(passed),
    compared: referencesIn(tested.flat()),
    text: inner.length > 0 ? shownText(expr, inner, new Set(passed)) : '',
    conditional: inner.some((t) => isOp(t, '&&')),
    passThrough: isOp(inner[1], '(') && PASS_THROUGH_CALL.test(inner[0]!.text),
  };
}

export function parseExpression(expr: string): Operand[] {
  const tokens = tokenize(expr);
  return splitTopLevel(tokens, '||').map((part): Operand => {
    const inner = withoutParens(part);
    if (inner.length === 1 && inner[0]!.type === 'ident') {
      const ref = toReference(inner[0]!.text);
      if (ref) return { kind: 'ref', ref };
    }
    if (inner.length === 1 && inner[0]!.type === 'string') return { kind: 'string', value: inner[0]!.text };
    return complexOperand(expr, inner);
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

/**
 * A condition's parts at the top level of `op` (`||` or `&&`), each as written and read through the
 * parentheses around it: `a || (b && c)` is `a` and `b && c`. A `${{ }}` around the whole is read through.
 */
export function conditionParts(condition: string, op: '||' | '&&'): string[] {
  const expr = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition)?.[1] ?? condition;
  return splitTopLevel(tokenize(expr), op).map((part) => {
    const inner = withoutParens(part);
    return inner.length > 0 ? expr.slice(inner[0]!.start, inner[inner.length - 1]!.end) : '';
  });
}
