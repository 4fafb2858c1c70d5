/**
 * A small bash reader: enough of the grammar to find which programs a `run:` script starts, with offsets.
 * Words keep their unquoted text; `$(...)`, backticks, `bash -c '...'` and heredocs fed to a shell are read
 * as scripts of their own; comments, quoted strings and heredocs that only write files are not commands.
 */

export interface Word {
  /** The word with quotes removed and escapes applied; substitutions are kept as written. */
  text: string;
  start: number;
  end: number;
  quoted: boolean;
  /** Made by brace expansion: never an assignment, as bash finds those before it expands. */
  expanded?: boolean;
}

export interface Redirect {
  op: string;
  start: number;
  /** The file descriptor written before the operator (`2` in `2>`); none means the operator's default. */
  fd?: number;
  target?: Word;
}

export interface Heredoc {
  delimiter: string;
  quoted: boolean;
  body: string;
  bodyStart: number;
}

/**
 * Code a command hands a shell to run, as the shell will read it: `bash -c '...'`, `bash <<EOF`, `bash -s
 * <<< '...'`, `su -c`, `eval '...'`. A child shell's changes to its environment end with it; eval's stay.
 */
export interface InlineCode {
  text: string;
  /** Where the code is written: its own characters when `exact`, else the word that holds it. */
  start: number;
  end: number;
  /** `text` is the script's characters from `start` on, so an offset in it is one in the script. */
  exact: boolean;
  /** eval: run by the shell that reads the command, so what it changes stays. */
  sameShell: boolean;
}

export interface Command {
  words: Word[];
  redirects: Redirect[];
  heredocs: Heredoc[];
  /** The command reads from a pipe (`a | b`: true for b). */
  pipedIn: boolean;
  start: number;
  end: number;
  /** Inside `$(...)`, backticks or a nested shell. */
  nested: boolean;
  /** The code this command hands a shell to run, if any. */
  inline?: InlineCode[];
}

import { meter } from '../meter.js';
import { programIndex } from './commands.js';

const MAX_DEPTH = 16;
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);

export function parseShell(script: string): Command[] {
  const out: Command[] = [];
  lex(script, 0, script.length, out, 0);
  out.sort((a, b) => a.start - b.start);
  return out;
}

/**
 * How deep `"$(` may nest inside quotes before the rest is treated as one opaque word: each level is a
 * stack frame, and a 25 KB script could otherwise overflow the stack.
 */
const MAX_QUOTE_NESTING = 200;

/** Index of the `)` closing the `(` at `open`, skipping quotes and nested parentheses. */
function matchParen(s: string, open: number, limit: number, level = 0): number {
  if (level > MAX_QUOTE_NESTING) return limit;
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const j = s.indexOf("'", i + 1);
      i = j === -1 || j >= limit ? limit : j;
    } else if (c === '"') i = skipDouble(s, i, limit, level + 1);
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return limit;
}

/** Index of the closing `"` of a double-quoted string starting at `open`. */
function skipDouble(s: string, open: number, limit: number, level = 0): number {
  if (level > MAX_QUOTE_NESTING) return limit;
  for (let i = open + 1; i < limit; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') return i;
    else if (c === '$' && s[i + 1] === '(') i = matchParen(s, i + 1, limit, level + 1);
  }
  return limit;
}

function matchBrace(s: string, open: number, limit: number): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return limit;
}

function githubExpressionEnd(s: string, start: number, limit: number): number {
  const j = s.indexOf('}}', start + 3);
  return j === -1 || j + 2 > limit ? limit : j + 2;
}

