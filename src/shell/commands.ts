/**
 * What bash runs in a simple command, Claude or not: the program word past assignments and wrappers,
 * the assignments that set its own environment, and where compound commands start.
 */
import type { Command, Word } from './reader.js';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
/** How a wrapper reads its own words before the program it starts. */
interface WrapperSyntax {
  /** Its own options that take a separate value (`sudo -u USER`, `time -f FORMAT`); the others are flags. */
  readonly values?: readonly string[];
  /** Its first operand is its own, not the program: `timeout 60`, `flock FILE`, `chrt 50`, `taskset MASK`. */
  readonly ownOperand?: boolean;
  /** Options whose value is a command line it runs with a shell (`flock FILE -c '...'`): then no program word follows. */
  readonly commandText?: readonly string[];
}

const TIMEOUT: WrapperSyntax = { values: ['-s', '--signal', '-k', '--kill-after'], ownOperand: true };

/**
 * The programs that start the program after them, each with the options that take a value: the one table
 * every reader of a command line asks (`sudo -n -E -u root claude`: `-n` and `-E` are flags, `root` is
 * `-u`'s). A program not here that has `claude` as its command operand is an unknown wrapper.
 */
export const WRAPPERS: Readonly<Record<string, WrapperSyntax>> = {
  sudo: {
    values: ['-u', '--user', '-g', '--group', '-h', '--host', '-p', '--prompt', '-C', '--close-from'].concat([
      '-D',
      '--chdir',
      '-r',
      '--role',
      '-t',
      '--type',
      '-U',
      '--other-user',
      '-T',
      '--command-timeout',
    ]),
  },
  env: { values: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'] },
  time: { values: ['-f', '--format', '-o', '--output'] },
  nohup: {},
  exec: { values: ['-a'] },
  command: {},
  builtin: {},
  nice: { values: ['-n', '--adjustment'] },
  timeout: TIMEOUT,
  gtimeout: TIMEOUT,
  stdbuf: { values: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  xargs: {
    values: ['-d', '--delimiter', '-I', '-L', '--max-lines', '-n', '--max-args', '-P', '--max-procs'].concat([
      '-s',
      '--max-chars',
      '-E',
      '-a',
      '--arg-file',
      '--process-slot-var',
    ]),
  },
  unbuffer: {},
  caffeinate: { values: ['-t', '-w'] },
  parallel: { values: ['-j', '--jobs', '-S', '--sshlogin', '--joblog', '--delay', '--timeout'] },
  script: {
    values: ['-E', '--echo', '-O', '--log-out', '-T', '--log-timing'],
    commandText: ['-c', '--command'],
  },
  doppler: { values: ['-p', '--project', '-c', '--config', '-t', '--token'] },
  dotenv: { values: ['-e', '-c', '-v'] },
  'with-contenv': {},
  setsid: {},
  flock: {
    values: ['-w', '--wait', '--timeout', '-E', '--conflict-exit-code'],
    ownOperand: true,
    commandText: ['-c', '--command'],
  },
  chrt: {
    values: ['-T', '--sched-runtime', '-P', '--sched-period', '-D', '--sched-deadline'],
    ownOperand: true,
  },
  ionice: { values: ['-c', '--class', '-n', '--classdata', '-p', '--pid', '-P', '--pgid', '-u', '--uid'] },
  doas: { values: ['-C', '-u'] },
  watch: { values: ['-n', '--interval', '-d', '--differences', '-q', '--equexit'] },
  'dbus-run-session': { values: ['--config-file', '--dbus-daemon'] },
  coproc: {},
  busybox: {},
  taskset: { values: [], ownOperand: true },
  // `chroot --userspec=U:G NEWROOT claude`: the new root is its own operand.
  chroot: { values: ['--groups'], ownOperand: true },
};

/** bash's builtins: `builtin NAME` runs one of these, and nothing when NAME is not one (`builtin claude`). */
const BUILTIN_STARTERS = new Set([
  ...['command', 'exec', 'eval', 'source', '.', 'builtin', 'echo', 'printf', 'cd', 'export', 'unset'],
  ...['read', 'declare', 'typeset', 'local', 'readonly', 'set', 'shopt', 'test', '[', 'true', 'false'],
  ...[':', 'type', 'hash', 'alias', 'unalias', 'trap', 'wait', 'pwd', 'pushd', 'popd', 'let', 'ulimit'],
  ...['umask', 'getopts', 'mapfile', 'readarray', 'kill', 'exit', 'return', 'shift', 'enable', 'jobs'],
]);

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done']);

/** Whether `name` is a known wrapper: its command operand is the program that runs. */
export function isWrapper(name: string): boolean {
  return Object.hasOwn(WRAPPERS, name);
}

/**
 * Programs that start no program they are given and do nothing with a Claude credential: shell builtins,
 * file and text tools, version control, network clients, installers, linters, formatters and compilers.
 * `echo claude -p`, `gh label create claude` and `git commit -m claude` run no Claude, and a credential in
 * their step does not make them consumers.
 */
export const STARTS_NOTHING: ReadonlySet<string> = new Set([
  // Builtins and their kin.
  ...[':', '.', '[', '[[', 'true', 'false', 'echo', 'printf', 'test', 'cd', 'pwd', 'pushd', 'popd'],
  ...['export', 'unset', 'set', 'shopt', 'source', 'read', 'exit', 'return', 'local', 'declare'],
  ...['typeset', 'readonly', 'trap', 'wait', 'sleep', 'type', 'hash', 'which', 'alias', 'shift'],
  ...['break', 'continue', 'let', 'ulimit', 'umask', 'getopts', 'mapfile', 'readarray', 'kill'],
  // Files and text.
  ...['cat', 'tac', 'ls', 'mkdir', 'rm', 'rmdir', 'cp', 'mv', 'ln', 'touch', 'chmod', 'chown', 'stat'],
  ...['grep', 'egrep', 'fgrep', 'rg', 'sed', 'awk', 'gawk', 'cut', 'tr', 'sort', 'uniq', 'head', 'tail'],
  ...['wc', 'tee', 'basename', 'dirname', 'realpath', 'readlink', 'date', 'printenv', 'whoami', 'id'],
  ...['uname', 'hostname', 'df', 'du', 'tar', 'gzip', 'gunzip', 'zip', 'unzip', 'base64', 'sha256sum'],
  ...['sha1sum', 'md5sum', 'shasum', 'diff', 'cmp', 'patch', 'jq', 'yq', 'mktemp', 'seq', 'yes', 'file'],
  ...['nproc', 'ps', 'pgrep', 'pkill', 'column', 'fold', 'fmt', 'paste', 'join', 'comm', 'rev', 'od'],
  ...['xxd', 'hexdump', 'envsubst', 'iconv', 'less', 'more', 'find', 'tree', 'install', 'sync'],
  // Version control, the network, secrets and the runner's own tools.
  ...['git', 'gh', 'hub', 'glab', 'curl', 'wget', 'ssh', 'scp', 'rsync', 'openssl', 'gpg', 'ssh-keygen'],
  ...['ssh-add', 'ssh-keyscan', 'aws', 'gcloud', 'az', 'gsutil', 'op', 'vault', 'base32', 'nc', 'dig'],
  // Installers.
  ...['apt', 'apt-get', 'dpkg', 'brew', 'yum', 'dnf', 'apk', 'snap', 'choco', 'winget', 'scoop', 'pip'],
  ...['pip3', 'pipx', 'gem', 'corepack', 'nvm', 'asdf', 'mise', 'rustup', 'sdk'],
  // Linters, formatters, type checkers, compilers and builders.
  ...['eslint', 'tsc', 'prettier', 'biome', 'ruff', 'black', 'isort', 'mypy', 'pyright', 'flake8'],
  ...['pylint', 'shellcheck', 'shfmt', 'actionlint', 'yamllint', 'markdownlint', 'markdownlint-cli2'],
  ...['golangci-lint', 'gofmt', 'rubocop', 'stylelint', 'hadolint', 'codespell', 'typos', 'cspell'],
  ...['clang-format', 'rustfmt', 'cmake', 'ninja', 'gcc', 'g++', 'clang', 'javac', 'webpack', 'vite'],
  ...['rollup', 'esbuild', 'tsup', 'swc', 'babel'],
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

/** Programs that run a script file or code given inline: the script runners, and perl, ruby and php. */
export const INTERPRETERS: ReadonlySet<string> = new Set([...SCRIPT_RUNNERS, 'perl', 'ruby', 'php']);

export function basename(text: string): string {
  return text.slice(text.lastIndexOf('/') + 1);
}

/** The index of the program word: past assignments, wrappers (`sudo -E`, `env X=1`, `timeout 60`) and reserved words. */
export function programIndex(words: Word[]): number {
  return programScan(words).index;
}

/**
 * A word before the program that xargs fills from its input at run time (`xargs -I{} env {} claude`): it
 * may set the environment or name the program, so what runs is decided then.
 */
export function filledAtRunTime(words: Word[]): Word | undefined {
  return programScan(words).filled;
}

function programScan(words: Word[]): { index: number; filled?: Word } {
  let i = 0;
  let replaced: string | undefined;
  let filled: Word | undefined;
  while (i < words.length) {
    const text = words[i]!.text;
    if ((ASSIGNMENT.test(text) && !words[i]!.expanded) || RESERVED.has(text)) {
      i++;
      continue;
    }
    if (replaced !== undefined && text.includes(replaced) && i + 1 < words.length) {
      filled ??= words[i];
      i++;
      continue;
    }
    const name = basename(text);
    if (name === 'find') {
      // `find . -exec claude -p ... \;`: the command after -exec runs.
      const exec = words.findIndex((w, k) => k > i && (w.text === '-exec' || w.text === '-execdir'));
      if (exec === -1) return { index: i, ...(filled && { filled }) };
      i = exec + 1;
      continue;
    }
    if (!isWrapper(name)) return { index: i, ...(filled && { filled }) };
    // `command -v claude`, `command -V claude`: a lookup, not a run.
    if (name === 'command' && /^-[vV]$/.test(words[i + 1]?.text ?? '')) return { index: words.length };
    // `builtin NAME` runs only a shell builtin: `builtin claude` starts nothing, `builtin command claude` does.
    if (name === 'builtin' && !BUILTIN_STARTERS.has(words[i + 1]?.text ?? '')) return { index: words.length };
    const operand = wrapperOperand(words, i);
    // `flock FILE -c '...'`, `script -qc '...'`: the wrapper runs a command line, read as a script of its own.
    if (operand === i) return { index: i };
    if (name === 'xargs') replaced ??= replacement(words.slice(i + 1, operand));
    i = operand;
  }
  return { index: words.length };
}

/** xargs's replacement string: `-I R`, `-IR`, `-i[R]`, `--replace[=R]` (`{}` when none is given). */
function replacement(options: Word[]): string | undefined {
  for (let k = 0; k < options.length; k++) {
    const t = options[k]!.text;
    if (t === '-I') return options[k + 1]?.text;
    const m = /^(?:-I|-i|--replace=?)(.*)$/.exec(t);
    if (m) return m[1] || '{}';
  }
  return undefined;
}

/**
 * The index of a known wrapper's command operand: past its own options (with their values), its
 * assignments (`env X=1`) and, for `timeout 60`, `flock FILE`, `chrt 50`, `taskset MASK`, its first operand.
 */
function wrapperOperand(words: Word[], at: number): number {
  const name = basename(words[at]!.text);
  const syntax = WRAPPERS[name]!;
  let i = at + 1;
  let operandSeen = false;
  while (i < words.length) {
    const t = words[i]!.text;
    if (t === '--') return i + 1;
    if (syntax.commandText && runsCommandText(t, syntax.commandText)) return at;
    if (t.startsWith('-') && t.length > 1) i += syntax.values?.includes(t) ? 2 : 1;
    else if (ASSIGNMENT.test(t)) i++;
    else if (syntax.ownOperand && !operandSeen) {
      // The duration, lock file, priority or mask, even when it is `$TIMEOUT`.
      operandSeen = true;
      i++;
    } else if (name === 'coproc' && words[i + 1]?.text === '{') i++;
    else if (name === 'parallel' && t !== ':::') return i;
    else if (name === 'doppler' && (t === 'run' || t === 'secrets')) i++;
    else return i;
  }
  return i;
}

/** `-c`, `--command`, or short flags that end in the command option (`script -qc`). */
function runsCommandText(option: string, options: readonly string[]): boolean {
  return options.includes(option) || /^-[a-zA-Z]*c$/.test(option);
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
