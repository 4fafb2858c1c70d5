import { meter } from '../meter.js';
import { programIndex, WRAPPERS } from '../shell/commands.js';
import { parseShell, type Command, type Redirect, type Word } from '../shell/reader.js';
import { emptyValue, resolveText, type Binding, type Resolved, type Scope } from '../workflow/values.js';
import type { Span } from '../types.js';
import type { Value } from '../workflow/model.js';
import type { Environment, RepositoryFiles } from './environment.js';

/**
 * What a script does to the environment Claude will see: assignments, exports and their removals, a
 * command's own `env` prefix, `source`, writes to $GITHUB_ENV, copies into ~/.claude/, and the shell itself.
 * Pure functions over the shell reader's commands.
 */

export const SHELL_REF = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

export function shellValue(
  text: string,
  env: ReadonlyMap<string, Binding>,
  scope: Scope,
  file: string,
  span: Span,
): Resolved {
  if (text.includes('${{')) return resolveText(text, scope, file, span);
  const ref = SHELL_REF.exec(text);
  if (ref) {
    const bound = env.get(ref[1]!);
    if (bound) return bound.value;
    return {
      ...emptyValue(file, span),
      presence: 'maybe',
      form: 'expression',
      why: `comes from the shell variable $${ref[1]}, set at run time`,
    };
  }
  if (text.includes('$'))
    return {
      ...emptyValue(file, span),
      presence: 'maybe',
      form: 'expression',
      why: 'is computed by the script at run time',
      written: text,
    };
  return resolveText(text, scope, file, span);
}

/** The files the runner reads between steps: `$GITHUB_ENV` by default, `$GITHUB_PATH` for PATH. */
const GITHUB_ENV = /GITHUB_ENV/;
export const GITHUB_PATH = /GITHUB_PATH/;
/** Where a step writes its outputs (`steps.<id>.outputs.<name>`), read as $GITHUB_ENV is. */
export const GITHUB_OUTPUT = /GITHUB_OUTPUT/;

/**
 * `>> $GITHUB_ENV`, `&>>`, `>`, a pipe into `tee [-a] $GITHUB_ENV`, or `> >(tee -a $GITHUB_ENV)`: what the
 * command prints lands in the file (for a pipe, the writing command is the one before the tee). The last
 * redirect of standard output is where it goes, as in bash: `>> "$GITHUB_ENV" > /dev/null` writes nothing.
 */
export function writesGithubEnv(command: Command, next: Command | undefined, channel = GITHUB_ENV): boolean {
  const out = stdoutRedirect(command);
  if (out) return emptiesOf(out, channel) !== undefined;
  return next !== undefined && next.pipedIn && readerEmpties(next, channel) !== undefined;
}

/**
 * `> $GITHUB_ENV`, `>|`, `&>`, `>&`, even `2>`, or `| tee $GITHUB_ENV` (no `-a`): bash or tee empties the
 * file when it opens it, whatever is written after, and the file is per step, so this drops what the step
 * wrote to it before.
 */
export function truncatesGithubEnv(
  command: Command,
  next: Command | undefined,
  channel = GITHUB_ENV,
): boolean {
  if (command.redirects.some((r) => emptiesOf(r, channel) === true)) return true;
  return next !== undefined && next.pipedIn && readerEmpties(next, channel) === true;
}

/** A write into $GITHUB_ENV that empties it first (true) or adds to it (false); undefined: it goes elsewhere. */
type Empties = boolean | undefined;

/** Operators that open their file to add to it, and those that empty it first, as bash opens them. */
const APPENDING = new Set(['>>', '&>>']);
const EMPTYING = new Set(['>', '>|', '&>', '>&']);

/** Where standard output goes: the last of `>`, `1>>`, `&>`, `>&2`... (`2>` and `2>&1` leave it). */
export function stdoutRedirect(command: Command): Redirect | undefined {
  return command.redirects
    .filter((r) => (APPENDING.has(r.op) || EMPTYING.has(r.op)) && (r.fd ?? 1) === 1)
    .pop();
}

/** What a redirect does to $GITHUB_ENV; one cut off before its file (`echo x >>` at a line's end) names none. */
function emptiesOf(r: Redirect, channel: RegExp): Empties {
  if (r.target === undefined) return undefined;
  if (APPENDING.has(r.op)) return fileEmpties(r.target.text, false, channel);
  return EMPTYING.has(r.op) ? fileEmpties(r.target.text, true, channel) : undefined;
}

