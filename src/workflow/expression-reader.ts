/**
 * The one reader of GitHub's expression language: text inside `${{ }}` to a tree whose nodes know where
 * they are written. The evaluator evaluates the tree; the shape reader (expression.ts) walks the same
 * tree. The reader never refuses: what the grammar does not allow (an unclosed string, a character
 * GitHub does not know, a missing operand, nesting past the evaluator's bounds) is kept as an `unread`
 * node or marked, and the read says it is not GitHub's syntax, so the evaluator leaves it alone while
 * the shape reader still names what it reads.
 */
import type { Json } from './github-values.js';

/** Where a node is written in the expression: from `start` up to `end`, its parentheses included. */
interface Extent {
  start: number;
  end: number;
  /** The parentheses written around it, and its extent inside them. */
  parens?: { count: number; start: number; end: number };
}

export type Ast = Extent &
  (
    | { kind: 'literal'; value: Json }
    | { kind: 'path'; root: string; parts: (string | Ast)[] }
    | { kind: 'not'; operand: Ast }
    | { kind: 'binary'; op: string; left: Ast; right: Ast }
    | { kind: 'call'; name: string; args: Ast[] }
    /** Text the grammar does not allow, with what could still be read in it (nothing when it is empty). */
    | { kind: 'unread'; parts: Ast[] }
  );

/** Nesting of parentheses, calls, `!` and indexes the evaluator takes. */
export const MAX_DEPTH = 48;
/** Nodes of one expression's tree the evaluator takes: far above any real expression. */
export const MAX_NODES = 512;
/** Nesting the reader follows at all; deeper text is read flat, so no input can exhaust the stack. */
const MAX_READ_DEPTH = 256;

interface Token {
  type: 'ident' | 'string' | 'number' | 'op';
  text: string;
  value?: Json;
  start: number;
  end: number;
}

/** One expression as read: its tree, and whether it is GitHub's syntax within the evaluator's bounds. */
export interface Read {
  ast: Ast;
  /** False for text GitHub's grammar refuses or nesting past MAX_DEPTH / MAX_NODES. */
  clean: boolean;
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

const OPERATORS = ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', ',', '.', '*'];

/** The tokens of an expression; `unclean` when one is not GitHub's (an unclosed string, an unknown character). */
function tokenize(expr: string): { tokens: Token[]; unclean: boolean } {
  const tokens: Token[] = [];
  let unclean = false;
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      const quoted = readQuoted(expr, i);
      if (!quoted.closed) unclean = true;
      tokens.push({ type: 'string', text: quoted.value, value: quoted.value, start: i, end: quoted.end });
      i = quoted.end;
      continue;
    }
    const number = /^-?(0x[0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(expr.slice(i, i + 64));
    const previous = tokens[tokens.length - 1];
    const startsOperand =
      !previous || (previous.type === 'op' && previous.text !== ')' && previous.text !== ']');
    if (number && (c !== '-' || startsOperand) && !(previous?.text === '.' && previous.type === 'op')) {
      const end = i + number[0].length;
      tokens.push({ type: 'number', text: number[0], value: Number(number[0]), start: i, end });
      i = end;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expr.slice(i, i + 256));
    if (ident) {
      tokens.push({ type: 'ident', text: ident[0], start: i, end: i + ident[0].length });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => expr.startsWith(o, i));
    if (!op) unclean = true;
    const text = op ?? c;
    tokens.push({ type: 'op', text, start: i, end: i + text.length });
    i += text.length;
  }
  return { tokens, unclean };
}

const LITERAL_WORDS: Record<string, Json> = { true: true, false: false, null: null };
const BINARY_LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>=']];
/** Operators that end an operand: met where one should start, the operand is missing. */
const ENDS_OPERAND = new Set(['||', '&&', '==', '!=', '<=', '>=', '<', '>', ')', ']', ',']);

/** A recursive-descent reader of one expression's tokens that notes, never throws, what GitHub would refuse. */
class Parser {
  private at = 0;
  private depth = 0;
  private nodes = 0;
  clean = true;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private node<T extends Ast>(ast: T): T {
    if (++this.nodes > MAX_NODES) this.clean = false;
    return ast;
  }

  parse(): Ast {
    const first = this.binary(0);
    if (this.at === this.tokens.length) return first;
    // A stray `)`, `]` or `,`: what follows is read on, all of it one operand GitHub refuses.
    this.clean = false;
    const parts = [first];
    while (this.at < this.tokens.length) {
      if (ENDS_OPERAND.has(this.peek()!.text) && this.peek()!.type === 'op') this.at++;
      else parts.push(this.binary(0));
    }
    return this.node({ kind: 'unread', parts, start: first.start, end: this.lastEnd() });
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t?.type === 'op' && t.text === text;
  }

