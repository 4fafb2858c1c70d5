import { basename, isWrapper, programIndex } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';
import { WORKSPACE_FOLDER, WORKSPACE_PATH } from './workspace.js';

/**
 * The folder Claude Code starts in: it reads the project's `.claude/settings.json` and
 * `.claude/settings.local.json` there, not in the repository root nor any folder above (Claude Code's docs,
 * "Set up Claude Code in a monorepo": where you start Claude decides which project settings apply).
 */
export interface StartFolder {
  /** The folders it may start in, from the repository root: '' is the root, OUTSIDE a folder outside it. */
  folders: readonly string[];
  /** Set when only run time names the folder: why. */
  undecided?: string;
}

/** A folder outside the checkout (home, the runner's temp folder, `/tmp`): it holds no committed settings. */
export const OUTSIDE = '<outside the repository>';

export const ROOT_FOLDER: StartFolder = { folders: [''] };

/** A path a script names, from the repository root: `./x`, `$GITHUB_WORKSPACE/x` and `${{ github.workspace }}/x` are `x`. */
export function repositoryPath(text: string): string {
  return text.replace(WORKSPACE_PATH, '').replace(/^\.\//, '');
}

const HOME_OR_TEMP =
  /^(~|\$\{?(HOME|RUNNER_TEMP|RUNNER_TOOL_CACHE|TMPDIR)\}?|\$\{\{\s*runner\.(temp|tool_cache)\s*\}\})(\/|$)/;
/** What bash expands at run time in a folder name: a variable, a command, a pattern. */
const RUN_TIME = /[$`*?[]/;

/** The folder `target` names from `from` (a `cd` operand or a `working-directory:`). */
function folderFrom(from: string, target: string): string | { undecided: string } {
  if (HOME_OR_TEMP.test(target) || target.startsWith('/')) return OUTSIDE;
  const inWorkspace = WORKSPACE_FOLDER.exec(target);
  const rest = inWorkspace ? target.slice(inWorkspace[0].length) : target;
  if (RUN_TIME.test(rest)) return { undecided: `Claude starts in \`${target}\`, a folder named at run time` };
  if (from === OUTSIDE && !inWorkspace) return OUTSIDE;
  const parts = inWorkspace || from === '' ? [] : from.split('/');
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) return OUTSIDE;
  }
  return parts.join('/');
}

/** Every folder `target` leads to from the folders of `start`. */
export function movedTo(start: StartFolder, target: string): StartFolder {
  if (start.undecided) return start;
  const folders = new Set<string>();
  for (const from of start.folders) {
    const to = folderFrom(from, target);
    if (typeof to !== 'string') return { folders: [], undecided: to.undecided };
    folders.add(to);
  }
  return { folders: [...folders] };
}

/** Either folder: a `cd` that may not run leaves the script where it was or where it leads. */
function either(a: StartFolder, b: StartFolder): StartFolder {
  if (a.undecided) return a;
  if (b.undecided) return b;
  return { folders: [...new Set([...a.folders, ...b.folders])] };
}

/** The folder a step starts its script in: its `working-directory:`, else the job's or workflow's default. */
export function stepFolder(workingDirectory: string | undefined): StartFolder {
  const text = workingDirectory?.trim();
  return text ? movedTo(ROOT_FOLDER, text) : ROOT_FOLDER;
}

const CHANGES_FOLDER = new Set(['cd', 'pushd', 'popd']);
/** Words after which a command runs only on some paths through the script. */
const CONDITIONAL_WORDS = new Set(['then', 'else', 'elif', 'do', 'if', 'while', 'until']);

/**
 * The folder a bash script is in, command by command: `cd`, `pushd` and `popd`, undone at the end of a
 * `( … )` subshell; a `cd` that runs only on some paths (after `&&` or `||`, inside `if` or a loop) leaves
 * either folder possible.
 */
export class FolderTrack {
  private readonly subshells: StartFolder[] = [];
  private readonly pushed: StartFolder[] = [];
  private lastEnd = 0;

  constructor(
    public folder: StartFolder,
    private readonly text: string,
  ) {}

  /** Call for every command of the script, in order. */
  apply(command: Command): void {
    if (command.nested || command.words.length === 0) return;
    // Between the last word of the command before and the first of this one: operators, parentheses.
    const gap = this.text.slice(this.lastEnd, command.words[0]!.start).replace(/#[^\n]*/g, '');
    this.lastEnd = command.words[command.words.length - 1]!.end;
    for (const ch of gap) {
      if (ch === '(') this.subshells.push(this.folder);
      else if (ch === ')' && this.subshells.length > 0) this.folder = this.subshells.pop()!;
    }
    const words = command.words;
    const at = programIndex(words);
    const program = words[at]?.text ?? '';
    if (!CHANGES_FOLDER.has(program)) return;
    const conditional = /&&|\|\|/.test(gap) || words.slice(0, at).some((w) => CONDITIONAL_WORDS.has(w.text));
    const next = this.after(program, operand(words.slice(at + 1)));
    this.folder = conditional ? either(this.folder, next) : next;
  }

  private after(program: string, target: Word | undefined): StartFolder {
    if (program === 'popd')
      return (
        this.pushed.pop() ?? { folders: [], undecided: 'the script runs `popd` with no `pushd` before it' }
      );
    if (program === 'pushd') this.pushed.push(this.folder);
    if (!target) return { folders: [OUTSIDE] };
    if (target.text === '-') return { folders: [], undecided: 'the script runs `cd -`' };
    return movedTo(this.folder, target.text);
  }
}

/** The folder operand of `cd`/`pushd`, past their options. */
function operand(words: Word[]): Word | undefined {
  let k = 0;
  while (k < words.length && /^-[LPe@]+$/.test(words[k]!.text)) k++;
  if (words[k]?.text === '--') k++;
  return words[k];
}

/** Wrapper options that start the program in another folder (`env -C DIR`, `sudo -D DIR`), by wrapper. */
const CHDIR_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  env: ['-C', '--chdir'],
  sudo: ['-D', '--chdir'],
};

/**
 * The folder a command's program starts in, from the folder the script is in: `env -C DIR claude` and
 * `sudo -D DIR claude` start Claude in DIR, so DIR's project settings are the ones it reads.
 */
export function commandFolder(words: Word[], folder: StartFolder): StartFolder {
  const at = programIndex(words);
  let wrapper = '';
  for (let k = 0; k < at; k++) {
    const text = words[k]!.text;
    if (isWrapper(basename(text))) {
      wrapper = basename(text);
      continue;
    }
    for (const option of CHDIR_OPTIONS[wrapper] ?? []) {
      // `-C DIR`, `-CDIR`, `--chdir DIR`, `--chdir=DIR`.
      const glued = option.startsWith('--') ? `${option}=` : option;
      const target =
        text === option ? words[++k]?.text : text.startsWith(glued) ? text.slice(glued.length) : undefined;
      if (target !== undefined) folder = movedTo(folder, target);
    }
  }
  return folder;
}