/** A file written to: $GITHUB_ENV itself, or `>(tee -a "$GITHUB_ENV")`, a pipe whose reader decides. */
function fileEmpties(text: string, empties: boolean, channel: RegExp): Empties {
  if (text.startsWith('>(')) {
    const reader = parseShell(text.slice(2, -1))[0];
    return reader && readerEmpties(reader, channel);
  }
  return channel.test(text) ? empties : undefined;
}

/**
 * A command that hands on what it reads: `tee` into its files (`-a`, and GNU's abbreviations `--a` ..
 * `--append`, add to them), or `cat` into where its own output goes. Any other changes what it reads.
 */
function readerEmpties(command: Command, channel: RegExp): Empties {
  const words = command.words;
  const at = programIndex(words);
  const name = words[at]?.text;
  if (name === 'cat') {
    const out = stdoutRedirect(command);
    return out && emptiesOf(out, channel);
  }
  if (name !== 'tee') return undefined;
  const args = words.slice(at + 1).map((w) => w.text);
  // GNU takes any unique prefix of a long option, and no other tee option starts with `--a`.
  const appending = args.some((a) => /^-[a-z]*a/.test(a) || (a.length > 2 && '--append'.startsWith(a)));
  const files = args.map((f) => fileEmpties(f, !appending, channel)).filter((k) => k !== undefined);
  return files.length === 0 ? undefined : files.includes(true);
}

export type ShellKind = { kind: 'bash'; unset: string[] } | { kind: 'other'; text: string };

