import { meter } from '../meter.js';
import { compoundStarts, programIndex } from '../shell/commands.js';
import { parseShell, trapCode, type Command, type InlineCode, type Word } from '../shell/reader.js';
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
import { compoundsOf, TRAP_CONDITION, type FunctionBody } from '../shell/conditions.js';
import { bashVariables, resolveNames, variableEffects, type Binder } from './bash-variables.js';
import { maySetCredentials, mergeMaybe, writeMaybe } from './maybe.js';
import { applyRunSettings, applyStoredLogin, type RunSettings } from './settings.js';

import { pathWrites, scriptNamingChannel, unfollowedUse } from './channels.js';
import {
  commandFolder,
  FolderTrack,
  movedTo,
  OUTSIDE,
  repositoryPath,
  ROOT_FOLDER,
  type StartFolder,
} from './start-folder.js';
import type { ContainerInput, FoundFile } from './container-inputs.js';
import { maybeWritten, stepOutputWrites, type OutputWrite } from './step-outputs.js';
import {
  commandEnvironment,
  ENV_SETUP_FILES,
  environmentEffects,
  GITHUB_OUTPUT,
  GITHUB_PATH,
  githubEnvWrites,
  SHELL_REF,
  shellValue,
  truncatesGithubEnv,
  writesGithubEnv,
} from './shell-effects.js';
import { credentialsFileTarget, managedSettingsWrite, userSettingsWrite } from './claude-files.js';

/** An argument that is one variable's value: bash splits it into words unless it is quoted (an array's `[@]` even then). */
const SPLIT_EXPANSION = /^\$(?:\{([A-Za-z_]\w*)(\[[@*]\])?\}|([A-Za-z_]\w*))$/;

/** What a command that starts a run says about it: its words (`env -C DIR` moves where it starts), `--settings`, `--restricted`. */
export interface StartedRun {
  words?: Word[];
  /** Claude Code's own arguments: an expansion among them may hold `--settings`. */
  args?: Word[];
  settings?: Word;
  restricted?: boolean;
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

  /** The words an unquoted expansion's value splits into; undefined when only run time knows how it splits. */
  splitFields(text: string): string[] | undefined {
    return parseShell(text)[0]?.words.map((w) => w.text) ?? [];
  }

  /** What the command at `index` does to the script's environment and the job's files. */
  abstract apply(command: Command, index: number): void;

  /** The env of one command: the script's, with what the command itself sets or removes for its own run. */
  abstract commandEnvironment(words: Word[]): Environment;

  /**
   * A container receives only what the command hands it (`docker run -e`, a compose file's `environment:`):
   * the step's variable of that name, or the value given, keyed where it is named.
   */
  containerEnvironment(inputs: ContainerInput[]): Environment {
    const env = Environment.empty();
    for (const d of inputs) {
      const file = d.at?.file ?? this.site.file;
      const keySpan = d.at?.span ?? this.run.spanAt(d.word.start, d.word.end);
      if (d.value !== undefined) {
        const value = d.at ? shellValue(d.value, this.env, this.scope, file, keySpan) : undefined;
        env.set(
          d.name,
          value
            ? { variable: d.name, level: 'step', file, keySpan, value }
            : this.bind(d.name, d.value, d.word),
        );
        continue;
      }
      const b = this.env.get(d.name);
      if (b) env.set(d.name, { ...b, level: 'step', file, keySpan });
    }
    return env;
  }

  /** A file of the repository a command names, from the folder the script is in (or from the root). */
  readonly readFile = (path: string, fromRoot = false): FoundFile | undefined => {
    const folders = movedTo(fromRoot ? ROOT_FOLDER : this.folder, path).folders;
    for (const folder of folders) {
      if (folder === OUTSIDE) continue;
      const found = this.site.repo.read(folder);
      if (found) return { path: folder, ...found };
    }
    return undefined;
  };

  /**
   * The environment of a Claude run a command starts, from its command environment: then the repository's
   * settings, `--settings`, a stored login; undecided when the script made it so (each step is a new shell,
   * so what an earlier step sourced is gone).
   */
  runEnvironment(commandEnv: Environment, run: StartedRun = {}): ProcessEnvironment {
    const env = processEnvironment(commandEnv);
    const start = run.words ? commandFolder(run.words, this.folder) : this.folder;
    const expanded = run.args && this.expandedSettings(run.args);
    if (expanded && 'undecided' in expanded) env.undecided ??= expanded.undecided;
    const written = run.settings && { word: run.settings, holder: this.run, scope: this.scope };
    // Of two `--settings`, Claude Code takes the last.
    const flag =
      expanded && 'word' in expanded && (!run.settings || run.settings.start < expanded.at)
        ? expanded
        : written;
    applyRunSettings(env, this.site, {
      job: this.job,
      start,
      restricted: run.restricted,
      ...(flag && { flag }),
    });
    applyStoredLogin(env, this.job, this.site, start);
    if (this.undecided) env.undecided = this.undecided;
    return env;
  }

