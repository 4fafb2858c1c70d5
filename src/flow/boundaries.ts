import type { Matrix } from '../workflow/matrix.js';
import type { Entry, Job, Value, Workflow } from '../workflow/model.js';
import { resolveValue, type Binding, type Resolved, type Scope } from '../workflow/values.js';
import { liveCredentials, liveRouteInputs, variableForInput } from './consumers.js';
import { Environment } from './environment.js';

/**
 * Boundaries: what crosses from a caller into a composite action or reusable workflow (inputs, secrets),
 * what a file read without its caller leaves to that caller, and what an action or workflow the engine
 * cannot read most likely receives.
 */

/** A declared input's default, as a file read without its caller sees it: `undefined` when it has none. */
export type DeclaredInputs = Map<string, Resolved | undefined>;

/**
 * What `${{ inputs.* }}` and `${{ secrets.* }}` read in one file: the values a caller passes, or, for a
 * file read without its caller, the slots that caller decides.
 */
export interface CallerValues {
  inputs?: Map<string, Resolved>;
  declaredInputs?: DeclaredInputs;
  secrets?: 'inherit' | Map<string, Resolved>;
  callerSecrets?: Set<string>;
  /** `${{ matrix.* }}`: the combinations of the job's matrix (a composite action reads its caller's). */
  matrix?: Matrix;
  /** `${{ steps.<id>.outputs.* }}`: what the steps walked so far in this job (or composite action) wrote. */
  stepOutputs?: Map<string, Map<string, Resolved>>;
  /** `${{ needs.<id>.outputs.* }}`: the outputs of the jobs this one needs, walked before it. */
  needsOutputs?: Map<string, Map<string, Resolved>>;
  /** `${{ github.event_name }}` and `${{ github.event.inputs.* }}` where the files fix them. */
  events?: readonly string[];
  eventInputs?: Map<string, Resolved>;
}

/** The scope a `${{ }}` value of `file` is read in, with `env` as its env context. */
export function scopeOf(at: CallerValues & { file: string }, env: ReadonlyMap<string, Binding>): Scope {
  const scope: Scope = { file: at.file, env };
  if (at.inputs) scope.inputs = at.inputs;
  if (at.declaredInputs) scope.declaredInputs = at.declaredInputs;
  if (at.secrets) scope.secrets = at.secrets;
  if (at.callerSecrets) scope.callerSecrets = at.callerSecrets;
  if (at.matrix) scope.matrix = at.matrix;
  if (at.stepOutputs) scope.steps = at.stepOutputs;
  if (at.needsOutputs) scope.needs = at.needsOutputs;
  if (at.events) scope.events = at.events;
  if (at.eventInputs) scope.eventInputs = at.eventInputs;
  return scope;
}

/** What a caller hands a reusable workflow: its `with:` inputs and its secrets (`inherit`, or a map). */
export interface CallerHands {
  inputs?: Map<string, Resolved>;
  secrets?: 'inherit' | Map<string, Resolved>;
}

/**
 * Fills `into` with the defaults of declared inputs not in it yet, each read in the scope `at` of the file
 * that declares them; when that scope's declared inputs are `into`, a default sees those declared before it.
 */
export function declareInputs(
  inputs: DeclaredInput[],
  at: CallerValues & { file: string },
  into: DeclaredInputs,
): void {
  for (const input of inputs) {
    if (!into.has(input.name))
      into.set(
        input.name,
        input.default ? typed(input, resolveValue(input.default, scopeOf(at, new Map()))) : undefined,
      );
  }
}

/** An input as its callee declares it: a default, and for a reusable workflow's, whether it is a Boolean. */
type DeclaredInput = { name: string; default?: Value; boolean?: true };

/** A value as the declared input's type makes it: a Boolean input's stays a Boolean in expressions. */
function typed(input: DeclaredInput, value: Resolved): Resolved {
  return input.boolean ? { ...value, boolean: true } : value;
}

/**
 * The values `${{ inputs.* }}` and `${{ secrets.* }}` read in a workflow's jobs: the caller's, or, read
 * without a caller, its declared inputs and (for a workflow only others call) its declared secrets as
 * slots the caller decides.
 */
export function workflowValues(wf: Workflow, caller: CallerHands, declared: DeclaredInputs): CallerValues {
  const values: CallerValues = {};
  if (caller.inputs) values.inputs = caller.inputs;
  else if (wf.callInputs.length > 0) values.declaredInputs = declared;
  if (caller.secrets) values.secrets = caller.secrets;
  // Read on its own, a workflow only other workflows call gets its declared secrets from a caller.
  else if (wf.triggers.length > 0 && wf.triggers.every((t) => t.name === 'workflow_call'))
    values.callerSecrets = new Set(wf.callSecrets);
  declareInputs(wf.callInputs, { ...values, file: wf.file }, declared);
  const events = wf.triggers.map((t) => t.name);
  // A workflow others call runs on its caller's event, with its caller's inputs.
  if (events.length > 0 && !events.includes('workflow_call') && !caller.inputs) {
    values.events = events;
    if (wf.dispatchInputs.length > 0) dispatched(wf, values, declared);
  }
  return values;
}

