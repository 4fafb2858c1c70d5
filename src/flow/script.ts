import { meter } from '../meter.js';
import { compoundStarts, programIndex } from '../shell/commands.js';
import { parseShell, trapCode, type Command, type InlineCode, type Word } from '../shell/reader.js';
import type { Value } from '../workflow/model.js';
import { emptyValue, type Binding, type Scope } from '../workflow/values.js';
import { Environment, type RepositoryFiles, type Site } from './environment.js';
import { Aliases, expandVariables } from './expansion.js';
import type { JobFlow } from './levels.js';
import { compoundsOf, TRAP_CONDITION, type FunctionBody } from '../shell/conditions.js';
import { bashVariables, resolveNames, variableEffects, type Binder } from './bash-variables.js';
import { maySetCredentials, mergeMaybe, writeMaybe } from './maybe.js';
import { pathWrites, scriptNamingChannel, unfollowedUse } from './channels.js';
import { FolderTrack, repositoryPath } from './start-folder.js';
import { maybeWritten, stepOutputWrites, type OutputWrite } from './step-outputs.js';
import {
  commandEnvironment,
  ENV_SETUP_FILES,
  environmentEffects,
  GITHUB_OUTPUT,
  GITHUB_PATH,
  githubEnvWrites,
  SHELL_REF,
  truncatesGithubEnv,
  writesGithubEnv,
} from './shell-effects.js';
import { credentialsFileTarget, managedSettingsWrite, userSettingsWrite } from './claude-files.js';
import { CommandFlow, type RunTimeCode } from './command-flow.js';

/**
 * What one bash script does to the environment, and what it leaves the job ($GITHUB_ENV, a stored login,
 * user settings).
 */
export class ScriptFlow extends CommandFlow {
  /** Plain shell variables with a literal value: `CL=claude` makes `$CL -p` a Claude run. */
  private readonly shellVars = new Map<string, string>();
  /** Where each command of a group, loop or subshell redirected as a whole starts: its commands write where its end says. */
  private readonly groups: Map<number, number>;
  /** The commands whose output lands in $GITHUB_ENV, since it was last emptied. */
  private readonly envWrites: Command[] = [];
  /** The commands whose output lands in $GITHUB_PATH, since it was last emptied. */
  private readonly pathWrites: Command[] = [];
  private readonly namesPath: boolean;
  /** The groups of commands whose output lands in $GITHUB_OUTPUT, since it was last emptied. */
  private readonly outputWrites: OutputWrite[] = [];
  private readonly namesOutput: boolean;
  /** The folder the script is in, command by command (`cd`, `pushd`, subshells). */
  private track: FolderTrack | undefined;
  /** The `>(` words, by start, and how far the sweep over them has come. */
  private readonly readers: Word[];
  private nextReader = 0;
  private readerReach = -1;
  /** The commands that may not run, or whose changes may not stay, by index: why (see conditionsOf). */
  private readonly conditions: Map<number, string>;
  /** The functions the script defines, by name: the commands of each body. */
  readonly functions: ReadonlyMap<string, FunctionBody>;
  private readonly variables = bashVariables();
  /** The step's own `if:`, when it may skip the step: what the step writes for later steps is "maybe". */
  stepCondition: string | undefined;
  /** The aliases the script defined so far. */
  private readonly aliases = new Aliases();
  /** What each `eval` ran, when the reader could not read it in place. */
  private readonly evaluated = new WeakMap<Command, InlineCode>();
  /** The commands that run code only run time knows. */
  private readonly runTime = new WeakMap<Command, RunTimeCode>();
  /** IFS as the script set it: undefined is bash's default; `unknown` says why only run time knows it. */
  private ifs: { value: string } | { unknown: string } | undefined;

