/**
 * GitHub's expression language, evaluated over what the files fix. A reference the files decide (an
 * input's value, a matrix cell) is a known value; one they do not (a secret, `github.event.*`, a step's
 * output) is unknown, and `&&` / `||` over it give every value the expression can take. Pure, with
 * bounded work: a text too long, too deep or too costly is not evaluated (the caller falls back to
 * reading it by its shape), never a crash.
 */
import { meter } from '../meter.js';
import { readQuoted, type Context, type Reference } from './expression.js';
import {
  compare,
  FUNCTIONS,
  GiveUp,
  looseEquals,
  MAX_STRING,
  property,
  truthy,
  type Json,
  type ValueType,
} from './github-values.js';

export { asText, property, truthy, type Json } from './github-values.js';

/** What a value can be at run time: a value the files fix, or one only run time knows. */
export type Outcome =
  | {
      known: true;
      value: Json;
      /** The reference this is the unchanged value of: the caller reads that reference's own value. */
      from?: Reference;
    }
  | {
      known: false;
      type: ValueType;
      /** The reference whose value this is, passed through unchanged. */
      ref?: Reference;
    };

/** The values a reference can take; `path` are the property names after the context's. */
export type Lookup = (ref: Reference) => Outcome[];

export type Ast =
  | { kind: 'literal'; value: Json }
  | { kind: 'path'; root: string; parts: (string | Ast)[] }
  | { kind: 'not'; operand: Ast }
  | { kind: 'binary'; op: string; left: Ast; right: Ast }
  | { kind: 'call'; name: string; args: Ast[] };

/** Longer texts are read by their shape only. */
export const MAX_EXPRESSION_LENGTH = 4096;
/** Nesting of parentheses, calls, `!` and indexes. */
export const MAX_DEPTH = 48;
/** Nodes of one expression's tree: far above any real expression. */
export const MAX_NODES = 512;
/** Distinct values one expression may take before it is given up as run time's. */
export const MAX_OUTCOMES = 32;
/** Evaluation steps (one per node per combination of operand values) for one value, every matrix combination together. */
export const MAX_STEPS = 8192;

const CONTEXTS = new Set<Context>(['secrets', 'vars', 'inputs', 'env', 'matrix', 'github', 'steps', 'needs']);

interface Token {
  type: 'ident' | 'string' | 'number' | 'op';
  text: string;
  value?: Json;
}

