import type { InvocationKind, Level, Span } from '../types.js';
import type { ActionMetadata, Entry, Job, Parsed, Step, Value, Workflow } from '../workflow/model.js';
import { SourceFile } from '../workflow/source.js';
import { claudeAction, FORK_OAUTH_INPUTS, misnamedInput, type ActionRef } from './actions.js';
import { importsAgentSdk, isSpendLimit, meaningOf, type Meaning } from './commands.js';
import { compoundStarts, programIndex } from '../shell/commands.js';
import { bashMayMatch, parseShell, type Command, type Word } from '../shell/reader.js';
import { readSettings } from './settings.js';
import {
  commandEnvironment,
  credentialsFileTarget,
  declaresSdk,
  environmentEffects,
  githubEnvWrites,
  shellOf,
  SHELL_REF,
  shellValue,
  truncatesGithubEnv,
  userSettingsWrite,
  writesGithubEnv,
} from '../flow/shell-effects.js';
import {
  CLAUDE_WORD,
  commandLabel,
  needsClaudeSignal,
  dockerEnvNames,
  isInertAction,
  liveCredentials,
  liveRouteInputs,
  opaqueNote,
  opaqueProgram,
  variableForInput,
} from '../flow/consumers.js';
import { inRepository, remoteAddress, type CalleeKind, type RemoteAddress } from '../sources/address.js';
import type { Repo } from '../sources/repo.js';
import {
  emptyValue,
  resolveText,
  resolveValue,
  type Binding,
  type Resolved,
  type Scope,
} from '../workflow/values.js';

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
  bindings: Map<string, Binding>;
  /** Set in the workflow but stopped before Claude (cancelled by the action, hidden by an unset input). */
  hidden: { binding: Binding; why: string }[];
  ignoredInputs: { entry: Entry; suggestion: string; value: Resolved }[];
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
}

export interface Hop {
  file: string;
  span: Span;
  label: string;
}

/** The hops of a run reached through `uses` (or a script) written at `file`/`span`. */
function hopsThrough(inv: Invocation, file: string, span: Span, label: string): Hop[] {
  const inner = inv.hops.length > 0 ? inv.hops : [{ file: inv.file, span: inv.span, label: inv.label }];
  return [{ file, span, label }, ...inner];
}

export interface AnalysisProblem {
  file: string;
  span: Span;
  message: string;
  /** The file needed more work than its budget: a finding on that file, not only a note. */
  overBudget?: boolean;
}

/** Calls one scanned file may follow in all (reusable workflows, local actions, scripts), however nested. */
export const MAX_EXPANSIONS = 200;

/** Shared by every context one scanned file reaches, so fan-out cannot multiply the work. */
interface WorkBudget {
  expansionsLeft: number;
  exhausted: boolean;
}

interface Context {
  repo: Repo;
  file: string;
  jobId: string;
  jobSpan: Span;
  workflow?: Workflow;
  job?: Job;
  baseEnv: Map<string, Binding>;
  inputs?: Map<string, Resolved>;
  declaredInputs?: Map<string, Resolved | undefined>;
  secrets?: 'inherit' | Map<string, Resolved>;
  depth: number;
  problems: AnalysisProblem[];
  /** `defaults.run.shell` in force for the job's `run:` steps. */
  shell?: string;
  callerSecrets?: Set<string>;
  /** Inside a remote reusable workflow: its `./` workflows are files of that repository at that ref. */
  home?: RemoteAddress;
  budget: WorkBudget;
  /** The files being expanded on the way here: a file among them calls itself. */
  chain: readonly string[];
}

const MAX_DEPTH = 4;

/** Whether the call at `span` to `callee` may be followed; says why not, once, when it may not. */
function mayExpand(ctx: Context, callee: string, span: Span): boolean {
  if (callee === ctx.file || ctx.chain.includes(callee)) {
    ctx.problems.push({
      file: ctx.file,
      span,
      message: `${callee} calls itself (directly or through others), so the call is followed only once`,
    });
    return false;
  }
  if (ctx.budget.expansionsLeft > 0) {
    ctx.budget.expansionsLeft--;
    return true;
  }
  if (!ctx.budget.exhausted) {
    ctx.budget.exhausted = true;
    ctx.problems.push({
      file: ctx.file,
      span,
      overBudget: true,
      message: `This file reaches more than ${MAX_EXPANSIONS} calls to reusable workflows, local actions and scripts, so the scan stopped following them here; runs further down are not checked`,
    });
  }
  return false;
}

function newBudget(): WorkBudget {
  return { expansionsLeft: MAX_EXPANSIONS, exhausted: false };
}
const SETTINGS_FILES = ['.claude/settings.json', '.claude/settings.local.json'];

function scopeOf(ctx: Context, env: Map<string, Binding>): Scope {
  const scope: Scope = { file: ctx.file, env };
  if (ctx.inputs) scope.inputs = ctx.inputs;
  if (ctx.declaredInputs) scope.declaredInputs = ctx.declaredInputs;
  if (ctx.secrets) scope.secrets = ctx.secrets;
  if (ctx.callerSecrets) scope.callerSecrets = ctx.callerSecrets;
  return scope;
}

function applyEntries(env: Map<string, Binding>, entries: Entry[], level: Level, ctx: Context): void {
  for (const entry of entries) {
    const value = resolveValue(entry.value, scopeOf(ctx, env));
    env.set(entry.name, { variable: entry.name, level, value, file: ctx.file, keySpan: entry.nameSpan });
  }
}

function stepLabel(step: Step): string {
  return step.name?.text || step.id?.text || step.uses?.text || `step ${step.index + 1}`;
}

export function findInvocations(
  doc: Workflow | ActionMetadata,
  repo: Repo,
  problems: AnalysisProblem[] = [],
): Invocation[] {
  if (doc.kind === 'action') {
    const declaredInputs = new Map<string, Resolved | undefined>();
    const ctx: Context = {
      repo,
      file: doc.file,
      jobId: '(composite)',
      jobSpan: doc.name?.span ?? doc.source.span(0, 0),
      baseEnv: new Map(),
      declaredInputs,
      depth: 0,
      problems,
      budget: newBudget(),
      chain: [],
    };
    for (const input of doc.inputs) {
      declaredInputs.set(
        input.name,
        input.default ? resolveValue(input.default, scopeOf(ctx, new Map())) : undefined,
      );
    }
    if (isDockerAction(doc)) return dockerAction(doc, ctx);
    return analyzeSteps(doc.steps, ctx);
  }
  return analyzeWorkflow(doc, repo, {}, 0, problems, { budget: newBudget(), chain: [] });
}

