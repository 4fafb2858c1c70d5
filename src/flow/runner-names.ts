import type { RunnerOs } from '../workflow/runner.js';
import type { Binding } from '../workflow/values.js';
import type { Environment } from './environment.js';
import { mergeMaybe } from './maybe.js';

/**
 * The runner keeps a job's environment in a dictionary whose keys compare without case on Windows and
 * with case elsewhere (its `VarUtil.EnvironmentVariableKeyComparer`). So on a Windows runner a step's
 * `anthropic_api_key: ''`, or `anthropic_api_key=` written to $GITHUB_ENV, replaces the value of the
 * ANTHROPIC_API_KEY an upper level set, under the name that was there first; on Linux and macOS they are
 * two variables. Where `runs-on` does not say which system runs the job, both readings stay possible.
 */
export function bindAsRunner(env: Environment, name: string, binding: Binding, os: RunnerOs): void {
  const lower = name.toLowerCase();
  const other =
    os === 'posix' ? undefined : [...env.keys()].find((k) => k !== name && k.toLowerCase() === lower);
  if (other === undefined) {
    env.set(name, binding);
    return;
  }
  const windows = env.fork();
  windows.set(other, { ...binding, variable: other });
  if (os === 'windows') {
    env.set(other, windows.get(other)!);
    return;
  }
  env.set(name, binding);
  mergeMaybe(
    env,
    windows,
    `may be replaced by \`${name}\` at line ${binding.keySpan.line}, the same variable on a Windows runner (runs-on does not say which system runs the job)`,
  );
}
