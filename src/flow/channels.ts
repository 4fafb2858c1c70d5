import { basename, INTERPRETERS, programIndex } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';
import type { Span } from '../types.js';
import type { Entry, Step, Value } from '../workflow/model.js';
import { emptyValue, resolveText, type Binding, type Scope } from '../workflow/values.js';
import type { RunnerOs } from '../workflow/runner.js';
import type { RepositoryFiles } from './environment.js';
import type { JobFlow } from './levels.js';
import { stdoutRedirect, writtenLines } from './shell-effects.js';
import { WORKSPACE_EXPRESSION_PATH, WORKSPACE_OR_CURRENT } from './workspace.js';

/**
 * The channels through which a step changes the environment of the job's later steps: the files
 * `$GITHUB_ENV` and `$GITHUB_PATH` the runner reads between steps, and the toolkit's `exportVariable` and
 * `addPath` that write them. A write the scan follows exactly sets variables (shell-effects.ts); any
 * other use of a channel (a write through a variable, a file descriptor, `exec`, a program whose output
 * only run time knows, a script or an input that names one) leaves the later steps' credentials to run
 * time: an `UnfollowedWrite` on the job's flow, which makes their routes `unknown`.
 */

/** A word that names a channel, in any language a step is written in. */
export const CHANNEL_WORD = /GITHUB_ENV\b|GITHUB_PATH\b|exportVariable|addPath/;
/** The runner's files, as a shell script names them. */
const CHANNEL_FILE = /GITHUB_(ENV|PATH)\b/;
/** The folder the runner keeps those files in, whatever their names: a script naming it is not followed. */
const RUNNER_FILES = /file_commands\b/;
/** Programs that run a command of theirs with arguments only run time knows (`xargs sh -c '...{}...'`). */
const RUNS_WITH_INPUT = new Set(['xargs', 'parallel', 'find']);

/** A use of a channel the scan did not follow: why, and where it is. */
export interface UnfollowedWrite {
  why: string;
  file: string;
  span: Span;
}

/** A folder an earlier step put first on PATH: `path` from the repository root, or none when run time decides it. */
export interface PathFolder {
  path?: string;
  text: string;
  file: string;
  span: Span;
}

/** Programs that only read the files they are given (or print their names): a channel as their operand is read. */
const READS_ONLY: ReadonlySet<string> = new Set([
  ...['cat', 'grep', 'egrep', 'fgrep', 'rg', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'echo'],
  ...['printf', 'test', '[', '[[', 'ls', 'stat', 'file', 'du', 'md5sum', 'sha1sum', 'sha256sum'],
  ...['diff', 'cmp', 'less', 'more', 'jq', 'tee'],
]);

/** Programs that print nothing on a descriptor other than standard output. */
const QUIET = new Set(['echo', 'printf', 'true', ':', 'cat']);

/**
 * Why one bash command uses a channel in a way the scan does not follow, if it does. Followed: a channel
 * that is where standard output goes (what is written is judged with the group that writes it), read
 * (`<`, an operand of a program that only reads), `tee`'s file, the program word itself (which runs
 * nothing), and words that hold a nested command (judged itself).
 */