interface Caller {
  inputs?: Map<string, Resolved>;
  secrets?: 'inherit' | Map<string, Resolved>;
  home?: RemoteAddress;
}

function analyzeWorkflow(
  wf: Workflow,
  repo: Repo,
  caller: Caller,
  depth: number,
  problems: AnalysisProblem[],
  trail: Pick<Context, 'budget' | 'chain'>,
): Invocation[] {
  const out: Invocation[] = [];
  const declaredInputs = new Map<string, Resolved | undefined>();
  for (const job of wf.jobs) {
    const ctx = jobContext(wf, job, repo, depth, problems, caller, declaredInputs, trail);
    if (job.uses) {
      const inner = reusableWorkflow(job, job.uses, ctx);
      out.push(...(inner ?? opaqueReusable(job, job.uses, ctx)));
    } else out.push(...analyzeSteps(job.steps, ctx));
  }
  return out;
}

/** A job's context: its scope for inputs and secrets, and the env its steps start with. */
function jobContext(
  wf: Workflow,
  job: Job,
  repo: Repo,
  depth: number,
  problems: AnalysisProblem[],
  caller: Caller = {},
  declaredInputs = new Map<string, Resolved | undefined>(),
  trail: Pick<Context, 'budget' | 'chain'> = { budget: newBudget(), chain: [] },
): Context {
  const ctx: Context = {
    repo,
    file: wf.file,
    jobId: job.id,
    jobSpan: job.idSpan,
    workflow: wf,
    job,
    baseEnv: new Map(),
    depth,
    problems,
    budget: trail.budget,
    chain: trail.chain,
  };
  if (caller.inputs) ctx.inputs = caller.inputs;
  else if (wf.callInputs.length > 0) ctx.declaredInputs = declaredInputs;
  if (caller.home) ctx.home = caller.home;
  if (caller.secrets) ctx.secrets = caller.secrets;
  // Read on its own, a workflow only other workflows call gets its declared secrets from a caller.
  else if (wf.triggers.length > 0 && wf.triggers.every((t) => t.name === 'workflow_call'))
    ctx.callerSecrets = new Set(wf.callSecrets);
  const shell = job.defaultShell?.text ?? wf.defaultShell?.text;
  if (shell) ctx.shell = shell;
  for (const input of wf.callInputs) {
    if (!declaredInputs.has(input.name)) {
      declaredInputs.set(
        input.name,
        input.default ? resolveValue(input.default, scopeOf(ctx, new Map())) : undefined,
      );
    }
  }
  applyEntries(ctx.baseEnv, wf.env, 'workflow', ctx);
  applyEntries(ctx.baseEnv, job.env, 'job', ctx);
  applyEntries(ctx.baseEnv, job.containerEnv, 'container', ctx);
  return ctx;
}

/** The env a job's steps start with (workflow and job level): what a probe in that job sees. */
export function jobEnvironment(wf: Workflow, job: Job, repo: Repo): Map<string, Binding> {
  return jobContext(wf, job, repo, 0, []).baseEnv;
}

function localPath(uses: string, repo?: Repo): string | undefined {
  if (uses.startsWith('./')) return uses.slice(2).replace(/\/+$/, '');
  const same = repo ? sameRepositoryPath(uses, repo) : undefined;
  return same?.path;
}

/** `owner/name/path@ref` where owner/name is the scanned repository: the local file, and the ref it names. */
export function sameRepositoryPath(uses: string, repo: Repo): { path: string; ref: string } | undefined {
  if (!repo.name) return undefined;
  const m = /^([^/@\s]+\/[^/@\s]+)\/([^@\s]+)@(\S+)$/.exec(uses.trim());
  if (!m || m[1]!.toLowerCase() !== repo.name.toLowerCase()) return undefined;
  return { path: m[2]!.replace(/\/+$/, ''), ref: m[3]! };
}

function sameRepositoryNote(uses: string, repo: Repo): string | undefined {
  const same = sameRepositoryPath(uses, repo);
  return same
    ? `\`${uses.trim()}\` is this repository; the local copy was read, and \`${same.ref}\` may differ from the checkout`
    : undefined;
}

/**
 * A callee in another repository that the edge read before the scan, or undefined (offline, not worth
 * reading, or unreadable: then a problem says why and the call stays an opaque consumer).
 */
function remoteCallee(
  uses: Value,
  kind: CalleeKind,
  ctx: Context,
): { parsed: Parsed; address: RemoteAddress } | undefined {
  const text = uses.text.trim();
  const address =
    kind === 'workflow' && ctx.home && text.startsWith('./')
      ? inRepository(ctx.home, text)
      : remoteAddress(text);
  const found = address && ctx.repo.remote?.(kind, address);
  if (!found) return undefined;
  if ('why' in found) {
    ctx.problems.push({
      file: ctx.file,
      span: uses.span,
      message: `${kind === 'workflow' ? 'reusable workflow' : 'action'} \`${text}\` could not be read: ${found.why}`,
    });
    return undefined;
  }
  return found;
}

