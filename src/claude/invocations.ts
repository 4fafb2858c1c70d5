import type { Level, Span } from '../types.js';
import type { ActionMetadata, Entry, Job, Parsed, Step, Value, Workflow } from '../workflow/model.js';
import { SourceFile } from '../workflow/source.js';
import { claudeAction, FORK_OAUTH_INPUTS, misnamedInput, type ActionRef } from './actions.js';
import { commandAssignments, importsAgentSdk, meaningOf, programIndex, type Meaning } from './commands.js';
import { parseShell, type Command, type Word } from './shell.js';
import { readSettings } from './settings.js';
import { emptyValue, resolveText, resolveValue, type Binding, type Resolved, type Scope } from './values.js';

/** The repository around the scanned files: local actions, reusable workflows and settings live there. */
export interface Repo {
  /** A file by its path from the repository root; `file` is how reports name it. */
  read(relPath: string): { file: string; text: string } | undefined;
  parse(relPath: string): Parsed | undefined;
}

export type InvocationKind =
  | 'claude-code-action'
  | 'claude-code-base-action'
  | 'cli'
  | 'agent-sdk'
  | 'reusable-workflow'
  | 'composite-action'
  | 'lookalike';

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
  headless: boolean;
  /** Route variables that reach Claude, one per variable, narrowest level winning. */
  bindings: Map<string, Binding>;
  /** Set in the workflow but stopped before Claude (cancelled by the action, hidden by an unset input). */
  hidden: { binding: Binding; why: string }[];
  ignoredInputs: { entry: Entry; suggestion: string; value: Resolved }[];
  maxTurns: boolean;
  bare: boolean;
  /** The arguments come from a shell variable this reader cannot see into. */
  argsUnknown?: boolean;
  notes: string[];
  /** The objects the rules read for context. */
  workflow?: Workflow;
  jobNode?: Job;
  stepNode?: Step;
  /** `uses: owner/repo@ref` for actions. */
  action?: ActionRef;
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
const CREDENTIALS_FILE = /\.claude\/\.credentials\.json\b/;

function scopeOf(ctx: Context, env: Map<string, Binding>): Scope {
  const scope: Scope = { file: ctx.file, env };
  if (ctx.inputs) scope.inputs = ctx.inputs;
  if (ctx.declaredInputs) scope.declaredInputs = ctx.declaredInputs;
  if (ctx.secrets) scope.secrets = ctx.secrets;
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
    return analyzeSteps(doc.steps, ctx);
  }
  return analyzeWorkflow(doc, repo, {}, 0, problems, { budget: newBudget(), chain: [] });
}