  /** Where the text read so far ends: the end of the last token taken. */
  private lastEnd(): number {
    return this.at > 0 ? this.tokens[this.at - 1]!.end : 0;
  }

  private closeWith(text: string): void {
    if (this.isOp(text)) this.at++;
    else this.clean = false;
  }

  private deeper<T>(read: () => T): T {
    if (++this.depth > MAX_DEPTH) this.clean = false;
    const out = read();
    this.depth--;
    return out;
  }

  private binary(level: number): Ast {
    if (level === BINARY_LEVELS.length) return this.juxtaposed();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t?.type !== 'op' || !BINARY_LEVELS[level]!.includes(t.text)) return left;
      this.at++;
      const right = this.binary(level + 1);
      left = this.node({ kind: 'binary', op: t.text, left, right, start: left.start, end: right.end });
    }
  }

  /** `a b`: operands with no operator between them, which GitHub refuses, read as one unread node. */
  private juxtaposed(): Ast {
    const first = this.unary();
    if (!this.startsOperand()) return first;
    this.clean = false;
    const parts = [first];
    while (this.startsOperand()) parts.push(this.unary());
    return this.node({ kind: 'unread', parts, start: first.start, end: parts[parts.length - 1]!.end });
  }

  private startsOperand(): boolean {
    const t = this.peek();
    return t !== undefined && (t.type !== 'op' || !ENDS_OPERAND.has(t.text));
  }

  private unary(): Ast {
    const t = this.peek();
    if (t?.type === 'op' && t.text === '!') {
      this.at++;
      const operand = this.deeper(() => this.unary());
      return this.node({ kind: 'not', operand, start: t.start, end: operand.end });
    }
    return this.postfix(this.node(this.primary()));
  }

  private primary(): Ast {
    const t = this.peek();
    // A missing operand: an empty node where it should be.
    if (!t || (t.type === 'op' && ENDS_OPERAND.has(t.text))) {
      this.clean = false;
      const at = t ? t.start : this.length;
      return { kind: 'unread', parts: [], start: at, end: at };
    }
    this.at++;
    if (t.type === 'string' || t.type === 'number')
      return { kind: 'literal', value: t.value!, start: t.start, end: t.end };
    if (t.type === 'op' && t.text === '(') return this.grouped(t);
    if (t.type !== 'ident') {
      this.clean = false;
      return { kind: 'unread', parts: [], start: t.start, end: t.end };
    }
    if (t.text in LITERAL_WORDS)
      return { kind: 'literal', value: LITERAL_WORDS[t.text]!, start: t.start, end: t.end };
    if (this.isOp('(')) {
      this.at++;
      const args: Ast[] = [];
      this.deeper(() => {
        while (this.peek() && !this.isOp(')')) {
          if (args.length > 0 && !this.isOp(',')) {
            this.clean = false;
            break;
          }
          if (args.length > 0) this.at++;
          args.push(this.binary(0));
        }
      });
      this.closeWith(')');
      return { kind: 'call', name: t.text.toLowerCase(), args, start: t.start, end: this.lastEnd() };
    }
    return { kind: 'path', root: t.text, parts: [], start: t.start, end: t.end };
  }

  private grouped(open: Token): Ast {
    const inner = this.deeper(() => this.binary(0));
    if (!this.isOp(')')) {
      // Never closed: no parentheses around it, but a `(` GitHub refuses before it.
      this.clean = false;
      return { kind: 'unread', parts: [inner], start: open.start, end: this.lastEnd() };
    }
    this.at++;
    const count = (inner.parens?.count ?? 0) + 1;
    const bare = inner.parens ?? { start: inner.start, end: inner.end };
    // Counted as the node it holds is, once more per pair, as GitHub's own bound counts nesting.
    return { ...inner, start: open.start, end: this.lastEnd(), parens: { ...bare, count } };
  }

  /** Nesting too deep to follow: the paths and strings of the text, one after another, read flat. */
  flat(): Ast {
    this.clean = false;
    const parts: Ast[] = [];
    while (this.peek()) {
      const t = this.peek()!;
      if (t.type === 'ident' || t.type === 'string') parts.push(this.flatPostfix(this.primaryWord(t)));
      else this.at++;
    }
    return { kind: 'unread', parts, start: this.tokens[0]?.start ?? 0, end: this.lastEnd() };
  }

  /** A word read flat: a path, a literal, or a function's name, its arguments left to the flat reading. */
  private primaryWord(t: Token): Ast {
    this.at++;
    if (t.type === 'string') return { kind: 'literal', value: t.value!, start: t.start, end: t.end };
    if (t.text in LITERAL_WORDS)
      return { kind: 'literal', value: LITERAL_WORDS[t.text]!, start: t.start, end: t.end };
    return { kind: 'path', root: t.text, parts: [], start: t.start, end: t.end };
  }

  /** `.name` and `['name']` after a word read flat. */
  private flatPostfix(base: Ast): Ast {
    let node = base;
    for (;;) {
      const [dot, name, close] = [this.peek(), this.tokens[this.at + 1], this.tokens[this.at + 2]];
      if (dot?.text === '.' && dot.type === 'op' && (name?.type === 'ident' || name?.text === '*')) {
        this.at += 2;
        node = withPart(node, name.text, name.end);
      } else if (dot?.text === '[' && name?.type === 'string' && close?.text === ']') {
        this.at += 3;
        node = withPart(node, name.text, close.end);
      } else return node;
    }
  }

  private postfix(base: Ast): Ast {
    let node = base;
    for (;;) {
      if (this.isOp('.')) {
        this.at++;
        const name = this.peek();
        if (name && (name.type === 'ident' || (name.type === 'op' && name.text === '*'))) {
          this.at++;
          node = this.node(withPart(node, name.text, name.end));
        } else {
          // `secrets.`: a dangling dot, an empty name.
          this.clean = false;
          node = withPart(node, '', this.lastEnd());
        }
      } else if (this.isOp('[')) {
        this.at++;
        const index = this.deeper(() => this.binary(0));
        this.closeWith(']');
        const part = index.kind === 'literal' && typeof index.value === 'string' ? index.value : index;
        node = this.node(withPart(node, part, this.lastEnd()));
      } else return node;
    }
  }
}