/** `nested`: the commands run in a shell of their own (a substitution, `bash -c`), not the script's (eval's). */
function lex(
  s: string,
  from: number,
  limit: number,
  out: Command[],
  depth: number,
  nested = depth > 0,
): void {
  if (depth > MAX_DEPTH) return;
  meter.read(from, limit);
  let cmd = newCommand(from, false, nested);
  let word: Word | null = null;
  let pendingRedirect: Redirect | null = null;
  let pendingHeredocs: { heredoc: Heredoc; command: Command }[] = [];
  const own: Command[] = [];

  const append = (text: string, at: number, quoted = false): void => {
    if (!word) word = { text: '', start: at, end: at, quoted: false };
    word.text += text;
    if (quoted) word.quoted = true;
  };
  const flushWord = (end: number): void => {
    if (!word) return;
    word.end = end;
    if (pendingRedirect) {
      pendingRedirect.target = word;
      if (pendingRedirect.op === '<<' || pendingRedirect.op === '<<-') {
        const heredoc: Heredoc = { delimiter: word.text, quoted: word.quoted, body: '', bodyStart: end };
        cmd.heredocs.push(heredoc);
        pendingHeredocs.push({ heredoc, command: cmd });
      }
      pendingRedirect = null;
    } else cmd.words.push(word);
    word = null;
  };
  const endCommand = (at: number, pipe: boolean): void => {
    flushWord(at);
    pendingRedirect = null;
    if (cmd.words.length > 0 || cmd.redirects.length > 0) {
      cmd.words = splitStrings(s, cmd.words.flatMap(expandBraces));
      cmd.end = at;
      out.push(cmd);
      own.push(cmd);
    }
    cmd = newCommand(at + 1, pipe, nested);
  };
  const substitute = (start: number, end: number, inner = true): void =>
    lex(s, start, end, out, depth + 1, inner);

  let i = from;
  while (i < limit) {
    const c = s[i]!;
    const next = s[i + 1];
    if (c === '\\') {
      if (next === '\n') i += 2;
      else if (next === '\r' && s[i + 2] === '\n') i += 3;
      else {
        append(next ?? '', i);
        i += 2;
      }
    } else if (c === ' ' || c === '\t' || c === '\r') {
      flushWord(i);
      i++;
    } else if (c === '\n') {
      endCommand(i, false);
      i++;
      if (pendingHeredocs.length > 0) {
        i = readHeredocs(s, i, limit, pendingHeredocs, substitute);
        pendingHeredocs = [];
        cmd.start = i;
      }
    } else if (c === '#' && !word) {
      while (i < limit && s[i] !== '\n') i++;
    } else if (c === "'") {
      const j = s.indexOf("'", i + 1);
      const close = j === -1 || j >= limit ? limit : j;
      append(s.slice(i + 1, close), i, true);
      i = close + 1;
    } else if (c === '$' && next === "'") {
      // `$'...'`: bash's ANSI-C quoting, with its backslash escapes (`$'cl\x61ude'` is claude).
      let j = i + 2;
      while (j < limit && s[j] !== "'") j += s[j] === '\\' ? 2 : 1;
      const close = Math.min(j, limit);
      append(ansiC(s.slice(i + 2, close)), i, true);
      i = close + 1;
    } else if (c === '"') {
      const close = skipDouble(s, i, limit);
      append('', i, true);
      readDoubleQuoted(s, i + 1, close, (text) => append(text, i), substitute);
      i = close + 1;
    } else if (c === '$' && next === '{' && s[i + 2] === '{') {
      const j = githubExpressionEnd(s, i, limit);
      append(s.slice(i, j), i);
      i = j;
    } else if (c === '$' && next === '(') {
      const close = matchParen(s, i + 1, limit);
      if (s[i + 2] !== '(') substitute(i + 2, close);
      append(s.slice(i, close + 1), i);
      i = close + 1;
    } else if (c === '$' && next === '{') {
      const close = matchBrace(s, i + 1, limit);
      append(s.slice(i, close + 1), i);
      i = close + 1;
    } else if (c === '`') {
      let j = i + 1;
      while (j < limit && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
      substitute(i + 1, Math.min(j, limit));
      append(s.slice(i, j + 1), i);
      i = j + 1;
    } else if ((c === '<' || c === '>') && next === '(') {
      const close = matchParen(s, i + 1, limit);
      substitute(i + 2, close);
      append(s.slice(i, close + 1), i);
      i = close + 1;
    } else if (c === '>' || c === '<' || (c === '&' && next === '>')) {
      const current = word as Word | null;
      // `2>` names a descriptor; in `2&>` the 2 is a word of its own (bash reads `&>` as one operator).
      const digits = c !== '&' && current !== null && /^\d+$/.test(current.text) && !current.quoted;
      const fd = digits ? Number(current.text) : undefined;
      if (fd !== undefined) word = null;
      else flushWord(i);
      const op = /^(<<<|<<-|<<|>>|>\||>&|<&|<>|&>>|&>|>|<)/.exec(s.slice(i, i + 3))![0];
      pendingRedirect = fd === undefined ? { op, start: i } : { op, start: i, fd };
      cmd.redirects.push(pendingRedirect);
      i += op.length;
      if (op === '>&' || op === '<&') {
        const m = /^\s*([0-9-]+)/.exec(s.slice(i, i + 8));
        if (m) {
          pendingRedirect.target = { text: m[1]!, start: i, end: i + m[0].length, quoted: false };
          pendingRedirect = null;
          i += m[0].length;
        }
      }
    } else if (c === '&' || c === '|' || c === ';' || c === '(' || c === ')') {
      const two = s.slice(i, i + 2);
      const op = two === '&&' || two === '||' || two === ';;' || two === '|&' ? two : c;
      endCommand(i, op === '|' || op === '|&');
      i += op.length;
    } else {
      append(c, i);
      i++;
    }
  }
  endCommand(limit, false);
  if (pendingHeredocs.length > 0) readHeredocs(s, limit, limit, pendingHeredocs, substitute);
  for (const command of own) nestShell(s, command, substitute);
}

/**
 * `env -S 'NAME= claude -p'` (`-SSTRING`, `--split-string[=]STRING`): env splits the string into the words
 * it runs, as if they were written in its place, so they take the option's place among the command's words.
 * Split at blanks outside '...' and "..."; a word written in the script keeps its own position.
 */
function splitStrings(s: string, words: Word[]): Word[] {
  const program = programIndex(words);
  const at = words.findIndex((w, k) => k < program && /(^|\/)env$/.test(w.text));
  if (at === -1) return words;
  const out = words.slice(0, at + 1);
  for (let k = at + 1; k < program; k++) {
    const w = words[k]!;
    const option = /^(-S|--split-string=?)(.*)$/s.exec(w.text);
    if (!option) {
      out.push(w);
      continue;
    }
    const separate = option[2] === '' && option[1] !== '--split-string=';
    const holder = separate ? words[++k] : { ...w, text: option[2]!, start: w.start + option[1]!.length };
    if (holder) out.push(...splitWord(s, holder));
  }
  return out.concat(words.slice(program));
}

/** The most words one brace expansion may make before it is left as written (`{a,b}{c,d}...` doubles each time). */
const MAX_BRACE_WORDS = 16;
const BRACES = /^([^{}$`'"]*)\{([^{}$`'"]*,[^{}$`'"]*)\}(.*)$/s;

/**
 * Brace expansion, which bash does first: `{env,ANTHROPIC_API_KEY=}` is two words, `cl{a,}ude` is
 * `claude clude`. Unquoted words only, never a `${...}` or an assignment; each word keeps the place of
 * the one written.
 */
function expandBraces(word: Word): Word[] {
  if (word.quoted || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text) || !BRACES.test(word.text)) return [word];
  let texts = [word.text];
  // Each round expands one group of each word, so the rounds end with the groups.
  while (texts.some((text) => BRACES.test(text))) {
    const next = texts.flatMap((text) => {
      const m = BRACES.exec(text);
      return m ? m[2]!.split(',').map((part) => m[1]! + part + m[3]!) : [text];
    });
    if (next.length > MAX_BRACE_WORDS) return [word];
    texts = next;
  }
  // bash drops the words an expansion leaves empty.
  return texts.filter((text) => text !== '').map((text) => ({ ...word, text, expanded: true }));
}

/** The words env -S makes of one word: exact positions when the word is written as it reads, else its own. */
function splitWord(s: string, word: Word): Word[] {
  const base = word.quoted ? word.start + 1 : word.start;
  const exact = s.slice(base, base + word.text.length) === word.text;
  const out: Word[] = [];
  for (const m of word.text.matchAll(/(?:'[^']*'|"(?:\\.|[^"\\])*"|[^\s'"]+)+/g)) {
    const start = exact ? base + m.index : word.start;
    const end = exact ? start + m[0].length : word.end;
    const quoted = /['"]/.test(m[0]);
    const text = m[0].replace(
      /'([^']*)'|"((?:\\.|[^"\\])*)"/g,
      (_all, single?: string, double?: string) => single ?? double!.replace(/\\(.)/g, '$1'),
    );
    out.push({ text, start, end, quoted: quoted || word.quoted });
  }
  return out;
}

const ANSI_C: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** The text of `$'...'`: its escapes applied as bash applies them; bash ends the string at a NUL. */
function ansiC(body: string): string {
  const text = body.replace(
    /\\(?:([xuU])([0-9a-fA-F]+)|([0-7]{1,3})|c(.)|(.))/gs,
    (all, base?: string, hex?: string, octal?: string, control?: string, plain?: string) => {
      if (plain !== undefined) return ANSI_C[plain] ?? all;
      if (control !== undefined) return String.fromCharCode(control.charCodeAt(0) & 0x1f);
      if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8) & 0xff);
      const digits = hex!.slice(0, base === 'x' ? 2 : base === 'u' ? 4 : 8);
      const code = parseInt(digits, 16);
      return (
        (code > 0x10ffff ? all.slice(0, 2 + digits.length) : String.fromCodePoint(code)) +
        hex!.slice(digits.length)
      );
    },
  );
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}

