import type { IgnoredInput } from '../flow/action-environment.js';
import type { CallerValues } from '../flow/boundaries.js';
import type { AnalysisProblem, Environment, Hidden, ProcessEnvironment } from '../flow/environment.js';
import type { JobFlow } from '../flow/levels.js';
import type { RemoteAddress } from '../sources/address.js';
import type { Repo } from '../sources/repo.js';
import type { InvocationKind, Span } from '../types.js';
import type { Job, Step, Value, Workflow } from '../workflow/model.js';
import type { Binding } from '../workflow/values.js';
import type { ActionRef } from './actions.js';
import type { Release } from '../flow/action-versions.js';
import { meter } from '../meter.js';

/**
 * Detection's vocabulary: an Invocation (one run, where it is and the environment flow gave it), and the
 * context and work budget a walk over one scanned file carries. The walk itself is walker.ts.
 */

export interface Invocation {
  kind: InvocationKind;
  label: string;
  /** The file and position a person reads: for a wrapper, the caller's `uses:`. */
  file: string;
  span: Span;
  job: string;
  jobSpan: Span;
  step: string | null;
  /** The Claude run inside a local wrapper (reusable workflow or composite action). */
  inner?: { file: string; span: Span; label: string; kind: InvocationKind };
  /**
   * Every hop from the row's own position to the run, outermost first: the caller's `uses:`, each
   * wrapper's step, the run itself. Empty for a run written where the row is.
   */
  hops: Hop[];
  headless: boolean;
  /** Route variables that reach Claude, one per variable, narrowest level winning. */
  bindings: ReadonlyMap<string, Binding>;
  /** Set in the workflow but stopped before Claude (cancelled by the action, hidden by an unset input). */
  hidden: Hidden[];
  ignoredInputs: IgnoredInput[];
  maxTurns: boolean;
  bare: boolean;
  /** For a CLI run, the words that start Claude Code (`claude`, `npx @anthropic-ai/claude-code@latest`): advice repeats them. */
  command?: string;
  /** For a run in a reusable workflow: every secret that workflow (and what it calls) names. */
  calleeSecrets?: string[];
  /** Set for an opaque consumer: what the engine did not see into, said in a sentence. */
  opaque?: string;
  /** Something only run time decides (a shell that is not bash, a file written by the job): the route is unknown. */
  undecided?: string;
  /** The arguments come from a shell variable this reader cannot see into. */
  argsUnknown?: boolean;
  notes: string[];
  /** The objects the rules read for context. */
  workflow?: Workflow;
  jobNode?: Job;
  /** The job whose runner runs Claude when it is not `jobNode`: a reusable workflow's own, in its file. */
  runner?: { job: Job; file: string };
  stepNode?: Step;
  /** `uses: owner/repo@ref` for actions. */
  action?: ActionRef;
  /** The release of the official action the ref runs. */
  release?: Release;
}

export interface Hop {
  file: string;
  span: Span;
  label: string;
}

/** Calls one scanned file may follow in all (reusable workflows, local actions, scripts), however nested. */
export const MAX_EXPANSIONS = 200;

/**
 * How many levels of reusable workflows, composite actions and repository scripts below a scanned file
 * are followed. GitHub runs ten levels of workflows (the caller and nine reusable workflows below it) and
 * ten nested composite actions in a step, so every chain GitHub runs of one kind is followed whole; a
 * call past this is a notice and an `unknown` row (callees.ts), never dropped.
 */
export const MAX_DEPTH = 10;

/**
 * Runs one scanned file may find, its callees' included: thirty times the most any real workflow has,
 * and what keeps a file whose steps repeat through aliases from costing work per run without end.
 */
export const MAX_RUNS = 1000;

/**
 * What the whole scan may spend, shared by every file's walk: each file's own budget is a share of it, so
 * a repository of many small files that each reach a large fan-out costs no more than a bounded multiple of
 * its size. Each scanned file adds its share (SCAN_SHARE_PER_FILE) before its turn, on top of one file's
 * whole budget, so a scan as large as the biggest real repository never comes near it.
 */
export interface ScanBudget {
  expansionsLeft: number;
  runsLeft: number;
}

/** What each scanned file adds to the scan's budget: a tenth of what one file may spend alone. */
export const SCAN_SHARE_PER_FILE = { expansions: MAX_EXPANSIONS / 10, runs: MAX_RUNS / 10 };