  constructor(
    run: Value,
    private readonly commands: Command[],
    /** The step's environment; `unset` are the names a custom shell line removes (`env -u NAME bash`). */
    stepEnv: Environment,
    unset: string[],
    scope: Scope,
    site: Site,
    job: JobFlow,
  ) {
    super(run, stepEnv, scope, site, job);
    for (const name of unset) this.env.delete(name);
    this.namesPath = GITHUB_PATH.test(run.text);
    this.namesOutput = GITHUB_OUTPUT.test(run.text);
    this.groups = compoundStarts(commands, run.text);
    const compounds = compoundsOf(commands, run.text);
    this.conditions = compounds.conditions;
    this.functions = compounds.functions;
    // The commands of `> >(tee -a "$GITHUB_ENV")` read what the command around them writes: that command's
    // writes, read with them, are the ones that count. Commands come in the order they start, so one sweep
    // over the `>(` words by start tells whether a command lies inside one: the furthest end of those that
    // started before it reaches past its end (checking each command against each `>(` was quadratic).
    this.readers = commands
      .flatMap((c) => [...c.words, ...c.redirects.flatMap((r) => r.target ?? [])])
      .filter((w) => w.text.startsWith('>('))
      .sort((a, b) => a.start - b.start);
  }

  /**
   * The program a `$CL` or `${CL:-claude}` word names, when the script says (see programValue), an alias,
   * or a word whose variables the script or env fix (`cl${EMPTY}aude`; with `unsetIsEmpty`, a name nothing
   * sets is empty).
   */
  programText(word: Word, unsetIsEmpty = false): string | undefined {
    return (
      this.aliases.expand(word) ??
      programValue(word.text, this.shellVars, this.env) ??
      expandVariables(word.text, this.shellVars, this.env, unsetIsEmpty)
    );
  }

  /** What the command at `index` does to the script's environment and the job's files. */
  apply(command: Command, index: number): void {
    this.track ??= new FolderTrack(this.folder, this.run.text);
    this.track.apply(command);
    this.folder = this.track.folder;
    if (!command.nested) {
      this.aliases.note(command);
      const sourced = sourcedRepositoryFile(command, this.site.repo);
      // A repository file sourced into the script, or text eval runs: its own exports and unsets apply,
      // one level deep.
      const evaluated = sourced ? undefined : this.evalText(command);
      const effects = sourced
        ? sourcedCommands(sourced)
        : evaluated !== undefined
          ? parseShell(evaluated).filter((c) => !c.nested)
          : [command];
      const trapped = evaluated !== undefined && isTrap(command) ? TRAP_CONDITION : undefined;
      const condition = this.conditions.get(index) ?? trapped;
      // Under a condition, the changes go to a copy first, then count as "maybe".
      const target = condition ? this.env.fork() : this.env;
      for (const c of effects) {
        const changed = this.effects(c, target);
        if (changed) this.undecided ??= changed;
      }
      this.noteComputedSource(command);
      this.noteIfs(command, index);
      this.noteSplitProgram(command);
      if (condition) {
        const line = this.run.spanAt(command.start, command.end).line;
        mergeMaybe(this.env, target, `may be changed by line ${line} (${condition})`);
      }
    }
    this.noteGithubEnvWrite(command, index);
    const credentialTarget = credentialsFileTarget(command);
    if (credentialTarget) {
      const span = this.run.spanAt(credentialTarget.start, credentialTarget.end);
      this.job.storedLogin = {
        variable: 'stored-login',
        level: 'credentials-file',
        file: this.site.file,
        keySpan: span,
        value: { ...emptyValue(this.site.file, span), presence: 'set', form: 'expression' },
      };
    }
    const settingsWrite = userSettingsWrite(command);
    if (settingsWrite) this.job.userSettings = settingsWrite;
    const managed = managedSettingsWrite(command);
    if (managed) {
      // Installed only on some paths, they may or may not be there when Claude starts.
      const condition = this.conditions.get(index) ?? this.stepCondition;
      const written =
        condition && 'path' in managed
          ? {
              undecided: `a step installs \`${managed.path}\` as managed settings where it may not run (${condition})`,
            }
          : managed;
      (this.job.managedSettings ??= []).push(written);
    }
  }