export function unfollowedUse(commands: readonly Command[], index: number, text: string): string | undefined {
  const command = commands[index]!;
  const at = programIndex(command.words);
  const program = command.words[0]?.text === 'exec' ? 'exec' : basename(command.words[at]?.text ?? '');
  const nestedIn = (w: { start: number; end: number }): boolean =>
    /\$\(|`|[<>]\(/.test(text.slice(w.start, w.end)) || startsWithin(commands, command, w);
  const said = (): string =>
    `\`${text.slice(command.start, command.end).split('\n')[0]!.trim()}\` uses ${channelName(text.slice(command.start, command.end))} in a way the scan does not follow`;
  const whole = text.slice(command.start, command.end);
  if (RUNNER_FILES.test(whole)) return said();
  // `exec > >(tee -a "$GITHUB_ENV")`: the rest of the script's output goes to the file.
  if (program === 'exec' && command.redirects.some((r) => r.target && CHANNEL_FILE.test(r.target.text)))
    return said();
  const runsWithInput = command.words.slice(0, at + 1).some((w) => RUNS_WITH_INPUT.has(basename(w.text)));
  if (runsWithInput && CHANNEL_FILE.test(whole)) return said();
  for (const [k, w] of command.words.entries()) {
    if (!CHANNEL_FILE.test(w.text) || nestedIn(w) || k === at) continue;
    // `F=$GITHUB_ENV` alone keeps the file in a variable; as a prefix, only for a program that reads it.
    if (k < at ? !(at < command.words.length && READS_ONLY.has(program)) : !READS_ONLY.has(program))
      return said();
  }
  const out = stdoutRedirect(command);
  for (const r of command.redirects) {
    if (!r.target || !CHANNEL_FILE.test(r.target.text) || r.target.text.startsWith('>(')) continue;
    if (r.op.startsWith('<')) continue;
    // `exec 3>>"$GITHUB_ENV"` or `exec >> ...`: what the rest of the script prints there is not followed.
    if (program === 'exec' || (r.fd ?? 1) > 2) return said();
    const alone = at >= command.words.length;
    if (r !== out && !alone && !QUIET.has(program)) return said();
  }
  for (const heredoc of command.heredocs)
    if (
      CHANNEL_FILE.test(heredoc.body) &&
      !nestedIn({ start: heredoc.bodyStart, end: heredoc.bodyStart + heredoc.body.length })
    )
      return said();
  return undefined;
}

/**
 * Whether a command other than `command` starts inside `w` (a `bash -c '...'` word read as commands):
 * commands come sorted by start, so a binary search finds it, however many words name a channel.
 */
function startsWithin(
  commands: readonly Command[],
  command: Command,
  w: { start: number; end: number },
): boolean {
  let low = 0;
  let high = commands.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (commands[mid]!.start < w.start) low = mid + 1;
    else high = mid;
  }
  for (let k = low; k < commands.length && commands[k]!.start < w.end; k++)
    if (commands[k] !== command && commands[k]!.nested) return true;
  return false;
}

function channelName(text: string): string {
  return /GITHUB_PATH/.test(text) && !/GITHUB_ENV/.test(text) ? '$GITHUB_PATH' : '$GITHUB_ENV';
}

