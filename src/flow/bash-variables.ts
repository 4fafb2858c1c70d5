import { programIndex } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';
import type { Binding } from '../workflow/values.js';
import type { Environment } from './environment.js';
import { ASSIGNMENT_WORD, printfText } from './shell-effects.js';

/**
 * The ways bash sets, empties and removes a variable beyond `export`, `unset` and `NAME=value`
 * (shell-effects.ts): through a name held in another variable (`unset "$V"`, a `declare -n` reference),
 * `read`, `printf -v`, arrays (which bash never exports), `set -a` (every assignment exported), and
 * `export NAME` of a variable the script assigned before. A name the script computes at run time is
 * not followed: the command says why the route becomes undecided.
 */

/** What the script has said about its variables so far. */
export interface BashVariables {
  /** `set -a` is on: every variable assigned is exported. */
  allExport: boolean;
  /** `declare -n REF=NAME`: REF stands for NAME. */
  refs: Map<string, string>;
  /** The last value the script gave each variable it did not export, for a later `export NAME`. */
  assigned: Map<string, Binding>;
}

export function bashVariables(): BashVariables {
  return { allExport: false, refs: new Map(), assigned: new Map() };
}

/** How a command builds a variable's binding: from a value written in the script, or one only run time knows. */
export interface Binder {
  bind: (name: string, raw: string, w: Word) => Binding;
  runTime: (name: string, w: Word, why: string) => Binding;
}

