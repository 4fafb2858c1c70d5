/**
 * A small PowerShell reader, the twin of the bash reader for `shell: pwsh` and `shell: powershell` steps:
 * enough of the grammar to find the programs a script starts and the environment variables it sets and
 * removes, with offsets into the script. Statements end at a line break or `;`, pipelines at `|`, `&&`
 * and `||`; quotes are '…' (with '') and "…" (with backtick escapes and `$(...)`), here-strings @'…'@ and
 * @"…"@; comments are `#` and `<# #>`; `(...)`, `$(...)`, `@(...)` and `{ script blocks }` are read as
 * statements of their own; GitHub's `${{ }}` is kept whole. Words are the bash reader's, so a command
 * means what it means there.
 */
import { meter } from '../meter.js';
import { programName, setEnvironmentCall, splitArguments, startProcess } from './powershell-calls.js';
import type { Command, Word } from './reader.js';

/** `$env:NAME = value`: the value word, or none when a command or an expression computes it. */
export interface PsEnvAssignment {
  kind: 'env-assignment';
  name: string;
  target: Word;
  value?: Word;
  /** Single-quoted: PowerShell expands nothing in it. */
  verbatim: boolean;
  start: number;
}

/** `$name = 'literal'`: a variable a later `& $name` may start. */
export interface PsVariable {
  kind: 'variable';
  name: string;
  value: string;
  start: number;
}

/** `[Environment]::SetEnvironmentVariable(...)` with a name the reader cannot spell out. */
export interface PsComputedEnv {
  kind: 'env-computed';
  call: Word;
  /** The value is `$null` or empty: it can only remove. */
  removes: boolean;
  start: number;
}

export type PsItem =
  { kind: 'command'; command: Command; start: number } | PsEnvAssignment | PsVariable | PsComputedEnv;

export interface PsScript {
  /** Commands, environment assignments and literal variables, in the order the script has them. */
  items: PsItem[];
  /**
   * What the reader could not read: where (`at`), why, and where the text that may hold a run begins
   * (`from`): an unclosed quote leaves the rest unread; `Invoke-Expression $text` runs text made anywhere.
   */
  unreadable: { reason: string; at: number; from: number }[];
  /**
   * Where what the script does may not happen: `{ }` blocks (a branch, a loop, a function, a script block
   * someone may invoke) and what follows `&&` or `||` to the statement's end. Ranges nest, as blocks do.
   */
  conditional: { from: number; to: number; why: string }[];
}

