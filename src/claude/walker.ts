import { handedOnPurpose, isInertAction, CLAUDE_WORD } from '../flow/consumers.js';
import { Environment, type AnalysisProblem } from '../flow/environment.js';
import { declareInputs, scopeOf, type DeclaredInputs } from '../flow/boundaries.js';
import { actionChannelWrites, stepChannelUse } from '../flow/channels.js';
import { jobBaseEnvironment, jobValues, newJobFlow, stepEnvironment } from '../flow/levels.js';
import type { Repo } from '../sources/repo.js';
import type { ActionMetadata, Job, Step, Workflow } from '../workflow/model.js';
import { runnerOs } from '../workflow/runner.js';
import { claudeAction } from './actions.js';
import { actionInvocation, throughExecutable } from './action-run.js';
import { compositeAction, reusableWorkflow, type Caller, type Walker } from './callees.js';
import {
  mayWalkOn,
  newBudget,
  type Context,
  type Invocation,
  type JobState,
  type ScanBudget,
} from './invocations.js';
import { dockerAction, isDockerAction, opaqueAction, opaqueReusable, serviceContainers } from './opaque.js';
import { scriptRuns } from './script-runs.js';
import { conditionTruth, type Resolved } from '../workflow/values.js';
import { actionOutputs } from '../flow/step-outputs.js';
import { afterUnfollowed } from './unfollowed.js';

/**
 * The walk over one scanned file: its jobs, each job's steps in order, and every run they start, each
 * with the environment flow computes for it. Following a callee (reusable workflow, composite action)
 * walks the callee the same way: callees.ts receives this walk as a parameter.
 */
export function findInvocations(
  doc: Workflow | ActionMetadata,
  repo: Repo,
  problems: AnalysisProblem[] = [],
  scan?: ScanBudget,
): Invocation[] {
  if (doc.kind === 'workflow')
    return analyzeWorkflow(doc, repo, {}, 0, problems, { budget: newBudget(scan), chain: [] });
  const declaredInputs: DeclaredInputs = new Map();
  const ctx: Context = {
    repo,
    file: doc.file,
    jobId: '(composite)',
    jobSpan: doc.name?.span ?? doc.source.span(0, 0),
    baseEnv: Environment.empty(),
    declaredInputs,
    depth: 0,
    problems,
    budget: newBudget(scan),
    chain: [],
    stepOutputs: new Map(),
  };
  declareInputs(doc.inputs, ctx, declaredInputs);
  if (isDockerAction(doc)) return dockerAction(doc, ctx);
  return analyzeSteps(doc.steps, ctx);
}

type Trail = Pick<Context, 'budget' | 'chain'>;

function analyzeWorkflow(
  wf: Workflow,
  repo: Repo,
  caller: Caller,
  depth: number,
  problems: AnalysisProblem[],
  trail: Trail,
): Invocation[] {
  const out: Invocation[] = [];
  const declaredInputs: DeclaredInputs = new Map();
  /** The outputs of the jobs walked so far, for the jobs that need them. */
  const jobOutputs = new Map<string, Map<string, Resolved>>();
  for (const job of wf.jobs) {
    const ctx = jobContext(wf, job, repo, depth, problems, caller, declaredInputs, trail);
    const needed = job.needs.flatMap((id) => {
      const outputs = jobOutputs.get(id);
      return outputs ? [[id, outputs] as const] : [];
    });
    if (needed.length > 0) ctx.needsOutputs = new Map(needed);
    // A job whose `if:` the files make false never runs, as a step's does not.
    if (job.if && conditionTruth(job.if, scopeOf(ctx, ctx.baseEnv)) === 'never') {
      if (!caller.inputs && !caller.secrets) neverRun(wf).add(job.id);
      continue;
    }
    if (job.uses) {
      const inner = reusableWorkflow(job, job.uses, ctx, WALKER);
      out.push(...(inner ?? opaqueReusable(job, job.uses, ctx)));
      continue;
    }
    out.push(...serviceContainers(job, ctx), ...analyzeSteps(job.steps, ctx));
    if (job.outputs.length > 0) jobOutputs.set(job.id, actionOutputs(job.outputs, scopeOf(ctx, ctx.baseEnv)));
  }
  return out;
}

/** The jobs of a workflow read on its own that the files make never run: rules say nothing of them. */
const NEVER_RUN = new WeakMap<Workflow, Set<string>>();

function neverRun(wf: Workflow): Set<string> {
  let jobs = NEVER_RUN.get(wf);
  if (!jobs) NEVER_RUN.set(wf, (jobs = new Set()));
  return jobs;
}

/** Whether the walk of `wf` on its own found that job `id` never runs (its `if:` is false). */
export function jobNeverRuns(wf: Workflow, id: string): boolean {
  return NEVER_RUN.get(wf)?.has(id) === true;
}

