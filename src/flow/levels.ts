import type { Level } from '../types.js';
import type { Entry, Job, Step, Workflow } from '../workflow/model.js';
import { runnerOs, type RunnerOs } from '../workflow/runner.js';
import { resolveValue, type Binding, type Resolved } from '../workflow/values.js';
import {
  scopeOf,
  workflowValues,
  type CallerHands,
  type CallerValues,
  type DeclaredInputs,
} from './boundaries.js';
import type { PathFolder, UnfollowedWrite } from './channels.js';
import { Environment } from './environment.js';
import { bindAsRunner } from './runner-names.js';

/**
 * Levels: the env a job's steps start with (workflow, job, container), what earlier steps leave in
 * $GITHUB_ENV, and a step's own `env:`.
 */

/**
 * An `env:` block at one level: each entry binds its variable, read with what the levels above and the
 * entries before it bound (`${{ env.X }}` sees them), under the name the runner's system gives it.
 */
export function bindEntries(
  env: Environment,
  entries: Entry[],
  level: Level,
  at: CallerValues & { file: string },
  os: RunnerOs = 'posix',
): void {
  const scope = scopeOf(at, env);
  for (const entry of entries) {
    const value = resolveValue(entry.value, scope);
    const binding = { variable: entry.name, level, value, file: at.file, keySpan: entry.nameSpan };
    bindAsRunner(env, entry.name, binding, os);
  }
}

/** What earlier steps of a job leave for later ones. */
export interface JobFlow {
  /** What the job's steps wrote to $GITHUB_ENV so far: every later step starts with it. */
  githubEnv: Map<string, Binding>;
  /** A credentials file a step wrote under ~/.claude/: later runs may fall back to that login. */
  storedLogin?: Binding;
  /** A repository file copied to ~/.claude/settings.json; no path when its content is written at run time. */
  userSettings?: { path?: string };
  /** Managed settings earlier steps installed, in Claude Code's merge order: a repository file, or why only run time knows. */
  managedSettings?: ManagedWrite[];
  /** Why an earlier step fails after its script ends: later runs say so, as they run only if it is let fail. */
  failedBefore?: string;
  /** The first use of $GITHUB_ENV, $GITHUB_PATH, exportVariable or addPath not followed: later steps' env is run time's. */
  unfollowed?: UnfollowedWrite;
  /** Folders earlier steps put first on PATH, the first on PATH first. */
  pathFolders?: PathFolder[];
  /**
   * What the step being walked wrote to $GITHUB_OUTPUT, when the files decide it: the walk files it under
   * the step's id (`steps.<id>.outputs`) and clears it. Unset: nothing known.
   */
  outputsWritten?: Map<string, Resolved>;
}

export type ManagedWrite = { path: string } | { undecided: string };

export function newJobFlow(): JobFlow {
  return { githubEnv: new Map() };
}

/** The env a job's steps start with: workflow, job and container levels. */
export function jobBaseEnvironment(wf: Workflow, job: Job, values: CallerValues): Environment {
  const env = Environment.empty();
  const at = { ...values, file: wf.file };
  const os = runnerOs(job);
  bindEntries(env, wf.env, 'workflow', at, os);
  bindEntries(env, job.env, 'job', at, os);
  // A container is Linux: its own names keep their case.
  bindEntries(env, job.containerEnv, 'container', at);
  return env;
}

/** The env a job's steps start with, read without a caller: what a probe in that job sees. */
export function jobEnvironment(wf: Workflow, job: Job): ReadonlyMap<string, Binding> {
  return jobBaseEnvironment(wf, job, jobValues(wf, job, {}, new Map()));
}

/** What a job's `${{ }}` read: its workflow's inputs and secrets, and its own matrix. */
export function jobValues(
  wf: Workflow,
  job: Job,
  caller: CallerHands,
  declared: DeclaredInputs,
): CallerValues {
  const values = workflowValues(wf, caller, declared);
  if (job.matrixValues) values.matrix = job.matrixValues;
  return values;
}

/**
 * The env a step starts with: the job's, what earlier steps wrote to $GITHUB_ENV, then its own `env:`,
 * each under the name the runner's system (`os`) gives it.
 */
export function stepEnvironment(
  base: Environment,
  flow: JobFlow,
  step: Step,
  at: CallerValues & { file: string },
  os: RunnerOs,
): Environment {
  const env = base.fork();
  for (const [k, v] of flow.githubEnv) bindAsRunner(env, k, v, os);
  bindEntries(env, step.env, 'step', at, os);
  return env;
}
