import { meter } from '../meter.js';
import { compoundStarts, programIndex } from '../shell/commands.js';
import { parseShell, type Command, type InlineCode, type Word } from '../shell/reader.js';
import type { Value } from '../workflow/model.js';
import { emptyValue, type Binding, type Scope } from '../workflow/values.js';
import {
  Environment,
  processEnvironment,
  type ProcessEnvironment,
  type RepositoryFiles,
  type Site,
} from './environment.js';
import { Aliases, expandVariables } from './expansion.js';
import type { JobFlow } from './levels.js';
import { conditionsOf } from '../shell/conditions.js';
import { bashVariables, resolveNames, variableEffects, type Binder } from './bash-variables.js';
import { maySetCredentials, mergeMaybe, writeMaybe } from './maybe.js';
import { applyRepositorySettings, applySettingsWord, applyStoredLogin, RESTRICTED_NOTE } from './settings.js';
import { pathWrites, scriptNamingChannel, unfollowedUse } from './channels.js';
import { FolderTrack, ROOT_FOLDER, type StartFolder } from './start-folder.js';
import {
  commandEnvironment,
  credentialsFileTarget,
  environmentEffects,
  GITHUB_PATH,
  githubEnvWrites,
  SHELL_REF,
  shellValue,
  truncatesGithubEnv,
  userSettingsWrite,
  writesGithubEnv,
} from './shell-effects.js';
import { WORKSPACE_PATH } from './workspace.js';