function analyzeWorkflow(
  wf: Workflow,
  repo: Repo,
  caller: { inputs?: Map<string, Resolved>; secrets?: 'inherit' | Map<string, Resolved> },
  depth: number,
  problems: AnalysisProblem[],
  trail: Pick<Context, 'budget' | 'chain'>,
): Invocation[] {
  const out: Invocation[] = [];
  const declaredInputs = new Map<string, Resolved | undefined>();
  for (const job of wf.jobs) {
    const ctx = jobContext(wf, job, repo, depth, problems, caller, declaredInputs, trail);
    if (job.uses) out.push(...reusableWorkflow(job, job.uses, ctx));
    else out.push(...analyzeSteps(job.steps, ctx));
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
  caller: { inputs?: Map<string, Resolved>; secrets?: 'inherit' | Map<string, Resolved> } = {},
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
  if (caller.secrets) ctx.secrets = caller.secrets;
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
  return ctx;
}

/** The env a job's steps start with (workflow and job level): what a probe in that job sees. */
export function jobEnvironment(wf: Workflow, job: Job, repo: Repo): Map<string, Binding> {
  return jobContext(wf, job, repo, 0, []).baseEnv;
}

function localPath(uses: string): string | undefined {
  if (!uses.startsWith('./')) return undefined;
  return uses.slice(2).replace(/\/+$/, '');
}

function reusableWorkflow(job: Job, uses: Value, ctx: Context): Invocation[] {
  const path = localPath(uses.text.trim());
  if (!path || ctx.depth >= MAX_DEPTH) return [];
  const callee = ctx.repo.parse(path);
  if (!callee || callee.kind !== 'workflow') {
    if (!callee)
      ctx.problems.push({
        file: ctx.file,
        span: uses.span,
        message: `reusable workflow \`${uses.text}\` was not found in the repository, so its Claude runs cannot be checked`,
      });
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
  if (!mayExpand(ctx, callee.file, uses.span)) return [];
  const inner = analyzeWorkflow(callee, ctx.repo, { inputs, secrets }, ctx.depth + 1, ctx.problems, {
    budget: ctx.budget,
    chain: [...ctx.chain, ctx.file],
  });
  return inner.map((inv) => wrap(inv, 'reusable-workflow', uses, ctx, null));
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
    label: `${uses.text.trim()} → ${inv.inner?.label ?? inv.label}`,
    file: ctx.file,
    span: uses.span,
    job: ctx.jobId,
    jobSpan: ctx.jobSpan,
    step: step ? stepLabel(step) : null,
    inner: inv.inner ?? { file: inv.file, span: inv.span, label: inv.label, kind: inv.kind },
  };
  if (ctx.workflow) wrapped.workflow = ctx.workflow;
  if (ctx.job) wrapped.jobNode = ctx.job;
  if (step) wrapped.stepNode = step;
  return wrapped;
}

interface JobState {
  githubEnv: Map<string, Binding>;
  storedLogin?: Binding;
  sdkSeen: boolean;
}

function analyzeSteps(
  steps: Step[],
  ctx: Context,
  state: JobState = { githubEnv: new Map(), sdkSeen: false },
): Invocation[] {
  const out: Invocation[] = [];
  for (const step of steps) {
    const env = new Map(ctx.baseEnv);
    for (const [k, v] of state.githubEnv) env.set(k, v);
    applyEntries(env, step.env, 'step', ctx);
    if (step.uses) {
      const uses = step.uses.text.trim();
      const action = claudeAction(uses);
      if (action) out.push(actionInvocation(step, step.uses, action, env, ctx, state));
      else if (uses.startsWith('./')) out.push(...compositeAction(step, step.uses, env, ctx, state));
    }
    if (step.run) out.push(...runInvocations(step, step.run, env, ctx, state));
  }
  return out;
}

function compositeAction(
  step: Step,
  uses: Value,
  env: Map<string, Binding>,
  ctx: Context,
  state: JobState,
): Invocation[] {
  const dir = localPath(uses.text.trim());
  if (dir === undefined || ctx.depth >= MAX_DEPTH) return [];
  const parsed = ['action.yml', 'action.yaml']
    .map((name) => ctx.repo.parse(dir ? `${dir}/${name}` : name))
    .find((p) => p !== undefined);
  if (!parsed || parsed.kind !== 'action') {
    if (!parsed)
      ctx.problems.push({
        file: ctx.file,
        span: uses.span,
        message: `local action \`${uses.text}\` was not found in the repository, so its Claude runs cannot be checked`,
      });
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
  // A composite action shares the job's files and $GITHUB_ENV with its caller.
  return analyzeSteps(parsed.steps, inner, state).map((inv) =>
    wrap(inv, 'composite-action', uses, ctx, step),
  );
}

function newInvocation(
  kind: InvocationKind,
  label: string,
  span: Span,
  step: Step,
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
    step: stepLabel(step),
    headless,
    bindings: new Map(),
    hidden: [],
    ignoredInputs: [],
    maxTurns: false,
    bare: false,
    notes: [],
    stepNode: step,
  };
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
    inv.maxTurns = words.some((w) => w.text === '--max-turns' || w.text.startsWith('--max-turns='));
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
  applyRepoSettings(inv, ctx);
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
function applyRepoSettings(inv: Invocation, ctx: Context): void {
  // Settings files override the process environment, but a `--settings` flag outranks them.
  const explicit = new Map(inv.bindings);
  for (const path of SETTINGS_FILES) {
    const found = ctx.repo.read(path);
    if (found) applySettingsFile(inv, found.file, found.text, ctx);
  }
  for (const [k, b] of explicit) if (b.level === 'settings-file') inv.bindings.set(k, b);
}

function applyStoredLogin(inv: Invocation, state: JobState): void {
  if (state.storedLogin) inv.bindings.set('stored-login', state.storedLogin);
}

// ---------------------------------------------------------------------------------------------------
// run: scripts

const SHELL_REF = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

function shellValue(
  text: string,
  env: Map<string, Binding>,
  scope: Scope,
  file: string,
  span: Span,
): Resolved {
  if (text.includes('${{')) return resolveText(text, scope, file, span);
  const ref = SHELL_REF.exec(text);
  if (ref) {
    const bound = env.get(ref[1]!);
    if (bound) return bound.value;
    return {
      ...emptyValue(file, span),
      presence: 'maybe',
      form: 'expression',
      why: `comes from the shell variable $${ref[1]}, set at run time`,
    };
  }
  if (text.includes('$'))
    return {
      ...emptyValue(file, span),
      presence: 'maybe',
      form: 'expression',
      why: 'is computed by the script at run time',
    };
  return resolveText(text, scope, file, span);
}

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

function writesGithubEnv(command: Command): boolean {
  return command.redirects.some(
    (r) => (r.op === '>>' || r.op === '>') && /GITHUB_ENV/.test(r.target?.text ?? ''),
  );
}

/** Words without which a script can neither start Claude nor set a route for it. */
const MAY_MATTER = /claude|anthropic|agent.sdk|agent_sdk|code_sdk|\.sh\b/i;
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

function runInvocations(
  step: Step,
  run: Value,
  stepEnv: Map<string, Binding>,
  ctx: Context,
  state: JobState,
): Invocation[] {
  // After an SDK install any script run may be the agent; before it, most scripts can be skipped unread.
  if (!state.sdkSeen && !MAY_MATTER.test(run.text)) return [];
  const out: Invocation[] = [];
  const { commands, meanings } = scriptFacts(run);
  const scope = scopeOf(ctx, stepEnv);
  const scriptEnv = new Map(stepEnv);
  const span = (w: Word): Span => run.spanAt(w.start, w.end);
  let sdkRunInStep = false;
  const groupStart: number[] = [];

  commands.forEach((command, index) => {
    const meaning = meanings[index]!;
    const words = command.words;
    const program = words[programIndex(words)];
    // export NAME=value earlier in the same script reaches later commands.
    if (!command.nested && program && (program.text === 'export' || program.text === 'declare')) {
      for (const w of words.slice(programIndex(words) + 1)) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
        if (m) {
          scriptEnv.set(m[1]!, {
            variable: m[1]!,
            level: 'script',
            file: ctx.file,
            keySpan: span(w),
            value: shellValue(m[2]!, scriptEnv, scope, ctx.file, span(w)),
          });
        }
      }
    }
    if (!command.nested && program?.text === 'unset')
      for (const w of words.slice(1)) scriptEnv.delete(w.text);
    if (words[0]?.text === '{') groupStart.push(index);
    if (writesGithubEnv(command)) {
      const from = words[0]?.text === '}' ? (groupStart.pop() ?? index) : index;
      for (const b of githubEnvWrites(commands.slice(from, index + 1), run, scriptEnv, scope, ctx))
        state.githubEnv.set(b.variable, b);
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
    const importsSdk = importsAgentSdk(command);
    if (meaning.kind === 'sdk-install') state.sdkSeen = true;

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
      for (const inv of runInvocations(step, body, scriptEnv, inner, state)) {
        out.push({
          ...inv,
          file: ctx.file,
          span: span(script),
          label: `${script.text} → ${inv.label}`,
          inner: inv.inner ?? { file: inv.file, span: inv.span, label: inv.label, kind: inv.kind },
        });
      }
    }
    if (meaning.kind === 'claude-run') {
      const first = meaning.runner?.word ?? meaning.program;
      const where = run.spanAt(first.start, meaning.program.end);
      const headless = meaning.headless || expansionsHoldPrint(meaning.expandedArgs, run.text);
      const inv = newInvocation('cli', claudeLabel(meaning), where, step, ctx, headless);
      if (!meaning.headless && meaning.expandedArgs.length > 0 && !headless) {
        inv.notes.push(
          `its arguments come from ${meaning.expandedArgs.map((a) => `$${a}`).join(', ')}, which may hold -p`,
        );
        inv.argsUnknown = true;
      }
      const env = new Map(scriptEnv);
      for (const w of commandAssignments(words)) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text)!;
        env.set(m[1]!, {
          variable: m[1]!,
          level: 'script',
          file: ctx.file,
          keySpan: span(w),
          value: shellValue(m[2]!, scriptEnv, scope, ctx.file, span(w)),
        });
      }
      for (const [k, b] of env) inv.bindings.set(k, b);
      inv.maxTurns = meaning.maxTurns;
      inv.bare = meaning.bare || env.get('CLAUDE_CODE_SIMPLE')?.value.literal === '1';
      applyRepoSettings(inv, ctx);
      if (meaning.settings) applySettingsWord(inv, meaning.settings, run, scope, ctx);
      applyStoredLogin(inv, state);
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
      for (const [k, b] of scriptEnv) inv.bindings.set(k, b);
      applyRepoSettings(inv, ctx);
      applyStoredLogin(inv, state);
      out.push(inv);
    }
    if (importsSdk) state.sdkSeen = true;
  });
  return out;
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