/** A job's context: its scope for inputs and secrets, and the env its steps start with. */
function jobContext(
  wf: Workflow,
  job: Job,
  repo: Repo,
  depth: number,
  problems: AnalysisProblem[],
  caller: Caller,
  declaredInputs: DeclaredInputs,
  trail: Trail,
): Context {
  const values = jobValues(wf, job, caller, declaredInputs);
  const ctx: Context = {
    repo,
    file: wf.file,
    jobId: job.id,
    jobSpan: job.idSpan,
    workflow: wf,
    job,
    baseEnv: jobBaseEnvironment(wf, job, values),
    depth,
    problems,
    budget: trail.budget,
    chain: trail.chain,
    ...values,
    stepOutputs: new Map(),
  };
  if (caller.home) ctx.home = caller.home;
  // A Windows runner runs `run:` steps with pwsh unless a default says otherwise.
  const windows = job.runsOnLabels?.some((label) => /^windows\b/i.test(label.trim()));
  const shell = job.defaultShell?.text ?? wf.defaultShell?.text ?? (windows ? 'pwsh' : undefined);
  if (shell) ctx.shell = shell;
  return ctx;
}

/** The runs of a job's steps (or a composite action's, which share the caller's job: `shared`). */
function analyzeSteps(steps: Step[], ctx: Context, shared?: JobState): Invocation[] {
  const state: JobState = shared ?? { ...newJobFlow(), sdkSeen: false };
  const out: Invocation[] = [];
  // Steps that run a program while a credential is live only at job or workflow level: consumers only
  // when the job has no recognised run.
  const ambient: Invocation[] = [];
  for (const step of steps) {
    if (!mayWalkOn(ctx, step.span)) break;
    // A step whose `if:` the files make false never runs: no run, and nothing it would write.
    if (step.if && conditionTruth(step.if, scopeOf(ctx, ctx.baseEnv)) === 'never') continue;
    const failedBefore = state.failedBefore;
    const unfollowed = state.unfollowed;
    const before = out.length;
    const ambientBefore = ambient.length;
    const env = stepEnvironment(ctx.baseEnv, state, step, ctx, runnerOs(ctx.job));
    if (step.uses) stepUses(step, step.uses.text.trim(), env, ctx, state, { out, ambient });
    if (step.run) {
      const found = scriptRuns(step, step.run, env, ctx, state);
      out.push(...found.runs);
      if (found.ambient) ambient.push(found.ambient);
    }
    state.unfollowed ??= stepChannelUse(step, env.get('ACTIONS_ALLOW_UNSECURE_COMMANDS'), ctx.file);
    fileOutputs(step, ctx, state);
    if (CLAUDE_WORD.test(step.run?.text ?? '') || CLAUDE_WORD.test(step.uses?.text ?? ''))
      state.claudeSeen = true;
    // A callee's runs may be a remembered walk's (callee-memo.ts), shared with other calls: never mutated.
    if (failedBefore) for (const inv of out.slice(before)) inv.notes = [...inv.notes, failedBefore];
    if (unfollowed) {
      for (let i = before; i < out.length; i++) out[i] = afterUnfollowed(out[i]!, unfollowed);
      for (let i = ambientBefore; i < ambient.length; i++)
        ambient[i] = afterUnfollowed(ambient[i]!, unfollowed);
    }
  }
  // A Claude run through an unknown wrapper is inferred, but still a Claude run.
  const recognised = out.filter((inv) => inv.kind !== 'opaque' && (!inv.opaque || inv.kind === 'cli'));
  // A recognised run silences the programs the job's own credentials merely reach, never one a step hands
  // a credential on purpose: that one may bill someone else, and hides behind no other run.
  if (recognised.length > 0) {
    const kept = new Set(recognised);
    return out.filter((inv) => kept.has(inv) || handedOnPurpose(inv.bindings.values()));
  }
  if (shared) return out;
  return out.length > 0 ? out : ambient.slice(0, 1);
}

/** What the step wrote to $GITHUB_OUTPUT, as `steps.<id>.outputs` for the steps after it. */
function fileOutputs(step: Step, ctx: Context, state: JobState): void {
  const written = state.outputsWritten;
  delete state.outputsWritten;
  if (written && step.id) ctx.stepOutputs?.set(step.id.text.trim(), written);
}

/** A step's `uses:`: the official action, a callee to follow, or an action that may consume a credential. */
function stepUses(
  step: Step,
  uses: string,
  env: Environment,
  ctx: Context,
  state: JobState,
  found: { out: Invocation[]; ambient: Invocation[] },
): void {
  actionChannelWrites(uses, step.with, scopeOf(ctx, env), ctx.file, ctx.repo, state);
  const action = claudeAction(uses);
  const local = action ? undefined : compositeAction(step, step.uses!, env, ctx, state, WALKER);
  if (action)
    found.out.push(
      ...throughExecutable(actionInvocation(step, step.uses!, action, env, ctx, state), step, ctx, state),
    );
  else if (local) found.out.push(...local);
  else if (!isInertAction(uses)) {
    const consumer = opaqueAction(step, step.uses!, env, ctx);
    if (consumer?.explicit) found.out.push(consumer.inv);
    else if (consumer) found.ambient.push(consumer.inv);
  }
}

/** The walk as callee expansion receives it. */
const WALKER: Walker = { workflow: analyzeWorkflow, steps: analyzeSteps };
