import type { Level, Span } from '../types.js';
import { doubted, emptyValue, type Binding, type Resolved } from '../workflow/values.js';
import { Environment } from './environment.js';
import type { JobFlow } from './levels.js';

/**
 * What a script may do, as opposed to what it surely does: a change under a condition (`&&`, `if`, a loop,
 * a function body) or one the engine cannot name (a computed variable name) leaves each variable it
 * touches "maybe", never a confident "set" or "gone", so the route it selects is decided at run time.
 */

/** A binding the script may have removed or emptied: it may still be there, or not. */
export function mayBeRemoved(binding: Binding, why: string): Binding {
  const value = doubted(binding.value, why);
  if (ASSUMED.has(binding.value)) ASSUMED.add(value);
  return { ...binding, value };
}

/**
 * Apply, as "maybe", what a command under a condition did to a scratch copy of the script's environment:
 * a variable it removed or emptied may still hold its value, one it set may still hold the old value or
 * none. A value set on both paths stays set (the new binding, which names where it was set).
 */
export function mergeMaybe(env: Environment, changed: Environment, why: string): void {
  for (const [name, before] of env) {
    const after = changed.get(name);
    if (after === before) continue;
    if (!after || after.value.presence !== 'set' || before.value.presence !== 'set')
      env.set(name, mayBeRemoved(after && after.value.presence !== 'empty' ? after : before, why));
    else env.set(name, after);
  }
  for (const [name, after] of changed) {
    if (env.has(name) || after.value.presence === 'empty') continue;
    env.set(name, mayBeRemoved(after, why));
  }
}

/**
 * The subscription token a script may set from anything in reach (a script run in the step's own process,
 * a variable whose name is computed): unless the environment names one already, a "maybe" token at the
 * place that may set it, so the subscription is among the run's outcomes and the row is a warning.
 */
export const SUBSCRIPTION_TOKEN = 'CLAUDE_CODE_OAUTH_TOKEN';

export function maySetCredentials(
  env: Environment,
  why: string,
  file: string,
  span: Span,
  level: Extract<Level, 'script' | 'github-env'> = 'script',
): void {
  const present = env.get(SUBSCRIPTION_TOKEN);
  if (present && present.value.presence !== 'empty') return;
  const value: Resolved = { ...emptyValue(file, span), presence: 'maybe', form: 'expression', why };
  ASSUMED.add(value);
  env.set(SUBSCRIPTION_TOKEN, { variable: SUBSCRIPTION_TOKEN, level, file, keySpan: span, value });
}

/**
 * The values maySetCredentials assumes: a route may end on them, but no program is handed them on
 * purpose, so they make no consumer of the programs of the step (`Out-File` after `irm ... | iex`).
 */
const ASSUMED = new WeakSet<Resolved>();

export function isAssumed(value: Resolved): boolean {
  return ASSUMED.has(value);
}

/**
 * What a step that may be skipped (its `if:`) writes to $GITHUB_ENV: each later step has the value before
 * it (what earlier steps wrote, or the job's own) or the written one, so a write is "maybe" unless both set.
 */
export function writeMaybe(job: JobFlow, stepEnv: Environment, written: Binding[], condition: string): void {
  const before = Environment.empty();
  for (const b of written) {
    // The step's own `env:` does not reach later steps; what the job or an earlier step set does.
    const earlier = job.githubEnv.get(b.variable) ?? stepEnv.get(b.variable);
    if (earlier && earlier.level !== 'step' && earlier.level !== 'script') before.set(b.variable, earlier);
  }
  const after = before.fork();
  for (const b of written) after.set(b.variable, b);
  mergeMaybe(before, after, `may be written to $GITHUB_ENV by a step that runs only if \`${condition}\``);
  for (const [name, b] of before) job.githubEnv.set(name, b);
}

/**
 * Whether a position lies in a conditional range (a `{ }` block, what follows `&&`, an `if` of cmd), and why, for
 * positions asked in order: one sweep over the ranges, which nest, with a stack of those open.
 */
export class Conditions {
  private next = 0;
  private readonly open: { to: number; why: string }[] = [];
  private last = -1;

  constructor(private readonly ranges: readonly { from: number; to: number; why: string }[]) {}

  at(position: number): string | undefined {
    if (position < this.last) {
      this.next = 0;
      this.open.length = 0;
    }
    this.last = position;
    while (this.next < this.ranges.length && this.ranges[this.next]!.from <= position)
      this.open.push(this.ranges[this.next++]!);
    while (this.open.length > 0 && this.open[this.open.length - 1]!.to <= position) this.open.pop();
    for (let k = this.open.length - 1; k >= 0; k--) if (this.open[k]!.to > position) return this.open[k]!.why;
    return undefined;
  }
}
