/**
 * PowerShell calls the reader (powershell.ts) reads by their arguments: `[Environment]::SetEnvironmentVariable`
 * and `Start-Process` with the program it starts and the environment it gives that program.
 */
import type { Command, Word } from './reader.js';

/**
 * The top-level parts of `text` split at `sep`, outside quotes and brackets (`(`, `[`, `{`); `balanced` is
 * false when a quote or a bracket never closes.
 */
export function splitTopLevel(text: string, sep: string): { parts: string[]; balanced: boolean } {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return { parts, balanced: quote === '' && depth === 0 };
}

/** The top-level, comma-separated arguments of a call, trimmed. */
export function splitArguments(text: string): string[] {
  return splitTopLevel(text, ',').parts.map((part) => part.trim());
}

/**
 * The call with a name made of literal strings joined by `+` (`'ANTHROPIC_' + 'API_KEY'`) written as the
 * one string it is, at the same length, so offsets into the call still hold: the joined name is padded
 * with blanks after its closing quote.
 */
export function setEnvironmentCall<T extends Word>(call: T): T {
  const open = call.text.indexOf('(') + 1;
  const m = /^(\s*)((?:'[^']*'|"[^"`$]*")(?:\s*\+\s*(?:'[^']*'|"[^"`$]*"))+)/.exec(call.text.slice(open));
  if (!m) return call;
  const name = [...m[2]!.matchAll(/'([^']*)'|"([^"]*)"/g)].map((p) => p[1] ?? p[2]).join('');
  const joined = `'${name}'`.padEnd(m[2]!.length, ' ');
  const at = open + m[1]!.length;
  return { ...call, text: call.text.slice(0, at) + joined + call.text.slice(at + m[2]!.length) };
}

/** `C:\\tools\\claude.exe` and `.\\claude.cmd` name the program `claude` as bash names `./claude`. */
export function programName(text: string): string {
  return text.replace(/\\/g, '/').replace(/\.(exe|cmd|bat)$/i, '');
}

const START_PROCESS = /^(start-process|saps|start)$/i;
const START_PROCESS_VALUES =
  /^-(filepath|argumentlist|args|workingdirectory|redirectstandard\w+|verb|credential|windowstyle|environment)$/i;

/** A program `Start-Process` starts, with the `-Environment @{...}` it gives that program, if any. */
export interface PsStartedCommand extends Command {
  environment?: Word;
}

/**
 * `Start-Process claude -ArgumentList '-p','review'`: the command it starts, with the program from
 * `-FilePath` (or the first operand) and the arguments from `-ArgumentList` (or the second).
 */
export function startProcess(command: Command): PsStartedCommand | undefined {
  const words = command.words;
  if (!START_PROCESS.test(words[0]!.text)) return undefined;
  let environment: Word | undefined;
  let program: Word | undefined;
  let args: Word[] = [];
  const operands: Word[] = [];
  for (let k = 1; k < words.length; k++) {
    const w = words[k]!;
    if (/^-filepath$/i.test(w.text)) program = words[++k];
    else if (/^-(argumentlist|args)$/i.test(w.text)) {
      // The list runs to the next option of Start-Process's own; a quoted `'-p'` is the program's.
      while (words[k + 1] && (words[k + 1]!.quoted || !/^-[A-Za-z]/.test(words[k + 1]!.text)))
        args.push(words[++k]!);
    } else if (/^-environment$/i.test(w.text)) environment = words[++k];
    else if (START_PROCESS_VALUES.test(w.text)) k++;
    else if (w.quoted || !/^-[A-Za-z]/.test(w.text)) operands.push(w);
  }
  program ??= operands.shift();
  if (args.length === 0) args = operands;
  if (!program) return undefined;
  // `-ArgumentList "-p review"`: one string the program receives split at its spaces.
  const split = args.flatMap((w) =>
    w.quoted && /\s/.test(w.text.trim())
      ? w.text
          .trim()
          .split(/\s+/)
          .map((text) => ({ ...w, text }))
      : [w],
  );
  const started: PsStartedCommand = {
    ...command,
    words: [{ ...program, text: programName(program.text) }, ...split],
  };
  if (environment) started.environment = environment;
  return started;
}
