import { basename } from '../shell/commands.js';
import type { PsEnvAssignment, PsItem } from '../shell/powershell.js';
import type { Command, Word } from '../shell/reader.js';
import type { Value } from '../workflow/model.js';
import { emptyValue, resolveText, type Binding, type Resolved, type Scope } from '../workflow/values.js';
import type { Environment, Site } from './environment.js';
import type { JobFlow } from './levels.js';
import { CommandFlow } from './script.js';

/**
 * What a PowerShell script does to the environment, in the order it does it: `$env:NAME = value` sets
 * (an empty string or `$null` removes, as PowerShell does), `Remove-Item Env:NAME` and its aliases remove
 * (with wildcards), `Set-Item Env:NAME value` sets. `$name = 'claude'` makes `& $name` that program.
 */
export class PowerShellFlow extends CommandFlow {
  /** Variables with a literal value, by lower-case name (PowerShell's names ignore case). */
  private readonly variables = new Map<string, string>();
  /** The assignments and variables not applied yet, in the order the script has them. */
  private readonly pending: PsItem[];
  private next = 0;

  constructor(run: Value, items: PsItem[], stepEnv: Environment, scope: Scope, site: Site, job: JobFlow) {
    super(run, stepEnv, scope, site, job);
    this.pending = items.filter((item) => item.kind !== 'command');
  }

  programText(word: Word): string | undefined {
    this.applyUntil(word.start);
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word.text);
    return m ? this.variables.get(m[1]!.toLowerCase()) : undefined;
  }

  apply(command: Command): void {
    this.applyUntil(command.start);
    const words = command.words;
    const name = basename(words[0]?.text ?? '').toLowerCase();
    if (REMOVES.has(name)) {
      for (const w of words.slice(1)) {
        const m = ENV_DRIVE.exec(w.text);
        if (m) this.remove(m[1]!);
      }
    } else if (SETS.has(name)) this.setItem(words);
    else this.undecided ??= this.sharedScope(words);
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

  /** PowerShell has no `NAME=value` prefix: a command gets the script's environment. */
  commandEnvironment(): Environment {
    return this.env.fork();
  }

  override finish(): void {
    this.applyUntil(Infinity);
  }

  private applyUntil(position: number): void {
    while (this.next < this.pending.length && this.pending[this.next]!.start < position) {
      const item = this.pending[this.next++]!;
      if (item.kind === 'variable') this.variables.set(item.name.toLowerCase(), item.value);
      else if (item.kind === 'env-assignment') this.assign(item);
    }
  }

  private assign(item: PsEnvAssignment): void {
    const value = item.value;
    if (value && (value.text === '$null' || (value.quoted && value.text === ''))) {
      this.env.delete(item.name);
      return;
    }
    const span = this.run.spanAt(item.target.start, item.target.end);
    this.env.set(item.name, {
      variable: item.name,
      level: 'script',
      file: this.site.file,
      keySpan: span,
      value: this.assignedValue(value, item.verbatim, span),
    });
  }

  /** `Set-Item Env:NAME value`, `Set-Item -Path Env:NAME -Value value`, `New-Item Env:NAME -Value value`. */
  private setItem(words: Word[]): void {
    let target: { name: string; word: Word } | undefined;
    let value: Word | undefined;
    for (let k = 1; k < words.length; k++) {
      const w = words[k]!;
      if (/^-value$/i.test(w.text)) value = words[++k];
      else if (/^-(path|literalpath|name)$/i.test(w.text)) continue;
      else if (/^-/.test(w.text) && !w.quoted) continue;
      else if (!target && ENV_DRIVE.test(w.text)) target = { name: ENV_DRIVE.exec(w.text)![1]!, word: w };
      else value ??= w;
    }
    if (!target || /[*?]/.test(target.name)) return;
    const item: PsEnvAssignment = {
      kind: 'env-assignment',
      name: target.name,
      target: target.word,
      verbatim: value !== undefined && this.run.text[value.start] === "'",
      start: target.word.start,
    };
    if (value) item.value = value;
    this.assign(item);
  }

  /** `Remove-Item Env:ANTHROPIC_*`: every variable the pattern matches. */
  private remove(pattern: string): void {
    if (!/[*?[]/.test(pattern)) {
      this.env.delete(pattern);
      return;
    }
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    );
    for (const name of [...this.env.keys()]) if (re.test(name)) this.env.delete(name);
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
    if (other) return this.env.get(other[1]!)?.value ?? { ...emptyValue(file, span), presence: 'empty' };
    if (word.text.includes('${{') || verbatim || !word.text.includes('$'))
      return resolveText(word.text, this.scope, file, span);
    return runTime('is computed by the script at run time');
  }
}

const REMOVES = new Set(['remove-item', 'rm', 'ri', 'del', 'erase', 'rd', 'rmdir', 'clear-item', 'cli']);
/** Commands that run a string as PowerShell in the same process. */
const EVALUATES = new Set(['invoke-expression', 'iex']);
const SETS = new Set(['set-item', 'si', 'new-item', 'ni']);
/** `Env:NAME`, `env:\NAME`, `Env:/NAME`: a variable on PowerShell's environment drive. */
const ENV_DRIVE = /^env:[\\/]?([A-Za-z_*?[][A-Za-z0-9_*?[\]]*)$/i;
