import { CLAUDE_WORD } from '../flow/consumers.js';
import type { CommandFlow } from '../flow/command-flow.js';
import { basename, programIndex } from '../shell/commands.js';
import { parseShell, type Command, type InlineCode, type Word } from '../shell/reader.js';
import { runnerOs } from '../workflow/runner.js';
import { resolveText } from '../workflow/values.js';
import { meaningOf, type Meaning } from './commands.js';
import type { ScriptScan } from './script-runs.js';

/**
 * The program word of a command as the runner and the shell make it before anything runs: a `${{ }}`
 * the runner fills, a variable or alias the shell expands, a name Windows matches without case, code a
 * shell reads from its pipe.
 */

/** Shells that read a script from standard input when given none. */
export const SHELL_PROGRAMS = new Set(['bash', 'sh', 'zsh', 'dash']);

/**
 * `${{ matrix.tool }} -p`, `${{ format('{0}{1}', 'cla', 'ude') }} -p`: the runner puts the expression's
 * value in place before the shell reads the script, so a program word made by one is that value when the
 * files fix it, or the one of its possible values (a matrix's) that starts Claude.
 */
export function expressionProgram(scan: ScriptScan, command: Command): Command {
  const words = command.words;
  const at = programIndex(words);
  if (!words[at]?.text.startsWith('${{')) return command;
  const close = words.findIndex((w, k) => k >= at && w.text.includes('}}'));
  if (close === -1 || !words[close]!.text.endsWith('}}')) return command;
  const from = words[at]!.start;
  const to = words[close]!.end;
  const text = scan.run.text.slice(from, to);
  const value = resolveText(text, scan.scope, scan.ctx.file, scan.run.spanAt(from, to));
  const choices =
    value.form === 'literal' && value.literal !== undefined ? [value.literal] : (value.possible ?? []);
  const chosen =
    choices.find((choice) => CLAUDE_WORD.test(choice)) ?? (choices.length === 1 ? choices[0] : undefined);
  if (chosen === undefined) return command;
  const parts = parseShell(chosen)[0]?.words ?? [];
  const program: Word = { ...words[at]!, end: to, quoted: false };
  const expanded = parts.map((part) => ({ ...program, text: part.text }));
  return { ...command, words: [...words.slice(0, at), ...expanded, ...words.slice(close + 1)] };
}

/**
 * On a Windows runner program names are case-insensitive: `CLAUDE` and `Claude.exe` find `claude`.
 */
export function caseless(
  scan: ScriptScan,
  current: { command: Command; meaning: Meaning },
): { command: Command; meaning: Meaning } {
  if (current.meaning.kind === 'claude-run' || runnerOs(scan.ctx.job) !== 'windows') return current;
  const words = current.command.words;
  const at = programIndex(words);
  const program = words[at];
  if (!program || program.text === program.text.toLowerCase()) return current;
  const lowered = program.text.toLowerCase().replace(/\.exe$/, '');
  const command = {
    ...current.command,
    words: words.map((w, k) => (k === at ? { ...w, text: lowered } : w)),
  };
  const meaning = meaningOf(command);
  return meaning.kind === 'claude-run' ? { command, meaning } : current;
}

/**
 * `echo 'claude -p' | sh`, `printf '...' | bash`: a shell given no script reads one from its pipe, so
 * what the command before prints, when the files fix it, is code the shell runs as a child script.
 */
export function withPipedCode(scan: ScriptScan, command: Command): Command {
  const producer = scan.previous;
  if (!command.pipedIn || !producer || !readsScriptFromPipe(command)) return command;
  const printed = printedText(producer);
  if (!printed) return command;
  const code: InlineCode = { ...printed, sameShell: false };
  return { ...command, inline: [...(command.inline ?? []), code] };
}

function readsScriptFromPipe(command: Command): boolean {
  const at = programIndex(command.words);
  if (!SHELL_PROGRAMS.has(basename(command.words[at]?.text ?? ''))) return false;
  const options = command.words.slice(at + 1);
  if (options.some((w) => /^-[a-z]*c/.test(w.text))) return false;
  const operand = options.find((w) => !w.text.startsWith('-'));
  return !operand && !command.redirects.some((r) => r.op === '<') && command.heredocs.length === 0;
}

/** What `echo WORDS` or `printf WORDS` (no format directives) prints, when no word is expanded. */
function printedText(command: Command): Omit<InlineCode, 'sameShell'> | undefined {
  const at = programIndex(command.words);
  const name = command.words[at]?.text;
  if (name !== 'echo' && name !== 'printf') return undefined;
  const args = command.words
    .slice(at + 1)
    .filter((w, k) => !(k === 0 && name === 'echo' && /^-[neE]+$/.test(w.text)));
  if (args.length === 0 || args.some((w) => w.expanded || (name === 'printf' && w.text.includes('%'))))
    return undefined;
  return {
    text: args.map((w) => w.text).join(' '),
    start: args[0]!.start,
    end: args.at(-1)!.end,
    exact: false,
  };
}

/**
 * The command as bash runs it once its program word is expanded (`$CL` the script set to `claude`, an
 * alias, an unquoted value split into words, `$EMPTY` gone), and its meaning; a few rounds, as an alias may
 * name another. A name nothing sets counts as empty only where that makes the command a Claude run.
 */
export function expandedCommand(
  flow: CommandFlow,
  command: Command,
  meaning: Meaning,
): { command: Command; meaning: Meaning } {
  let current = { command, meaning };
  for (let round = 0; round < 4; round++) {
    const next = expandProgram(flow, current.command, false);
    if (!next) break;
    current = { command: next, meaning: meaningOf(next) };
  }
  const sure = current.meaning.kind === 'claude-run' && !current.meaning.wrapper;
  const lenient = sure ? undefined : expandProgram(flow, current.command, true);
  const lenientMeaning = lenient && meaningOf(lenient);
  return lenientMeaning?.kind === 'claude-run' ? { command: lenient!, meaning: lenientMeaning } : current;
}

function expandProgram(flow: CommandFlow, command: Command, unsetIsEmpty: boolean): Command | undefined {
  const words = command.words;
  const at = programIndex(words);
  const program = words[at];
  const text = program && flow.programText(program, unsetIsEmpty);
  if (!program || text === undefined) return undefined;
  const parts = program.quoted ? [text] : flow.splitFields(text);
  if (!parts) return undefined;
  if (parts.length === 1 && parts[0] === program.text) return undefined;
  const expanded = parts.map((part) => ({ ...program, text: part }));
  return { ...command, words: [...words.slice(0, at), ...expanded, ...words.slice(at + 1)] };
}