/** The Claude runs of a reusable workflow; undefined when its file cannot be read (remote or missing). */
function reusableWorkflow(job: Job, uses: Value, ctx: Context): Invocation[] | undefined {
  // In a remote workflow, `./` names a file of that repository, never of the checkout.
  const path =
    ctx.home && uses.text.trim().startsWith('./') ? undefined : localPath(uses.text.trim(), ctx.repo);
  const before = ctx.problems.length;
  const remote = path ? undefined : remoteCallee(uses, 'workflow', ctx);
  if (
    !path &&
    !remote &&
    ctx.problems.length === before &&
    /^[^./\s][^/\s]*\/[^/\s]+\/\.github\/workflows\/[^@\s]+\.ya?ml@\S+$/.test(uses.text.trim())
  ) {
    // Another repository's workflow that was not read: say so rather than pass in silence.
    ctx.problems.push({
      file: ctx.file,
      span: uses.span,
      message: `reusable workflow \`${uses.text.trim()}\` is in another repository and is not read, so its Claude runs cannot be checked`,
    });
  }
  if (!path && !remote) return undefined;
  if (ctx.depth >= MAX_DEPTH) return [];
  const callee = remote ? remote.parsed : ctx.repo.parse(path!);
  if (!callee || callee.kind !== 'workflow') {
    if (!callee) {
      ctx.problems.push({
        file: ctx.file,
        span: uses.span,
        message: `reusable workflow \`${uses.text}\` was not found in the repository, so its Claude runs cannot be checked`,
      });
      return undefined;
    }
    return [];
  }
  const scope = scopeOf(ctx, ctx.baseEnv);
  const inputs = new Map<string, Resolved>();
  for (const entry of job.with) inputs.set(entry.name, resolveValue(entry.value, scope));
  for (const input of callee.callInputs) {
    if (!inputs.has(input.name) && input.default) {
      inputs.set(
        input.name,
        resolveText(
          input.default.text,
          { file: callee.file, env: new Map() },
          callee.file,
          input.default.span,
        ),
      );
    }
  }
  let secrets: 'inherit' | Map<string, Resolved>;
  if (job.secretsInherit) secrets = ctx.secrets ?? 'inherit';
  else {
    secrets = new Map();
    for (const entry of job.secrets) secrets.set(entry.name, resolveValue(entry.value, scope));
  }
  const home = remote?.address ?? ctx.home;
  const caller: Caller = home ? { inputs, secrets, home } : { inputs, secrets };
  if (!mayExpand(ctx, callee.file, uses.span)) return [];
  const inner = analyzeWorkflow(callee, ctx.repo, caller, ctx.depth + 1, ctx.problems, {
    budget: ctx.budget,
    chain: [...ctx.chain, ctx.file],
  });
  const note = sameRepositoryNote(uses.text, ctx.repo);
  const named = [...callee.source.text.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
  return inner.map((inv) => {
    const wrapped = wrap(inv, 'reusable-workflow', uses, ctx, null);
    if (note) wrapped.notes = [...wrapped.notes, note];
    wrapped.calleeSecrets = [...new Set([...named, ...(inv.calleeSecrets ?? [])])].filter(
      (n) => n !== 'GITHUB_TOKEN',
    );
    return wrapped;
  });
}

/** A reusable workflow the engine cannot read that receives a Claude credential: an opaque consumer. */
function opaqueReusable(job: Job, uses: Value, ctx: Context): Invocation[] {
  const scope = scopeOf(ctx, ctx.baseEnv);
  const bindings = new Map<string, Binding>();
  for (const entry of [...job.with, ...job.secrets]) {
    const value = resolveValue(entry.value, scope);
    const variable = variableForInput(entry.name, value);
    if (variable && !bindings.has(variable))
      bindings.set(variable, {
        variable,
        level: 'reusable-workflow',
        value,
        file: ctx.file,
        keySpan: entry.nameSpan,
      });
  }
  const credentials = liveCredentials(bindings.values());
  const label = uses.text.trim();
  if (credentials.length === 0) {
    // `secrets: inherit` hands over every secret; a workflow named for Claude then surely reads one.
    if (!job.secretsInherit || !/claude|anthropic/i.test(label)) return [];
    const inv = baseInvocation('opaque', label, uses.span, null, ctx, true);
    inv.opaque = `\`${label}\` inherits every secret; which Claude credential it reads was not checked`;
    inv.undecided = inv.opaque;
    return [inv];
  }
  const inv = baseInvocation('opaque', label, uses.span, null, ctx, true);
  inv.bindings = bindings;
  inv.opaque = opaqueNote(`\`${label}\``, credentials);
  return [inv];
}

function wrap(
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
  return wrapped;
}

interface JobState {
  githubEnv: Map<string, Binding>;
  storedLogin?: Binding;
  sdkSeen: boolean;
  /** A repository file copied to ~/.claude/settings.json; no path when its content is written at run time. */
  userSettings?: { path?: string };
  /** Why later runs of the job are undecided (a sourced file, a settings file written at run time). */
  undecided?: string;
  /** An earlier step installs, names or runs Claude: a program given only an API key may well be it. */
  claudeSeen?: boolean;
  /** Why an earlier step fails after its script ends: later runs say so, as they run only if it is let fail. */
  failedBefore?: string;
}

function analyzeSteps(steps: Step[], ctx: Context, shared?: JobState): Invocation[] {
  const state: JobState = shared ?? { githubEnv: new Map(), sdkSeen: false };
  const out: Invocation[] = [];
  // Steps that run a program while a credential is live only at job or workflow level: consumers only
  // when the job has no recognised run.
  const ambient: Invocation[] = [];
  for (const step of steps) {
    const failedBefore = state.failedBefore;
    const before = out.length;
    const env = new Map(ctx.baseEnv);
    for (const [k, v] of state.githubEnv) env.set(k, v);
    applyEntries(env, step.env, 'step', ctx);
    if (step.uses) {
      const uses = step.uses.text.trim();
      const action = claudeAction(uses);
      const local = action ? undefined : compositeAction(step, step.uses, env, ctx, state);
      if (action) out.push(actionInvocation(step, step.uses, action, env, ctx, state));
      else if (local) out.push(...local);
      else if (!isInertAction(uses)) {
        const consumer = opaqueAction(step, step.uses, env, ctx);
        if (consumer?.explicit) out.push(consumer.inv);
        else if (consumer) ambient.push(consumer.inv);
      }
    }
    if (step.run) {
      const found = runInvocations(step, step.run, env, ctx, state);
      out.push(...found.runs);
      if (found.ambient) ambient.push(found.ambient);
    }
    if (CLAUDE_WORD.test(step.run?.text ?? '') || CLAUDE_WORD.test(step.uses?.text ?? ''))
      state.claudeSeen = true;
    if (failedBefore) for (const inv of out.slice(before)) inv.notes.push(failedBefore);
  }
  const recognised = out.filter((inv) => inv.kind !== 'opaque' && !inv.opaque);
  if (recognised.length > 0) return recognised;
  if (shared) return out;
  return out.length > 0 ? out : ambient.slice(0, 1);
}

/** A remote or unreadable action: a consumer when a Claude credential reaches it. */
function opaqueAction(
  step: Step,
  uses: Value,
  env: Map<string, Binding>,
  ctx: Context,
): { inv: Invocation; explicit: boolean } | undefined {
  const scope = scopeOf(ctx, env);
  const bindings = new Map(env);
  const explicit: Binding[] = liveCredentials([...env.values()].filter((b) => b.level === 'step'));
  for (const entry of step.with) {
    const value = resolveValue(entry.value, scope);
    const variable = variableForInput(entry.name, value);
    if (!variable) continue;
    const b: Binding = { variable, level: 'action-input', value, file: ctx.file, keySpan: entry.nameSpan };
    bindings.set(variable, b);
    explicit.push(...liveRouteInputs([b]));
  }
  const credentials = explicit.length > 0 ? explicit : liveCredentials(env.values());
  if (credentials.length === 0) return undefined;
  const label = uses.text.trim();
  const inv = newInvocation('opaque', label, uses.span, step, ctx, true);
  inv.bindings = bindings;
  inv.opaque = opaqueNote(`\`${label}\``, liveRouteInputs(bindings.values()));
  return { inv, explicit: explicit.length > 0 };
}

function isDockerAction(doc: ActionMetadata): boolean {
  return doc.using?.text.trim() === 'docker';
}

/** A Docker action: `runs.env` is what the container receives; what runs inside the image is not seen. */
function dockerAction(doc: ActionMetadata, ctx: Context): Invocation[] {
  const env = new Map(ctx.baseEnv);
  applyEntries(env, doc.runsEnv, 'step', { ...ctx, file: doc.file });
  const credentials = liveCredentials(env.values());
  if (credentials.length === 0) return [];
  const at = doc.image ?? doc.using!;
  const label = `docker action ${doc.image?.text.trim() ?? ''}`.trim();
  const inv = baseInvocation('opaque', label, at.span, null, { ...ctx, file: doc.file }, true);
  inv.bindings = env;
  inv.opaque = opaqueNote(
    `the container image \`${doc.image?.text.trim() ?? 'of this action'}\``,
    credentials,
  );
  return [inv];
}

function compositeAction(
  step: Step,
  uses: Value,
  env: Map<string, Binding>,
  ctx: Context,
  state: JobState,
): Invocation[] | undefined {
  const dir = localPath(uses.text.trim(), ctx.repo);
  const remote = dir === undefined ? remoteCallee(uses, 'action', ctx) : undefined;
  if (dir === undefined && !remote) return undefined;
  if (ctx.depth >= MAX_DEPTH) return [];
  const parsed =
    remote?.parsed ??
    ['action.yml', 'action.yaml']
      .map((name) => ctx.repo.parse(dir ? `${dir}/${name}` : name))
      .find((p) => p !== undefined);
  if (!parsed || parsed.kind !== 'action') {
    if (!parsed) {
      ctx.problems.push({
        file: ctx.file,
        span: uses.span,
        message: `local action \`${uses.text}\` was not found in the repository, so its Claude runs cannot be checked`,
      });
      return undefined;
    }
    return [];
  }
  const scope = scopeOf(ctx, env);
  const inputs = new Map<string, Resolved>();
  for (const entry of step.with) inputs.set(entry.name, resolveValue(entry.value, scope));
  for (const input of parsed.inputs) {
    if (!inputs.has(input.name) && input.default) {
      inputs.set(
        input.name,
        resolveText(input.default.text, { file: parsed.file, env }, parsed.file, input.default.span),
      );
    }
  }
  if (!mayExpand(ctx, parsed.file, uses.span)) return [];
  const inner: Context = {
    ...ctx,
    file: parsed.file,
    baseEnv: env,
    inputs,
    depth: ctx.depth + 1,
    chain: [...ctx.chain, ctx.file],
  };
  delete inner.declaredInputs;
  delete inner.callerSecrets;
  const note = sameRepositoryNote(uses.text, ctx.repo);
  // A composite action shares the job's files and $GITHUB_ENV with its caller.
  const runs = isDockerAction(parsed)
    ? dockerAction(parsed, inner)
    : analyzeSteps(parsed.steps, inner, state);
  return runs.map((inv) => {
    const wrapped = wrap(inv, 'composite-action', uses, ctx, step);
    if (note) wrapped.notes = [...wrapped.notes, note];
    return wrapped;
  });
}

function newInvocation(
  kind: InvocationKind,
  label: string,
  span: Span,
  step: Step,
  ctx: Context,
  headless: boolean,
): Invocation {
  return baseInvocation(kind, label, span, step, ctx, headless);
}

function baseInvocation(
  kind: InvocationKind,
  label: string,
  span: Span,
  step: Step | null,
  ctx: Context,
  headless: boolean,
): Invocation {
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
    bindings: new Map(),
    hidden: [],
    ignoredInputs: [],
    maxTurns: false,
    bare: false,
    notes: [],
  };
  if (step) inv.stepNode = step;
  if (ctx.workflow) inv.workflow = ctx.workflow;
  if (ctx.job) inv.jobNode = ctx.job;
  return inv;
}