export function newScanBudget(): ScanBudget {
  return { expansionsLeft: MAX_EXPANSIONS, runsLeft: MAX_RUNS };
}

/** A file's turn adds its share to the scan's budget. */
export function creditFile(scan: ScanBudget): void {
  scan.expansionsLeft += SCAN_SHARE_PER_FILE.expansions;
  scan.runsLeft += SCAN_SHARE_PER_FILE.runs;
}

/** Shared by every context one scanned file reaches, so fan-out cannot multiply the work. */
export interface WorkBudget {
  expansionsLeft: number;
  exhausted: boolean;
  runsLeft: number;
  /** The scan's, which every file's walk draws on as well. */
  scan: ScanBudget;
  /** Calls refused as calls of themselves: a walk that met one answers for its own chain only. */
  cycles: number;
  /** While a callee's walk is recorded (callee-memo.ts): every file followed, so a reuse can check its chain. */
  expanded?: string[];
}

/** A file's budget; without a scan's, the file is the whole scan. */
export function newBudget(scan: ScanBudget = newScanBudget()): WorkBudget {
  return { expansionsLeft: MAX_EXPANSIONS, exhausted: false, runsLeft: MAX_RUNS, scan, cycles: 0 };
}

/** Runs this file may still find: its own share, and the scan's. */
const runsLeft = (budget: WorkBudget): number => Math.min(budget.runsLeft, budget.scan.runsLeft);

/**
 * Whether the walk may go on to the step at `span`: not once the file has found MAX_RUNS runs. Says so
 * once, as a finding on the file, so a file cut short is never passed in silence.
 */
export function mayWalkOn(ctx: Context, span: Span): boolean {
  if (runsLeft(ctx.budget) > 0) return true;
  if (ctx.budget.runsLeft !== -1) {
    const mine = ctx.budget.runsLeft === 0;
    ctx.budget.runsLeft = -1;
    ctx.problems.push({
      file: ctx.file,
      span,
      overBudget: true,
      message: mine
        ? `This file reaches more than ${MAX_RUNS} runs, so the scan stopped here; steps further down are not checked`
        : `The scan has found as many runs as its files allow (${MAX_RUNS}, and ${SCAN_SHARE_PER_FILE.runs} more for each file), so it stopped here; steps further down are not checked`,
    });
  }
  return false;
}

/** Where a walk stands: the file and job, the values its `${{ }}` read, and what the walk has spent. */
export interface Context extends CallerValues {
  repo: Repo;
  file: string;
  jobId: string;
  jobSpan: Span;
  workflow?: Workflow;
  job?: Job;
  /** The env the job's steps start with. */
  baseEnv: Environment;
  depth: number;
  problems: AnalysisProblem[];
  /** `defaults.run.shell` in force for the job's `run:` steps. */
  shell?: string;
  /** Inside a remote reusable workflow: its `./` workflows are files of that repository at that ref. */
  home?: RemoteAddress;
  budget: WorkBudget;
  /** The files being expanded on the way here: a file among them calls itself. */
  chain: readonly string[];
}

/** What one job's steps leave for the next: flow's state, and what detection has seen so far. */
export interface JobState extends JobFlow {
  /** The job installed the Agent SDK, by name or from a manifest that declares it. */
  sdkSeen: boolean;
  /** The job installed the SDK by name (`pip install claude-agent-sdk`), not only from a manifest. */
  sdkNamed?: boolean;
  /** An earlier step installs, names or runs Claude: a program given only an API key may well be it. */
  claudeSeen?: boolean;
}

/** Whether the call at `span` to `callee` may be followed; says why not, once, when it may not. */
export function mayExpand(ctx: Context, callee: string, span: Span): boolean {
  if (callsItself(ctx, callee)) {
    ctx.budget.cycles++;
    ctx.problems.push({
      file: ctx.file,
      span,
      message: `${callee} calls itself (directly or through others), so the call is followed only once`,
    });
    return false;
  }
  const { budget } = ctx;
  if (budget.expansionsLeft > 0 && budget.scan.expansionsLeft > 0) {
    budget.expansionsLeft--;
    budget.scan.expansionsLeft--;
    budget.expanded?.push(callee);
    meter.expanded();
    return true;
  }
  if (!budget.exhausted) {
    budget.exhausted = true;
    ctx.problems.push({
      file: ctx.file,
      span,
      overBudget: true,
      message:
        budget.expansionsLeft === 0
          ? `This file reaches more than ${MAX_EXPANSIONS} calls to reusable workflows, local actions and scripts, so the scan stopped following them here; runs further down are not checked`
          : `The scan has followed as many calls to reusable workflows, local actions and scripts as its files allow (${MAX_EXPANSIONS}, and ${SCAN_SHARE_PER_FILE.expansions} more for each file), so it stopped following them here; runs further down are not checked`,
    });
  }
  return false;
}