/** A property read on a context path extends the path; on anything else it reads from a value. */
function withPart(node: Ast, part: string | Ast, end: number): Ast {
  if (node.kind !== 'path') return { kind: 'path', root: '', parts: [node, part], start: node.start, end };
  // `(github).event` reads as `github.event`: the parentheses no longer hold the whole path.
  const longer: Ast = { ...node, parts: [...node.parts, part], end };
  delete longer.parens;
  return longer;
}

/** The expression inside `${{ }}` as a tree, whatever it holds. */
export function readExpression(expr: string): Read {
  const { tokens, unclean } = tokenize(expr);
  // Parentheses around the whole are read through before nesting too deep is read flat.
  const depth = nesting(tokens);
  const peeled = Math.min(Math.max(depth - MAX_READ_DEPTH, 0), enclosingPairs(tokens));
  const inner = tokens.slice(peeled, tokens.length - peeled);
  const parser = new Parser(inner, expr.length);
  const read = depth - peeled > MAX_READ_DEPTH ? parser.flat() : parser.parse();
  const ast = peeled > 0 ? inParentheses(read, peeled, tokens) : read;
  return { ast, clean: parser.clean && !unclean && tokens.length > 0 && peeled === 0 };
}

function inParentheses(ast: Ast, pairs: number, tokens: Token[]): Ast {
  const bare = ast.parens ?? { start: ast.start, end: ast.end };
  const count = (ast.parens?.count ?? 0) + pairs;
  return { ...ast, start: tokens[0]!.start, end: tokens[tokens.length - 1]!.end, parens: { ...bare, count } };
}

/** How many pairs of parentheses hold all the tokens: 2 for `((a))`, 0 for `(a) || (b)`. */
function enclosingPairs(tokens: Token[]): number {
  const open: number[] = [];
  const closes = new Map<number, number>();
  for (const [i, t] of tokens.entries()) {
    if (t.type === 'op' && t.text === '(') open.push(i);
    if (t.type === 'op' && t.text === ')' && open.length > 0) closes.set(open.pop()!, i);
  }
  let pairs = 0;
  while (pairs < tokens.length / 2 && closes.get(pairs) === tokens.length - 1 - pairs) pairs++;
  return pairs;
}

/** How deep the reader would recurse: brackets open at once, and every `!`. */
function nesting(tokens: Token[]): number {
  let depth = 0;
  let most = 0;
  let nots = 0;
  for (const t of tokens) {
    if (t.type !== 'op') continue;
    if (t.text === '(' || t.text === '[') most = Math.max(most, ++depth);
    if (t.text === ')' || t.text === ']') depth--;
    if (t.text === '!') nots++;
  }
  return most + nots;
}

/** The extent of a node inside its parentheses: `a` of `((a))`. */
export function bareExtent(node: Ast): { start: number; end: number } {
  return node.parens ?? node;
}
