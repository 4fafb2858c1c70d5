import type { Command } from '../shell/reader.js';
import type { Value } from '../workflow/model.js';
import { resolveValue, type Binding, type Resolved, type Scope } from '../workflow/values.js';
import { githubEnvWrites } from './shell-effects.js';

/**
 * `$GITHUB_OUTPUT`: what a step writes there is `steps.<id>.outputs.<name>` for the later steps of its job
 * (or composite action), read with the same reader as `$GITHUB_ENV` (`name=value` lines, `name<<EOF`
 * blocks). A value is the files' only when they decide it: a write that may not run, or one of several
 * that run time chooses between, leaves each text it may hold; a name only run time knows, or lines a
 * program prints, leave every output of the step to run time (nothing is recorded for it).
 */

/** One group of commands whose output lands in $GITHUB_OUTPUT, and why it may not run (none: it runs). */
export interface OutputWrite {
  commands: Command[];
  condition?: string;
}

/** The outputs a bash step writes; undefined when run time decides any of them. */
export function stepOutputWrites(
  writes: OutputWrite[],
  run: Value,
  env: ReadonlyMap<string, Binding>,
  scope: Scope,
  file: string,
): Map<string, Resolved> | undefined {
  const candidates = new Map<string, { value: Resolved; sure: boolean; condition?: string }[]>();
  for (const write of writes) {
    const written = githubEnvWrites(write.commands, run, env, scope, file);
    if (written.unfollowed || written.unclosed) return undefined;
    for (const b of written.bindings) {
      const sure = write.condition === undefined;
      // A write that surely runs replaces what was written before it.
      const kept = sure ? [] : (candidates.get(b.variable) ?? []);
      candidates.set(b.variable, [...kept, { value: b.value, sure, condition: write.condition }]);
    }
  }
  const outputs = new Map<string, Resolved>();
  for (const [name, values] of candidates) {
    const sure = values[0]!.sure;
    outputs.set(
      name,
      values.length === 1 && sure
        ? values[0]!.value
        : eitherOf(
            values.map((v) => v.value),
            !sure,
            values.length > 1
              ? 'is one of the values the step writes to $GITHUB_OUTPUT, as run time decides'
              : `is written to $GITHUB_OUTPUT by a line that may not run (${values[0]!.condition})`,
          ),
    );
  }
  return outputs;
}

/**
 * One of several values (or none, `unset`): the first stands for the rest by form and place, every secret,
 * variable and input they name is named, and the texts are listed when the files fix each of them.
 */
export function eitherOf(values: Resolved[], unset: boolean, why: string): Resolved {
  const first = values[0]!;
  const texts = values.map((v) =>
    v.possible ? v.possible : v.form === 'literal' ? [v.literal!] : v.form === 'empty' ? [''] : undefined,
  );
  const either: Resolved = {
    ...first,
    presence: !unset && values.every((v) => v.presence === 'set') ? 'set' : 'maybe',
    secrets: [...new Set(values.flatMap((v) => v.secrets))],
    vars: [...new Set(values.flatMap((v) => v.vars))],
    inputs: [...new Set(values.flatMap((v) => v.inputs))],
    why,
  };
  delete either.literal;
  delete either.possible;
  if (texts.every((t) => t !== undefined))
    either.possible = [...new Set([...texts.flat(), ...(unset ? [''] : [])])];
  if (either.form === 'literal' || either.form === 'empty') either.form = 'expression';
  return either;
}

/** What a step that may be skipped (its `if:`) leaves as outputs: each value, or nothing. */
export function maybeWritten(outputs: Map<string, Resolved>, condition: string): Map<string, Resolved> {
  const why = `is written to $GITHUB_OUTPUT by a step that runs only if \`${condition}\``;
  return new Map([...outputs].map(([name, value]) => [name, eitherOf([value], true, why)]));
}

/** A composite action's `outputs:`: each `value:` read where its steps' outputs are in scope. */
export function actionOutputs(
  declared: { name: string; value: Value }[],
  scope: Scope,
): Map<string, Resolved> {
  return new Map(declared.map((o) => [o.name, resolveValue(o.value, scope)]));
}