/** Whether `callee` is the file being walked or one on the way to it: a call of itself. */
export function callsItself(ctx: Context, callee: string): boolean {
  return callee === ctx.file || ctx.chain.includes(callee);
}

export function stepLabel(step: Step): string {
  return step.name?.text || step.id?.text || step.uses?.text || `step ${step.index + 1}`;
}

/** A run at `span` of the context's file, in its job and step, with the environment flow gave it. */
export function newInvocation(
  kind: InvocationKind,
  label: string,
  span: Span,
  step: Step | null,
  ctx: Context,
  headless: boolean,
  env: ProcessEnvironment,
): Invocation {
  meter.ran();
  if (ctx.budget.runsLeft > 0) ctx.budget.runsLeft--;
  ctx.budget.scan.runsLeft--;
  const inv: Invocation = {
    kind,
    label,
    file: ctx.file,
    span,
    job: ctx.jobId,
    jobSpan: ctx.jobSpan,
    step: step ? stepLabel(step) : null,
    headless,
    hops: [],
    bindings: env.bindings,
    hidden: env.hidden,
    ignoredInputs: [],
    maxTurns: false,
    bare: false,
    notes: env.notes,
  };
  if (env.undecided) inv.undecided = env.undecided;
  if (step) inv.stepNode = step;
  if (ctx.workflow) inv.workflow = ctx.workflow;
  if (ctx.job) inv.jobNode = ctx.job;
  return inv;
}

/** The hops of a run reached through `uses` (or a script) written at `file`/`span`. */
export function hopsThrough(inv: Invocation, file: string, span: Span, label: string): Hop[] {
  const inner = inv.hops.length > 0 ? inv.hops : [{ file: inv.file, span: inv.span, label: inv.label }];
  return [{ file, span, label }, ...inner];
}

/** Each wrapped row's run as it was found, before any caller wrapped it. */
const origins = new WeakMap<Invocation, Invocation>();

const originOf = (inv: Invocation): Invocation => origins.get(inv) ?? inv;

/**
 * A callee's runs, one row per run: the same run reached through several calls inside the callee (a
 * composite action that calls another three times) is one row at the caller, by the first path found.
 * Such rows come from one remembered walk (callee-memo.ts), so they are the same run with the same
 * environment; without this, each level of such calls multiplied the rows by every path, 3^10 for ten.
 */
export function onePerRun(runs: Invocation[]): Invocation[] {
  const seen = new Set<Invocation>();
  return runs.filter((inv) => {
    const origin = originOf(inv);
    if (seen.has(origin)) return false;
    seen.add(origin);
    return true;
  });
}

/** The run `inv` as its caller's row: at the caller's `uses:`, in the caller's job and step. */
export function wrapInvocation(
  inv: Invocation,
  kind: InvocationKind,
  uses: Value,
  ctx: Context,
  step: Step | null,
): Invocation {
  const wrapped: Invocation = {
    ...inv,
    kind,
    label: `${uses.text.trim()} → ${inv.label}`,
    hops: hopsThrough(inv, ctx.file, uses.span, uses.text.trim()),
    file: ctx.file,
    span: uses.span,
    job: ctx.jobId,
    jobSpan: ctx.jobSpan,
    step: step ? stepLabel(step) : null,
    inner: inv.inner ?? { file: inv.file, span: inv.span, label: inv.label, kind: inv.kind },
  };
  if (ctx.workflow) wrapped.workflow = ctx.workflow;
  const runner = inv.runner ?? (inv.jobNode ? { job: inv.jobNode, file: inv.file } : undefined);
  if (runner) wrapped.runner = runner;
  if (ctx.job) wrapped.jobNode = ctx.job;
  if (step) wrapped.stepNode = step;
  origins.set(wrapped, originOf(inv));
  return wrapped;
}