/**
 * Whether `pattern` may match a word as bash reads it: bash drops quotes and backslashes inside a word
 * (`cl''aude`, `c\laude`, `"cla"ude`, a line continuation), and `$'\x63laude'` spells a letter by its code.
 * A superset, checked only when the text as written does not match, so it stays cheap.
 */
export function bashMayMatch(pattern: RegExp, text: string): boolean {
  return (
    pattern.test(text) || pattern.test(text.replace(/\\\r?\n|['"\\]/g, '')) || /\$'[^']*\\[0-7xuU]/.test(text)
  );
}

function newCommand(start: number, pipedIn: boolean, nested: boolean): Command {
  return { words: [], redirects: [], heredocs: [], pipedIn, start, end: start, nested };
}

function readDoubleQuoted(
  s: string,
  from: number,
  close: number,
  emit: (text: string) => void,
  substitute: (start: number, end: number) => void,
): void {
  let text = '';
  for (let i = from; i < close; i++) {
    const c = s[i]!;
    if (c === '\\' && '$`"\\\n'.includes(s[i + 1] ?? '')) {
      if (s[i + 1] !== '\n') text += s[i + 1];
      i++;
    } else if (c === '$' && s[i + 1] === '(') {
      const end = matchParen(s, i + 1, close);
      if (s[i + 2] !== '(') substitute(i + 2, end);
      text += s.slice(i, end + 1);
      i = end;
    } else if (c === '$' && s[i + 1] === '{' && s[i + 2] === '{') {
      const end = githubExpressionEnd(s, i, close);
      text += s.slice(i, end);
      i = end - 1;
    } else if (c === '`') {
      let j = i + 1;
      while (j < close && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
      substitute(i + 1, Math.min(j, close));
      text += s.slice(i, j + 1);
      i = j;
    } else text += c;
  }
  emit(text);
}

function readHeredocs(
  s: string,
  at: number,
  limit: number,
  pending: { heredoc: Heredoc; command: Command }[],
  substitute: (start: number, end: number) => void,
): number {
  let i = at;
  for (const { heredoc, command } of pending) {
    const stripTabs = command.redirects.some((r) => r.op === '<<-' && r.target?.text === heredoc.delimiter);
    heredoc.bodyStart = i;
    let body = '';
    while (i < limit) {
      let lineEnd = s.indexOf('\n', i);
      if (lineEnd === -1 || lineEnd > limit) lineEnd = limit;
      const line = s.slice(i, lineEnd).replace(/\r$/, '');
      const compared = stripTabs ? line.replace(/^\t+/, '') : line;
      const lineStart = i;
      i = lineEnd + 1;
      if (compared.trim() === heredoc.delimiter) break;
      body += line + '\n';
      if (!heredoc.quoted) {
        // Unquoted heredocs expand $(...) when the shell reads them.
        for (let k = line.indexOf('$('); k !== -1; k = line.indexOf('$(', k + 2)) {
          const close = matchParen(s, lineStart + k + 1, lineEnd);
          substitute(lineStart + k + 2, close);
        }
      }
    }
    heredoc.body = body;
    command.end = Math.max(command.end, Math.min(i, limit));
  }
  return Math.min(i, limit);
}

/**
 * The code a word holds, as the shell that runs it reads it: the word's characters when it is written as
 * one static string (so positions in the code are positions in the script), else its unquoted text.
 */
function inlineWord(s: string, word: Word, sameShell: boolean): InlineCode {
  const start = word.quoted ? word.start + 1 : word.start;
  const end = word.quoted ? word.end - 1 : word.end;
  const exact = end > start && s.slice(start, end) === word.text;
  return exact
    ? { text: word.text, start, end, exact, sameShell }
    : { text: word.text, start: word.start, end: word.end, exact, sameShell };
}

/**
 * `bash -c '...'`, `script -qc '...'`, `su -c '...'`, `flock FILE -c '...'`, `eval '...'`, `bash <<EOF` and
 * `bash <<< '...'` run their text as a script: kept on the command as its inline code, and read as one
 * (eval's commands are the script's own: they run in its shell).
 */
function nestShell(
  s: string,
  command: Command,
  substitute: (start: number, end: number, nested?: boolean) => void,
): void {
  const codes = inlineCodes(s, command);
  if (codes.length > 0) command.inline = codes;
  for (const code of codes)
    if (code.exact) substitute(code.start, code.end, !code.sameShell || command.nested);
}

/**
 * The code of `trap [--] CODE SIGNAL...`; none for `trap SIGNAL` or `trap - SIGNAL` (which reset), `trap ''`
 * (which ignores) or `trap -p` / `trap -l` (which print).
 */
export function trapCode(args: Word[]): Word | undefined {
  const rest = args[0]?.text === '--' ? args.slice(1) : args;
  const code = rest[0];
  if (!code || rest.length < 2 || code.text === '-' || code.text === '' || /^-[lp]+$/.test(code.text))
    return undefined;
  return code;
}

const WHOLE_EXPANSION =
  /^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\{[A-Za-z_][A-Za-z0-9_]*[:#%/-][^}]*\}|\$\(.*\)|`.*`)$/s;

function inlineCodes(s: string, command: Command): InlineCode[] {
  const words = command.words;
  const first = programIndex(words);
  const name = words[first]?.text.split('/').pop();
  if (name === 'eval') {
    // A word that is one expansion (`"$c"`, `"$(cmd)"`) is text only the shell knows: flow reads it.
    const rest = words.slice(first + 1);
    return rest.length === 1 && !WHOLE_EXPANSION.test(rest[0]!.text) ? [inlineWord(s, rest[0]!, true)] : [];
  }
  if (name === 'trap') {
    // `trap 'code' DEBUG`: the script's own shell runs the code when the signal comes.
    const code = trapCode(words.slice(first + 1));
    return code && !WHOLE_EXPANSION.test(code.text) ? [inlineWord(s, code, true)] : [];
  }
  // `su -c '...'` and `flock /tmp/lock -c '...'` run their text with a shell, as `script -c` does.
  const runsText = name === 'script' || name === 'su' || name === 'flock';
  if (!name || (!SHELLS.has(name) && !runsText)) return [];
  for (let k = first + 1; k < words.length - 1; k++) {
    const w = words[k]!;
    if (/^-[a-z]*c[a-z]*$/.test(w.text) || w.text === '--command' || w.text === '--session-command')
      return [inlineWord(s, words[k + 1]!, false)];
  }
  if (runsText) return [];
  const codes: InlineCode[] = [];
  for (const r of command.redirects)
    if (r.op === '<<<' && r.target) codes.push(inlineWord(s, r.target, false));
  for (const heredoc of command.heredocs) {
    const end = heredoc.bodyStart + heredoc.body.length;
    codes.push({ text: heredoc.body, start: heredoc.bodyStart, end, exact: true, sameShell: false });
  }
  return codes;
}
