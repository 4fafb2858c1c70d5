/**
 * GitHub's expression language, evaluated over what the files fix. A reference the files decide (an
 * input's value, a matrix cell) is a known value; one they do not (a secret, `github.event.*`, a step's
 * output) is unknown, and `&&` / `||` over it give every value the expression can take. Pure, with
 * bounded work: a text too long, too deep or too costly is not evaluated (the caller falls back to
 * reading it by its shape), never a crash.
 */
import { meter } from '../meter.js';
import { CONTEXTS, type Context, type Reference } from './expression.js';
import { readExpression, type Ast } from './expression-reader.js';
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
export { MAX_DEPTH, MAX_NODES, type Ast } from './expression-reader.js';

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

/** Longer texts are read by their shape only. */
export const MAX_EXPRESSION_LENGTH = 4096;
/** Distinct values one expression may take before it is given up as run time's. */
export const MAX_OUTCOMES = 32;
/** Evaluation steps (one per node per combination of operand values) for one value, every matrix combination together. */
export const MAX_STEPS = 8192;

/** The expression inside `${{ }}` as a tree, or undefined when it is too long, too deep or not GitHub's syntax. */
export function parseGithubExpression(expr: string): Ast | undefined {
  if (expr.length > MAX_EXPRESSION_LENGTH) return undefined;
  const read = readExpression(expr);
  return read.clean ? read.ast : undefined;
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
    if (node.kind === 'unread') stack.push(...node.parts);
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
      case 'unread':
        throw new GiveUp();
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