/** Builtins whose operands name variables. */
const NAMING = new Set(['unset', 'export', 'declare', 'typeset', 'local', 'readonly', 'read', 'printf']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g;

/** The operands of `read` and `mapfile` that take a value: they are no variable names. */
const READ_VALUES = new Set(['-p', '-d', '-n', '-N', '-t', '-u', '-i', '-a']);

/**
 * The command with every variable it names spelled out: `$V` where the script gave V a literal name, a
 * `declare -n` reference as the variable it stands for. Undefined names: `computed` says why the route
 * is undecided, and `sets` whether the command may give a variable a value (not only remove one).
 */
export function resolveNames(
  command: Command,
  vars: BashVariables,
  literals: ReadonlyMap<string, string>,
): { command: Command } | { computed: string; sets: boolean; word: Word } {
  const words = command.words;
  const at = programIndex(words);
  const program = words[at]?.text;
  const flags = words
    .slice(at + 1)
    .filter((w) => /^[-+][a-zA-Z]+$/.test(w.text))
    .map((w) => w.text);
  // `declare -n REF=NAME` and `unset -n REF` are about the reference itself.
  const aboutReference = flags.some((f) => f.includes('n')) && program !== 'export';
  const named = (k: number): boolean =>
    k < at
      ? ASSIGNMENT_WORD.test(words[k]!.text)
      : k > at && NAMING.has(program ?? '') && isOperand(words, at, k);
  let changed = false;
  const out = [...words];
  for (let k = 0; k < words.length; k++) {
    if (!named(k)) continue;
    const w = words[k]!;
    const eq = w.text.indexOf('=');
    const name = eq < 0 ? w.text : w.text.slice(0, eq);
    let spelled = name;
    if (/[$`]/.test(name)) {
      spelled = name.replace(REFERENCE, (all, ref: string) => literals.get(ref) ?? all);
      if (!NAME.test(spelled))
        return {
          computed: `\`${program} ${w.text}\` names a variable the script computes at run time`,
          sets: program !== 'unset',
          word: w,
        };
    }
    if (!aboutReference) spelled = vars.refs.get(spelled) ?? spelled;
    if (spelled !== name) {
      out[k] = { ...w, text: spelled + (eq < 0 ? '' : w.text.slice(eq)) };
      changed = true;
    }
  }
  return { command: changed ? { ...command, words: out } : command };
}

/** Whether operand `k` of the builtin at `at` names a variable (not an option or an option's value). */
function isOperand(words: readonly Word[], at: number, k: number): boolean {
  const text = words[k]!.text;
  if (/^[-+]/.test(text)) return false;
  const previous = words[k - 1]!.text;
  const program = words[at]!.text;
  if (program === 'read') return !READ_VALUES.has(previous) || previous === '-a';
  if (program === 'printf') return previous === '-v';
  return true;
}

/** What the command does to variables beyond shell-effects.ts's `export`, `unset` and assignments. */
export function variableEffects(
  command: Command,
  env: Environment,
  vars: BashVariables,
  binder: Binder,
): void {
  const words = command.words;
  const at = programIndex(words);
  const program = words[at]?.text;
  if (program === undefined) {
    for (const w of words) {
      const m = ASSIGNMENT_WORD.exec(w.text);
      if (m) assign(env, vars, m[1]!, binder.bind(m[1]!, m[2]!, w));
    }
    return;
  }
  const args = words.slice(at + 1);
  const flags = args.filter((w) => /^[-+][a-zA-Z]+$/.test(w.text)).map((w) => w.text);
  const operands = args.filter((w) => !/^[-+]/.test(w.text));
  if (program === 'set') {
    if (flags.some((f) => /^-[a-z]*a/.test(f)) || /-o allexport/.test(words.map((w) => w.text).join(' ')))
      vars.allExport = true;
    if (flags.some((f) => /^\+[a-z]*a/.test(f)) || /\+o allexport/.test(words.map((w) => w.text).join(' ')))
      vars.allExport = false;
  } else if (program === 'declare' || program === 'typeset' || program === 'local' || program === 'export') {
    declared(operands, flags, program, env, vars, binder);
  } else if (program === 'read') read(command, at, env, vars, binder);
  else if (program === 'printf') printfToVariable(args, env, vars, binder);
  else if (program === 'mapfile' || program === 'readarray') {
    const array = operands[operands.length - 1];
    if (array) env.delete(array.text);
  }
}

/** A variable the script gives a value: exported when it was, or when `set -a` is on; kept for `export NAME`. */
function assign(env: Environment, vars: BashVariables, name: string, binding: Binding): void {
  if (vars.allExport || env.has(name)) env.set(name, binding);
  else vars.assigned.set(name, binding);
}

function declared(
  operands: Word[],
  flags: string[],
  program: string,
  env: Environment,
  vars: BashVariables,
  binder: Binder,
): void {
  const has = (letter: string): boolean => flags.some((f) => f.startsWith('-') && f.includes(letter));
  for (const w of operands) {
    const m = ASSIGNMENT_WORD.exec(w.text);
    const name = m ? m[1]! : w.text;
    if (program !== 'export' && has('n')) {
      if (m && NAME.test(m[2]!)) vars.refs.set(name, m[2]!);
      continue;
    }
    // Bash exports no array: an exported variable made one leaves the environment.
    if (program !== 'export' && (has('a') || has('A'))) env.delete(name);
    else if (m && !(program === 'export' || has('x')) && !env.has(name))
      assign(env, vars, name, binder.bind(name, m[2]!, w));
    else if (!m && (program === 'export' || has('x')) && !env.has(name)) {
      const before = vars.assigned.get(name);
      if (before) env.set(name, before);
    }
  }
}

/** `read [-r] NAME... <<< text`: each name gets a field of the line; without a here-string, what run time reads. */
function read(command: Command, at: number, env: Environment, vars: BashVariables, binder: Binder): void {
  const words = command.words;
  const names: Word[] = [];
  for (let k = at + 1; k < words.length; k++) {
    const text = words[k]!.text;
    if (text === '-a') {
      if (words[k + 1]) env.delete(words[++k]!.text);
    } else if (READ_VALUES.has(text)) k++;
    else if (!text.startsWith('-') && NAME.test(text)) names.push(words[k]!);
  }
  const input = command.redirects.find((r) => r.op === '<<<')?.target;
  const line = input && !/[$`]/.test(input.text) ? input.text.split('\n')[0]!.trim() : undefined;
  names.forEach((w, k) => {
    const binding =
      line === undefined
        ? binder.runTime(w.text, w, 'is read from input at run time')
        : binder.bind(
            w.text,
            names.length === 1 || k === names.length - 1 ? fieldsFrom(line, k) : field(line, k),
            w,
          );
    assign(env, vars, w.text, binding);
  });
}

const field = (line: string, k: number): string => line.split(/\s+/).filter(Boolean)[k] ?? '';
const fieldsFrom = (line: string, k: number): string => line.split(/\s+/).filter(Boolean).slice(k).join(' ');

/** `printf -v NAME FORMAT ARGS...`: NAME gets what printf would print, when the words fix it. */
function printfToVariable(args: Word[], env: Environment, vars: BashVariables, binder: Binder): void {
  const v = args.findIndex((w) => w.text === '-v');
  const target = v < 0 ? undefined : args[v + 1];
  if (!target || !NAME.test(target.text)) return;
  const rest = args.slice(v + 2).map((w) => w.text);
  const text = printfText(rest);
  const binding =
    text.includes('\0') || /[$`]/.test(text)
      ? binder.runTime(target.text, target, 'is formatted by printf at run time')
      : binder.bind(target.text, text, target);
  assign(env, vars, target.text, binding);
}
