/**
 * A small reader for cmd.exe batch text, the third twin of the bash and PowerShell readers: `shell: cmd`
 * steps (GitHub writes the script to a `.cmd` file and runs it with `cmd /D /E:ON /V:OFF /S /C "CALL ..."`),
 * committed `.cmd` / `.bat` wrappers, and the code `cmd /c "..."` is handed from any shell. Enough of the
 * grammar to find the programs a script starts and the variables it sets and empties: lines, `&`, `&&`,
 * `||` and `|`; `"` quotes and `^` escapes; `( )` blocks; `if`, `for ... do` and `else`, whose commands may
 * not run; `rem` and `::` comments; labels and `goto`, after which the order is run time's; `@`, `call`
 * and `start` in front of a program; `set NAME=value`, `set "NAME=value"`, `set /a` and `set /p`;
 * `setlocal` / `endlocal`. Words are the bash reader's, so a command means what it means there; `%*`
 * (every argument of a wrapper) reads as bash's `$@`.
 */
import { meter } from '../meter.js';
import { programName } from './powershell-calls.js';
import type { Command, InlineCode, Word } from './reader.js';

/** `set NAME=value`: the value word, or none when run time gives it (`set /p`, `set /a`). */
export interface CmdSet {
  kind: 'set';
  name: string;
  target: Word;
  value?: Word;
  start: number;
}

export type CmdItem =
  | { kind: 'command'; command: Command; start: number }
  | CmdSet
  | { kind: 'setlocal' | 'endlocal'; start: number };

export interface CmdScript {
  items: CmdItem[];
  /** Where what the script does may not happen, and why: ranges nest as blocks do. */
  conditional: { from: number; to: number; why: string }[];
}

/** Code handed to cmd.exe (`cmd /c "..."`): read by this reader, not bash's. */
export interface CmdCode extends InlineCode {
  shell: 'cmd';
}

export function parseCmd(script: string): CmdScript {
  const out: CmdScript = { items: [], conditional: [] };
  new CmdReader(script, out).read();
  out.conditional.sort((a, b) => a.from - b.from || b.to - a.to);
  return out;
}

