/**
 * Reads `${{ }}` expressions for what they can put into a variable. `secrets.A || secrets.B` names two
 * secrets; `inputs.x` and `env.X` are references the caller's context resolves; anything else is decided
 * only at run time.
 */
import { meter } from '../meter.js';
import { bareExtent, readExpression, type Ast } from './expression-reader.js';

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

/** The contexts a reference can name; any other is `other`. */
export const CONTEXTS: ReadonlySet<Context> = new Set<Context>([
  'secrets',
  'vars',
  'inputs',
  'env',
  'matrix',
  'github',
  'steps',
  'needs',
]);

type Path = Extract<Ast, { kind: 'path' }>;

/**
 * What a path names, by its shape: the context and the property names up to the first index computed at
 * run time (`inputs.list[0]` is `inputs.list`); `secrets[matrix.k]` is a secret named at run time (`*`).
 * A value's property (`fromJSON(x).a`) and a bare word (`secrets`) name nothing.
 */
function pathReference(node: Path): Reference | undefined {
  if (!node.root) return undefined;
  const names: string[] = [];
  for (const part of node.parts) {
    if (typeof part !== 'string') break;
    names.push(part);
  }
  // `secrets.` (a dangling dot) names nothing.
  if (names.length > 0)
    return names.join('.') === ''
      ? undefined
      : {
          context: CONTEXTS.has(node.root as Context) ? (node.root as Context) : 'other',
          name: names.join('.'),
        };
  return node.root === 'secrets' && node.parts.length > 0 ? { context: 'secrets', name: '*' } : undefined;
}

/** What a node holds, in the order written. */
function inside(node: Ast): Ast[] {
  if (node.kind === 'path') return node.parts.filter((p): p is Ast => typeof p !== 'string');
  if (node.kind === 'not') return [node.operand];
  if (node.kind === 'binary') return [node.left, node.right];
  return node.kind === 'call' ? node.args : node.kind === 'unread' ? node.parts : [];
}

/** Every node of a tree in the order written, each before what it holds (no recursion: a chain may be long). */
function* inOrder(ast: Ast): Generator<Ast> {
  const stack: Ast[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    stack.push(...[...inside(node)].reverse());
  }
}

function referencesIn(nodes: Ast[]): Reference[] {
  const refs: Reference[] = [];
  for (const node of nodes)
    for (const n of inOrder(node)) {
      const ref = n.kind === 'path' ? pathReference(n) : undefined;
      if (ref) refs.push(ref);
    }
  return refs;
}

/**
 * The operands of `||` or `&&` written at the top of `node`, outside any parentheses (but those around
 * `node` itself when `throughOwnParens`), in the order written, with the operator after each.
 */
function topOperands(node: Ast, throughOwnParens: boolean): { operand: Ast; op?: string }[] {
  const out: { operand: Ast; op?: string }[] = [];
  // Right before left on the stack, an operator between them: popped in the order written.
  const stack: (Ast | string)[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (typeof n === 'string') out[out.length - 1]!.op = n;
    else if (
      n.kind === 'binary' &&
      (n.op === '||' || n.op === '&&') &&
      ((n === node && throughOwnParens) || !n.parens)
    )
      stack.push(n.right, n.op, n.left);
    else out.push({ operand: n });
  }
  return out;
}

/** The operands of `||` written at the top of `node` (`a || b || c`), outside any parentheses. */
function alternatives(node: Ast): Ast[] {
  const out: Ast[] = [];
  const stack: Ast[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === 'binary' && n.op === '||' && !n.parens) stack.push(n.right, n.left);
    else out.push(n);
  }
  return out;
}

/**
 * The parts between the `op`s written at the top of `node`, outside any parentheses (but those around
 * `node` itself when `throughOwnParens`), each the operands between them, as the text reads: at `&&`,
 * `a == b && c || d` is `a == b` and `c || d`.
 */
function partsAt(node: Ast, op: '||' | '&&', throughOwnParens: boolean): Ast[][] {
  const parts: Ast[][] = [[]];
  for (const { operand, op: after } of topOperands(node, throughOwnParens)) {
    parts[parts.length - 1]!.push(operand);
    if (after === op) parts.push([]);
  }
  return parts;
}

/** A part as written: one operand inside its parentheses, or the operands and operators between them. */
function partExtent(part: Ast[]): { start: number; end: number } {
  return part.length === 1
    ? bareExtent(part[0]!)
    : { start: part[0]!.start, end: part[part.length - 1]!.end };
}

