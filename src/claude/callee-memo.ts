import { CLAUDE_WORD } from '../flow/consumers.js';
import { Environment, type AnalysisProblem } from '../flow/environment.js';
import type { Repo } from '../sources/repo.js';
import { callsItself, type Context, type Invocation, type JobState } from './invocations.js';

/**
 * Following a callee once per answer, not once per caller. Most callees (a setup action used by every
 * job, a build workflow every release calls) hold no Claude run: walking one again for the next caller
 * finds nothing again, as long as everything the walk reads is the same. And a callee called several
 * times with the same values (a composite action that calls another three times, each of those three
 * times...) finds the same runs every time: walking it again for each call multiplied the work by every
 * path through the calls, 3^10 walks for ten such levels. So a walk is remembered under a key of
 * everything it reads, and a later call with the same key takes its answer without walking, and without
 * spending the budget: the budget bounds the work done.
 *
 * What a walk reads, and so the key: the callee's file (its model is the repository's, made once); the
 * depth (a repository script past the depth limit is not followed); the remote home of `./` workflows;
 * every value the caller hands it (`with:` inputs, `secrets:`, for a composite action also the step's env,
 * the secrets in scope, the job's shell, whether the job or workflow is named for Claude, and the job's
 * state so far: what earlier steps wrote to $GITHUB_ENV, an SDK or a Claude seen, a step failed before).
 * For a walk that found nothing, a value counts by what it is (presence, form, the secrets, vars and
 * inputs it names, its literal text), not by where the caller wrote it: it reports no position. A walk
 * that found runs is reused only under the same key with every position kept and, for a composite action,
 * in the same job (its runs carry the job they run in): its runs carry those positions.
 */

/** Every file a remembered walk expanded into (a caller's chain may hold one), and the runs it found. */
interface Remembered {
  expanded: readonly string[];
  runs: Invocation[];
  /** What the walk could not follow, said again when a walk of another file takes the answer. */
  problems: readonly AnalysisProblem[];
  /** The list the walk said them in: a reuse in the same file's walk has them already. */
  saidIn: readonly AnalysisProblem[];
}

const walks = new WeakMap<Repo, Map<string, Remembered>>();

/** Where a value was written does not decide what a walk finds, so the key leaves positions out. */
const POSITION_KEYS = new Set(['file', 'span', 'keySpan', 'nameSpan']);

class NoKey extends Error {}

/**
 * A value as text, positions left out; undefined when it holds something text cannot stand for (a
 * function, a cycle): such a walk is not remembered, so a field added later can cost speed, never answers.
 */
function fingerprint(value: unknown, positions = false): string | undefined {
  try {
    return JSON.stringify(value, (key, inner: unknown) => {
      if (!positions && POSITION_KEYS.has(key)) return undefined;
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

/** A walk's keys: without positions, for a walk that finds nothing; with them, for one that finds runs. */
export interface WalkKeys {
  found: string | undefined;
  nothing: string | undefined;
}

const keys = (parts: unknown[], where: unknown[] = []): WalkKeys => ({
  nothing: fingerprint(parts),
  found: fingerprint([...parts, ...where], true),
});

/** The keys of a reusable workflow's walk: its file, depth and home, and what the caller hands it. */
export function workflowWalkKey(file: string, depth: number, home: unknown, hands: unknown): WalkKeys {
  return keys(['workflow', file, depth, home, hands]);
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
  'stepOutputs',
  'workflow',
  'job',
  'jobId',
  'jobSpan',
]);

/** The keys of a composite action's walk: its file, what the step hands it, the caller's scope and job state. */
export function actionWalkKey(
  file: string,
  ctx: Context,
  inputs: unknown,
  env: Environment,
  state: JobState,
): WalkKeys {
  const namedForClaude = [ctx.jobId, ctx.job?.name?.text, ctx.workflow?.name?.text].some((t) =>
    CLAUDE_WORD.test(t ?? ''),
  );
  const read = Object.entries(ctx).filter(([name]) => !NOT_READ_BY_ACTION.has(name));
  const jobState = stateKey(state);
  if (jobState === undefined) return { found: undefined, nothing: undefined };
  // Its runs run in the caller's job, in the caller's file: they name both.
  const job = [ctx.file, ctx.jobId, ctx.jobSpan, ctx.workflow?.file];
  return keys(['action', file, inputs, env, namedForClaude, read, jobState], [job, fingerprint(state, true)]);
}

/**
 * The runs of `walk` (which follows one callee, `mayExpand` included), or a remembered walk's without
 * walking: the same runs under the same key with positions, or none under the key without them when that
 * walk found none; never when the walk expanded into a file on this context's chain (that would be a
 * self-call here), nor once the budget is spent (a walk now would stop where it ran out).
 */
export function walkOnce(
  ctx: Context,
  keyed: WalkKeys,
  walk: () => Invocation[],
  state?: JobState,
): Invocation[] {
  let remembered = walks.get(ctx.repo);
  if (!remembered) walks.set(ctx.repo, (remembered = new Map()));
  for (const key of [keyed.found, keyed.nothing]) {
    const known = key === undefined ? undefined : remembered.get(key);
    if (!known || ctx.budget.exhausted || known.expanded.some((file) => callsItself(ctx, file))) continue;
    ctx.budget.expanded?.push(...known.expanded);
    if (known.saidIn !== ctx.problems) ctx.problems.push(...known.problems);
    return known.runs;
  }
  if (keyed.nothing === undefined || keyed.found === undefined) return walk();
  const outer = ctx.budget.expanded;
  const expanded: string[] = [];
  ctx.budget.expanded = expanded;
  const problems = ctx.problems.length;
  const stateBefore = state && stateKey(state);
  if (state && stateBefore === undefined) return walk();
  const exhaustedBefore = ctx.budget.exhausted;
  const cycles = ctx.budget.cycles;
  let runs: Invocation[];
  try {
    runs = walk();
  } finally {
    ctx.budget.expanded = outer;
    outer?.push(...expanded);
  }
  const said = ctx.problems.slice(problems);
  // A walk that changed the job's state, ran out of budget or met a call of a file on this chain
  // answered for this call only.
  if (
    exhaustedBefore ||
    ctx.budget.exhausted ||
    ctx.budget.cycles !== cycles ||
    (state && stateKey(state) !== stateBefore)
  )
    return runs;
  // Each file once: a walk that takes remembered answers hears their files again for every call.
  const answer: Remembered = { expanded: [...new Set(expanded)], runs, problems: said, saidIn: ctx.problems };
  if (runs.length > 0 || said.length > 0) remembered.set(keyed.found, answer);
  else remembered.set(keyed.nothing, answer);
  return runs;
}