/** `cmd`, `cmd.exe`, `C:\Windows\System32\cmd.exe` with `/c` or `/k`: the code it runs, if written out. */
export function cmdCode(command: Command, script: string): CmdCode | undefined {
  const words = command.words;
  const at = words.findIndex((w) => /^cmd$/i.test(programName(w.text).replace(/^.*\//, '')));
  if (at === -1 || words.slice(0, at).some((w) => !/^(start|call|@|\/\w+)$/i.test(w.text))) return undefined;
  const k = words.findIndex((w, i) => i > at && /^\/{1,2}[ck]$/i.test(w.text));
  const code = k === -1 ? [] : words.slice(k + 1);
  if (code.length === 0) return undefined;
  const first = code[0]!;
  const last = code[code.length - 1]!;
  const text = code.map((w) => w.text).join(' ');
  const inside = first.quoted && code.length === 1 ? first.start + 1 : first.start;
  const exact = script.slice(inside, inside + text.length) === text;
  return { text, start: exact ? inside : first.start, end: last.end, exact, sameShell: false, shell: 'cmd' };
}

/** The words `if` takes before its command: `if [/i] [not] exist X`, `A==B`, `A EQU B`, `errorlevel N`. */
function ifHeader(words: Word[]): number | undefined {
  let k = 1;
  while (words[k] && /^(\/i|not)$/i.test(words[k]!.text)) k++;
  const w = words[k];
  if (!w) return undefined;
  if (/^(exist|defined|errorlevel|cmdextversion)$/i.test(w.text)) return words[k + 1] ? k + 2 : undefined;
  if (/^[^=]+==[^=]+$/.test(w.text)) return k + 1;
  if (/==$/.test(w.text)) return words[k + 1] ? k + 2 : undefined;
  const op = words[k + 1];
  if (!op) return undefined;
  if (/^==/.test(op.text)) return op.text === '==' ? (words[k + 2] ? k + 3 : undefined) : k + 2;
  if (/^(equ|neq|lss|leq|gtr|geq)$/i.test(op.text)) return words[k + 2] ? k + 3 : undefined;
  return undefined;
}

class CmdReader {
  private words: Word[] = [];
  private word: Word | null = null;
  private depth = 0;
  private pipedIn = false;
  /** Set once a label or `goto` is seen: from there on, which commands run is run time's. */
  private jumps: number | undefined;
  /**
   * The last chain or statement end a look-ahead found: an operator or header before it lies in the same
   * chain or statement (or one nested in it), and takes that end, so the look-aheads read each character
   * about once however many `&&` or `if` a hostile line holds (a nested one's range is then wider, never
   * narrower).
   */
  private lastChain = { from: -1, end: -1 };
  private lastStatement = { from: -1, end: -1 };

  constructor(
    private readonly s: string,
    private readonly out: CmdScript,
  ) {}

  read(): void {
    const s = this.s;
    meter.read(0, s.length);
    let i = 0;
    while (i < s.length) i = this.step(i);
    this.endCommand(s.length, false);
    if (this.jumps !== undefined)
      this.out.conditional.push({
        from: this.jumps,
        to: s.length,
        why: 'after a label or `goto`, where run time decides what runs',
      });
  }

  /** One character (or a quoted run, an escape, an operator) at `i`; returns where reading goes on. */
  private step(i: number): number {
    const s = this.s;
    const c = s[i]!;
    if (!this.word && this.words.length === 0) {
      const skipped = this.commentOrLabel(i);
      if (skipped !== undefined) return skipped;
    }
    if (c === '^') {
      if (s[i + 1] === '\n') return i + 2;
      if (s[i + 1] === '\r' && s[i + 2] === '\n') return i + 3;
      this.append(s[i + 1] ?? '', i);
      return i + 2;
    }
    if (c === '"') {
      const close = s.indexOf('"', i + 1);
      const lineEnd = s.indexOf('\n', i + 1);
      const end =
        close === -1 || (lineEnd !== -1 && lineEnd < close) ? (lineEnd === -1 ? s.length : lineEnd) : close;
      this.append(s.slice(i + 1, end), i, true);
      return end === close ? close + 1 : end;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === ';') {
      this.flush(i);
      return i + 1;
    }
    if (c === '\n') {
      this.endCommand(i, false);
      return i + 1;
    }
    if (c === '&' || c === '|') return this.operator(i);
    if (c === '<' || c === '>' || (/[0-9]/.test(c) && /^[0-9]>/.test(s.slice(i, i + 2)) && !this.word))
      return this.redirect(i);
    if (c === '(' && !this.word && this.words.length === 0) {
      this.depth++;
      return i + 1;
    }
    if (c === ')' && this.depth > 0) {
      this.endCommand(i, false);
      this.depth--;
      return i + 1;
    }
    this.append(c, i);
    return i + 1;
  }

  /** `rem ...`, `:: ...` and `:label` lines at a command's start: skipped to the line's end. */
  private commentOrLabel(i: number): number | undefined {
    const rest = this.s.slice(i, i + 5);
    const lineEnd = (): number => {
      const end = this.s.indexOf('\n', i);
      return end === -1 ? this.s.length : end;
    };
    if (/^@?rem(\s|$)/i.test(rest)) return lineEnd();
    if (rest.startsWith('::')) return lineEnd();
    if (rest.startsWith(':')) {
      this.jumps ??= i;
      return lineEnd();
    }
    return undefined;
  }

  /** `&`, `&&`, `||`, `|`: the command ends; after `&&` and `||`, what follows to the chain's end is conditional. */
  private operator(i: number): number {
    const s = this.s;
    const double = s[i + 1] === s[i];
    this.endCommand(i, s[i] === '|' && !double);
    if (double) {
      const op = s.slice(i, i + 2);
      this.out.conditional.push({ from: i, to: this.chainEnd(i + 2), why: `after \`${op}\`` });
      return i + 2;
    }
    return i + 1;
  }

  /** `> file`, `2>&1`, `>> %GITHUB_ENV%`, `< in`: where input and output go, not an argument. */
  private redirect(i: number): number {
    this.flush(i);
    const m = /^[0-9]?(>>|>|<)(&[0-9])?\s*/.exec(this.s.slice(i))!;
    let k = i + m[0].length;
    if (m[2]) return k;
    // The target word, quoted or not, up to a blank or an operator.
    if (this.s[k] === '"') {
      const close = this.s.indexOf('"', k + 1);
      return close === -1 ? this.s.length : close + 1;
    }
    while (k < this.s.length && !/[\s&|<>()]/.test(this.s[k]!)) k++;
    return k;
  }

  /** Where the commands that `&&` or `||` at `from` guard end: a line's end, a lone `&`, or a closing `)`. */
  private chainEnd(from: number): number {
    if (from > this.lastChain.from && from < this.lastChain.end) return this.lastChain.end;
    const end = this.scanEnd(from, true);
    meter.read(from, end);
    this.lastChain = { from, end };
    return end;
  }

  /** Where the statement from `from` ends: its line's end outside any `( )` block it opens. */
  private statementEnd(from: number): number {
    if (from > this.lastStatement.from && from < this.lastStatement.end) return this.lastStatement.end;
    const end = this.scanEnd(from, false);
    meter.read(from, end);
    this.lastStatement = { from, end };
    return end;
  }

  /**
   * Where the text from `from` ends: its line's end outside any `( )` block it opens, or, for a chain
   * (`chained`), a lone `&` before that. A quote never runs past its line, as in cmd.
   */
  private scanEnd(from: number, chained: boolean): number {
    let level = 0;
    for (let i = from; i < this.s.length; i++) {
      const c = this.s[i]!;
      if (c === '^') i++;
      else if (c === '"') {
        const close = this.s.indexOf('"', i + 1);
        const lineEnd = this.s.indexOf('\n', i + 1);
        if (close === -1 || (lineEnd !== -1 && lineEnd < close))
          i = lineEnd === -1 ? this.s.length : lineEnd - 1;
        else i = close;
      } else if (c === '(') level++;
      else if (c === ')' && --level < 0) return i;
      else if (level === 0 && c === '\n') return i;
      else if (level === 0 && chained && c === '&' && this.s[i + 1] !== '&' && this.s[i - 1] !== '&')
        return i;
    }
    return this.s.length;
  }

  private append(text: string, at: number, quoted = false): void {
    this.word ??= { text: '', start: at, end: at, quoted: false };
    this.word.text += text;
    if (quoted) this.word.quoted = true;
  }

  private flush(at: number): void {
    if (!this.word) return;
    this.word.end = at;
    this.words.push(this.word);
    this.word = null;
    this.header();
  }

  /**
   * `if ... `, `for ... do` and `else`: once the words that decide are read, the rest is a command of its
   * own that may not run, to the end of the statement (the block after it included).
   */
  private header(): void {
    const first = this.words[0]!.text.toLowerCase().replace(/^@/, '');
    let length: number | undefined;
    if (first === 'if') length = ifHeader(this.words);
    else if (first === 'else') length = 1;
    else if (first === 'for') {
      const k = this.words.findIndex((w) => w.text.toLowerCase() === 'do' && !w.quoted);
      length = k === -1 ? undefined : k + 1;
    }
    if (length === undefined || length !== this.words.length) return;
    const word = this.words[0]!;
    const end = this.statementEnd(this.words[length - 1]!.end);
    const why =
      first === 'for' ? 'inside a `for` loop, which may run it any number of times' : `under \`${first}\``;
    this.out.conditional.push({ from: word.start, to: end, why });
    this.words = [];
  }

  private endCommand(at: number, pipe: boolean): void {
    this.flush(at);
    const words = this.words;
    this.words = [];
    const pipedIn = this.pipedIn;
    this.pipedIn = pipe;
    if (words.length === 0) return;
    const at0 = /^@*/.exec(words[0]!.text)![0].length;
    words[0] = { ...words[0]!, text: words[0]!.text.slice(at0), start: words[0]!.start + at0 };
    if (words[0]!.text === '') words.shift();
    this.command(words, pipedIn, at);
  }

  /** One simple command: `set`, `setlocal`/`endlocal`, a jump, or a program past `call` and `start`. */
  private command(given: Word[], pipedIn: boolean, end: number): void {
    let words = given;
    const name = (): string => words[0]?.text.toLowerCase() ?? '';
    if (name() === 'call') words = words.slice(1);
    if (name() === 'start') words = startedWords(words);
    const first = words[0];
    if (!first) return;
    if (name() === 'set') return this.set(first, end);
    if (name() === 'setlocal' || name() === 'endlocal') {
      this.out.items.push({ kind: name() as 'setlocal' | 'endlocal', start: first.start });
      return;
    }
    if (name() === 'goto' || first.text.startsWith(':') || name() === 'exit') {
      this.jumps ??= first.start;
      return;
    }
    const program: Word = { ...first, text: programName(first.text).toLowerCase() };
    const rest = words.slice(1).map((w) => (w.text === '%*' ? { ...w, text: '$@' } : w));
    const command: Command = {
      words: [program, ...rest],
      redirects: [],
      heredocs: [],
      pipedIn,
      start: first.start,
      end: words[words.length - 1]!.end,
      nested: this.depth > 0,
    };
    const code = cmdCode(command, this.s);
    if (code) command.inline = [code];
    this.out.items.push({ kind: 'command', command, start: first.start });
  }

  /** `set NAME=value`, `set "NAME=value"`, `set /p NAME=prompt`, `set /a NAME=expr`: from the raw text. */
  private set(word: Word, end: number): void {
    const from = word.end;
    const raw = this.s.slice(from, end);
    const m = /^(\s+)(\/[ap]\s+)?/i.exec(raw);
    if (!m) return;
    let at = from + m[0].length;
    let text = this.s.slice(at, end).replace(/\r$/, '');
    const runTime = m[2] !== undefined;
    if (text.startsWith('"')) {
      const close = text.lastIndexOf('"');
      if (close <= 0) return;
      text = text.slice(1, close);
      at++;
    }
    const eq = text.indexOf('=');
    if (eq <= 0) return;
    const name = text.slice(0, eq).replace(/\^(.)/g, '$1');
    const target: Word = { text: name, start: at, end: at + eq, quoted: false };
    const item: CmdSet = { kind: 'set', name, target, start: word.start };
    const value = text.slice(eq + 1).replace(/\^(.)/g, '$1');
    if (!runTime) item.value = { text: value, start: at + eq + 1, end: at + text.length, quoted: false };
    this.out.items.push(item);
  }
}

/** `start ["title"] [/b /wait /min /d DIR ...] program args`: the program and its arguments. */
function startedWords(words: Word[]): Word[] {
  let k = 1;
  if (words[k]?.quoted) k++;
  while (words[k] && /^\/\w+/.test(words[k]!.text)) {
    if (/^\/(d|node|affinity)$/i.test(words[k]!.text)) k++;
    k++;
  }
  return words.slice(k);
}