/** Where a folder a script writes to PATH is: the repository's (from its root), elsewhere, or run time's. */
export function folderOf(text: string): { path: string } | 'elsewhere' | 'run time' {
  const t = text.trim().replace(/^["']|["']$/g, '');
  const inside = WORKSPACE_OR_CURRENT.exec(t);
  if (inside) return { path: (inside[1] ?? '').replace(/\/+$/, '') };
  if (/^(\/|~|\$\{?(HOME|RUNNER_\w+|GOPATH|CARGO_HOME|PNPM_HOME)\b|\$\{\{\s*(runner|env)\.)/.test(t))
    return 'elsewhere';
  // PowerShell's spellings of the same places, and a Windows drive.
  if (/^(\$env:(USERPROFILE|HOME|LOCALAPPDATA|APPDATA|ProgramFiles|RUNNER_\w+)\b|[A-Za-z]:\\)/i.test(t))
    return 'elsewhere';
  if (t.includes('$') || t.includes('`') || t === '') return 'run time';
  return { path: t.replace(/^\.\//, '').replace(/\/+$/, '') };
}

/** The folders a group of commands writes to $GITHUB_PATH, one a line, each where it is written. */
export function pathWrites(group: Command[], run: Value, file: string): PathFolder[] {
  const out: PathFolder[] = [];
  for (const line of writtenLines(group)) {
    const where = folderOf(line.text.replace(/\0/g, '$?'));
    if (where === 'elsewhere') continue;
    const folder: PathFolder = { text: line.text.trim(), file, span: run.spanAt(line.start, line.end) };
    if (where !== 'run time') folder.path = where.path;
    out.push(folder);
  }
  return out;
}

/**
 * The program `claude` names after the job put repository folders first on PATH: a committed wrapper
 * (its path), or why run time decides which `claude` runs. Undefined: Claude Code.
 */
const WINDOWS_NAMES = ['claude.ps1', 'claude.com', 'claude.exe', 'claude.bat', 'claude.cmd'];

export function claudeOnPath(
  folders: readonly PathFolder[],
  repo: RepositoryFiles,
  os: RunnerOs = 'posix',
): { wrapper: string; folder: PathFolder } | { undecided: UnfollowedWrite } | undefined {
  for (const folder of folders) {
    if (folder.path === undefined)
      return {
        undecided: {
          why: `\`${folder.text}\` is put first on PATH at line ${folder.span.line} of ${folder.file}, so which \`claude\` runs is decided at run time`,
          file: folder.file,
          span: folder.span,
        },
      };
    // Windows finds `claude` as `claude.exe`, `claude.cmd`, `claude.bat` (PATHEXT), PowerShell `claude.ps1` too.
    const names = os === 'posix' ? ['claude'] : ['claude', ...WINDOWS_NAMES];
    for (const name of names) {
      const wrapper = folder.path ? `${folder.path}/${name}` : name;
      if (!repo.read(wrapper)) continue;
      if (!/\.(exe|com)$/.test(name)) return { wrapper, folder };
      return {
        undecided: {
          why: `the repository's \`${wrapper}\` is the \`claude\` on PATH (put first at line ${folder.span.line} of ${folder.file}), a program whose inside is not read`,
          file: folder.file,
          span: folder.span,
        },
      };
    }
  }
  return undefined;
}

/** The folders a PATH value puts before the PATH it had: `$PWD/tools:$PATH` puts `$PWD/tools`. */
export function pathPrepends(binding: Binding | undefined): string[] {
  const text = binding?.value.literal ?? binding?.value.written;
  if (text === undefined) return [];
  const parts = text.split(':');
  const rest = parts.findIndex((p) => /^\$\{?PATH\}?$|^\$\{\{\s*env\.PATH\s*\}\}$/.test(p.trim()));
  // A PATH that does not keep the one it had is the whole search path: each of its folders comes first.
  return (rest < 0 ? parts : parts.slice(0, rest)).filter((p) => p.trim() !== '');
}

/** One `core.exportVariable('NAME', 'value')` or `core.addPath('dir')` with a name the script spells out. */
const EXPORT_CALL =
  /\bcore\s*\.\s*exportVariable\s*\(\s*(['"`])([A-Za-z_][A-Za-z0-9_]*)\1\s*,\s*(?:(['"])([^'"\\\n]*)\3|[^;\n]*?)\s*\)/g;
const ADD_PATH_CALL = /\bcore\s*\.\s*addPath\s*\(\s*(['"])([^'"\\\n$]*)\1\s*\)/g;

/** What an `actions/github-script` script leaves the job: variables, PATH folders, or a use not followed. */
export interface ScriptWrites {
  bindings: Binding[];
  folders: PathFolder[];
  unfollowed?: UnfollowedWrite;
}

/**
 * `actions/github-script`'s `script:`: each `core.exportVariable` with a name written out sets it (its
 * value when written out, else run time's), each `core.addPath` with a folder written out puts it first;
 * any other mention of a channel (a computed name, `fs.appendFileSync(process.env.GITHUB_ENV, ...)`, a
 * required file that names one) is not followed.
 */
export function githubScriptWrites(
  script: Value,
  scope: Scope,
  file: string,
  repo: RepositoryFiles,
): ScriptWrites {
  const text = script.text;
  const out: ScriptWrites = { bindings: [], folders: [] };
  const followed: [number, number][] = [];
  for (const m of text.matchAll(EXPORT_CALL)) {
    const span = script.spanAt(m.index + m[0].indexOf(m[2]!), m.index + m[0].indexOf(m[2]!) + m[2]!.length);
    const value =
      m[4] !== undefined
        ? resolveText(m[4], scope, file, span)
        : {
            ...emptyValue(file, span),
            presence: 'maybe' as const,
            form: 'expression' as const,
            why: 'is computed by the script at run time',
          };
    out.bindings.push({ variable: m[2]!, level: 'github-env', file, keySpan: span, value });
    followed.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(ADD_PATH_CALL)) {
    const where = folderOf(m[2]!);
    const span = script.spanAt(m.index, m.index + m[0].length);
    if (where !== 'elsewhere')
      out.folders.push({ text: m[2]!, file, span, ...(where === 'run time' ? {} : { path: where.path }) });
    followed.push([m.index, m.index + m[0].length]);
  }
  const unfollowed = firstMention(text, followed) ?? requiredMention(text, repo);
  if (unfollowed !== undefined)
    out.unfollowed = {
      why: `the github-script at line ${script.spanAt(unfollowed, unfollowed).line} of ${file} ${text.slice(unfollowed).match(CHANNEL_WORD)?.[0] === 'addPath' ? 'changes PATH' : 'writes the environment'} in a way the scan does not follow`,
      file,
      span: script.spanAt(unfollowed, unfollowed + 1),
    };
  return out;
}

/** The first mention of a channel outside the calls that were followed, skipping `//` comments. */
function firstMention(text: string, followed: [number, number][]): number | undefined {
  const all = new RegExp(CHANNEL_WORD.source, 'g');
  // Mentions come in order: one pass over the followed calls, sorted, keeps this linear.
  const calls = [...followed].sort((x, y) => x[0] - y[0]);
  let next = 0;
  for (const m of text.matchAll(all)) {
    while (next < calls.length && calls[next]![1] <= m.index) next++;
    if (next < calls.length && calls[next]![0] <= m.index) continue;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*\/\//.test(text.slice(lineStart, m.index))) continue;
    return m.index;
  }
  return undefined;
}

/** A repository file the script requires or imports that names a channel: where it is required. */
function requiredMention(text: string, repo: RepositoryFiles): number | undefined {
  for (const m of text.matchAll(/\b(?:require|import)\s*\(\s*(['"`])([^'"`]+)\1/g)) {
    const path = m[2]!.replace(WORKSPACE_EXPRESSION_PATH, '').replace(/^\.\//, '');
    if (m[2]!.includes('$') && !m[2]!.startsWith('${{')) return m.index;
    if (!/^[./]|^\$\{\{/.test(m[2]!)) continue;
    if (CHANNEL_WORD.test(repo.read(path)?.text ?? '')) return m.index;
  }
  return undefined;
}

/**
 * An action step's inputs that name a channel (`command: echo X= >> $GITHUB_ENV` to a retry action):
 * what the action does with them is not followed. Undefined when none does.
 */
export function inputsNamingChannel(inputs: readonly Entry[], file: string): UnfollowedWrite | undefined {
  for (const entry of inputs) {
    const m = CHANNEL_WORD.exec(entry.value.text);
    if (!m) continue;
    return {
      why: `the input \`${entry.name}\` at line ${entry.nameSpan.line} of ${file} names ${m[0]}, and what the action does with it is not followed`,
      file,
      span: entry.value.spanAt(m.index, m.index + m[0].length),
    };
  }
  return undefined;
}

/**
 * A PowerShell (or Python, or any not bash) script that names a channel: $GITHUB_ENV is not followed
 * (the first mention is where, and why); a folder written to $GITHUB_PATH is read from its line (a
 * quoted folder, or a `$name` the script assigns one), and one outside the workspace does not matter.
 */
export function otherShellChannels(run: Value, file: string, job: JobFlow): void {
  const text = run.text;
  for (const m of text.matchAll(/GITHUB_(?:ENV|PATH)\b/g)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#/.test(text.slice(lineStart, m.index))) continue;
    const span = run.spanAt(m.index, m.index + m[0].length);
    if (m[0] === 'GITHUB_ENV') {
      job.unfollowed ??= {
        why: `the step's script names $GITHUB_ENV at line ${span.line} of ${file}, and what it writes there is not followed`,
        file,
        span,
      };
      continue;
    }
    const lineEnd = text.indexOf('\n', m.index);
    const written = writtenFolder(text, lineStart, lineEnd < 0 ? text.length : lineEnd);
    const where = written === undefined ? 'run time' : folderOf(written);
    if (where === 'elsewhere') continue;
    const folder: PathFolder = { text: written ?? text.slice(lineStart, lineEnd).trim(), file, span };
    job.pathFolders = [
      where === 'run time' ? folder : { ...folder, path: where.path },
      ...(job.pathFolders ?? []),
    ];
  }
}

/** The folder a line writes to PATH: its quoted text that is not the file, or what `$name` was assigned before. */
function writtenFolder(text: string, lineStart: number, lineEnd: number): string | undefined {
  const line = text.slice(lineStart, lineEnd);
  const quoted = [...line.matchAll(/"([^"]*)"|'([^']*)'/g)]
    .map((q) => q[1] ?? q[2]!)
    .find((q) => !q.includes('GITHUB_PATH'));
  const named = quoted ?? /(?:echo|Write-Output|-Value)\s+(\$\w+)\b/i.exec(line)?.[1];
  const variable = named !== undefined && /^\$(\w+)$/.exec(named)?.[1];
  if (!variable) return named;
  const assigned = new RegExp(`^\\s*\\$${variable}\\s*=\\s*["']?([^"'\\n]*)["']?\\s*$`, 'gim');
  return [...text.slice(0, lineStart).matchAll(assigned)].pop()?.[1];
}

/** A repository file a command runs (`python scripts/x.py`, `node x.js`) that names a channel. */
export function scriptNamingChannel(
  command: Command,
  repo: RepositoryFiles,
  repositoryPath: (text: string) => string,
): Word | undefined {
  const words = command.words;
  const at = programIndex(words);
  const program = basename(words[at]?.text ?? '');
  const file = INTERPRETERS.has(program)
    ? words.slice(at + 1).find((w) => !w.text.startsWith('-'))
    : /\.(py|js|mjs|cjs|ts|rb|pl)$/.test(program) && words[at]!.text.includes('/')
      ? words[at]
      : undefined;
  if (!file || file.text.includes('$')) return undefined;
  return CHANNEL_WORD.test(repo.read(repositoryPath(file.text))?.text ?? '') ? file : undefined;
}

/**
 * What an action step leaves the job through the channels: `actions/github-script`'s script, read as
 * githubScriptWrites reads it; for any action, an input that names a channel is a use not followed.
 */
export function actionChannelWrites(
  uses: string,
  inputs: readonly Entry[],
  scope: Scope,
  file: string,
  repo: RepositoryFiles,
  job: JobFlow,
): void {
  const script = /^actions\/github-script@/i.test(uses) ? inputs.find((e) => e.name === 'script') : undefined;
  if (script) {
    const written = githubScriptWrites(script.value, scope, file, repo);
    for (const b of written.bindings) job.githubEnv.set(b.variable, b);
    if (written.folders.length > 0)
      job.pathFolders = [...written.folders.reverse(), ...(job.pathFolders ?? [])];
    job.unfollowed ??= written.unfollowed;
  }
  job.unfollowed ??= inputsNamingChannel(
    inputs.filter((e) => e !== script),
    file,
  );
}

/**
 * A step that reaches a channel by a way no script reading follows: an `env:` or `with:` value that is
 * `${{ github.env }}` or `${{ github.path }}` (the file under another name), or the `::set-env` and
 * `::add-path` workflow commands, which the runner honours while ACTIONS_ALLOW_UNSECURE_COMMANDS is true.
 */
export function stepChannelUse(
  step: Pick<Step, 'env' | 'with' | 'run'>,
  unsecureCommands: Binding | undefined,
  file: string,
): UnfollowedWrite | undefined {
  for (const entry of [...step.env, ...step.with]) {
    const m = /\$\{\{[^}]*?\bgithub\.(env|path)\b/.exec(entry.value.text);
    if (!m) continue;
    const at = m.index + m[0].lastIndexOf('github.');
    const span = entry.value.spanAt(at, at + `github.${m[1]!}`.length);
    return {
      why: `\`${entry.name}\` at line ${entry.nameSpan.line} of ${file} is \${{ github.${m[1]!} }}, and what the step writes there is not followed`,
      file,
      span,
    };
  }
  const run = step.run;
  const allowed = unsecureCommands && unsecureCommands.value.literal?.trim().toLowerCase() !== 'false';
  const command = run && allowed ? /::(set-env|add-path)\b/.exec(run.text) : null;
  if (!run || !command) return undefined;
  const span = run.spanAt(command.index, command.index + command[0].length);
  return {
    why: `the step prints \`${command[0]}\` at line ${span.line} of ${file} while ACTIONS_ALLOW_UNSECURE_COMMANDS lets the runner honour it, which the scan does not follow`,
    file,
    span,
  };
}
