import { basename } from '../shell/commands.js';
import type { PsComputedEnv, PsEnvAssignment, PsItem, PsScript } from '../shell/powershell.js';
import { programName, type PsStartedCommand } from '../shell/powershell-calls.js';
import {
  ALIAS_COMMANDS,
  aliasDefinition,
  nameFilter,
  stringValue,
  wildcard,
} from '../shell/powershell-values.js';
import type { Command, Word } from '../shell/reader.js';
import type { Value } from '../workflow/model.js';
import {
  doubted,
  emptyValue,
  resolveText,
  type Binding,
  type Resolved,
  type Scope,
} from '../workflow/values.js';
import type { RunnerOs } from '../workflow/runner.js';
import type { Environment, Site } from './environment.js';
import type { JobFlow } from './levels.js';
import { Conditions, mayBeRemoved, maySetCredentials, mergeMaybe } from './maybe.js';
import { CommandFlow } from './command-flow.js';

/**
 * What a PowerShell script does to the environment, in the order it does it: `$env:NAME = value` sets
 * (an empty string or `$null` removes, as PowerShell does), `Remove-Item Env:NAME` and its aliases remove
 * (with wildcards), `Set-Item Env:NAME value` sets. `$name = 'claude'` makes `& $name` that program.
 * A change inside a `{ }` block or after `&&`/`||` may not happen, so it leaves the variable "maybe". On a
 * Windows runner names compare without case (`$env:anthropic_api_key` is ANTHROPIC_API_KEY); elsewhere
 * they are case-sensitive; where `runs-on` does not say, a change under another case is a "maybe".
 */
export class PowerShellFlow extends CommandFlow {
  /** Variables with a literal value, by lower-case name (PowerShell's names ignore case). */
  private readonly variables = new Map<string, string>();
  /** The assignments and variables not applied yet, in the order the script has them. */
  private readonly pending: PsItem[];
  private next = 0;
  /** The `-Environment @{...}` a `Start-Process` gives the program it starts, by the program word's start. */
  private readonly started = new Map<number, Word>();
  private readonly conditions: Conditions;
  /** Aliases the script defined (`Set-Alias ai claude`), by lower-case name: the program each names. */
  private readonly aliases = new Map<string, string>();
  /** The elements of the pipeline being applied, the current command last. */
  private pipeline: Command[] = [];

  constructor(
    run: Value,
    script: PsScript,
    stepEnv: Environment,
    scope: Scope,
    site: Site,
    job: JobFlow,
    private readonly os: RunnerOs,
  ) {
    super(run, stepEnv, scope, site, job);
    this.pending = script.items.filter((item) => item.kind !== 'command');
    for (const item of script.items) {
      if (item.kind !== 'command') continue;
      const environment = (item.command as PsStartedCommand).environment;
      if (environment) this.started.set(item.command.words[0]!.start, environment);
    }
    this.conditions = new Conditions(script.conditional);
  }