  /**
   * `--settings` inside an unquoted expansion among a run's arguments (`claude -p $ARGS`, `"${ARGS[@]}"`):
   * bash splits the value into words, so one may be `--settings` and the next its file or JSON. A value the
   * files fix is read, placed at the value (or the word, for a script's own variable); one only run time
   * knows may hold them. `"$@"` is the script's own arguments, which its caller gives.
   */
  private expandedSettings(
    args: Word[],
  ): (NonNullable<RunSettings['flag']> & { at: number }) | { undecided: string } | undefined {
    let found: (NonNullable<RunSettings['flag']> & { at: number }) | undefined;
    for (const w of args) {
      const m = SPLIT_EXPANSION.exec(w.text);
      if (!m || (w.quoted && !m[2])) continue;
      // An array the script builds from words it writes holds `--settings` only if the script writes it.
      if (m[2] && this.buildsArray(m[1]!) && !this.run.text.includes('--settings')) continue;
      const value = m[2] ? undefined : this.programText(w);
      if (value === undefined)
        return {
          undecided: `its arguments come from \`${w.text}\`, which only run time fills and which may hold --settings with a settings file or JSON that sets the route`,
        };
      const words = value.split(/[ \t\n]+/).filter((t) => t !== '');
      const k = words.findIndex((t) => t === '--settings' || t.startsWith('--settings='));
      const text = words[k] === '--settings' ? words[k + 1] : words[k]?.slice('--settings='.length);
      if (text === undefined) continue;
      const bound = this.env.get((m[1] ?? m[3])!);
      const place = bound?.value.literal === value ? bound.value.span : this.run.spanAt(w.start, w.end);
      const holder: Value = { text, span: place, scalar: true, spanAt: () => place };
      found = {
        word: { text, start: 0, end: text.length, quoted: false },
        holder,
        scope: this.scope,
        at: w.start,
      };
    }
    return found;
  }

  /** Whether the script assigns the array `name` itself (`NAME=(...)`, `NAME+=(...)`). */
  private buildsArray(name: string): boolean {
    return new RegExp(`(^|[\\s;&|(])${name}\\+?=\\(`).test(this.run.text);
  }

  /**
   * The settings a program the script starts reads, when it is Claude: the repository's, and the user
   * settings the job wrote, which a container (its own home) does not see.
   */
  programSettings(env: ProcessEnvironment, inContainer: boolean): void {
    applyRunSettings(env, this.site, { ...(!inContainer && { job: this.job }), start: this.folder });
  }

  /** Set when the shell runs a file of the step's choosing before the script: why its runs are undecided. */
  startupFile(): string | undefined {
    return undefined;
  }

  /** What the script leaves the job's later steps. */
  finish(): void {}

  /** The code an `eval` command ran that the reader could not read in place, once `apply` has read it. */
  evalCode?(command: Command): InlineCode | undefined;

  /** Code a command runs in the script's shell that only run time knows (see RunTimeCode), once applied. */
  runTimeCode?(command: Command): RunTimeCode | undefined;
}

/**
 * Code a command runs that only run time knows (`eval "$(printf ...)"`, `source "$F"`, `source <(curl
 * ...)`): it may start Claude itself, so it is a run whose route run time decides, at the words that hold it.
 */
export interface RunTimeCode {
  /** How a person names it: `eval "$(...)"`. */
  label: string;
  why: string;
  start: number;
  end: number;
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

/** A script for a shell other than bash: its runs get the step's env, and what the script changes is not modelled. */
export function otherShellEnvironment(
  stepEnv: Environment,
  shell: string,
  site: Site,
  folder: StartFolder,
): ProcessEnvironment {
  const env = processEnvironment(stepEnv.fork());
  applyRunSettings(env, site, { start: folder });
  env.undecided = `the step runs under \`${shell}\`, whose changes to the environment are not modelled`;
  return env;
}
