/**
 * What bash runs in a simple command, Claude or not: the program word past assignments and wrappers,
 * the assignments that set its own environment, and where compound commands start.
 */
import type { Command, Word } from './reader.js';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const WRAPPERS = new Set([
  'sudo',
  'env',
  'time',
  'nohup',
  'exec',
  'command',
  'builtin',
  'nice',
  'timeout',
  'gtimeout',
  'stdbuf',
  'xargs',
  'unbuffer',
  'caffeinate',
  'parallel',
  'script',
  'doppler',
  'dotenv',
  'with-contenv',
  'setsid',
  'flock',
  'chrt',
  'ionice',
  'doas',
  'watch',
  'dbus-run-session',
  'coproc',
  'busybox',
]);
/** A wrapper's own options that take a separate value, beyond WRAPPER_VALUE_OPTIONS (`ionice -c 3`). */
const OWN_VALUE_OPTIONS = new Map([
  ['ionice', new Set(['-c', '--class', '-n', '--classdata'])],
  ['flock', new Set(['-w', '--wait', '--timeout', '-E', '--conflict-exit-code'])],
  ['chrt', new Set(['-T', '--sched-runtime', '-P', '--sched-period', '-D', '--sched-deadline'])],
  ['doas', new Set(['-C'])],
  ['watch', new Set(['--interval'])],
]);
/** Wrappers whose first operand is theirs, not the program: `timeout 60`, `flock /tmp/lock`, `chrt 50`. */
const FIRST_OPERAND = new Set(['timeout', 'gtimeout', 'flock', 'chrt']);
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done']);
/** Options of wrappers that take a separate value. */
const WRAPPER_VALUE_OPTIONS = new Set([
  '-u',
  '-g',
  '-n',
  '-s',
  '-k',
  '--signal',
  '--kill-after',
  '-o',
  '-e',
  '-i',
  '-I',
  '-L',
  '-P',
  '--preserve-env',
  '-j',
  '--jobs',
  '--kill-after',
]);

/** Programs that run a script file: an Agent SDK script, when the job installed the SDK. */
export const SCRIPT_RUNNERS: ReadonlySet<string> = new Set([
  'node',
  'python',
  'python3',
  'py',
  'tsx',
  'ts-node',
  'deno',
  'bun',
  'pytest',
  'vitest',
  'jest',
]);

export function basename(text: string): string {
  return text.slice(text.lastIndexOf('/') + 1);
}

/** The index of the program word: past assignments, wrappers (`sudo -E`, `env X=1`, `timeout 60`) and reserved words. */
export function programIndex(words: Word[]): number {
  let i = 0;
  while (i < words.length) {
    const text = words[i]!.text;
    if (ASSIGNMENT.test(text) || RESERVED.has(text)) {
      i++;
      continue;
    }
    const name = basename(text);
    if (name === 'find') {
      // `find . -exec claude -p ... \;`: the command after -exec runs.
      const exec = words.findIndex((w, k) => k > i && (w.text === '-exec' || w.text === '-execdir'));
      if (exec === -1) return i;
      i = exec + 1;
      continue;
    }
    if (!WRAPPERS.has(name)) return i;
    // `command -v claude`, `command -V claude`: a lookup, not a run.
    if (name === 'command' && /^-[vV]$/.test(words[i + 1]?.text ?? '')) return words.length;
    i++;
    let operandSeen = false;
    // The wrapper's own options and, for timeout, flock and chrt, its first operand.
    while (i < words.length) {
      const t = words[i]!.text;
      if (t === '--') {
        i++;
        break;
      }
      if (t.startsWith('-')) {
        i += WRAPPER_VALUE_OPTIONS.has(t) || OWN_VALUE_OPTIONS.get(name)?.has(t) ? 2 : 1;
      } else if (ASSIGNMENT.test(t)) i++;
      else if (FIRST_OPERAND.has(name) && !operandSeen) {
        // The duration, lock file or priority, even when it is `$TIMEOUT`.
        operandSeen = true;
        i++;
      } else if (name === 'coproc' && words[i + 1]?.text === '{') i++;
      else if (name === 'parallel' && t !== ':::') break;
      else if (name === 'doppler' && (t === 'run' || t === 'secrets')) i++;
      else break;
    }
  }
  return words.length;
}

/** `NAME=value` words that set the environment of this command only. */
export function commandAssignments(words: Word[]): Word[] {
  const index = programIndex(words);
  return words.slice(0, index).filter((w) => ASSIGNMENT.test(w.text));
}

/** The word that opens a compound command, and the one that closes it. */
const COMPOUND = new Map([
  ['{', '}'],
  ['while', 'done'],
  ['until', 'done'],
  ['for', 'done'],
  ['select', 'done'],
  ['if', 'fi'],
  ['case', 'esac'],
]);

/**
 * Where each compound command starts: for the command that closes `{ ...; }`, a `while`/`until`/`for`
 * loop, `if ... fi`, `case ... esac` or a `( ... )` subshell, the index of the command that opened it.
 * Redirects written after the end (`} >> "$GITHUB_ENV"`, `done > out.txt`, `) > log`) take the output of
 * every command from that one to the end. The reader keeps no parentheses, so a subshell opens at a
 * command written just after `(`, and closes at one written just after `)`, which holds its redirects.
 */
export function compoundStarts(commands: readonly Command[], script: string): Map<number, number> {
  const starts = new Map<number, number>();
  const open: { index: number; closer: string }[] = [];
  const close = (closer: string, index: number): void => {
    const at = open.map((f) => f.closer).lastIndexOf(closer);
    if (at < 0) return;
    starts.set(index, open[at]!.index);
    open.length = at;
  };
  commands.forEach((command, index) => {
    // A substitution's commands print into the word around them, not through these redirects.
    if (command.nested) return;
    if (script[command.start - 1] === ')') close(')', index);
    const first = command.words[0]?.text ?? '';
    if (first === '}' || first === 'done' || first === 'fi' || first === 'esac') close(first, index);
    if (script[command.start - 1] === '(') open.push({ index, closer: ')' });
    const closer = COMPOUND.get(first);
    if (closer) open.push({ index, closer });
  });
  return starts;
}

/**
 * The commands that are patterns of a `case` arm, not commands: inside `case ... esac`, a lone word the
 * reader cut at the `)` that ends the pattern (`claude) ...;;`), or at a `|` between alternatives
 * (`codex|claude)`). By index into `commands`.
 */
export function casePatterns(commands: readonly Command[], script: string): Set<number> {
  const patterns = new Set<number>();
  let depth = 0;
  // The first character after the command past blanks: read in place, so a long case costs no copies.
  const after = (c: Command): string => {
    let i = c.end;
    while (i < script.length && /\s/.test(script[i]!)) i++;
    return script[i] ?? '';
  };
  commands.forEach((command, index) => {
    if (command.nested) return;
    const first = command.words[0]?.text;
    if (first === 'case') depth++;
    else if (first === 'esac') depth = Math.max(0, depth - 1);
    else if (depth > 0 && command.words.length === 1) {
      // An alternative is a pattern when the alternatives after it end at the arm's `)`.
      let k = index;
      while (after(commands[k]!) === '|' && commands[k + 1]?.words.length === 1) k++;
      if (after(commands[k]!) === ')') for (let j = index; j <= k; j++) patterns.add(j);
    }
  });
  return patterns;
}
