import { parseShell, type Command, type InlineCode, type Word } from '../shell/reader.js';
import type { Value } from '../workflow/model.js';
import type { Binding, Scope } from '../workflow/values.js';
import { Environment, processEnvironment, type ProcessEnvironment, type Site } from './environment.js';
import type { JobFlow } from './levels.js';
import { applyRunSettings, applyStoredLogin, type RunSettings } from './settings.js';
import { commandFolder, movedTo, OUTSIDE, ROOT_FOLDER, type StartFolder } from './start-folder.js';
import type { ContainerInput, FoundFile } from './container-inputs.js';
import { shellValue } from './shell-effects.js';

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
