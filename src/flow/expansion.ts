import { programIndex } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';
import type { Binding } from '../workflow/values.js';

/**
 * The expansions bash does before it looks a program up, as far as the script decides them: variables the
 * script or the step's env give a literal value (`$CL`, `cl${EMPTY}aude`), and aliases the script defines
 * once `shopt -s expand_aliases` is on (a non-interactive bash, as every `run:` step is, expands none before).
 */

/** Names the runner or the system sets in every job: not empty just because no file of the job sets them. */
const RUNNER_SET =
  /^(GITHUB_|RUNNER_|ACTIONS_|INPUT_|STATE_|JAVA_HOME|ANDROID_)|^(HOME|PATH|USER|SHELL|PWD|OLDPWD|CI|TMPDIR|LANG|HOSTNAME|ImageOS|ImageVersion|pythonLocation)$/;

const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * A word with each `$NAME` / `${NAME}` replaced by its value: the script's literal, the env's literal, or,
 * with `unsetIsEmpty`, nothing for a name neither sets (nor the runner). Undefined when any value is
 * only known at run time, or when another expansion is left.
 */
export function expandVariables(
  text: string,
  shellVars: ReadonlyMap<string, string>,
  env: ReadonlyMap<string, Binding>,
  unsetIsEmpty: boolean,
): string | undefined {
  if (!text.includes('$')) return undefined;
  let unknown = false;
  const out = text.replace(REFERENCE, (_all, braced?: string, plain?: string) => {
    const name = (braced ?? plain)!;
    const value =
      shellVars.get(name) ??
      (env.has(name)
        ? env.get(name)!.value.literal
        : RUNNER_SET.test(name) || !unsetIsEmpty
          ? undefined
          : '');
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown || out.includes('$') || out.includes('`') ? undefined : out;
}

/** The aliases a script defines, and whether bash expands them yet. */
export class Aliases {
  private expanding = false;
  private readonly table = new Map<string, string>();

  /** `shopt -s expand_aliases`, `shopt -u expand_aliases`, `alias NAME=VALUE`, `unalias NAME`. */
  note(command: Command): void {
    const words = command.words.slice(programIndex(command.words)).map((w) => w.text);
    const [program, ...args] = words;
    if (program === 'shopt' && args.includes('expand_aliases')) this.expanding = args.includes('-s');
    else if (program === 'alias')
      for (const arg of args) {
        const m = /^([^=\s/$`]+)=(.*)$/s.exec(arg);
        if (m) this.table.set(m[1]!, m[2]!);
      }
    else if (program === 'unalias') for (const name of args) this.table.delete(name);
  }

  /** The text an unquoted program word stands for, when it is an alias bash expands. */
  expand(word: Word): string | undefined {
    return this.expanding && !word.quoted ? this.table.get(word.text) : undefined;
  }
}