  /**
   * What one command does to `env`: its names spelled out first (`unset "$V"`, a `declare -n`
   * reference); a name computed at run time makes the route undecided, and one that may be set may be
   * the subscription token.
   */
  private effects(command: Command, env: Environment): string | undefined {
    const resolved = resolveNames(command, this.variables, this.shellVars);
    if ('computed' in resolved) {
      const span = this.run.spanAt(resolved.word.start, resolved.word.end);
      if (resolved.sets)
        maySetCredentials(
          env,
          `may be set by line ${span.line}, where ${resolved.computed}`,
          this.site.file,
          span,
        );
      return resolved.computed;
    }
    const changed = environmentEffects(resolved.command, env, this.shellVars, this.bind);
    variableEffects(resolved.command, env, this.variables, this.binder);
    return changed;
  }

  private readonly binder: Binder = {
    bind: this.bind,
    runTime: (name, w, why) => {
      const span = this.run.spanAt(w.start, w.end);
      return {
        variable: name,
        level: 'script',
        file: this.site.file,
        keySpan: span,
        value: { ...emptyValue(this.site.file, span), presence: 'maybe', form: 'expression', why },
      };
    },
  };

  /**
   * The text `eval` runs, when the reader did not already read it as the script's commands: a variable the
   * script set to a literal (`c='unset X'; eval "$c"`), or a word spelt so that it is not written as it
   * reads. Text only run time knows makes the runs after it undecided, unless a toolchain prints it.
   */
  evalText(command: Command): string | undefined {
    const at = programIndex(command.words);
    const program = command.words[at]?.text;
    if (program !== 'eval' && program !== 'trap') return undefined;
    const trap = program === 'trap' ? trapCode(command.words.slice(at + 1)) : undefined;
    const args = trap ? [trap] : program === 'eval' ? command.words.slice(at + 1) : [];
    if (args.length === 0 || command.inline?.[0]?.exact) return undefined;
    const runs = trap ? "the script's trap runs" : 'the script evals';
    const written = args.map((w) => w.text).join(' ');
    const unresolved = args.some((w) => /^(\$|`)/.test(w.text) && this.programText(w) === undefined);
    if (unresolved && !command.inline) {
      if (!EVAL_SETUP.test(written)) {
        const why = `${runs} \`${written}\`, text only run time knows, which may change its environment before Claude starts`;
        this.undecided ??= why;
        // What it evals may set any credential, the subscription token among them.
        const span = this.run.spanAt(args[0]!.start, args[args.length - 1]!.end);
        maySetCredentials(this.env, why, this.site.file, span);
        this.runTime.set(command, {
          label: this.run.text.slice(command.words[at]!.start, args[args.length - 1]!.end),
          why: `${runs} \`${written}\`, text only run time knows, which may start Claude`,
          start: command.words[at]!.start,
          end: args[args.length - 1]!.end,
        });
      }
      return undefined;
    }
    const text = command.inline?.[0]!.text ?? args.map((w) => this.programText(w) ?? w.text).join(' ');
    const code = {
      text,
      start: args[0]!.start,
      end: args[args.length - 1]!.end,
      exact: false,
      sameShell: true,
    };
    this.evaluated.set(command, code);
    return text;
  }

  /**
   * `source "$F"`, `. <(curl ...)`, `source /dev/stdin`: a file only run time names runs in the script's
   * shell; what it may change, environmentEffects already made undecided.
   */
  private noteComputedSource(command: Command): void {
    const at = programIndex(command.words);
    const program = command.words[at]?.text;
    const file = command.words[at + 1];
    if ((program !== 'source' && program !== '.') || !file) return;
    if (!/[$`]|^<\(|^\/dev\/(stdin|fd\/)/.test(file.text) || ENV_SETUP_FILES.test(file.text)) return;
    this.runTime.set(command, {
      label: this.run.text.slice(command.words[at]!.start, file.end),
      why: `the script sources \`${file.text}\`, a file only run time names, which may start Claude`,
      start: command.words[at]!.start,
      end: file.end,
    });
  }