/** How deep `( )`, `{ }`, `$( )` and strings inside them may nest before the rest is left unread. */
const MAX_DEPTH = 16;
const SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b";
const DOUBLE_QUOTES = '"\u201c\u201d\u201e';
const KEYWORDS = new Set(
  [
    ...['if', 'elseif', 'else', 'switch', 'foreach', 'for', 'while', 'do', 'until', 'try', 'catch'],
    ...['finally', 'trap', 'function', 'filter', 'workflow', 'param', 'begin', 'process', 'end', 'class'],
    ...['enum', 'using', 'data', 'return', 'throw', 'exit', 'break', 'continue', 'dynamicparam'],
  ].map((k) => k.toLowerCase()),
);
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
const SET_ENVIRONMENT =
  /^\[(?:System\.)?Environment\]::SetEnvironmentVariable\(\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\1\s*,\s*('[^']*'|"[^"`$]*"|\$null|[^,)]*?)\s*(?:,\s*(\S[^)]*?))?\s*\)$/i;
const SET_ENVIRONMENT_CALL = /^\[(?:System\.)?Environment\]::SetEnvironmentVariable\(/i;
const ENV_TARGET = /^\$(?:env:([A-Za-z_][A-Za-z0-9_]*)|\{env:([A-Za-z_][A-Za-z0-9_]*)\})$/i;
const VARIABLE_TARGET = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

export function parsePowerShell(script: string): PsScript {
  const out: PsScript = { items: [], unreadable: [], conditional: [] };
  new Reader(script, out).statements(0, script.length, 0);
  out.items.sort((a, b) => a.start - b.start);
  out.conditional.sort((a, b) => a.from - b.from || b.to - a.to);
  return out;
}

/** A word being read, with what decides how its statement reads. */
interface Token extends Word {
  /** Written as `&` or `.` before a program: the call and dot-source operators. */
  operator?: boolean;
  /** Its first character is a quote, `$`, `(`, `@`, `[` or a digit: an expression, not a command name. */
  expression?: boolean;
  /** A `{ script block }` or `@{ table }` on its own. */
  block?: boolean;
}

/** The pipeline element being read: its words so far, the word being read, and where it stands. */
class Statement {
  element: Token[] = [];
  token: Token | null = null;
  private pipedIn = false;
  private statementStart = true;
  /** Where the statement's first `&&` or `||` is: what follows it runs only as the one before decides. */
  andOr: number | undefined;

  constructor(private readonly done: (tokens: Token[], pipedIn: boolean, statementStart: boolean) => void) {}

  append(text: string, at: number, kind?: 'quoted' | 'expression'): void {
    if (!this.token) {
      this.token = { text: '', start: at, end: at, quoted: false };
      if (kind === 'expression') this.token.expression = true;
    }
    this.token.text += text;
    if (kind === 'quoted') this.token.quoted = true;
  }

  flush(end: number): void {
    if (!this.token) return;
    this.token.end = end;
    this.element.push(this.token);
    this.token = null;
  }

  /** `&` or `=` as an operator word of its own. */
  operator(text: string, at: number): void {
    this.element.push({ text, start: at, end: at + 1, quoted: false, operator: true });
  }

  /** The element ends at `at`; a pipe makes the next one read from it. */
  end(at: number, pipe: boolean): void {
    this.flush(at);
    if (this.element.length > 0) this.done(this.element, this.pipedIn, this.statementStart);
    this.statementStart = !pipe;
    this.pipedIn = pipe;
    this.element = [];
  }
}

class Reader {
  constructor(
    private readonly s: string,
    private readonly out: PsScript,
  ) {}

  /** Reading stops at `at`; `from` is where the text that may hold a run begins. */
  private problem(reason: string, at: number, from = at): void {
    this.out.unreadable.push({ reason, at, from });
  }

  /** The statements between `from` and `limit`, read into the script's items. */
  statements(from: number, limit: number, depth: number): void {
    if (depth > MAX_DEPTH) {
      this.problem(`it nests deeper than ${MAX_DEPTH} levels`, from);
      return;
    }
    meter.read(from, limit);
    const st = new Statement((tokens, pipedIn, start) => this.element(tokens, pipedIn, start, depth));
    let i = from;
    while (i < limit) {
      const at = this.separator(st, i, limit) ?? this.wordPart(st, i, limit, depth);
      if (at < 0) break;
      i = at;
    }
    st.end(Math.min(i, limit), false);
    this.endAndOr(st, Math.min(i, limit));
  }

  /** A statement with `&&` or `||` ends: what came after the first of them was conditional. */
  private endAndOr(st: Statement, at: number): void {
    if (st.andOr === undefined) return;
    const op = this.s.slice(st.andOr, st.andOr + 2);
    this.out.conditional.push({ from: st.andOr, to: at, why: `after \`${op}\`` });
    st.andOr = undefined;
  }

  /** What ends a word, an element or a statement at `i` (blanks, `;`, `|`, `&`, comments); undefined for none. */
  private separator(st: Statement, i: number, limit: number): number | undefined {
    const s = this.s;
    const c = s[i]!;
    const next = s[i + 1];
    if (c === '`') {
      if (next === '\n') return i + 2;
      if (next === '\r' && s[i + 2] === '\n') return i + 3;
      st.append(next ?? '', i);
      return i + 2;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\u00a0') {
      st.flush(i);
      return i + 1;
    }
    if (c === '\n' || c === ';') {
      st.end(i, false);
      this.endAndOr(st, i);
      return i + 1;
    }
    if (c === '|' || (c === '&' && next === '&')) {
      st.end(i, next !== c);
      if (next === c) st.andOr ??= i;
      return next === c ? i + 2 : i + 1;
    }
    // `2>&1`: a redirect, not the call operator.
    if (c === '&' && st.token?.text.endsWith('>')) return undefined;
    if (c === '&') {
      if (!st.token && st.element.length === 0) st.operator('&', i);
      else st.end(i, false);
      return i + 1;
    }
    if (c === '#' && !st.token) {
      const end = s.indexOf('\n', i);
      return end === -1 || end > limit ? limit : end;
    }
    if (c === '<' && next === '#' && !st.token) {
      const close = s.indexOf('#>', i + 2);
      if (close !== -1 && close + 2 <= limit) return close + 2;
      this.problem('a `<#` comment never closes', i);
      return -1;
    }
    if (c === ',' && st.token && !st.token.expression) {
      st.flush(i);
      return i + 1;
    }
    return undefined;
  }

  /** A quote, here-string, variable, group, block or plain character at `i`; -1 where reading must stop. */
  private wordPart(st: Statement, i: number, limit: number, depth: number): number {
    const s = this.s;
    const c = s[i]!;
    const next = s[i + 1] ?? '';
    if (SINGLE_QUOTES.includes(c) || DOUBLE_QUOTES.includes(c)) {
      const single = SINGLE_QUOTES.includes(c);
      const close = single ? this.singleEnd(i, limit) : this.doubleEnd(i, limit, depth);
      if (close === limit) {
        this.problem('a quoted string never closes', i);
        return -1;
      }
      const text = single
        ? s.slice(i + 1, close).replace(/(['\u2018\u2019\u201a\u201b])\1/g, '$1')
        : this.expandable(i + 1, close, depth);
      st.append(text, i, 'quoted');
      return close + 1;
    }
    if (c === '@' && (SINGLE_QUOTES.includes(next) || DOUBLE_QUOTES.includes(next)))
      return this.hereString(st, i, limit, depth) ?? -1;
    if (c === '$' && next === '{' && s[i + 2] === '{') {
      const j = s.indexOf('}}', i + 3);
      const end = j === -1 || j + 2 > limit ? limit : j + 2;
      st.append(s.slice(i, end), i);
      return end;
    }
    if ((c === '$' || c === '@') && next === '(')
      return this.group(st, i + 1, limit, depth, '(', c === '@' || !st.token ? 'expression' : undefined);
    if (c === '@' && next === '{') {
      // A hashtable: `key = value` pairs, not commands.
      const end = Math.min(this.matching(i + 1, limit, '{', '}', depth) + 1, limit);
      st.append(s.slice(i, end), i, 'expression');
      st.token!.block = true;
      return end;
    }
    if (c === '$' && next === '{') {
      const close = s.indexOf('}', i + 2);
      const end = close === -1 || close >= limit ? limit : close + 1;
      st.append(s.slice(i, end), i, 'expression');
      return end;
    }
    if (c === '(') return this.group(st, i, limit, depth, '(', 'expression');
    if (c === '{') {
      st.flush(i);
      const end = this.group(st, i, limit, depth, '{', 'expression');
      // `try { }` and `finally { }` run; any other block may not (a branch, a loop, a function body).
      if (!/\b(try|finally)\s*$/i.test(this.s.slice(Math.max(0, i - 16), i)))
        this.out.conditional.push({ from: i, to: end, why: 'inside a `{ }` block, which may not run' });
      st.token!.block = true;
      st.flush(end);
      return end;
    }
    if (c === '=' && next !== '=' && assignable(st.element, st.token)) {
      st.flush(i);
      st.operator('=', i);
      return i + 1;
    }
    st.append(c, i, !st.token && /[$[0-9]/.test(c) ? 'expression' : undefined);
    return i + 1;
  }

  /** Index of the `'` that closes a single-quoted string opened at `open` (`''` is a quote inside it). */
  private singleEnd(open: number, limit: number): number {
    let i = open + 1;
    for (; i < limit; i++) {
      if (!SINGLE_QUOTES.includes(this.s[i]!)) continue;
      if (SINGLE_QUOTES.includes(this.s[i + 1] ?? '') && i + 1 < limit) i++;
      else break;
    }
    meter.read(open, i);
    return Math.min(i, limit);
  }

  /** Index of the `"` that closes a double-quoted string opened at `open`, past escapes and `$( )`. */
  private doubleEnd(open: number, limit: number, depth: number): number {
    let i = open + 1;
    for (; i < limit; i++) {
      const c = this.s[i]!;
      if (c === '`') i++;
      else if (c === '$' && this.s[i + 1] === '(') i = this.matching(i + 1, limit, '(', ')', depth + 1);
      else if (DOUBLE_QUOTES.includes(c)) {
        if (DOUBLE_QUOTES.includes(this.s[i + 1] ?? '') && i + 1 < limit) i++;
        else break;
      }
    }
    meter.read(open, Math.min(i, limit));
    return Math.min(i, limit);
  }

  /**
   * Index of the bracket that closes the one at `open`, past quotes and escapes; `limit` when none does.
   * Past the depth limit the rest is one opaque group, so hostile nesting costs no stack.
   */
  private matching(open: number, limit: number, opener: string, closer: string, depth: number): number {
    if (depth > MAX_DEPTH) return limit;
    let level = 0;
    let i = open;
    for (; i < limit; i++) {
      const c = this.s[i]!;
      if (c === '`') i++;
      else if (SINGLE_QUOTES.includes(c)) i = this.singleEnd(i, limit);
      else if (DOUBLE_QUOTES.includes(c)) i = this.doubleEnd(i, limit, depth + 1);
      else if (c === '#' && (i === 0 || /\s/.test(this.s[i - 1]!))) {
        while (i < limit && this.s[i] !== '\n') i++;
      } else if (c === opener) level++;
      else if (c === closer && --level === 0) break;
    }
    meter.read(open, Math.min(i, limit));
    return Math.min(i, limit);
  }

  /** A `( )`, `$( )`, `@( )` or `{ }` at `open`: its inside read as statements, its text kept in the word. */
  private group(
    st: Statement,
    open: number,
    limit: number,
    depth: number,
    opener: '(' | '{',
    kind: 'expression' | undefined,
  ): number {
    const closer = opener === '(' ? ')' : '}';
    const close = this.matching(open, limit, opener, closer, depth);
    if (close === limit) this.problem(`a \`${opener}\` never closes`, open);
    this.statements(open + 1, close, depth + 1);
    const start = this.s[open - 1] === '$' || this.s[open - 1] === '@' ? open - 1 : open;
    const end = Math.min(close + 1, limit);
    st.append(this.s.slice(start, end), start, kind);
    return end;
  }

  /** The text of a double-quoted string between `from` and `close`: escapes applied, `$( )` read and kept. */
  private expandable(from: number, close: number, depth: number): string {
    let text = '';
    for (let i = from; i < close; i++) {
      const c = this.s[i]!;
      if (c === '`') {
        const e = this.s[i + 1] ?? '';
        text += ESCAPES[e] ?? e;
        i++;
      } else if (DOUBLE_QUOTES.includes(c)) {
        text += c;
        i++;
      } else if (c === '$' && this.s[i + 1] === '{' && this.s[i + 2] === '{') {
        const j = this.s.indexOf('}}', i + 3);
        const end = j === -1 || j + 2 > close ? close : j + 2;
        text += this.s.slice(i, end);
        i = end - 1;
      } else if (c === '$' && this.s[i + 1] === '(') {
        const end = this.matching(i + 1, close, '(', ')', depth + 1);
        this.statements(i + 2, end, depth + 1);
        text += this.s.slice(i, end + 1);
        i = end;
      } else text += c;
    }
    return text;
  }

  /**
   * `@'` or `@"` ending its line opens a here-string, which a line starting with `'@` or `"@` closes. Returns
   * where reading goes on, or undefined when it never closes.
   */
  private hereString(st: Statement, at: number, limit: number, depth: number): number | undefined {
    const s = this.s;
    const expandable = DOUBLE_QUOTES.includes(s[at + 1]!);
    const lineEnd = s.indexOf('\n', at);
    if (lineEnd === -1 || lineEnd >= limit || s.slice(at + 2, lineEnd).trim() !== '') {
      this.problem('a here-string must start its text on the next line', at);
      return undefined;
    }
    const closer = expandable ? /\r?\n["\u201c\u201d\u201e]@/g : /\r?\n['\u2018\u2019\u201a\u201b]@/g;
    closer.lastIndex = lineEnd;
    const m = closer.exec(s);
    if (!m || m.index + m[0].length > limit) {
      this.problem('a here-string never closes', at);
      return undefined;
    }
    const body = s.slice(lineEnd + 1, m.index);
    st.append(expandable ? this.expandable(lineEnd + 1, m.index, depth) : body, at, 'quoted');
    return m.index + m[0].length;
  }

  /** One element of a pipeline: a command, an assignment, or an expression that starts nothing. */
  private element(tokens: Token[], pipedIn: boolean, statementStart: boolean, depth: number): void {
    const eq = tokens.findIndex((t) => t.operator && t.text === '=');
    if (statementStart && eq > 0) {
      this.assignment(tokens[eq - 1]!, tokens.slice(eq + 1), depth);
      return;
    }
    const first = tokens[0]!;
    if (statementStart && SET_ENVIRONMENT_CALL.test(first.text)) {
      const call = setEnvironmentCall(first);
      if (SET_ENVIRONMENT.test(call.text)) this.setEnvironmentVariable(call);
      else this.computedEnvironmentVariable(first);
      return;
    }
    if (first.operator) {
      // `& program args`, `. ./script.ps1`: the word after the operator is the program.
      if (tokens[1] && !tokens[1].block) this.command(tokens.slice(1), pipedIn, depth);
      return;
    }
    // A value, a string, a block, or an operator such as `-not` or `!`: an expression, which starts nothing.
    if (first.expression || first.quoted || first.block || /^[-!+]/.test(first.text)) return;
    if (statementStart && KEYWORDS.has(first.text.toLowerCase())) return;
    if (first.text === '.' && tokens[1]) {
      this.command(tokens.slice(1), pipedIn, depth);
      return;
    }
    this.command(tokens, pipedIn, depth);
  }

  /** `$env:NAME = value` or `$name = 'literal'`; a value that starts with a command name runs it. */
  private assignment(target: Token, value: Token[], depth: number): void {
    const env = ENV_TARGET.exec(target.text);
    const single = value.length === 1 ? value[0]! : undefined;
    const literal = single && !single.block && !(single.expression && !single.quoted);
    if (env) {
      const item: PsEnvAssignment = {
        kind: 'env-assignment',
        name: env[1] ?? env[2]!,
        target,
        verbatim: literal === true && SINGLE_QUOTES.includes(this.s[single!.start]!),
        start: target.start,
      };
      if (literal || single?.text === '$null' || /^\$env:/i.test(single?.text ?? '')) item.value = single;
      this.out.items.push(item);
    } else {
      const variable = VARIABLE_TARGET.exec(target.text);
      if (variable && literal && single.quoted)
        this.out.items.push({
          kind: 'variable',
          name: variable[1]!,
          value: single.text,
          start: target.start,
        });
    }
    if (value[0] && !single?.quoted) this.element(value, false, false, depth);
  }

  /** `[Environment]::SetEnvironmentVariable('NAME', value)`: for this process unless a scope says otherwise. */
  private setEnvironmentVariable(call: Token): void {
    const m = SET_ENVIRONMENT.exec(call.text)!;
    const [, , name, raw, scope] = m;
    if (scope && !/process/i.test(scope)) return;
    const at = call.start + call.text.indexOf(raw!, m[0].indexOf(name!) + name!.length);
    const target: Word = { text: name!, start: call.start + m[0].indexOf(name!), end: 0, quoted: true };
    target.end = target.start + name!.length;
    const item: PsEnvAssignment = {
      kind: 'env-assignment',
      name: name!,
      target,
      verbatim: false,
      start: call.start,
    };
    const literal = /^(['"])(.*)\1$/s.exec(raw!);
    if (literal) {
      item.value = { text: literal[2]!, start: at, end: at + raw!.length, quoted: true };
      item.verbatim = literal[1] === "'";
    } else if (raw === '$null') item.value = { text: raw, start: at, end: at + raw.length, quoted: false };
    this.out.items.push(item);
  }

  /**
   * A call whose name is not written out (`'ANTHROPIC_' + $suffix`, a variable): for this process unless
   * a scope other than Process says otherwise; it may set or remove any variable.
   */
  private computedEnvironmentVariable(call: Token): void {
    const args = splitArguments(call.text.slice(call.text.indexOf('(') + 1, call.text.lastIndexOf(')')));
    if (args[2] && !/process/i.test(args[2])) return;
    const removes = args[1] === undefined || /^(\$null|''|"")$/i.test(args[1]);
    this.out.items.push({ kind: 'env-computed', call, removes, start: call.start });
  }

  private command(tokens: Token[], pipedIn: boolean, depth: number): void {
    const words: Word[] = [];
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      const redirect = !t.quoted && /^(\d|\*)?>>?(&\d)?/.exec(t.text);
      if (redirect) {
        // `> file`, `2>&1`, `*> $null`: where output goes, not an argument.
        if (redirect[0] === t.text && !redirect[2]) k++;
        continue;
      }
      words.push({ text: t.text, start: t.start, end: t.end, quoted: t.quoted });
    }
    const program = words[0];
    if (!program) return;
    // `C:\tools\claude.exe` and `.\claude.cmd` name the program `claude` as bash names `./claude`.
    words[0] = { ...program, text: programName(program.text) };
    const start = program.start;
    const end = words[words.length - 1]!.end;
    const command: Command = { words, redirects: [], heredocs: [], pipedIn, start, end, nested: depth > 0 };
    this.out.items.push({ kind: 'command', command: startProcess(command) ?? command, start });
    if (INVOKE_EXPRESSION.test(program.text)) this.invokeExpression(words.slice(1), depth);
  }

  /**
   * `Invoke-Expression 'claude -p x'` runs its text as a script: read as one when it is written out in the
   * file; text made at run time is a place the reader cannot read, where any mention of Claude counts.
   */
  private invokeExpression(args: Word[], depth: number): void {
    const text = args.find((w) => !/^-command$/i.test(w.text));
    if (!text) return;
    const inside = text.quoted ? { start: text.start + 1, end: text.end - 1 } : text;
    if (
      inside.end > inside.start &&
      this.s.slice(inside.start, inside.end) === text.text &&
      !text.text.includes('$')
    )
      this.statements(inside.start, inside.end, depth + 1);
    else this.problem('Invoke-Expression runs text made at run time', text.start, 0);
  }
}

/** Whether an `=` here assigns: the statement so far is one `$variable` (a cast before it aside). */
function assignable(element: Token[], token: Token | null): boolean {
  const words = token ? [...element, token] : element;
  const last = words[words.length - 1];
  return (
    words.length > 0 &&
    words.length <= 2 &&
    !words[0]!.operator &&
    last !== undefined &&
    /^\$/.test(last.text) &&
    words.every((w) => w === last || /^\[[^\]]*\]$/.test(w.text))
  );
}

const INVOKE_EXPRESSION = /^(invoke-expression|iex)$/i;