  /**
   * The program a word names: an alias the script defined, or a name made of strings and variables the
   * script spells out (`& $cl`, `& ('cla' + 'ude')`, `& "$a$b"`); undefined when a part is run time's.
   */
  programText(word: Word): string | undefined {
    this.applyUntil(word.start);
    const alias = this.aliases.get(word.text.toLowerCase());
    if (alias !== undefined) return alias;
    if (!/^[$(]/.test(word.text)) return undefined;
    const raw = word.quoted ? this.run.text.slice(word.start, word.end) : word.text;
    const value = stringValue(raw, (name, env) => {
      if (!env) return this.variables.get(name.toLowerCase());
      const b = this.env.get(this.key(this.env, name) ?? name)?.value;
      return b?.form === 'literal' ? b.literal : undefined;
    });
    return value === undefined ? undefined : programName(value);
  }

  apply(command: Command): void {
    this.applyUntil(command.start);
    const words = command.words;
    const name = basename(words[0]?.text ?? '').toLowerCase();
    this.pipeline = command.pipedIn ? [...this.pipeline, command] : [command];
    if (REMOVES.has(name)) this.removeItems(command);
    else if (SETS.has(name)) this.setItem(words);
    else if (ALIAS_COMMANDS.has(name)) this.defineAlias(words);
    else {
      const shared = this.sharedScope(words);
      if (!shared) return;
      this.undecided ??= shared;
      const span = this.run.spanAt(words[0]!.start, words[words.length - 1]!.end);
      maySetCredentials(this.env, `may be set by line ${span.line}, where ${shared}`, this.site.file, span);
    }
  }

  /** `Set-Alias ai claude`: `ai` runs what the value names (a variable's value, a path's program). */
  private defineAlias(words: Word[]): void {
    const alias = aliasDefinition(words);
    if (!alias) return;
    const value = alias.value.text.startsWith('$') ? this.programText(alias.value) : alias.value.text;
    if (value !== undefined) this.aliases.set(alias.name.toLowerCase(), programName(value));
  }

  /**
   * `Remove-Item Env:NAME` (wildcards too), a path the script computes (`"Env:$name"`: any variable may
   * go), or items piped in from `Get-ChildItem env:PATTERN` / `Get-Item Env:NAME`, through a
   * `Where-Object` on the name when there is one (one not spelt out may let any of them through).
   */
  private removeItems(command: Command): void {
    const words = command.words;
    let named = false;
    for (const w of words.slice(1)) {
      const m = ENV_DRIVE.exec(w.text);
      if (m) {
        named = true;
        this.change(w.start, m[1]!, (env, key) => this.remove(env, key));
      } else if (/^\(?["']?env:/i.test(w.text) && /[$(]/.test(w.text.slice(4))) {
        named = true;
        this.mayRemoveAny(w, 'removes an environment variable whose name it computes at run time');
      }
    }
    if (!named && command.pipedIn) this.removePiped(command);
  }

  private removePiped(command: Command): void {
    const source = this.pipeline[0]!;
    const listed = ENV_LISTS.has(basename(source.words[0]?.text ?? '').toLowerCase())
      ? source.words.slice(1).map((w) => ENV_LISTED.exec(w.text))
      : [];
    const pattern = listed.find((m) => m)?.[1];
    if (pattern === undefined) return;
    const filters = this.pipeline.slice(1, -1);
    const tests = filters.map((f) =>
      WHERE.has(f.words[0]!.text.toLowerCase()) ? nameFilter(f.words) : undefined,
    );
    if (tests.some((t) => t === undefined)) {
      const why = `removes the environment variables a pipeline from \`${source.words[0]!.text}\` lets through`;
      this.mayRemoveAny(command.words[0]!, why, wildcard(pattern || '*'));
      return;
    }
    const passes = (name: string): boolean => wildcard(pattern || '*')(name) && tests.every((t) => t!(name));
    this.change(command.start, '', (env) => {
      for (const key of [...env.keys()]) if (passes(key)) env.delete(key);
    });
  }

  /** A removal the reader cannot name: each variable it may reach may be gone. */
  private mayRemoveAny(at: Word, why: string, reaches: (name: string) => boolean = () => true): void {
    const line = this.run.spanAt(at.start, at.end).line;
    for (const [name, b] of this.env)
      if (reaches(name)) this.env.set(name, mayBeRemoved(b, `may be removed by line ${line}, which ${why}`));
  }

  /**
   * A script file or text run in this process (`. ./x.ps1`, `& ./x.ps1`, `./x.ps1`, `iex`): `$env:` is
   * the process's own environment, so whatever it sets or removes reaches the runs after it.
   */
  private sharedScope(words: Word[]): string | undefined {
    const operator = words[0]?.text === '.' || words[0]?.text === '&';
    const program = (operator ? words[1] : words[0])?.text ?? '';
    const name = basename(program).toLowerCase();
    if (EVALUATES.has(name))
      return `the step runs text through \`${name}\`, which may change the environment of the runs after it`;
    if (/\.ps1$/i.test(program))
      return `the step runs the PowerShell script \`${program}\`, which shares its environment and may change it for the runs after it`;
    return undefined;
  }

  /**
   * PowerShell has no `NAME=value` prefix: a command gets the script's environment, and a program
   * `Start-Process -Environment @{...}` starts gets that table over it (`$null` removes a variable).
   */
  commandEnvironment(words: Word[]): Environment {
    const env = this.env.fork();
    const table = words[0] && this.started.get(words[0].start);
    if (!table) return env;
    const entries = tableEntries(table.text);
    const span = this.run.spanAt(table.start, table.end);
    if (!entries) {
      // A table made at run time may set or remove any variable.
      for (const [name, b] of env)
        env.set(name, {
          ...b,
          value: doubted(b.value, `may be changed by the \`-Environment\` table at line ${span.line}`),
        });
      maySetCredentials(
        env,
        `may be set by the \`-Environment\` table at line ${span.line}`,
        this.site.file,
        span,
      );
      return env;
    }
    for (const entry of entries) {
      const value: Word = { text: entry.value, start: table.start, end: table.end, quoted: entry.quoted };
      const item: PsEnvAssignment = {
        kind: 'env-assignment',
        name: entry.name,
        target: table,
        value,
        verbatim: entry.verbatim,
        start: table.start,
      };
      this.assignTo(env, this.key(env, entry.name) ?? entry.name, item);
    }
    return env;
  }

  override finish(): void {
    this.applyUntil(Infinity);
  }

  private applyUntil(position: number): void {
    while (this.next < this.pending.length && this.pending[this.next]!.start < position) {
      const item = this.pending[this.next++]!;
      if (item.kind === 'variable') this.variables.set(item.name.toLowerCase(), item.value);
      else if (item.kind === 'env-assignment')
        this.change(item.start, item.name, (env, key) => this.assignTo(env, key, item));
      else if (item.kind === 'env-computed') this.computed(item);
    }
  }

  /**
   * `[Environment]::SetEnvironmentVariable($name, ...)`: a name only run time knows may be any
   * credential's, so the route is undecided, and the subscription token may be set.
   */
  private computed(item: PsComputedEnv): void {
    const span = this.run.spanAt(item.call.start, item.call.end);
    const why = `the script sets an environment variable whose name it computes at run time (line ${span.line})`;
    this.undecided ??= why;
    if (!item.removes)
      maySetCredentials(this.env, `may be set by line ${span.line}, where ${why}`, this.site.file, span);
  }

  /**
   * A change to the variable `name` at `position`: to the variable under that name, as the runner's
   * system names it; under a condition, or where only a Windows runner would make it this variable, as
   * "maybe".
   */
  private change(position: number, name: string, apply: (env: Environment, key: string) => void): void {
    const condition = this.conditions.at(position);
    const key = this.key(this.env, name);
    const line = this.run.spanAt(position, position).line;
    const target = condition ? this.env.fork() : this.env;
    apply(target, key ?? name);
    if (condition) mergeMaybe(this.env, target, `may be changed by line ${line} (${condition})`);
    if (key !== undefined || this.os !== 'unknown') return;
    const other = [...this.env.keys()].find((k) => k !== name && k.toLowerCase() === name.toLowerCase());
    if (other === undefined) return;
    const windows = this.env.fork();
    apply(windows, other);
    mergeMaybe(
      this.env,
      windows,
      `may be changed by line ${line} as \`${name}\`, the same variable on a Windows runner (runs-on does not say which system runs the job)`,
    );
  }

  /** The variable `name` is on this runner: on Windows, the one of any case the env has, else upper case. */
  private key(env: Environment, name: string): string | undefined {
    if (this.os !== 'windows') return this.os === 'posix' ? name : env.has(name) ? name : undefined;
    if (env.has(name)) return name;
    return [...env.keys()].find((k) => k.toLowerCase() === name.toLowerCase()) ?? name.toUpperCase();
  }

  private assignTo(env: Environment, key: string, item: PsEnvAssignment): void {
    const value = item.value;
    if (value && (value.text === '$null' || (value.quoted && value.text === ''))) {
      env.delete(key);
      return;
    }
    const span = this.run.spanAt(item.target.start, item.target.end);
    env.set(key, {
      variable: key,
      level: 'script',
      file: this.site.file,
      keySpan: span,
      value: this.assignedValue(value, item.verbatim, span),
    });
  }

  /** `Set-Item Env:NAME value`, `Set-Item -Path Env:NAME -Value value`, `New-Item Env:NAME -Value value`. */
  private setItem(words: Word[]): void {
    let target: { name: string; word: Word } | undefined;
    let alias: string | undefined;
    let value: Word | undefined;
    for (let k = 1; k < words.length; k++) {
      const w = words[k]!;
      if (/^-value$/i.test(w.text)) value = words[++k];
      else if (/^-(path|literalpath|name)$/i.test(w.text)) continue;
      else if (/^-/.test(w.text) && !w.quoted) continue;
      else if (!target && ENV_DRIVE.test(w.text)) target = { name: ENV_DRIVE.exec(w.text)![1]!, word: w };
      else if (!target && !alias && ALIAS_DRIVE.test(w.text)) alias = ALIAS_DRIVE.exec(w.text)![1]!;
      else value ??= w;
    }
    // `Set-Item alias:ai claude`, `New-Item -Path Alias:ai -Value claude`: Set-Alias by another name.
    if (alias && value) this.defineAlias([words[0]!, { ...value, text: alias, quoted: true }, value]);
    if (!target || /[*?]/.test(target.name)) return;
    const name = target.name;
    const item: PsEnvAssignment = {
      kind: 'env-assignment',
      name: target.name,
      target: target.word,
      verbatim: value !== undefined && this.run.text[value.start] === "'",
      start: target.word.start,
    };
    if (value) item.value = value;
    this.change(target.word.start, name, (env, key) => this.assignTo(env, key, item));
  }

  /** `Remove-Item Env:ANTHROPIC_*`: every variable the pattern matches. */
  private remove(env: Environment, pattern: string): void {
    if (!/[*?[]/.test(pattern)) {
      env.delete(pattern);
      return;
    }
    const matches = wildcard(pattern);
    for (const name of [...env.keys()]) if (matches(name)) env.delete(name);
  }

  /** What an assigned value holds: `${{ }}` resolved, another `$env:` variable's binding, run time otherwise. */
  private assignedValue(word: Word | undefined, verbatim: boolean, span: Binding['keySpan']): Resolved {
    const file = this.site.file;
    const runTime = (why: string): Resolved => ({
      ...emptyValue(file, span),
      presence: 'maybe',
      form: 'expression',
      why,
    });
    if (!word) return runTime('is computed by the script at run time');
    const other = /^\$(?:env:|\{env:)([A-Za-z_][A-Za-z0-9_]*)\}?$/i.exec(word.text);
    if (other) {
      const key = this.key(this.env, other[1]!) ?? other[1]!;
      return this.env.get(key)?.value ?? { ...emptyValue(file, span), presence: 'empty' };
    }
    if (word.text.includes('${{') || verbatim || !word.text.includes('$'))
      return resolveText(word.text, this.scope, file, span);
    return runTime('is computed by the script at run time');
  }
}

const REMOVES = new Set(['remove-item', 'rm', 'ri', 'del', 'erase', 'rd', 'rmdir', 'clear-item', 'cli']);
/** Commands that run a string as PowerShell in the same process. */
const EVALUATES = new Set(['invoke-expression', 'iex']);
const SETS = new Set(['set-item', 'si', 'new-item', 'ni']);
/** Commands that list the items of a drive, and `Where-Object` under its aliases. */
const ENV_LISTS = new Set(['get-childitem', 'gci', 'ls', 'dir', 'get-item', 'gi']);
const ALIAS_DRIVE = /^alias:[\\/]?([A-Za-z_][\w-]*)$/i;
const WHERE = new Set(['where-object', 'where', '?']);
/** `env:`, `Env:\\`, `env:ANTHROPIC*`: the drive, or the items of it a pattern names. */
const ENV_LISTED = /^env:[\\/]?([A-Za-z0-9_*?]*)$/i;
/** `Env:NAME`, `env:\NAME`, `Env:/NAME`: a variable on PowerShell's environment drive. */
const ENV_DRIVE = /^env:[\\/]?([A-Za-z_*?[][A-Za-z0-9_*?[\]]*)$/i;

/** `@{ NAME = value; 'OTHER' = $null }` written out; undefined when the table is not one the script spells. */
function tableEntries(
  text: string,
): { name: string; value: string; quoted: boolean; verbatim: boolean }[] | undefined {
  const body = /^@\{([\s\S]*)\}$/.exec(text.trim());
  if (!body) return undefined;
  const out: { name: string; value: string; quoted: boolean; verbatim: boolean }[] = [];
  for (const part of body[1]!.split(/[;\n]/)) {
    if (!part.trim()) continue;
    const m = /^\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1\s*=\s*(.*?)\s*$/s.exec(part);
    if (!m) return undefined;
    const quoted = /^(['"])(.*)\1$/s.exec(m[3]!);
    out.push({
      name: m[2]!,
      value: quoted ? quoted[2]! : m[3]!,
      quoted: quoted !== null,
      verbatim: quoted?.[1] === "'",
    });
  }
  return out;
}