const PASS_THROUGH = [
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_BASE_URL',
  'CLAUDE_CODE_USE_ANTHROPIC_AWS',
  'CLAUDE_CODE_USE_MANTLE',
  'ANTHROPIC_PROFILE',
  'CLAUDE_CODE_SIMPLE',
];

function actionInvocation(
  step: Step,
  uses: Value,
  action: ActionRef,
  env: Map<string, Binding>,
  ctx: Context,
  state: JobState,
): Invocation {
  const kind: InvocationKind =
    action.flavour === 'lookalike'
      ? 'lookalike'
      : action.flavour === 'base'
        ? 'claude-code-base-action'
        : 'claude-code-action';
  const inv = newInvocation(kind, uses.text.trim(), uses.span, step, ctx, true);
  inv.action = action;
  const scope = scopeOf(ctx, env);
  const inputs = new Map(step.with.map((e) => [e.name, e]));
  const input = (name: string, variable: string): Binding | undefined => {
    const entry = inputs.get(name);
    if (!entry) return undefined;
    return {
      variable,
      level: 'action-input',
      value: resolveValue(entry.value, scope),
      file: ctx.file,
      keySpan: entry.nameSpan,
    };
  };
  const set = (b: Binding | undefined): void => {
    if (b) inv.bindings.set(b.variable, b);
  };
  const hide = (variable: string, why: string): void => {
    const b = env.get(variable);
    if (b && b.value.presence !== 'empty') inv.hidden.push({ binding: b, why });
  };

  for (const variable of PASS_THROUGH) set(env.get(variable));
  const credentialInputs: [string, string][] = [
    ['anthropic_api_key', 'ANTHROPIC_API_KEY'],
    ['claude_code_oauth_token', 'CLAUDE_CODE_OAUTH_TOKEN'],
  ];
  for (const [name, variable] of credentialInputs) {
    const given = input(name, variable);
    if (action.flavour === 'v1') {
      // v1 maps `inputs.x || env.X`: an empty input falls back to the job's env.
      set(given && given.value.presence !== 'empty' ? given : (env.get(variable) ?? given));
    } else {
      set(given);
      if (given?.value.presence !== 'set')
        hide(
          variable,
          `${uses.text.trim()} reads \`${name}\` only, so the environment's ${variable} does not reach Claude`,
        );
    }
  }
  const switches: [string, string][] = [
    ['use_bedrock', 'CLAUDE_CODE_USE_BEDROCK'],
    ['use_vertex', 'CLAUDE_CODE_USE_VERTEX'],
    ['use_foundry', 'CLAUDE_CODE_USE_FOUNDRY'],
  ];
  for (const [name, variable] of switches) {
    const given = input(name, variable);
    if (given) {
      // The action turns the switch on only when the input is exactly 'true'.
      const literal = given.value.literal;
      if (given.value.form === 'literal') {
        given.value =
          literal === 'true'
            ? { ...given.value, literal: '1' }
            : { ...given.value, presence: 'empty', literal: '' };
      }
      set(given);
    }
    if (!given || given.value.presence === 'empty') {
      hide(
        variable,
        `${uses.text.trim()} sets ${variable} from its \`${name}\` input, which cancels the environment's value`,
      );
    }
  }
  if (action.flavour === 'v1') {
    const rule = input('anthropic_federation_rule_id', 'ANTHROPIC_FEDERATION_RULE_ID');
    const org = input('anthropic_organization_id', 'ANTHROPIC_ORGANIZATION_ID');
    set(rule);
    set(org);
  }
  for (const name of FORK_OAUTH_INPUTS) {
    const given = input(name, 'CLAUDE_CODE_OAUTH_TOKEN');
    if (given && given.value.presence !== 'empty' && !inv.bindings.get('CLAUDE_CODE_OAUTH_TOKEN')) {
      given.variable = 'CLAUDE_CODE_OAUTH_TOKEN';
      set(given);
      inv.notes.push(`input \`${name}\` hands the action a subscription's OAuth token`);
    }
  }
  if (action.flavour !== 'v1') {
    const claudeEnv = inputs.get('claude_env');
    if (claudeEnv) for (const b of claudeEnvBindings(claudeEnv.value, scope, ctx.file)) set(b);
  }
  const settings = inputs.get('settings');
  if (settings && settings.value.text.trim())
    applySettingsText(inv, settings.value.text, settings.value, scope, ctx, 'action-input');
  const claudeArgs = inputs.get('claude_args');
  if (claudeArgs) {
    const words = parseShell(claudeArgs.value.text).flatMap((c) => c.words);
    inv.maxTurns = words.some((w) => isSpendLimit(w.text));
    const settingsIndex = words.findIndex((w) => w.text === '--settings');
    const settingsWord = words[settingsIndex + 1];
    if (settingsIndex !== -1 && settingsWord)
      applySettingsWord(inv, settingsWord, claudeArgs.value, scope, ctx);
  }
  if (inputs.has('max_turns')) inv.maxTurns = true;
  for (const entry of step.with) {
    const suggestion = misnamedInput(entry.name, action.flavour);
    if (suggestion) inv.ignoredInputs.push({ entry, suggestion, value: resolveValue(entry.value, scope) });
  }
  if (action.flavour === 'v1' && inv.bindings.get('ANTHROPIC_AUTH_TOKEN')?.value.presence === 'set') {
    inv.notes.push(
      'the action passes ANTHROPIC_AUTH_TOKEN through from the job environment, but its validator also requires anthropic_api_key or claude_code_oauth_token (anthropics/claude-code-action#1294)',
    );
  }
  applyRepoSettings(inv, ctx, state);
  applyStoredLogin(inv, state);
  return inv;
}