/**
 * A dispatched workflow's inputs: what whoever dispatches it picks, one of the options of a `choice`, either
 * Boolean, any text for the rest (its default is only what the form starts with); empty on its other events.
 * `github.event.inputs.<name>` holds the same as text.
 */
function dispatched(wf: Workflow, values: CallerValues, declared: DeclaredInputs): void {
  const otherEvents = wf.triggers.some((t) => t.name !== 'workflow_dispatch');
  values.declaredInputs = declared;
  values.eventInputs = new Map();
  for (const input of wf.dispatchInputs) {
    const span = input.default?.span ?? input.nameSpan;
    const picked = input.boolean ? ['true', 'false'] : input.options;
    const value: Resolved = {
      presence: 'maybe',
      form: 'input',
      secrets: [],
      vars: [],
      inputs: [input.name],
      why: `is what whoever dispatches the workflow gives input \`${input.name}\``,
      file: wf.file,
      span,
    };
    if (picked && picked.length > 0) {
      value.possible = otherEvents ? [...new Set([...picked, ''])] : picked;
      if (!value.possible.includes('')) value.presence = 'set';
    }
    declared.set(input.name, input.boolean ? { ...value, boolean: true } : value);
    values.eventInputs.set(input.name, value);
  }
}

/**
 * The inputs a caller hands a composite action or a reusable workflow, at that boundary: each `with:`
 * entry read in the caller's scope, else the callee's declared default, read in the callee's file.
 *
 * `defaultEnv` is what `${{ env.* }}` in a default reads, and the one way the two kinds of callee differ:
 * a composite action's defaults read the calling step's env, a reusable workflow's read none (GitHub
 * offers no env context to `on.workflow_call.inputs.<id>.default`). Neither default sees the other inputs.
 */
export function calleeInputs(
  given: Entry[],
  callerScope: Scope,
  declared: DeclaredInput[],
  calleeFile: string,
  defaultEnv: ReadonlyMap<string, Binding>,
): Map<string, Resolved> {
  const inputs = new Map<string, Resolved>();
  for (const entry of given) inputs.set(entry.name, resolveValue(entry.value, callerScope));
  for (const input of declared) {
    if (!inputs.has(input.name) && input.default)
      inputs.set(input.name, resolveValue(input.default, { file: calleeFile, env: defaultEnv }));
    const value = inputs.get(input.name);
    if (value) inputs.set(input.name, typed(input, value));
  }
  return inputs;
}

/** The secrets a job hands the reusable workflow it calls: `inherit` passes on what it has itself. */
export function calleeSecrets(
  job: Job,
  callerScope: Scope,
  callerSecrets: CallerValues['secrets'],
): 'inherit' | Map<string, Resolved> {
  if (job.secretsInherit) return callerSecrets ?? 'inherit';
  const secrets = new Map<string, Resolved>();
  for (const entry of job.secrets) secrets.set(entry.name, resolveValue(entry.value, callerScope));
  return secrets;
}

/**
 * What a reusable workflow the engine cannot read receives: the variable each input or secret most likely
 * becomes inside it, the first that names a variable winning.
 */
export function handedToWorkflow(entries: Entry[], scope: Scope, file: string): Environment {
  const bindings = Environment.empty();
  for (const entry of entries) {
    const value = resolveValue(entry.value, scope);
    const variable = variableForInput(entry.name, value);
    if (variable && !bindings.has(variable))
      bindings.set(variable, { variable, level: 'reusable-workflow', value, file, keySpan: entry.nameSpan });
  }
  return bindings;
}

/**
 * What an action the engine cannot read receives: the step's env, and the variable each input most likely
 * becomes; `explicit` are the credentials (and switches turned on) handed to this step on purpose, in its
 * own `env:` or `with:`.
 */
export function handedToAction(
  given: Entry[],
  env: Environment,
  scope: Scope,
  file: string,
): { bindings: Environment; explicit: Binding[] } {
  const bindings = env.fork();
  const explicit: Binding[] = liveCredentials([...env.values()].filter((b) => b.level === 'step'));
  for (const entry of given) {
    const value = resolveValue(entry.value, scope);
    const variable = variableForInput(entry.name, value);
    if (!variable) continue;
    const b: Binding = { variable, level: 'action-input', value, file, keySpan: entry.nameSpan };
    bindings.set(variable, b);
    explicit.push(...liveRouteInputs([b]));
  }
  return { bindings, explicit };
}