  /**
   * `IFS=,`, `declare IFS=$x`, `unset IFS`: the separators bash splits unquoted expansions on from here.
   * A value only run time knows, or one set under a condition, leaves the splitting to run time; a
   * command's own prefix (`IFS=, read -r a b`) sets it for that command only.
   */
  private noteIfs(command: Command, index: number): void {
    const at = programIndex(command.words);
    const program = command.words[at]?.text;
    const line = (): number => this.run.spanAt(command.start, command.end).line;
    if (program === 'unset' && command.words.slice(at + 1).some((w) => w.text === 'IFS')) {
      this.ifs = this.conditions.has(index) ? { unknown: `IFS may be unset at line ${line()}` } : undefined;
      return;
    }
    const assigns = program === undefined || DECLARES.has(program);
    const words = program === undefined ? command.words : command.words.slice(at + 1);
    const value = assigns
      ? words
          .map((w) => IFS_ASSIGNMENT.exec(w.text)?.[1])
          .filter((v) => v !== undefined)
          .at(-1)
      : undefined;
    if (value === undefined) return;
    if (this.conditions.has(index)) this.ifs = { unknown: `IFS may be set at line ${line()}` };
    else if (/[$`]/.test(value))
      this.ifs = { unknown: `IFS is set at line ${line()} to \`${value}\`, a value only run time knows` };
    else this.ifs = { value };
  }

  /** Bash's field splitting on the IFS the script set: its blanks run together, each other separator splits. */
  override splitFields(text: string): string[] | undefined {
    if (!this.ifs) return super.splitFields(text);
    if ('unknown' in this.ifs) return undefined;
    const separators = this.ifs.value;
    if (separators === '') return [text];
    const blanks = [...separators].filter((c) => c === ' ' || c === '\t' || c === '\n').join('');
    const others = [...separators].filter((c) => !blanks.includes(c)).join('');
    const blank = blanks ? `[${escapeClass(blanks)}]` : undefined;
    const other = others ? `[${escapeClass(others)}]` : undefined;
    const trim = blank ? text.replace(new RegExp(`^${blank}+|${blank}+$`, 'g'), '') : text;
    const split =
      blank && other
        ? new RegExp(`${blank}*${other}${blank}*|${blank}+`)
        : new RegExp(blank ? `${blank}+` : other!);
    const fields = trim === '' ? [] : trim.split(split);
    // A separator at the end ends the last field; it makes no empty one.
    if (other && fields.length > 0 && fields[fields.length - 1] === '' && trim !== '') fields.pop();
    return fields;
  }

  /**
   * An unquoted expansion as the program word once the script set IFS: when only run time knows how it
   * splits (or what it holds), what runs is run time's, and may be claude.
   */
  private noteSplitProgram(command: Command): void {
    if (!this.ifs) return;
    const word = command.words[programIndex(command.words)];
    if (!word || word.quoted || !/[$`]/.test(word.text)) return;
    const why =
      'unknown' in this.ifs
        ? this.ifs.unknown
        : this.programText(word) === undefined
          ? `IFS is set to \`${this.ifs.value}\`, and \`${word.text}\` holds what only run time knows`
          : undefined;
    if (!why) return;
    this.runTime.set(command, {
      label: word.text,
      why: `${why}, so the words \`${word.text}\` splits into, and the program it runs, are decided at run time, which may start Claude`,
      start: word.start,
      end: word.end,
    });
  }

  override runTimeCode(command: Command): RunTimeCode | undefined {
    return this.runTime.get(command);
  }

  /** The code `eval` runs that the reader could not read in place (see evalText). */
  override evalCode(command: Command): InlineCode | undefined {
    return this.evaluated.get(command);
  }

  /** Whether the command writes $GITHUB_ENV (or empties it), unless it only reads another's output. */
  private noteGithubEnvWrite(command: Command, index: number): void {
    // Strictly before: the command a `>(` word belongs to starts at or before it, and is not inside it.
    while (this.nextReader < this.readers.length && this.readers[this.nextReader]!.start < command.start) {
      meter.substitutionChecked();
      this.readerReach = Math.max(this.readerReach, this.readers[this.nextReader++]!.end);
    }
    meter.substitutionChecked();
    if (command.end <= this.readerReach) return;
    const next = this.commands[index + 1];
    const from = this.groups.get(index) ?? index;
    if (truncatesGithubEnv(command, next)) this.envWrites.length = 0;
    if (writesGithubEnv(command, next)) this.envWrites.push(...this.commands.slice(from, index + 1));
    // Most scripts never name $GITHUB_PATH: asking would read each `>(` of theirs twice more.
    if (this.namesPath && truncatesGithubEnv(command, next, GITHUB_PATH)) this.pathWrites.length = 0;
    if (this.namesPath && writesGithubEnv(command, next, GITHUB_PATH))
      this.pathWrites.push(...this.commands.slice(from, index + 1));
    if (this.namesOutput) this.noteOutputWrite(command, next, from, index);
    this.noteUnfollowedUse(command, index);
  }

  /** A write into $GITHUB_OUTPUT, and whether it may not run. */
  private noteOutputWrite(command: Command, next: Command | undefined, from: number, index: number): void {
    if (truncatesGithubEnv(command, next, GITHUB_OUTPUT)) this.outputWrites.length = 0;
    if (!writesGithubEnv(command, next, GITHUB_OUTPUT)) return;
    const commands = this.commands.slice(from, index + 1);
    const condition = [from, index].map((i) => this.conditions.get(i)).find((c) => c !== undefined);
    this.outputWrites.push(condition === undefined ? { commands } : { commands, condition });
  }

  /** A use of $GITHUB_ENV or $GITHUB_PATH not followed, here or in a repository script the command runs. */
  private noteUnfollowedUse(command: Command, index: number): void {
    if (this.job.unfollowed) return;
    const here = (why: string, at: { start: number; end: number }): void => {
      const span = this.run.spanAt(at.start, at.end);
      this.job.unfollowed = {
        why: `${why}, at line ${span.line} of ${this.site.file}`,
        file: this.site.file,
        span,
      };
    };
    const use = unfollowedUse(this.commands, index, this.run.text);
    if (use) return here(use, command);
    const script = scriptNamingChannel(command, this.site.repo, repositoryPath);
    if (script)
      here(
        `\`${script.text}\` names $GITHUB_ENV or $GITHUB_PATH, and what it writes there is not followed`,
        script,
      );
  }

  /** The env of one command: the script's, with its own `NAME=value` prefixes and `env -u` / `env -i`. */
  commandEnvironment(words: Word[]): Environment {
    return commandEnvironment(words, this.env, this.bind);
  }

  /** Set when bash runs a file of the step's choosing before the script: why its runs are undecided. */
  override startupFile(): string | undefined {
    const bashEnv = this.stepEnv.get('BASH_ENV');
    return bashEnv && bashEnv.value.presence !== 'empty'
      ? 'BASH_ENV names a file bash runs before the script, which may change its environment'
      : undefined;
  }

  /** What the script leaves the job's later steps: $GITHUB_ENV, and why they may not run. */
  override finish(): void {
    // $GITHUB_ENV is read between steps, so a `NAME<<EOF` block may span several writes of the step.
    const written = githubEnvWrites(this.envWrites, this.run, this.env, this.scope, this.site.file);
    if (this.stepCondition) writeMaybe(this.job, this.stepEnv, written.bindings, this.stepCondition);
    else for (const b of written.bindings) this.job.githubEnv.set(b.variable, b);
    if (written.unfollowed && !this.job.unfollowed) {
      const { text, span } = written.unfollowed;
      const line = text.includes('\0')
        ? 'lines only run time knows'
        : `\`${text}\`, a line whose name only run time knows`;
      this.job.unfollowed = {
        why: `the step writes ${line} to $GITHUB_ENV at line ${span.line} of ${this.site.file}`,
        file: this.site.file,
        span,
      };
    }
    const outputs =
      this.outputWrites.length > 0
        ? stepOutputWrites(this.outputWrites, this.run, this.env, this.scope, this.site.file)
        : new Map();
    if (outputs)
      this.job.outputsWritten = this.stepCondition ? maybeWritten(outputs, this.stepCondition) : outputs;
    // The runner puts each line first on PATH in turn: the last line written ends up first.
    const folders = pathWrites(this.pathWrites, this.run, this.site.file).reverse();
    if (folders.length > 0) this.job.pathFolders = [...folders, ...(this.job.pathFolders ?? [])];
    if (written.unclosed)
      this.job.failedBefore ??=
        `\`${written.unclosed.text}\` at line ${written.unclosed.span.line} of ${this.site.file} never closes in $GITHUB_ENV: ` +
        'the runner fails that step ("Matching delimiter not found") and sets nothing from that line on';
  }
}

function isTrap(command: Command): boolean {
  return command.words[programIndex(command.words)]?.text === 'trap';
}

/** The builtins that assign the names they are given. */
const DECLARES = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const IFS_ASSIGNMENT = /^IFS=(.*)$/s;

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}

/** Toolchains whose printed setup eval runs (`eval "$(conda shell.bash hook)"`): they set no Claude variable. */
const EVAL_SETUP =
  /^\$\((ssh-agent|conda|micromamba|mamba|pyenv|rbenv|nodenv|goenv|jenv|plenv|brew|opam|direnv|fnm|zoxide|luarocks|mise|rtx|rustup|dbus-launch|gpg-agent|keychain)\b[^)]*\)$/;

/** `${NAME:-default}` and `${NAME-default}`: the default stands when the script does not set NAME. */
const DEFAULTED = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?)-([^}]*)\}$/;