/** The step's shell: bash (with any `env -u` in a custom shell line), or another language. */
export function shellOf(shell: string | undefined): ShellKind {
  const text = (shell ?? 'bash').trim();
  const words = text.split(/\s+/);
  const unset: string[] = [];
  let k = 0;
  if (words[0] === 'env') {
    for (k = 1; k < words.length && words[k]!.startsWith('-'); k++)
      if (words[k] === '-u' && words[k + 1]) unset.push(words[++k]!);
  }
  const program = (words[k] ?? '').replace(/^.*\//, '');
  const options = words.slice(k + 1).filter((w) => w !== '{0}');
  if (
    ['bash', 'sh'].includes(program) &&
    options.every((w) => /^-[a-z]+$|^--no(profile|rc)$|^pipefail$/.test(w))
  )
    return { kind: 'bash', unset };
  return { kind: 'other', text };
}

export const SDK_MANIFESTS = ['pyproject.toml', 'requirements.txt', 'requirements-dev.txt', 'package.json'];
export const SDK_DECLARED = /claude[-_]agent[-_]sdk|claude[-_]code[-_]sdk|@anthropic-ai\/claude-agent-sdk/;

/** `uv sync`, `pip install -e .`, `pip install -r requirements.txt`, `npm ci`: installs what the repository declares. */
export function declaresSdk(command: Command, repo: RepositoryFiles): boolean {
  const words = command.words.slice(programIndex(command.words)).map((w) => w.text);
  const [program, sub] = words;
  let files: string[] = [];
  if (
    (program === 'uv' && sub === 'sync') ||
    (program === 'poetry' && sub === 'install') ||
    (program === 'pdm' && sub === 'install')
  )
    files = ['pyproject.toml'];
  else if (/^pip3?$/.test(program ?? '') && sub === 'install') {
    const r = words.indexOf('-r');
    if (r !== -1 && words[r + 1]) files = [words[r + 1]!.replace(/^\.\//, '')];
    else if (words.includes('-e') || words.includes('.')) files = ['pyproject.toml'];
  } else if (
    ['npm', 'pnpm', 'yarn', 'bun'].includes(program ?? '') &&
    (sub === 'ci' || sub === 'install' || sub === 'i' || sub === undefined)
  )
    files = words.length <= 2 ? ['package.json'] : [];
  return files.some(
    (f) =>
      SDK_MANIFESTS.some((m) => f.endsWith(m.split('.')[0]!) || f === m) &&
      SDK_DECLARED.test(repo.read(f)?.text ?? ''),
  );
}

export const ASSIGNMENT_WORD = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** The env of one command: the script's env, `NAME=value` prefixes, and `env -u` / `env -i` removals. */
export function commandEnvironment(
  words: Word[],
  scriptEnv: Environment,
  bind: (name: string, raw: string, w: Word) => Binding,
): Environment {
  const env = scriptEnv.fork();
  const at = programIndex(words);
  for (let k = 0; k < at; k++) {
    const w = words[k]!;
    const name = w.text.slice(w.text.lastIndexOf('/') + 1);
    if (name === 'sudo') sudoReset(words.slice(k + 1, at), env);
    if (name === 'env' || name === 'sudo') {
      for (let j = k + 1; j < at; j++) {
        const t = words[j]!.text;
        if (t === '-i' || t === '--ignore-environment' || t === '-' || t === '--login') {
          // `env -i` starts with nothing; `sudo -i` runs the command in a login shell, with a fresh environment.
          if (name === 'env' ? t !== '--login' : t === '-i' || t === '--login') env.clear();
        } else if ((t === '-u' || t === '--unset') && words[j + 1]) env.delete(words[++j]!.text);
        else if (/^--unset=/.test(t)) env.delete(t.slice('--unset='.length));
        else if (/^-u./.test(t) && name === 'env') env.delete(t.slice(2));
        else if (!t.startsWith('-')) break;
      }
    }
    const m = ASSIGNMENT_WORD.exec(w.text);
    if (m) env.set(m[1]!, bind(m[1]!, m[2]!, w));
  }
  return env;
}

/**
 * sudo's env_reset, on by default and left on by Ubuntu's /etc/sudoers and GitHub's hosted images (which
 * only add `runner ALL=(ALL) NOPASSWD:ALL`): the command gets a fresh environment that keeps sudo's
 * env_keep list (display, locale and terminal variables, none of Claude's) and what `--preserve-env=LIST`
 * names. `-E` / `--preserve-env` keep everything (NOPASSWD:ALL allows it). `NAME=value` words after sudo
 * are set on top by the caller.
 */
function sudoReset(options: Word[], env: Environment): void {
  const kept: string[] = [];
  for (let k = 0; k < options.length; k++) {
    const w = options[k]!;
    if (!w.text.startsWith('-')) break;
    if (WRAPPERS.sudo!.values?.includes(w.text)) k++;
    else if (w.text === '--preserve-env' || /^-[A-Za-z]*E[A-Za-z]*$/.test(w.text)) return;
    const list = /^--preserve-env=(.*)$/.exec(w.text);
    if (list) kept.push(...list[1]!.split(','));
  }
  const preserved = kept.flatMap((name) => {
    const binding = env.get(name);
    return binding ? [binding] : [];
  });
  env.clear();
  for (const binding of preserved) env.set(binding.variable, binding);
}

/**
 * What one top-level command does to the script's environment: export, assignments to exported names,
 * unset, export -n, declare +x, source. Returns why the route becomes undecided, if it does.
 */
export function environmentEffects(
  command: Command,
  scriptEnv: Environment,
  shellVars: Map<string, string>,
  bind: (name: string, raw: string, w: Word) => Binding,
): string | undefined {
  const words = command.words;
  const at = programIndex(words);
  const program = words[at];
  if (!program) {
    // `NAME=value` alone: a shell variable, and a new value for the environment when NAME is exported.
    for (const w of words) {
      const m = ASSIGNMENT_WORD.exec(w.text);
      if (!m) continue;
      if (!m[2]!.includes('$')) shellVars.set(m[1]!, m[2]!);
      if (scriptEnv.has(m[1]!)) scriptEnv.set(m[1]!, bind(m[1]!, m[2]!, w));
    }
    return undefined;
  }
  const name = program.text;
  const args = words.slice(at + 1);
  const flags = args.filter((w) => /^[-+][a-zA-Z]+$/.test(w.text)).map((w) => w.text);
  const names = args.filter((w) => !/^[-+]/.test(w.text));
  if (name === 'unset') {
    // `unset -f NAME` removes a function, not the variable.
    if (!flags.some((f) => f.includes('f'))) for (const w of names) scriptEnv.delete(w.text);
  } else if (name === 'export' || name === 'declare' || name === 'typeset' || name === 'local') {
    const unexport = flags.some(
      (f) => (name === 'export' && f.includes('n')) || (f.startsWith('+') && f.includes('x')),
    );
    const exporting = name === 'export' || flags.some((f) => f.startsWith('-') && f.includes('x'));
    for (const w of names) {
      const m = ASSIGNMENT_WORD.exec(w.text);
      const variable = m ? m[1]! : w.text;
      if (unexport) scriptEnv.delete(variable);
      else if (m && (exporting || scriptEnv.has(variable))) scriptEnv.set(variable, bind(variable, m[2]!, w));
      else if (m && !m[2]!.includes('$')) shellVars.set(variable, m[2]!);
    }
  } else if (name === 'source' || name === '.') {
    const file = names[0]?.text ?? '';
    if (!ENV_SETUP_FILES.test(file))
      return `the script sources \`${file}\`, which may change its environment before Claude starts`;
  }
  return undefined;
}

/** Files commonly sourced to set up a toolchain; they do not touch Claude's variables. */
export const ENV_SETUP_FILES =
  /(bin\/activate|nvm\.sh|\.cargo\/env|\.bashrc|\.profile|\.bash_profile|sdkman-init\.sh|emsdk_env\.sh)$/;

/** What a step leaves in $GITHUB_ENV, and the `NAME<<DELIMITER` line of a block that never closes. */
export interface GithubEnvWrites {
  bindings: Binding[];
  unclosed?: { text: string; span: Span };
  /** A line whose name only run time knows (`$n=`, `$(cat f)`): any variable may be set by it. */
  unfollowed?: { text: string; span: Span };
}

/** One line a group of commands prints, and where its words are in the script. */
export interface WrittenLine {
  text: string;
  start: number;
  end: number;
}

/** The lines a group of commands prints: echo's and printf's words, a heredoc's body. */
export function writtenLines(group: Command[]): WrittenLine[] {
  const lines: WrittenLine[] = [];
  for (const command of group) {
    const index = programIndex(command.words);
    // `/bin/echo` and `/usr/bin/printf` write the same text as the builtins.
    const name = command.words[index]?.text.split('/').pop();
    let words = command.words.slice(index + 1);
    let text = '';
    if (name === 'echo') {
      words = words.filter((w) => !/^-[neE]+$/.test(w.text));
      // An echo without words writes a blank line, which sets nothing.
      text = words
        .map((w) => w.text)
        .join(' ')
        .replace(/\\n/g, '\n');
    } else if (name === 'printf') text = meter.printed(printfText(words.map((w) => w.text)));
    else if (command.heredocs.length === 0 && !printsNothingOfItsOwn(command, name))
      // `cat ci/env.txt`, `jq -r ...`, `env`: lines only run time knows, read as one such line.
      text = UNKNOWN;
    // A program with no operands (`./fetch-token.sh >> "$GITHUB_OUTPUT"`) prints from its own word.
    const printed = words.length > 0 ? words : command.words.slice(index, index + 1);
    for (const part of text.split('\n'))
      if (part && printed.length > 0)
        lines.push({ text: part, start: printed[0]!.start, end: printed[printed.length - 1]!.end });
    for (const heredoc of command.heredocs) {
      let offset = heredoc.bodyStart;
      for (const line of heredoc.body.split('\n')) {
        if (line.trim()) lines.push({ text: line, start: offset, end: offset + line.length });
        offset += line.length + 1;
      }
    }
  }
  return lines;
}

/** Commands that print nothing into a redirected group, and those that only pass on what is piped in. */
const SILENT: ReadonlySet<string> = new Set([
  ...[':', 'true', 'false', '[', '[[', 'test', 'export', 'local', 'declare', 'set', 'unset', 'shift'],
  // tee prints what it reads: the command piped into it is the writer.
  ...['read', 'cd', 'tee'],
  // The heads of compound commands: what their bodies print is judged command by command.
  ...['for', 'select', 'case', 'esac', 'function'],
]);

/** Whether a command in a group written to a file adds no line of its own (`cat` with no file passes on its input). */
function printsNothingOfItsOwn(command: Command, name: string | undefined): boolean {
  if (name === undefined || SILENT.has(name)) return true;
  const operands = command.words
    .slice(programIndex(command.words) + 1)
    .filter((w) => !w.text.startsWith('-'));
  return name === 'cat' && operands.length === 0;
}

/**
 * The variables a group of commands writes to $GITHUB_ENV: `NAME=value` lines, and GitHub's multi-line
 * `NAME<<DELIMITER` blocks, from echo/printf words or a heredoc's lines.
 */
export function githubEnvWrites(
  group: Command[],
  run: Value,
  env: ReadonlyMap<string, Binding>,
  scope: Scope,
  file: string,
): GithubEnvWrites {
  const lines = writtenLines(group);
  let unfollowed: GithubEnvWrites['unfollowed'];
  /** A line the runner reads as a `<<` block the reader does not: what follows is its body. */
  let openBlock = false;
  const out: Binding[] = [];
  const add = (variable: string, raw: string, start: number, end: number): void => {
    // The name where the script writes it (in echo's text, printf's format or the argument a `%s` takes),
    // so every way of writing the line points at the same thing; the start of the words when it is not
    // spelled out there. A name read from somewhere (`secrets.NAME`, `$NAME`, `${NAME}`) is not the one written.
    const written = new RegExp(`(?<![A-Za-z0-9_.$\\{])${variable}(?![A-Za-z0-9_])`, 'g');
    written.lastIndex = start;
    const name = written.exec(run.text.slice(0, end));
    const span = run.spanAt(name ? name.index : start, end);
    const value = raw.includes(UNKNOWN)
      ? {
          ...emptyValue(file, span),
          presence: 'maybe' as const,
          form: 'expression' as const,
          why: 'is formatted by printf at run time',
        }
      : shellValue(raw, env, scope, file, span);
    out.push({ variable, level: 'github-env', file, keySpan: span, value });
  };
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const block = /^([A-Za-z_][A-Za-z0-9_]*)<<(\S+)$/.exec(line.text.trim());
    if (block) {
      const body: string[] = [];
      // `EOF_${DELIM}` closes at `EOF_$DELIM` too: the same text once bash has expanded them.
      const delimiter = unbraced(block[2]!);
      while (++k < lines.length && unbraced(lines[k]!.text.trim()) !== delimiter) body.push(lines[k]!.text);
      // The runner stops at a block with no closing line ("Matching delimiter not found") and fails the
      // step: the variables before it are set, the block and everything after it are not. A delimiter
      // bash computes (`$(uuidgen)`) may match at run time, so that block keeps the rest as its value.
      if (k === lines.length && !delimiter.includes('$'))
        return {
          bindings: out,
          unclosed: { text: block[0], span: run.spanAt(line.start, line.end) },
        };
      add(block[1]!, body.join('\n'), line.start, line.end);
      continue;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)/s.exec(line.text.trim());
    if (m) add(m[1]!, m[2]!, line.start, line.end);
    else if (!openBlock) {
      const computed = computedName(line, run);
      if (computed === 'block') openBlock = true;
      else unfollowed ??= computed;
    }
  }
  return unfollowed ? { bindings: out, unfollowed } : { bindings: out };
}

/**
 * A line the runner reads as setting a variable whose name only run time knows (`$n=`, `$(cat f)`, text
 * from a program): its name, before the first `=`, is computed. A line the runner reads as the start of a
 * `<<` block is no such line, and what follows it is that block's.
 */
function computedName(line: WrittenLine, run: Value): GithubEnvWrites['unfollowed'] | 'block' {
  const text = line.text.trim();
  const equals = text.indexOf('=');
  const block = text.indexOf('<<');
  if (block >= 0 && (equals < 0 || block < equals)) return 'block';
  const name = equals < 0 ? text : text.slice(0, equals);
  return /[$`\0]/.test(name) ? { text, span: run.spanAt(line.start, line.end) } : undefined;
}

/** `${NAME}` written as `$NAME`. */
function unbraced(text: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$$$1');
}

/** Stands for text only run time knows (a `%d`, a width): no bash string holds a NUL byte. */
const UNKNOWN = '\0';

/**
 * The most text one printf is read to write beyond its own words: a hostile format repeated for 20,000
 * arguments would otherwise write gigabytes. Past it, what the format writes is formatted at run time.
 */
export const PRINTF_BUDGET = 65536;

/**
 * What `printf FORMAT ARGS...` writes: `%s` takes the next argument (an empty one when none is left), `%%`
 * is `%`, `\\n` ends a line, and the format is used again while arguments are left, as bash does. Other
 * conversions, widths and escapes are UNKNOWN. A leading `--` ends the options, in bash and coreutils alike.
 * (`printf -v NAME` prints its format `-v`: nothing. Bash refuses other options, and /usr/bin/printf prints
 * them as the format: read as written, a line a hostile format hides behind `-x` is still seen.)
 */
export function printfText(words: string[]): string {
  const [format, ...rest] = words[0] === '--' ? words.slice(1) : words;
  if (format === undefined) return '';
  const budget = PRINTF_BUDGET + words.reduce((n, w) => n + w.length, 0);
  /** The format written once, each conversion replaced by what `take` gives for it. */
  const once = (take: (spec: string) => string): string =>
    format.replace(/%([-+ #0-9.]*[a-zA-Z]|%)|\\(.)/gs, (_all, spec?: string, escape?: string) => {
      if (escape !== undefined) return escape === 'n' ? '\n' : UNKNOWN;
      return spec === '%' ? spec : take(spec!);
    });
  let out = '';
  let k = 0;
  do {
    const before = k;
    out += once((spec) => {
      const arg = rest[k++] ?? '';
      return spec === 's' ? arg : UNKNOWN;
    });
    // Past the budget: the format once more with every conversion unknown, so each variable the format
    // names ends up formatted at run time, as the repetitions left would have it.
    if (out.length > budget) return out + once(() => UNKNOWN);
    // A format that takes no argument is written once, whatever follows it.
    // Stryker disable next-line ConditionalExpression: written again to the budget, it writes the same lines
    if (k === before) break;
  } while (k < rest.length);
  return out;
}
