import { CLAUDE_WORD } from '../flow/consumers.js';
import { Environment } from '../flow/environment.js';
import type { Repo } from '../sources/repo.js';
import type { Context, Invocation, JobState } from './invocations.js';

/**
 * Following a callee once per answer, not once per caller. Most callees (a setup action used by every
 * job, a build workflow every release calls) hold no Claude run: walking one again for the next caller
 * finds nothing again, as long as everything the walk reads is the same. So a walk that found nothing
 * (no run, no problem, no change to the job's state, the budget never exhausted) is remembered under a
 * key of everything it reads, and a later call with the same key spends the same budget without walking.
 *
 * What a walk reads, and so the key: the callee's file (its model is the repository's, made once); the
 * depth (a repository script past the depth limit is not followed); the remote home of `./` workflows;
 * every value the caller hands it (`with:` inputs, `secrets:`, for a composite action also the step's env,
 * the secrets in scope, the job's shell, whether the job or workflow is named for Claude, and the job's
 * state so far: what earlier steps wrote to $GITHUB_ENV, an SDK or a Claude seen, a step failed before).
 * A value counts by what it is (presence, form, the secrets, vars and inputs it names, its literal text),
 * not by where the caller wrote it: a walk that finds nothing reports no position. A walk that found
 * something is never reused: its rows carry the caller's positions.
 */

/** The budget a remembered walk spent, and every file it expanded into (a caller's chain may hold one). */
interface Remembered {
  expansions: number;
  expanded: readonly string[];
}

const walks = new WeakMap<Repo, Map<string, Remembered>>();

/** Where a value was written does not decide what a walk finds, so the key leaves positions out. */
const POSITION_KEYS = new Set(['file', 'span', 'keySpan', 'nameSpan']);

class NoKey extends Error {}

/**
 * A value as text, positions left out; undefined when it holds something text cannot stand for (a
 * function, a cycle): such a walk is not remembered, so a field added later can cost speed, never answers.
 */
function fingerprint(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (key, inner: unknown) => {
      if (POSITION_KEYS.has(key)) return undefined;
      if (inner instanceof Map || inner instanceof Set || inner instanceof Environment) return [...inner];
      if (typeof inner === 'function' || typeof inner === 'symbol' || typeof inner === 'bigint')
        throw new NoKey();
      return inner;
    });
  } catch {
    return undefined;
  }
}

/** The job's state a composite action's steps read and may change: all of it. */
function stateKey(state: JobState): string | undefined {
  return fingerprint(state);
}

/** The key of a reusable workflow's walk: its file, depth and home, and what the caller hands it. */
export function workflowWalkKey(
  file: string,
  depth: number,
  home: unknown,
  hands: unknown,
): string | undefined {
  return fingerprint(['workflow', file, depth, home, hands]);
}

/**
 * Fields of the caller's context a composite action's walk does not read as they are: what the walk
 * carries along (repository, problems, budget, chain), what it replaces (its file, env, inputs, and the
 * slots only a file read alone has), and the caller's job and workflow, of which only whether they are
 * named for Claude is read. Every other field is part of the key, so one added later cannot be missed.
 */
const NOT_READ_BY_ACTION = new Set<string>([
  'repo',
  'problems',
  'budget',
  'chain',
  'file',
  'baseEnv',
  'inputs',
  'declaredInputs',
  'callerSecrets',
  'workflow',
  'job',
  'jobId',
  'jobSpan',
]);

/** The key of a composite action's walk: its file, what the step hands it, the caller's scope and job state. */
export function actionWalkKey(
  file: string,
  ctx: Context,
  inputs: unknown,
  env: Environment,
  state: JobState,
): string | undefined {
  const namedForClaude = [ctx.jobId, ctx.job?.name?.text, ctx.workflow?.name?.text].some((t) =>
    CLAUDE_WORD.test(t ?? ''),
  );
  const read = Object.entries(ctx).filter(([name]) => !NOT_READ_BY_ACTION.has(name));
  const jobState = stateKey(state);
  return jobState === undefined
    ? undefined
    : fingerprint(['action', file, inputs, env, namedForClaude, read, jobState]);
}

/**
 * The runs of `walk` (which follows one callee, `mayExpand` included), or none without walking when a
 * walk under the same key found none, spent a budget this context still has, and expanded into no file on
 * this context's chain (that would be a self-call here).
 */
export function walkOnce(
  ctx: Context,
  key: string | undefined,
  walk: () => Invocation[],
  state?: JobState,
): Invocation[] {
  if (key === undefined) return walk();
  let remembered = walks.get(ctx.repo);
  if (!remembered) walks.set(ctx.repo, (remembered = new Map()));
  const known = remembered.get(key);
  const onChain = (file: string): boolean => file === ctx.file || ctx.chain.includes(file);
  if (
    known &&
    !ctx.budget.exhausted &&
    ctx.budget.expansionsLeft >= known.expansions &&
    !known.expanded.some(onChain)
  ) {
    ctx.budget.expansionsLeft -= known.expansions;
    ctx.budget.expanded?.push(...known.expanded);
    return [];
  }
  const outer = ctx.budget.expanded;
  const expanded: string[] = [];
  ctx.budget.expanded = expanded;
  const left = ctx.budget.expansionsLeft;
  const problems = ctx.problems.length;
  const stateBefore = state && stateKey(state);
  if (state && stateBefore === undefined) return walk();
  const exhaustedBefore = ctx.budget.exhausted;
  let runs: Invocation[];
  try {
    runs = walk();
  } finally {
    ctx.budget.expanded = outer;
    outer?.push(...expanded);
  }
  const foundNothing =
    runs.length === 0 &&
    ctx.problems.length === problems &&
    !exhaustedBefore &&
    !ctx.budget.exhausted &&
    (!state || stateKey(state) === stateBefore);
  if (foundNothing) remembered.set(key, { expansions: left - ctx.budget.expansionsLeft, expanded });
  return runs;
}