const OPERATORS = ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', ',', '.'];

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      const quoted = readQuoted(expr, i);
      if (!quoted.closed) throw new GiveUp();
      tokens.push({ type: 'string', text: quoted.value, value: quoted.value });
      i = quoted.end;
      continue;
    }
    const number = /^-?(0x[0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(expr.slice(i, i + 64));
    const previous = tokens[tokens.length - 1];
    const startsOperand =
      !previous || (previous.type === 'op' && previous.text !== ')' && previous.text !== ']');
    if (number && (c !== '-' || startsOperand) && !(previous?.text === '.' && previous.type === 'op')) {
      tokens.push({ type: 'number', text: number[0], value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expr.slice(i, i + 256));
    if (ident) {
      tokens.push({ type: 'ident', text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => expr.startsWith(o, i)) ?? (c === '*' ? '*' : undefined);
    if (!op) throw new GiveUp();
    tokens.push({ type: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

const LITERAL_WORDS: Record<string, Json> = { true: true, false: false, null: null };
const BINARY_LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>=']];

/** A recursive-descent reader of one expression's tokens, its depth bounded. */
class Parser {
  private at = 0;
  private depth = 0;
  private nodes = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Every node counts, so a long flat chain (`a || a || ...`) is as bounded as a deep one. */
  private node<T extends Ast>(ast: T): T {
    if (++this.nodes > MAX_NODES) throw new GiveUp();
    return ast;
  }

  parse(): Ast {
    const ast = this.binary(0);
    if (this.at !== this.tokens.length) throw new GiveUp();
    return ast;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private take(text?: string): Token {
    const t = this.tokens[this.at];
    if (!t || (text !== undefined && (t.type !== 'op' || t.text !== text))) throw new GiveUp();
    this.at++;
    return t;
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t?.type === 'op' && t.text === text;
  }

  private deeper<T>(read: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new GiveUp();
    const out = read();
    this.depth--;
    return out;
  }

  private binary(level: number): Ast {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t?.type !== 'op' || !BINARY_LEVELS[level]!.includes(t.text)) return left;
      this.at++;
      left = this.node({ kind: 'binary', op: t.text, left, right: this.binary(level + 1) });
    }
  }

  private unary(): Ast {
    if (this.isOp('!')) {
      this.at++;
      return this.deeper(() => this.node({ kind: 'not', operand: this.unary() }));
    }
    return this.postfix(this.node(this.primary()));
  }

  private primary(): Ast {
    const t = this.take();
    if (t.type === 'string' || t.type === 'number') return { kind: 'literal', value: t.value! };
    if (t.type === 'op' && t.text === '(') {
      const inner = this.deeper(() => this.binary(0));
      this.take(')');
      return inner;
    }
    if (t.type !== 'ident') throw new GiveUp();
    if (t.text in LITERAL_WORDS) return { kind: 'literal', value: LITERAL_WORDS[t.text]! };
    if (this.isOp('(')) {
      this.at++;
      const args: Ast[] = [];
      this.deeper(() => {
        while (!this.isOp(')')) {
          if (args.length > 0) this.take(',');
          args.push(this.binary(0));
        }
      });
      this.take(')');
      return { kind: 'call', name: t.text.toLowerCase(), args };
    }
    return { kind: 'path', root: t.text, parts: [] };
  }

  private postfix(base: Ast): Ast {
    let node = base;
    for (;;) {
      if (this.isOp('.')) {
        this.at++;
        const name = this.take();
        if (name.type !== 'ident' && !(name.type === 'op' && name.text === '*')) throw new GiveUp();
        node = this.node(withPart(node, name.text));
      } else if (this.isOp('[')) {
        this.at++;
        const index = this.deeper(() => this.binary(0));
        this.take(']');
        node = this.node(
          withPart(node, index.kind === 'literal' && typeof index.value === 'string' ? index.value : index),
        );
      } else return node;
    }
  }
}

/** A property read on a context path extends the path; on anything else it reads from a value. */
function withPart(node: Ast, part: string | Ast): Ast {
  if (node.kind === 'path') return { ...node, parts: [...node.parts, part] };
  return { kind: 'path', root: '', parts: [node, part] };
}

/** The expression inside `${{ }}` as a tree, or undefined when it is too long, too deep or not GitHub's syntax. */
export function parseGithubExpression(expr: string): Ast | undefined {
  if (expr.length > MAX_EXPRESSION_LENGTH) return undefined;
  try {
    const tokens = tokenize(expr);
    if (tokens.length === 0) return undefined;
    return new Parser(tokens).parse();
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

/** A path whose parts are all names is a reference (`inputs.use_bedrock`); one indexed by a value is not. */
function referenceOf(node: Extract<Ast, { kind: 'path' }>): Reference | undefined {
  if (node.parts.length === 0 || node.parts.some((p) => typeof p !== 'string')) return undefined;
  const root = node.root as Context;
  return { context: CONTEXTS.has(root) ? root : 'other', name: (node.parts as string[]).join('.') };
}

/** Every node of a tree, depth first. */
function* nodesOf(ast: Ast): Generator<Ast> {
  const stack: Ast[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    if (node.kind === 'path') for (const p of node.parts) if (typeof p !== 'string') stack.push(p);
    if (node.kind === 'not') stack.push(node.operand);
    if (node.kind === 'binary') stack.push(node.left, node.right);
    if (node.kind === 'call') stack.push(...node.args);
  }
}

/** The contexts an expression reads (`matrix`, `inputs`...), each once. */
export function contextsOf(ast: Ast, into = new Set<string>()): Set<string> {
  for (const node of nodesOf(ast)) if (node.kind === 'path' && node.root) into.add(node.root);
  return into;
}

/** The `matrix.*` references an expression reads, as written (`matrix.provider`). */
export function matrixReferences(ast: Ast, into: Set<string>): void {
  for (const node of nodesOf(ast)) {
    const ref = node.kind === 'path' && node.root === 'matrix' ? referenceOf(node) : undefined;
    if (ref) into.add(`matrix.${ref.name}`);
  }
}

/** Steps left for one value: shared by its expressions and the matrix combinations it is evaluated in. */
export interface StepBudget {
  left: number;
}

export const newStepBudget = (): StepBudget => ({ left: MAX_STEPS });

/** Every value `ast` can take, or undefined when that costs more than the bounds allow. */
export function evaluate(
  ast: Ast,
  lookup: Lookup,
  budget: StepBudget = newStepBudget(),
): Outcome[] | undefined {
  const run = new Evaluation(lookup, budget);
  try {
    return run.eval(ast);
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

const outcomeKey = (o: Outcome): string =>
  o.known
    ? `k${JSON.stringify(o.value)}|${o.from ? `${o.from.context}.${o.from.name}` : ''}`
    : `u${o.type}|${o.ref ? `${o.ref.context}.${o.ref.name}` : ''}`;

const unknown = (type: Extract<Outcome, { known: false }>['type']): Outcome => ({ known: false, type });
const known = (value: Json): Outcome => {
  if (typeof value === 'string' && value.length > MAX_STRING) throw new GiveUp();
  return { known: true, value };
};

/** The falsy value an unknown of this type has, when it has only one. */
function falsyOf(o: Extract<Outcome, { known: false }>): Outcome {
  if (o.type === 'string') return known('');
  if (o.type === 'boolean') return known(false);
  if (o.type === 'number') return known(0);
  return unknown('any');
}

class Evaluation {
  constructor(
    private readonly lookup: Lookup,
    private readonly budget: StepBudget,
  ) {}

  private step(): void {
    meter.evaluated();
    if (--this.budget.left < 0) throw new GiveUp();
  }

  private distinct(outcomes: Outcome[]): Outcome[] {
    const seen = new Map<string, Outcome>();
    for (const o of outcomes) seen.set(outcomeKey(o), o);
    if (seen.size > MAX_OUTCOMES) throw new GiveUp();
    return [...seen.values()];
  }

  eval(node: Ast): Outcome[] {
    this.step();
    switch (node.kind) {
      case 'literal':
        return [known(node.value)];
      case 'path':
        return this.path(node);
      case 'not':
        return this.distinct(
          this.eval(node.operand).map((o) => (o.known ? known(!truthy(o.value)) : unknown('boolean'))),
        );
      case 'binary':
        return node.op === '||' || node.op === '&&' ? this.logical(node) : this.comparison(node);
      case 'call':
        return this.call(node);
    }
  }

  /** `a || b` is a when truthy, else b; `a && b` is a when falsy, else b. */
  private logical(node: Extract<Ast, { kind: 'binary' }>): Outcome[] {
    const or = node.op === '||';
    const out: Outcome[] = [];
    let right: Outcome[] | undefined;
    const rightOnce = (): Outcome[] => (right ??= this.eval(node.right));
    for (const left of this.eval(node.left)) {
      this.step();
      if (left.known) {
        if (truthy(left.value) === or) out.push(left);
        else out.push(...rightOnce());
        continue;
      }
      const r = rightOnce();
      if (!or) out.push(...r, falsyOf(left));
      // A string is falsy only when it is '': when `b` can only be '', `a || b` is a's own value either way.
      else if (left.type === 'string' && r.every((o) => o.known && o.value === '')) out.push(left);
      else out.push(left, ...r);
    }
    return this.distinct(out);
  }

  private comparison(node: Extract<Ast, { kind: 'binary' }>): Outcome[] {
    const lefts = this.eval(node.left);
    const rights = this.eval(node.right);
    const out: Outcome[] = [];
    for (const a of lefts)
      for (const b of rights) {
        this.step();
        const either = eitherBoolean(node.op, a, b);
        if (either !== undefined) out.push(either);
        else if (!a.known || !b.known) out.push(unknown('boolean'));
        else if (node.op === '==') out.push(known(looseEquals(a.value, b.value)));
        else if (node.op === '!=') out.push(known(!looseEquals(a.value, b.value)));
        else out.push(known(compare(node.op, a.value, b.value)));
      }
    return this.distinct(out);
  }

  private path(node: Extract<Ast, { kind: 'path' }>): Outcome[] {
    const ref = referenceOf(node);
    if (ref) {
      if (!node.root || !CONTEXTS.has(node.root as Context)) return [unknown('any')];
      return this.distinct(this.lookup(ref));
    }
    // `fromJSON('{"a":1}').a`, `x[expr]`: a property read from a value.
    if (node.root !== '') return [unknown('any')];
    let values: Outcome[] = this.eval(node.parts[0] as Ast);
    for (const part of node.parts.slice(1)) {
      const keys = typeof part === 'string' ? [known(part)] : this.eval(part);
      const next: Outcome[] = [];
      for (const v of values)
        for (const k of keys) {
          this.step();
          next.push(v.known && k.known ? known(property(v.value, k.value)) : unknown('any'));
        }
      values = this.distinct(next);
    }
    return values;
  }

  private call(node: Extract<Ast, { kind: 'call' }>): Outcome[] {
    const fn = FUNCTIONS[node.name];
    if (!fn) return [unknown('any')];
    if (node.args.length < fn.min || node.args.length > fn.max) throw new GiveUp();
    let combos: Json[][] = [[]];
    let anyUnknown = false;
    for (const [index, arg] of node.args.entries()) {
      const values = this.eval(arg);
      const next: Json[][] = [];
      for (const combo of combos)
        for (const v of values) {
          this.step();
          if (v.known) next.push([...combo, v.value]);
          // An argument the function does not read here: any value stands in for it.
          else if (fn.ignores?.(combo, index)) next.push([...combo, '']);
          else anyUnknown = true;
        }
      if (next.length > MAX_OUTCOMES) throw new GiveUp();
      combos = next;
    }
    const out: Outcome[] = anyUnknown ? [unknown(fn.type)] : [];
    for (const args of combos) {
      this.step();
      const value = fn.apply(args);
      out.push(value === undefined ? unknown(fn.type) : known(value));
    }
    return this.distinct(out);
  }
}

/**
 * `inputs.flag == 'true'` with `flag` an unknown Boolean against a known value: when both Booleans
 * compare alike, the answer is known (GitHub turns `true` and `'true'` into numbers, 1 and NaN, so a
 * Boolean never equals the text `'true'`). Undefined when it depends on the Boolean, or nothing is one.
 */
function eitherBoolean(op: string, a: Outcome, b: Outcome): Outcome | undefined {
  const [open, fixed, flip] = !a.known && b.known ? [a, b, false] : a.known && !b.known ? [b, a, true] : [];
  if (!open || open.known || open.type !== 'boolean' || !fixed?.known || (op !== '==' && op !== '!='))
    return undefined;
  const answers = new Set(
    [true, false].map((v) => {
      const equal = flip ? looseEquals(fixed.value, v) : looseEquals(v, fixed.value);
      return op === '==' ? equal : !equal;
    }),
  );
  return answers.size === 1 ? known([...answers][0]!) : undefined;
}
