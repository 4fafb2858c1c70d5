import type { Command } from './reader.js';

/**
 * Which top-level commands of a bash script may not run, or run where their changes to the environment
 * do not stay: after `&&` or `||`, inside `if`, `case` or a loop, in a function body (run only when
 * called, perhaps never), in a subshell, a pipeline or the background, or after an `exit` that always
 * runs. By index into `commands`, with why as a phrase ("after `&&`", "inside a loop"). The reader keeps
 * no tree, so this follows the words that open and close compound commands, as
 * `compoundStarts` does.
 */
export function conditionsOf(commands: readonly Command[], script: string): Map<number, string> {
  return compoundsOf(commands, script).conditions;
}

/** A function the script defines: the indexes of the commands of its body, `{` to `}`. */
export interface FunctionBody {
  from: number;
  to: number;
}

/** What one walk over the compound commands finds: the conditions, and the functions defined, by name. */
export function compoundsOf(
  commands: readonly Command[],
  script: string,
): { conditions: Map<number, string>; functions: Map<string, FunctionBody> } {
  const out = new Map<number, string>();
  const functions = new Map<string, FunctionBody>();
  /** Open compound commands, innermost last, with why what runs inside them is conditional. */
  const open: {
    closer: string;
    why: string | undefined;
    end?: number;
    fn?: { name: string; from: number };
  }[] = [];
  let exited: string | undefined;
  let previous: Command | undefined;
  let parens: Map<number, number> | undefined;
  const close = (closer: string, index: number): void => {
    const at = open.map((f) => f.closer).lastIndexOf(closer);
    const fn = open[at]?.fn;
    if (fn) functions.set(fn.name, { from: fn.from, to: index });
    if (at >= 0) open.length = at;
  };
  commands.forEach((command, index) => {
    if (command.nested) return;
    const first = command.words[0]?.text ?? '';
    while (open.length > 0 && (open[open.length - 1]!.end ?? Infinity) <= command.start) open.pop();
    if (first === '}' || first === 'done' || first === 'fi' || first === 'esac') close(first, index);
    if (script[command.start - 1] === '(') {
      parens ??= closingParens(script);
      const end = parens.get(command.start - 1) ?? script.length;
      open.push({ closer: ')', why: 'in a subshell, whose changes do not reach the script', end });
    }
    const own = ownCondition(command, nextTopLevel(commands, index), script);
    const outer = (): string | undefined => own ?? innermost(open) ?? exited;
    const compound = COMPOUND[first];
    // A function body or a `{ ...; }` group holds the words after its `{`; an `if` or a loop's own words
    // are its condition, which runs.
    const name = !compound ? functionBody(command, previous, script) : undefined;
    if (name !== undefined)
      open.push({ closer: '}', why: 'in a function body, run only when called', fn: { name, from: index } });
    else if (!compound && first === '{') open.push({ closer: '}', why: outer() });
    const why = outer();
    if (why) out.set(index, why);
    if (compound) open.push({ closer: compound.closer, why: compound.why });
    // A trap's code is read in place, but runs only when its signal comes: before any later command (DEBUG),
    // on an error, at a function's return, at the end.
    const trap = command.inline?.find((code) => code.sameShell && code.exact && first === 'trap');
    if (trap) open.push({ closer: '', why: TRAP_CONDITION, end: trap.end });
    if (first === 'exit' && !why) exited = 'after an `exit` that always runs';
    previous = command;
  });
  return { conditions: out, functions };
}

/**
 * Where the `)` that closes each `(` is, past quotes and escapes, in one pass over the script (the script's
 * end when none does), so a script of many nested subshells costs no more than its length.
 */
function closingParens(script: string): Map<number, number> {
  const out = new Map<number, number>();
  const stack: number[] = [];
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '\\') i++;
    else if (c === "'") i = Math.max(i, script.indexOf("'", i + 1));
    else if (c === '"') {
      for (i++; i < script.length && script[i] !== '"'; i++) if (script[i] === '\\') i++;
    } else if (c === '(') stack.push(i);
    else if (c === ')' && stack.length > 0) out.set(stack.pop()!, i);
  }
  return out;
}

/** Why the innermost conditional compound command around a command is conditional. */
function innermost(open: readonly { why: string | undefined }[]): string | undefined {
  for (let k = open.length - 1; k >= 0; k--) if (open[k]!.why) return open[k]!.why;
  return undefined;
}

/** The next command at the script's own level: a substitution's commands sit between in the list. */
function nextTopLevel(commands: readonly Command[], index: number): Command | undefined {
  for (let k = index + 1; k < commands.length; k++) if (!commands[k]!.nested) return commands[k];
  return undefined;
}

/** Why what a trap's code does is conditional: it runs only when its signal comes, if ever. */
export const TRAP_CONDITION = 'in a trap, run only when its signal comes';

/** The compound commands whose insides may run zero times, and what closes them. */
const COMPOUND: Record<string, { closer: string; why?: string }> = {
  if: { closer: 'fi', why: 'inside `if`' },
  while: { closer: 'done', why: 'inside a loop' },
  until: { closer: 'done', why: 'inside a loop' },
  for: { closer: 'done', why: 'inside a loop' },
  select: { closer: 'done', why: 'inside a loop' },
  case: { closer: 'esac', why: 'inside `case`' },
};

/** After `&&` or `||`, sent to the background with `&`, or one end of a pipeline (a subshell each). */
function ownCondition(command: Command, next: Command | undefined, script: string): string | undefined {
  const before = script.slice(command.start - 1, command.start + 1);
  if (before === '&&' || before === '||') return `after \`${before}\``;
  if (command.pipedIn || next?.pipedIn) return 'in a pipeline, whose commands run in subshells';
  if (script[command.end] === '&' && script[command.end + 1] !== '&')
    return 'in the background, in a subshell';
  return undefined;
}

/**
 * `f() {`, `function f {`, `function f() {`, with `{` on the same line or the next: the function's name
 * ('' when the reader did not keep it); undefined when the command opens no function body.
 */
function functionBody(command: Command, previous: Command | undefined, script: string): string | undefined {
  const words = command.words;
  const named = (w: string | undefined): string => (w ?? '').replace(/\(\)$/, '');
  if (words[0]?.text === 'function')
    return words.some((w) => w.text === '{') ? named(words[1]?.text) : undefined;
  if (words[0]?.text !== '{') return undefined;
  if (/\(\s*\)\s*$/.test(script.slice(Math.max(0, command.start - 64), command.start)))
    return previous?.words[0]?.text === 'function'
      ? named(previous.words[1]?.text)
      : named(previous?.words[0]?.text);
  return previous?.words[0]?.text === 'function' && !previous.words.some((w) => w.text === '{')
    ? named(previous.words[1]?.text)
    : undefined;
}