/** `claude_env` holds `KEY: value` lines that the action puts into Claude's environment. */
function claudeEnvBindings(value: Value, scope: Scope, file: string): Binding[] {
  const out: Binding[] = [];
  const text = value.text;
  let offset = 0;
  for (const line of text.split('\n')) {
    // Trimmed by hand: a lazy `(.*?)\s*$` backtracks quadratically on a long run of blanks.
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$/.exec(line);
    if (m) {
      const written = m[2]!.trim();
      const keyStart = offset + line.indexOf(m[1]!);
      const valueStart = offset + line.lastIndexOf(written);
      const unquoted = written.replace(/^(["'])(.*)\1$/, '$2');
      out.push({
        variable: m[1]!,
        level: 'action-input',
        file,
        keySpan: value.spanAt(keyStart, keyStart + m[1]!.length),
        value: resolveText(unquoted, scope, file, value.spanAt(valueStart, valueStart + written.length)),
      });
    }
    offset += line.length + 1;
  }
  return out;
}

function applySettingsText(
  inv: Invocation,
  text: string,
  holder: Value,
  scope: Scope,
  ctx: Context,
  level: Level,
): void {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const settings = readSettings(text, (a, b) => holder.spanAt(a, b), level, scope);
    if (settings.error)
      ctx.problems.push({
        file: ctx.file,
        span: settings.error.span,
        message: `settings JSON: ${settings.error.message}`,
      });
    for (const b of settings.env) inv.bindings.set(b.variable, b);
    if (settings.apiKeyHelper) inv.bindings.set('apiKeyHelper', settings.apiKeyHelper);
    return;
  }
  const path = trimmed.replace(/^\.\//, '');
  if (path.includes('${{') || path.startsWith('$')) {
    inv.notes.push(`settings come from \`${trimmed}\`, decided at run time`);
    return;
  }
  const found = ctx.repo.read(path);
  if (!found) {
    inv.notes.push(
      `settings file \`${path}\` is not in the repository, so its env and apiKeyHelper are not checked`,
    );
    return;
  }
  applySettingsFile(inv, found.file, found.text, ctx);
}

function applySettingsWord(inv: Invocation, word: Word, holder: Value, scope: Scope, ctx: Context): void {
  const offset = word.quoted ? word.start + 1 : word.start;
  const shifted: Value = { ...holder, spanAt: (a, b) => holder.spanAt(offset + a, offset + b) };
  applySettingsText(inv, word.text, shifted, scope, ctx, 'settings-file');
}

function applySettingsFile(inv: Invocation, path: string, text: string, ctx: Context): void {
  const source = new SourceFile(path, text);
  const settings = readSettings(text, (a, b) => source.span(a, b), 'settings-file', {
    file: path,
    env: new Map(),
  });
  if (settings.error)
    ctx.problems.push({
      file: path,
      span: settings.error.span,
      message: `settings JSON: ${settings.error.message}`,
    });
  for (const b of settings.env)
    if (!inv.bindings.has(b.variable) || inv.bindings.get(b.variable)!.level !== 'settings-file')
      inv.bindings.set(b.variable, b);
  if (settings.apiKeyHelper && !inv.bindings.has('apiKeyHelper'))
    inv.bindings.set('apiKeyHelper', settings.apiKeyHelper);
}

/** The repository's own `.claude/settings*.json` apply in `-p`, the SDK and the action (no trust dialog). */
function applyRepoSettings(inv: Invocation, ctx: Context, state?: JobState): void {
  // Settings files override the process environment, but a `--settings` flag outranks them.
  const explicit = new Map(inv.bindings);
  for (const path of SETTINGS_FILES) {
    const found = ctx.repo.read(path);
    if (found) applySettingsFile(inv, found.file, found.text, ctx);
  }
  // ~/.claude/settings.json ranks below the project's files: applied after them, it fills only what they leave.
  const user = state?.userSettings;
  if (user?.path) {
    const found = ctx.repo.read(user.path);
    if (found) applySettingsFile(inv, found.file, found.text, ctx);
  } else if (user)
    inv.undecided ??= 'the job writes ~/.claude/settings.json at run time, and its env may set the route';
  for (const [k, b] of explicit) if (b.level === 'settings-file') inv.bindings.set(k, b);
}

function applyStoredLogin(inv: Invocation, state: JobState): void {
  if (state.storedLogin) inv.bindings.set('stored-login', state.storedLogin);
}

// ---------------------------------------------------------------------------------------------------
// run: scripts

interface ScriptFacts {
  commands: Command[];
  meanings: Meaning[];
}

const scriptCache = new WeakMap<Value, ScriptFacts>();

export function scriptFacts(run: Value): ScriptFacts {
  let facts = scriptCache.get(run);
  if (!facts) {
    const commands = parseShell(run.text);
    facts = { commands, meanings: commands.map(meaningOf) };
    scriptCache.set(run, facts);
  }
  return facts;
}

const SUBPROCESS_CLAUDE =
  /(subprocess\.\w+|os\.(system|popen)|Popen|spawn|exec\w*|execa|Start-Process|&)\s*\(?\s*\[?\s*["']claude\b/;

/** A script for a shell other than bash: a Claude run in it is seen, but what it removes is not. */
function otherShellRuns(
  step: Step,
  run: Value,
  stepEnv: Map<string, Binding>,
  ctx: Context,
  shell: string,
): StepRuns {
  const why = `the step runs under \`${shell}\`, whose changes to the environment are not modelled`;
  const m = SUBPROCESS_CLAUDE.exec(run.text) ?? /(^|\n)\s*claude\s/.exec(run.text);
  if (m) {
    const at = run.text.indexOf('claude', m.index);
    const inv = newInvocation(
      'cli',
      'claude',
      run.spanAt(at, at + 'claude'.length),
      step,
      ctx,
      /-p|--print/.test(run.text),
    );
    for (const [k, b] of stepEnv) inv.bindings.set(k, b);
    applyRepoSettings(inv, ctx);
    inv.undecided = why;
    return { runs: [inv] };
  }
  const credentials = liveCredentials([...stepEnv.values()].filter((b) => b.level === 'step'));
  if (credentials.length === 0) return { runs: [] };
  const inv = newInvocation('opaque', `${shell} script`, step.run!.span, step, ctx, true);
  inv.bindings = new Map(stepEnv);
  inv.opaque = opaqueNote(`the \`${shell}\` script`, credentials);
  return { runs: [inv] };
}

/** Words without which a script can neither start Claude nor set a route for it. */
const MAY_MATTER = /claude|anthropic|agent.sdk|agent_sdk|code_sdk|\.sh\b/i;
/** Installs of what the repository declares: they may bring in the Agent SDK from a manifest. */
export const INSTALLS =
  /\b(uv\s+sync|pip3?\s+install\s+(-e|-r|\.)|(poetry|pdm)\s+install|(npm|pnpm|bun)\s+(ci|install|i)\b)/;
const SHELL_PROGRAMS = new Set(['bash', 'sh', 'zsh', 'dash']);
const WORKSPACE_PREFIX = /^(\$\{\{\s*github\.workspace\s*\}\}|\$\{?GITHUB_WORKSPACE\}?)\//;

/** `bash path/to/x.sh` or `./x.sh`: a script of the repository this run: block starts, if any. */
function repositoryScript(command: Command): Word | undefined {
  const words = command.words;
  const at = programIndex(words);
  const program = words[at];
  if (!program) return undefined;
  const name = program.text.slice(program.text.lastIndexOf('/') + 1);
  if (SHELL_PROGRAMS.has(name)) {
    const path = words.slice(at + 1).find((w) => !w.text.startsWith('-'));
    return path && !words.slice(at + 1).some((w) => /^-[a-z]*c/.test(w.text)) ? path : undefined;
  }
  return /\.sh$/.test(program.text) && program.text.includes('/') ? program : undefined;
}

interface StepRuns {
  runs: Invocation[];
  /** A program that a job- or workflow-level credential reaches: a consumer if the job has no recognised run. */
  ambient?: Invocation;
}

function runInvocations(
  step: Step,
  run: Value,
  stepEnv: Map<string, Binding>,
  ctx: Context,
  state: JobState,
): StepRuns {
  // After an SDK install any script run may be the agent; before it, most scripts can be skipped unread.
  const credentialLive = liveCredentials(stepEnv.values()).length > 0;
  if (!state.sdkSeen && !credentialLive && !bashMayMatch(MAY_MATTER, run.text) && !INSTALLS.test(run.text))
    return { runs: [] };
  const shell = shellOf(step.shell?.text ?? ctx.shell);
  if (shell.kind === 'other') return otherShellRuns(step, run, stepEnv, ctx, shell.text);
  const out: Invocation[] = [];
  let ambient: { inv: Invocation; explicit: boolean } | undefined;
  const { commands, meanings } = scriptFacts(run);
  const scope = scopeOf(ctx, stepEnv);
  const scriptEnv = new Map(stepEnv);
  for (const name of shell.unset) scriptEnv.delete(name);
  /** Plain shell variables with a literal value: `CL=claude` makes `$CL -p` a Claude run. */
  const shellVars = new Map<string, string>();
  const span = (w: Word): Span => run.spanAt(w.start, w.end);
  const bind = (name: string, raw: string, w: Word, level: Level = 'script'): Binding => ({
    variable: name,
    level,
    file: ctx.file,
    keySpan: span(w),
    value: shellValue(raw, scriptEnv, scope, ctx.file, span(w)),
  });
  let sdkRunInStep = false;
  let undecided: string | undefined;
  const claudeSignal =
    state.sdkSeen ||
    state.claudeSeen === true ||
    [run.text, step.name?.text, ctx.jobId, ctx.job?.name?.text, ctx.workflow?.name?.text].some((t) =>
      CLAUDE_WORD.test(t ?? ''),
    );
  // A group, loop or subshell redirected as a whole: its commands write where its end says.
  const groups = compoundStarts(commands, run.text);
  const envWrites: Command[] = [];
  // The commands of `> >(tee -a "$GITHUB_ENV")` read what the command around them writes: that command's
  // writes, read with them, are the ones that count. Commands come in the order they start, so one sweep
  // over the `>(` words by start tells whether a command lies inside one: the furthest end of those that
  // started before it reaches past its end (checking each command against each `>(` was quadratic).
  const readers = commands
    .flatMap((c) => [...c.words, ...c.redirects.flatMap((r) => r.target ?? [])])
    .filter((w) => w.text.startsWith('>('))
    .sort((a, b) => a.start - b.start);
  let nextReader = 0;
  let readerReach = -1;

  commands.forEach((command, index) => {
    let meaning = meanings[index]!;
    const words = command.words;
    const at = programIndex(words);
    let program = words[at];
    const resolved = program && programValue(program.text, shellVars, scriptEnv);
    if (resolved !== undefined) {
      const rewritten = { ...command, words: words.map((w, k) => (k === at ? { ...w, text: resolved } : w)) };
      meaning = meaningOf(rewritten);
      program = rewritten.words[at];
    }
    if (!command.nested) {
      const sourced = sourcedRepositoryFile(command, ctx.repo);
      // A repository file sourced into the script: its own exports and unsets apply, one level deep.
      const effects = sourced ? parseShell(sourced.text).filter((c) => !c.nested) : [command];
      for (const c of effects) {
        const changed = environmentEffects(c, scriptEnv, shellVars, bind);
        if (changed) undecided ??= changed;
      }
    }
    // Strictly before: the command a `>(` word belongs to starts at or before it, and is not inside it.
    while (nextReader < readers.length && readers[nextReader]!.start < command.start)
      readerReach = Math.max(readerReach, readers[nextReader++]!.end);
    const substituted = command.end <= readerReach;
    if (!substituted && truncatesGithubEnv(command, commands[index + 1])) envWrites.length = 0;
    if (!substituted && writesGithubEnv(command, commands[index + 1])) {
      const from = groups.get(index) ?? index;
      envWrites.push(...commands.slice(from, index + 1));
    }
    const credentialTarget = credentialsFileTarget(command);
    if (credentialTarget) {
      state.storedLogin = {
        variable: 'stored-login',
        level: 'credentials-file',
        file: ctx.file,
        keySpan: span(credentialTarget),
        value: { ...emptyValue(ctx.file, span(credentialTarget)), presence: 'set', form: 'expression' },
      };
    }
    const settingsWrite = userSettingsWrite(command);
    if (settingsWrite) state.userSettings = settingsWrite;
    const importsSdk = importsAgentSdk(command);
    if (meaning.kind === 'sdk-install' || declaresSdk(command, ctx.repo)) state.sdkSeen = true;

    const script = ctx.depth < MAX_DEPTH ? repositoryScript(command) : undefined;
    const scriptPath = script?.text.replace(WORKSPACE_PREFIX, '').replace(/^\.\//, '');
    const found = scriptPath && !scriptPath.includes('$') ? ctx.repo.read(scriptPath) : undefined;
    if (script && found && mayExpand(ctx, found.file, span(script))) {
      // A repository script runs with this step's environment; its Claude runs are this step's runs.
      const source = new SourceFile(found.file, found.text);
      const body: Value = {
        text: found.text,
        span: source.span(0, found.text.length),
        scalar: true,
        spanAt: (a, b) => source.span(a, b),
      };
      const inner: Context = {
        ...ctx,
        file: found.file,
        depth: ctx.depth + 1,
        chain: [...ctx.chain, ctx.file],
      };
      for (const inv of runInvocations(step, body, scriptEnv, inner, state).runs) {
        out.push({
          ...inv,
          file: ctx.file,
          span: span(script),
          label: `${script.text} → ${inv.label}`,
          hops: hopsThrough(inv, ctx.file, span(script), script.text),
          inner: inv.inner ?? { file: inv.file, span: inv.span, label: inv.label, kind: inv.kind },
        });
      }
    }
    if (meaning.kind === 'claude-run') {
      const first = meaning.runner?.word ?? meaning.program;
      const where = run.spanAt(first.start, meaning.program.end);
      const headless = meaning.headless || expansionsHoldPrint(meaning.expandedArgs, run.text);
      const inv = newInvocation('cli', claudeLabel(meaning), where, step, ctx, headless);
      inv.command = claudeCommand(meaning);
      if (!meaning.headless && meaning.expandedArgs.length > 0 && !headless) {
        inv.notes.push(
          `its arguments come from ${meaning.expandedArgs.map((a) => `$${a}`).join(', ')}, which may hold -p`,
        );
        inv.argsUnknown = true;
      }
      const env = commandEnvironment(words, scriptEnv, bind);
      for (const [k, b] of env) inv.bindings.set(k, b);
      inv.maxTurns = meaning.maxTurns;
      inv.bare = meaning.bare || env.get('CLAUDE_CODE_SIMPLE')?.value.literal === '1';
      applyRepoSettings(inv, ctx, state);
      if (meaning.settings) applySettingsWord(inv, meaning.settings, run, scope, ctx);
      applyStoredLogin(inv, state);
      const why = undecided ?? state.undecided;
      if (why) inv.undecided = why;
      out.push(inv);
    } else if (meaning.kind === 'lookalike' && !isInstall(command)) {
      const inv = newInvocation('lookalike', meaning.word.text, span(meaning.word), step, ctx, false);
      for (const [k, b] of scriptEnv) inv.bindings.set(k, b);
      inv.notes.push(meaning.what);
      out.push(inv);
    } else if (!sdkRunInStep && meaning.kind === 'script-run' && (state.sdkSeen || importsSdk)) {
      sdkRunInStep = true;
      const where = program ?? words[0]!;
      const inv = newInvocation('agent-sdk', `Agent SDK via \`${where.text}\``, span(where), step, ctx, true);
      for (const [k, b] of commandEnvironment(words, scriptEnv, bind)) inv.bindings.set(k, b);
      applyRepoSettings(inv, ctx, state);
      applyStoredLogin(inv, state);
      const why = undecided ?? state.undecided;
      if (why) inv.undecided = why;
      out.push(inv);
    } else {
      const consumer = opaqueRun(command, step, run, scriptEnv, ctx, bind, claudeSignal || state.sdkSeen);
      if (consumer && (!ambient || (consumer.explicit && !ambient.explicit))) ambient = consumer;
    }
    if (importsSdk) state.sdkSeen = true;
  });
  if (undecided) state.undecided ??= undecided;
  const bashEnv = stepEnv.get('BASH_ENV');
  if (bashEnv && bashEnv.value.presence !== 'empty')
    for (const inv of out)
      inv.undecided ??= 'BASH_ENV names a file bash runs before the script, which may change its environment';
  // $GITHUB_ENV is read between steps, so a `NAME<<EOF` block may span several writes of the step.
  const written = githubEnvWrites(envWrites, run, scriptEnv, scope, ctx.file);
  for (const b of written.bindings) state.githubEnv.set(b.variable, b);
  if (written.unclosed)
    state.failedBefore ??=
      `\`${written.unclosed.text}\` at line ${written.unclosed.span.line} of ${ctx.file} never closes in $GITHUB_ENV: ` +
      'the runner fails that step ("Matching delimiter not found") and sets nothing from that line on';
  if (out.length > 0 || !ambient) return { runs: out };
  // A credential passed to this step on purpose makes its program a consumer on its own.
  return ambient.explicit ? { runs: [ambient.inv] } : { runs: [], ambient: ambient.inv };
}

/** `${NAME:-default}` and `${NAME-default}`: the default stands when the script does not set NAME. */
const DEFAULTED = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?)-([^}]*)\}$/;

/**
 * The program a `$CL` or `${CL:-claude}` word names, when the script says: `CL=claude` earlier, or the
 * default of a variable neither the script nor the step's env gives a value.
 */
function programValue(
  text: string,
  shellVars: Map<string, string>,
  env: Map<string, Binding>,
): string | undefined {
  const plain = SHELL_REF.exec(text);
  if (plain) return shellVars.get(plain[1]!);
  const defaulted = DEFAULTED.exec(text);
  if (!defaulted) return undefined;
  const name = defaulted[1]!;
  const known = shellVars.get(name) ?? env.get(name)?.value.literal;
  // A variable the step's env sets to a secret or an expression: its value is not known here.
  if (known === undefined && env.has(name)) return undefined;
  const useDefault = known === undefined || (known === '' && defaulted[2] === ':');
  return useDefault ? defaulted[3]!.replace(/['"\\]/g, '') : known;
}

/** `source path` / `. path` where the path is a file of the repository, read with the repository's limits. */
function sourcedRepositoryFile(command: Command, repo: Repo): { text: string } | undefined {
  const words = command.words;
  const at = programIndex(words);
  if (words[at]?.text !== 'source' && words[at]?.text !== '.') return undefined;
  const path = words[at + 1]?.text.replace(WORKSPACE_PREFIX, '').replace(/^\.\//, '');
  if (!path || path.includes('$')) return undefined;
  return repo.read(path);
}

/** A program of this step that receives a Claude credential, and whether it was passed on purpose. */
function opaqueRun(
  command: Command,
  step: Step,
  run: Value,
  scriptEnv: Map<string, Binding>,
  ctx: Context,
  bind: (name: string, raw: string, w: Word) => Binding,
  claudeSignal: boolean,
): { inv: Invocation; explicit: boolean } | undefined {
  const program = opaqueProgram(command);
  if (!program) return undefined;
  const docker = dockerEnvNames(command);
  let env: Map<string, Binding>;
  if (docker.length > 0 || /^(docker|podman)$/.test(program.text)) {
    // A container receives only what `-e` names.
    env = new Map();
    for (const d of docker) {
      const b = d.value === undefined ? scriptEnv.get(d.name) : bind(d.name, d.value, d.word);
      if (b)
        env.set(
          d.name,
          d.value === undefined ? { ...b, level: 'step', keySpan: run.spanAt(d.word.start, d.word.end) } : b,
        );
    }
  } else env = commandEnvironment(command.words, scriptEnv, bind);
  const credentials = liveCredentials(env.values());
  if (credentials.length === 0 || (needsClaudeSignal(credentials) && !claudeSignal)) return undefined;
  const shown = commandLabel(command);
  const inv = newInvocation('opaque', shown, run.spanAt(program.start, program.end), step, ctx, true);
  inv.bindings = env;
  applyRepoSettings(inv, ctx);
  inv.opaque = opaqueNote(`\`${shown}\``, credentials);
  return { inv, explicit: credentials.some((b) => b.level !== 'job' && b.level !== 'workflow') };
}

/** `FLAGS=(--print ...)` or `ARGS="-p ..."` earlier in the script: the expansion carries -p. */
function expansionsHoldPrint(names: string[], script: string): boolean {
  return names.some((name) => {
    const assigned = new RegExp(`(^|[\\s;])${name}\\+?=\\(?([^\\n]*)`, 'g');
    for (const m of script.matchAll(assigned))
      if (/(^|[\s("'])(-p|--print)(?=[\s)"']|$)/.test(m[2]!)) return true;
    return false;
  });
}

function isInstall(command: Command): boolean {
  return command.words.some((w) => ['install', 'i', 'add'].includes(w.text));
}

/** The words that start Claude Code: the package runner, if any, and the program. */
function claudeCommand(meaning: Extract<Meaning, { kind: 'claude-run' }>): string {
  return meaning.runner ? `${meaning.runner.name} ${meaning.program.text}` : meaning.program.text;
}

function claudeLabel(meaning: Extract<Meaning, { kind: 'claude-run' }>): string {
  const name = claudeCommand(meaning);
  return meaning.headless ? `${name} -p` : name;
}