/**
 * The program a `$CL` or `${CL:-claude}` word names, when the script says: `CL=claude` earlier, or the
 * default of a variable neither the script nor the step's env gives a value.
 */
function programValue(
  text: string,
  shellVars: Map<string, string>,
  env: ReadonlyMap<string, Binding>,
): string | undefined {
  const plain = SHELL_REF.exec(text);
  if (plain) return shellVars.get(plain[1]!);
  const defaulted = DEFAULTED.exec(text);
  if (!defaulted) return undefined;
  const name = defaulted[1]!;
  const known = shellVars.get(name) ?? env.get(name)?.value.literal;
  // A variable the step's env sets to a secret or an expression: its value is not known here.
  if (known === undefined && env.has(name)) return undefined;
  const useDefault = known === undefined || (known === '' && defaulted[2] === ':');
  return useDefault ? defaulted[3]!.replace(/['"\\]/g, '') : known;
}

/**
 * The top-level commands of a sourced file, read once per file however often scripts source it: the
 * repository hands out one object per path, so the commands are kept beside it.
 */
const SOURCED = new WeakMap<object, Command[]>();
function sourcedCommands(file: { text: string }): Command[] {
  let commands = SOURCED.get(file);
  if (!commands) SOURCED.set(file, (commands = parseShell(file.text).filter((c) => !c.nested)));
  return commands;
}

/** `source path` / `. path` where the path is a file of the repository, read with the repository's limits. */
function sourcedRepositoryFile(command: Command, repo: RepositoryFiles): { text: string } | undefined {
  const words = command.words;
  const at = programIndex(words);
  if (words[at]?.text !== 'source' && words[at]?.text !== '.') return undefined;
  const path = words[at + 1] && repositoryPath(words[at + 1]!.text);
  if (!path || path.includes('$')) return undefined;
  return repo.read(path);
}
