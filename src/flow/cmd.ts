import type { CmdItem, CmdScript, CmdSet } from '../shell/cmd.js';
import type { Command, Word } from '../shell/reader.js';
import type { Value } from '../workflow/model.js';
import { emptyValue, resolveText, type Resolved, type Scope } from '../workflow/values.js';
import { Environment, type Site } from './environment.js';
import type { JobFlow } from './levels.js';
import { Conditions, mergeMaybe } from './maybe.js';
import { CommandFlow } from './command-flow.js';

/**
 * What a cmd.exe script does to the environment, in the order it does it: `set NAME=value` sets, `set
 * NAME=` removes (cmd keeps no empty variables), `set /p` and `set /a` set what run time gives, and
 * `endlocal` puts back what `setlocal` saw. cmd runs only on Windows, whose names compare without case:
 * `set "anthropic_api_key="` removes ANTHROPIC_API_KEY. A change under `if`, in a `for` loop, after `&&`
 * or `||` or past a label may not happen, so it leaves the variable "maybe". `setx` writes the user's
 * registry, which neither this script nor the job's later steps read (the runner hands each step its own
 * environment), so it changes nothing here.
 */
export class CmdFlow extends CommandFlow {
  private readonly pending: CmdItem[];
  private next = 0;
  private readonly conditions: Conditions;
  /** What the environment was at each open `setlocal`. */
  private readonly saved: Environment[] = [];

  constructor(run: Value, script: CmdScript, stepEnv: Environment, scope: Scope, site: Site, job: JobFlow) {
    super(run, stepEnv, scope, site, job);
    this.pending = script.items.filter((item) => item.kind !== 'command');
    this.conditions = new Conditions(script.conditional);
  }

  /** A program word with `%NAME%` in it, when each variable is known (one not set is empty in a script). */
  programText(word: Word, unsetIsEmpty = false): string | undefined {
    this.applyUntil(word.start);
    if (!word.text.includes('%')) return undefined;
    let known = true;
    const text = word.text.replace(/%([^%\s:]+)%/g, (_m, name: string) => {
      const b = this.env.get(this.key(name));
      if (!b && unsetIsEmpty) return '';
      if (b?.value.form === 'literal' && b.value.literal !== undefined) return b.value.literal;
      known = false;
      return '';
    });
    return known && !text.includes('%') ? text.toLowerCase() : undefined;
  }

  apply(command: Command): void {
    this.applyUntil(command.start);
  }

  /** cmd has no `NAME=value` prefix: a command gets the script's environment. */
  commandEnvironment(): Environment {
    return this.env.fork();
  }

  override finish(): void {
    this.applyUntil(Infinity);
  }

  private applyUntil(position: number): void {
    while (this.next < this.pending.length && this.pending[this.next]!.start < position) {
      const item = this.pending[this.next++]!;
      if (item.kind === 'setlocal') this.saved.push(this.env.fork());
      else if (item.kind === 'endlocal') this.restore(item.start);
      else if (item.kind === 'set') this.set(item);
    }
  }

  /** `endlocal`: the variables as `setlocal` saw them (under a condition, each change so far "maybe"). */
  private restore(position: number): void {
    const saved = this.saved.pop();
    if (!saved) return;
    const condition = this.conditions.at(position);
    if (condition) {
      mergeMaybe(this.env, saved, `may be put back by \`endlocal\` (${condition})`);
      return;
    }
    this.env.clear();
    for (const [name, b] of saved) this.env.set(name, b);
  }

  private set(item: CmdSet): void {
    const key = this.key(item.name);
    const condition = this.conditions.at(item.start);
    const target = condition ? this.env.fork() : this.env;
    if (item.value?.text === '') target.delete(key);
    else {
      const span = this.run.spanAt(item.target.start, item.target.end);
      target.set(key, {
        variable: key,
        level: 'script',
        file: this.site.file,
        keySpan: span,
        value: this.assigned(item.value, span),
      });
    }
    if (condition) {
      const line = this.run.spanAt(item.start, item.start).line;
      mergeMaybe(this.env, target, `may be changed by line ${line} (${condition})`);
    }
  }

  /** What a `set` gives: a literal or `${{ }}` value, another variable's (`%OTHER%`), else run time's. */
  private assigned(word: Word | undefined, span: Resolved['span']): Resolved {
    const file = this.site.file;
    const other = word && /^%([^%\s:]+)%$/.exec(word.text);
    if (other)
      return this.env.get(this.key(other[1]!))?.value ?? { ...emptyValue(file, span), presence: 'empty' };
    if (word && !/[%!]/.test(word.text)) return resolveText(word.text, this.scope, file, span);
    const why = word ? 'is computed by the script at run time' : 'is read at run time (`set /p`, `set /a`)';
    return { ...emptyValue(file, span), presence: 'maybe', form: 'expression', why };
  }

  /** The name a variable has in this environment: the one of any case it already has, else upper case. */
  private key(name: string): string {
    if (this.env.has(name)) return name;
    const lower = name.toLowerCase();
    return [...this.env.keys()].find((k) => k.toLowerCase() === lower) ?? name.toUpperCase();
  }
}