function claudeLabel(meaning: Extract<Meaning, { kind: 'claude-run' }>): string {
  const name = meaning.runner ? `${meaning.runner.name} ${meaning.program.text}` : meaning.program.text;
  return meaning.headless ? `${name} -p` : name;
}

function credentialsFileTarget(command: Command): Word | undefined {
  for (const r of command.redirects)
    if (r.target && (r.op === '>' || r.op === '>>') && CREDENTIALS_FILE.test(r.target.text)) return r.target;
  const name = command.words[programIndex(command.words)]?.text;
  if (name === 'tee' || name === 'cp' || name === 'mv' || name === 'install' || name === 'ln') {
    const target = command.words
      .slice(1)
      .reverse()
      .find((w) => !w.text.startsWith('-'));
    if (target && CREDENTIALS_FILE.test(target.text)) return target;
  }
  return undefined;
}

function githubEnvWrites(
  group: Command[],
  run: Value,
  env: Map<string, Binding>,
  scope: Scope,
  ctx: Context,
): Binding[] {
  const out: Binding[] = [];
  const add = (assignment: string, start: number, end: number): void => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(assignment.trim());
    if (!m) return;
    const span = run.spanAt(start, end);
    out.push({
      variable: m[1]!,
      level: 'github-env',
      file: ctx.file,
      keySpan: span,
      value: shellValue(m[2]!, env, scope, ctx.file, span),
    });
  };
  for (const command of group) {
    const index = programIndex(command.words);
    const name = command.words[index]?.text;
    if (name === 'echo' || name === 'printf') {
      const args = command.words.slice(index + 1).filter((w) => !/^-[neE]+$/.test(w.text));
      const first = args[0];
      if (first)
        add(
          args
            .map((w) => w.text)
            .join(' ')
            .replace(/\\n$/, ''),
          first.start,
          args[args.length - 1]!.end,
        );
    }
    for (const heredoc of command.heredocs) {
      let offset = heredoc.bodyStart;
      for (const line of heredoc.body.split('\n')) {
        if (line.trim()) add(line, offset, offset + line.length);
        offset += line.length + 1;
      }
    }
  }
  return out;
}