/** Functions whose result carries the value given to them whenever that value is set. */
const PASS_THROUGH_CALL = /^(format|tojson|join|trim)$/;
/** Operators that yield true or false, whatever their operands hold. */
const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '<', '>', '<=', '>=']);
/** Functions that yield true or false. */
const BOOLEAN_CALL = /^(contains|startswith|endswith|success|failure|always|cancelled)$/;

/** The node whose text comes first in `node` as written inside its parentheses (`a` of `a.b == c`). */
function firstWritten(node: Ast): Ast {
  let at = node;
  for (;;) {
    const next =
      at.kind === 'binary'
        ? at.left
        : at.kind === 'path' && !at.root
          ? (at.parts[0] as Ast)
          : at.kind === 'unread'
            ? at.parts[0]
            : undefined;
    // A node in parentheses starts with `(`.
    if (!next || next.parens) return next ?? at;
    at = next;
  }
}

/** Whether a comparison is written at the top of `node`, outside any parentheses within it. */
function comparesAtTop(node: Ast): boolean {
  if (node.kind === 'binary' && COMPARISONS.has(node.op)) return true;
  const inner = node.kind === 'binary' ? [node.left, node.right] : node.kind === 'unread' ? node.parts : [];
  return inner.some((n) => !n.parens && comparesAtTop(n));
}

/**
 * Whether a part of `a && b` yields a boolean, so the references in it are compared and never passed on:
 * a comparison, a negation, or a call that answers true or false. One operand alone is read through
 * its parentheses.
 */
function yieldsBoolean(part: Ast[]): boolean {
  const alone = part.length === 1;
  const head = part[0]!;
  const first = alone || !head.parens ? firstWritten(head) : undefined;
  if (first?.kind === 'not' && (first === head || !first.parens)) return true;
  if (alone && head.kind === 'call' && BOOLEAN_CALL.test(head.name)) return true;
  return part.some((n) => (alone || !n.parens) && comparesAtTop(n));
}

/** A string made of nothing but `{0}` placeholders, blanks and punctuation: it can hold no credential. */
const HOLDS_NOTHING = /^(?:\{\d+\}|[^A-Za-z0-9])*$/;

/**
 * An operand as written, every character kept, except a string literal it may yield: that may be a
 * credential written into the expression, and the text is printed in messages, so it shows as `'…'`.
 */
function shownText(expr: string, operand: Ast, yielded: Ast[]): string {
  const { start, end } = bareExtent(operand);
  let text = '';
  let at = start;
  for (const node of yielded.flatMap((p) => [...inOrder(p)])) {
    if (node.kind !== 'literal' || typeof node.value !== 'string' || HOLDS_NOTHING.test(node.value)) continue;
    text += `${expr.slice(at, node.start)}'…'`;
    at = node.end;
  }
  return text + expr.slice(at, end);
}

function complexOperand(expr: string, operand: Ast): Operand {
  // `a && b` yields a when it is falsy, else b: a part that yields a boolean never yields what it reads.
  const parts = partsAt(operand, '&&', true);
  const tested = parts.filter(yieldsBoolean).flat();
  const passed = parts.filter((p) => !yieldsBoolean(p)).flat();
  const first = firstWritten(operand);
  return {
    kind: 'complex',
    refs: referencesIn(passed),
    compared: referencesIn(tested),
    text: shownText(expr, operand, passed),
    conditional: [...inOrder(operand)].some((n) => n.kind === 'binary' && n.op === '&&'),
    passThrough:
      first.kind === 'call' && (first === operand || !first.parens) && PASS_THROUGH_CALL.test(first.name),
  };
}

export function parseExpression(expr: string): Operand[] {
  return alternatives(readExpression(expr).ast).map((operand): Operand => {
    const ref = operand.kind === 'path' ? pathReference(operand) : undefined;
    if (ref && operand.kind === 'path' && operand.parts.every((p) => typeof p === 'string'))
      return { kind: 'ref', ref };
    if (operand.kind === 'literal' && typeof operand.value === 'string')
      return { kind: 'string', value: operand.value };
    return complexOperand(expr, operand);
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
  return partsAt(readExpression(expr).ast, op, false).map((part) => {
    const { start, end } = partExtent(part);
    return expr.slice(start, end);
  });
}