/** A path a script names, from the repository root: `./x`, `$GITHUB_WORKSPACE/x` and `${{ github.workspace }}/x` are `x`. */
export function repositoryPath(text: string): string {
  return text.replace(WORKSPACE_PATH, '').replace(/^\.\//, '');
}

/**
 * What one script does to the environment, command by command, in a single pass: the script's environment
 * before each command (`env`), a command's own (`commandEnvironment`), and the environment of the Claude
 * runs it starts. Call `apply` once per command, in order, then `finish`. Each shell's reading of its
 * commands is a subclass: bash (`ScriptFlow`) and PowerShell (`flow/powershell.ts`).
 */
export abstract class CommandFlow {
  /** The script's environment, as the commands applied so far left it. */
  readonly env: Environment;
  /** Why runs from here on are undecided (a sourced file): the first such thing the script does. */
  undecided: string | undefined;
  /** The folder the script is in now: a Claude started here reads this folder's project settings. */
  protected folder: StartFolder = ROOT_FOLDER;

  constructor(
    protected readonly run: Value,
    /** The step's environment. */
    protected readonly stepEnv: Environment,
    readonly scope: Scope,
    protected readonly site: Site,
    protected readonly job: JobFlow,
  ) {
    this.env = stepEnv.fork();
  }

  /** A variable a word of the script sets, read with the script's environment. */
  readonly bind = (name: string, raw: string, w: Word): Binding => ({
    variable: name,
    level: 'script',
    file: this.site.file,
    keySpan: this.run.spanAt(w.start, w.end),
    value: shellValue(raw, this.env, this.scope, this.site.file, this.run.spanAt(w.start, w.end)),
  });

  /** Where the script starts: the step's `working-directory:` or the job's default. */
  startIn(folder: StartFolder): void {
    this.folder = folder;
  }

  /** The program a variable word names, when the script says; `unsetIsEmpty`: a name nothing sets is empty. */
  abstract programText(word: Word, unsetIsEmpty?: boolean): string | undefined;

  /** What the command at `index` does to the script's environment and the job's files. */
  abstract apply(command: Command, index: number): void;

  /** The env of one command: the script's, with what the command itself sets or removes for its own run. */
  abstract commandEnvironment(words: Word[]): Environment;

  /** A container receives only what `docker run -e` names: from the script's env, or the value given. */
  containerEnvironment(names: { name: string; word: Word; value?: string }[]): Environment {
    const env = Environment.empty();
    for (const d of names) {
      const b = d.value === undefined ? this.env.get(d.name) : this.bind(d.name, d.value, d.word);
      if (b)
        env.set(
          d.name,
          d.value === undefined
            ? { ...b, level: 'step', keySpan: this.run.spanAt(d.word.start, d.word.end) }
            : b,
        );
    }
    return env;
  }

  /**
   * The environment of a Claude run a command starts, from its command environment: then the repository's
   * settings, `--settings`, a stored login; undecided when the script made it so (each step is a new shell,
   * so what an earlier step sourced is gone).
   */
  runEnvironment(commandEnv: Environment, settings?: Word, restricted = false): ProcessEnvironment {
    const env = processEnvironment(commandEnv);
    // `--restricted` reads no user, project or local settings file; `--settings` still applies.
    if (restricted) env.notes.push(RESTRICTED_NOTE);
    else applyRepositorySettings(env, this.site, this.job, this.folder);
    if (settings) applySettingsWord(env, settings, this.run, this.scope, this.site, this.folder);
    applyStoredLogin(env, this.job, this.site, this.folder);
    if (this.undecided) env.undecided = this.undecided;
    return env;
  }

  /**
   * The settings a program the script starts reads, when it is Claude: the repository's, and the user
   * settings the job wrote, which a container (its own home) does not see.
   */
  programSettings(env: ProcessEnvironment, inContainer: boolean): void {
    applyRepositorySettings(env, this.site, inContainer ? undefined : this.job, this.folder);
  }

  /** Set when the shell runs a file of the step's choosing before the script: why its runs are undecided. */
  startupFile(): string | undefined {
    return undefined;
  }

  /** What the script leaves the job's later steps. */
  finish(): void {}

  /** The code an `eval` command ran that the reader could not read in place, once `apply` has read it. */
  evalCode?(command: Command): InlineCode | undefined;
}

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
  /** The folder the script is in, command by command (`cd`, `pushd`, subshells). */
  private track: FolderTrack | undefined;
  /** The `>(` words, by start, and how far the sweep over them has come. */
  private readonly readers: Word[];
  private nextReader = 0;
  private readerReach = -1;
  /** The commands that may not run, or whose changes may not stay, by index: why (see conditionsOf). */
  private readonly conditions: Map<number, string>;
  private readonly variables = bashVariables();
  /** The step's own `if:`, when it may skip the step: what the step writes for later steps is "maybe". */
  stepCondition: string | undefined;
  /** The aliases the script defined so far. */
  private readonly aliases = new Aliases();
  /** What each `eval` ran, when the reader could not read it in place. */
  private readonly evaluated = new WeakMap<Command, InlineCode>();

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
    this.groups = compoundStarts(commands, run.text);
    this.conditions = conditionsOf(commands, run.text);
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
      const condition = this.conditions.get(index);
      // Under a condition, the changes go to a copy first, then count as "maybe".
      const target = condition ? this.env.fork() : this.env;
      for (const c of effects) {
        const changed = this.effects(c, target);
        if (changed) this.undecided ??= changed;
      }
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
    if (command.words[at]?.text !== 'eval') return undefined;
    const args = command.words.slice(at + 1);
    if (args.length === 0 || command.inline?.[0]?.exact) return undefined;
    const written = args.map((w) => w.text).join(' ');
    const unresolved = args.some((w) => /^(\$|`)/.test(w.text) && this.programText(w) === undefined);
    if (unresolved && !command.inline) {
      if (!EVAL_SETUP.test(written)) {
        const why = `the script evals \`${written}\`, text only run time knows, which may change its environment before Claude starts`;
        this.undecided ??= why;
        // What it evals may set any credential, the subscription token among them.
        const span = this.run.spanAt(args[0]!.start, args[args.length - 1]!.end);
        maySetCredentials(this.env, why, this.site.file, span);
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
    this.noteUnfollowedUse(command, index);
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
    // The runner puts each line first on PATH in turn: the last line written ends up first.
    const folders = pathWrites(this.pathWrites, this.run, this.site.file).reverse();
    if (folders.length > 0) this.job.pathFolders = [...folders, ...(this.job.pathFolders ?? [])];
    if (written.unclosed)
      this.job.failedBefore ??=
        `\`${written.unclosed.text}\` at line ${written.unclosed.span.line} of ${this.site.file} never closes in $GITHUB_ENV: ` +
        'the runner fails that step ("Matching delimiter not found") and sets nothing from that line on';
  }
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

/** A script for a shell other than bash: its runs get the step's env, and what the script changes is not modelled. */
export function otherShellEnvironment(
  stepEnv: Environment,
  shell: string,
  site: Site,
  folder: StartFolder,
): ProcessEnvironment {
  const env = processEnvironment(stepEnv.fork());
  applyRepositorySettings(env, site, undefined, folder);
  env.undecided = `the step runs under \`${shell}\`, whose changes to the environment are not modelled`;
  return env;
}
