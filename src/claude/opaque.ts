import { bindEntries } from '../flow/levels.js';
import { handedToAction, handedToWorkflow, scopeOf } from '../flow/boundaries.js';
import {
  CLAUDE_WORD,
  commandLabel,
  inOwnStep,
  isTestRunner,
  liveCredentials,
  liveRouteInputs,
  namedProgram,
  needsClaudeSignal,
  opaqueNote,
  opaqueProgram,
} from '../flow/consumers.js';
import { containerInputs, unreadEnvFile } from '../flow/container-inputs.js';
import { Environment, processEnvironment } from '../flow/environment.js';
import type { CommandFlow } from '../flow/command-flow.js';
import type { Command } from '../shell/reader.js';
import type { ActionMetadata, Job, Step, Value } from '../workflow/model.js';
import { newInvocation, type Context, type Invocation } from './invocations.js';

/**
 * Opaque consumers: processes the engine cannot see into that a Claude credential reaches (an action or
 * reusable workflow it cannot read, a Docker action's container, a program a script starts). Their row is
 * `inferred`: the route is what the credentials they receive select.
 */

/** A consumer, and whether the credential was handed to it on purpose (its own `env:`, `with:` or prefix). */
export interface Consumer {
  inv: Invocation;
  explicit: boolean;
  /** A program known only by its name (`mytool agent`), not one known to run code (an interpreter, a script). */
  byName?: boolean;
}

/** A reusable workflow the engine cannot read that receives a Claude credential: an opaque consumer. */
export function opaqueReusable(job: Job, uses: Value, ctx: Context): Invocation[] {
  const bindings = handedToWorkflow([...job.with, ...job.secrets], scopeOf(ctx, ctx.baseEnv), ctx.file);
  const credentials = liveCredentials(bindings.values());
  const label = uses.text.trim();
  if (credentials.length === 0) {
    // `secrets: inherit` hands over every secret; a workflow named for Claude then surely reads one.
    if (!job.secretsInherit || !/claude|anthropic/i.test(label)) return [];
    const inv = newInvocation(
      'opaque',
      label,
      uses.span,
      null,
      ctx,
      true,
      processEnvironment(Environment.empty()),
    );
    inv.opaque = `\`${label}\` inherits every secret; which Claude credential it reads was not checked`;
    inv.undecided = inv.opaque;
    return [inv];
  }
  const inv = newInvocation('opaque', label, uses.span, null, ctx, true, processEnvironment(bindings));
  inv.opaque = opaqueNote(`\`${label}\``, credentials);
  return [inv];
}

/**
 * A remote or unreadable action: a consumer when a Claude credential reaches it. What it runs is not
 * known, so an API key handed to it counts as it always has; a JavaScript or Docker action that was read
 * (`programAction`) passes `claudeSignal`: an API key alone then counts only where something says Claude.
 */
export function opaqueAction(
  step: Step,
  uses: Value,
  env: Environment,
  ctx: Context,
  claudeSignal = true,
): Consumer | undefined {
  const { bindings, explicit } = handedToAction(step.with, env, scopeOf(ctx, env), ctx.file);
  const credentials = explicit.length > 0 ? explicit : liveCredentials(env.values());
  if (credentials.length === 0) return undefined;
  if (needsClaudeSignal(liveCredentials(credentials)) && !claudeSignal) return undefined;
  const label = uses.text.trim();
  const inv = newInvocation('opaque', label, uses.span, step, ctx, true, processEnvironment(bindings));
  inv.opaque = opaqueNote(`\`${label}\``, liveRouteInputs(bindings.values()));
  return { inv, explicit: explicit.length > 0 };
}

export function isDockerAction(doc: ActionMetadata): boolean {
  return doc.using?.text.trim() === 'docker';
}

/** A Docker action: `runs.env` is what the container receives; what runs inside the image is not seen. */
export function dockerAction(doc: ActionMetadata, ctx: Context): Invocation[] {
  const env = ctx.baseEnv.fork();
  const at = { ...ctx, file: doc.file };
  bindEntries(env, doc.runsEnv, 'step', at);
  const credentials = liveCredentials(env.values());
  if (credentials.length === 0) return [];
  const where = doc.image ?? doc.using!;
  const label = `docker action ${doc.image?.text.trim() ?? ''}`.trim();
  const inv = newInvocation('opaque', label, where.span, null, at, true, processEnvironment(env));
  inv.opaque = opaqueNote(
    `the container image \`${doc.image?.text.trim() ?? 'of this action'}\``,
    credentials,
  );
  return [inv];
}

/**
 * The service containers of a job created with a Claude credential in their `env:`: each image runs a
 * program of its own beside the steps, which may be Claude Code, so each is a consumer, its row at the
 * credential's key. An API key alone counts only where the image, the service or the job says Claude.
 */
export function serviceContainers(job: Job, ctx: Context): Invocation[] {
  const out: Invocation[] = [];
  for (const service of job.services) {
    const env = Environment.empty();
    bindEntries(env, service.env, 'service', ctx);
    const credentials = liveCredentials(env.values());
    const image = service.image?.text.trim();
    const named = [image, service.name, ctx.jobId, ctx.job?.name?.text, ctx.workflow?.name?.text];
    if (credentials.length === 0) continue;
    if (needsClaudeSignal(credentials) && !named.some((t) => CLAUDE_WORD.test(t ?? ''))) continue;
    const label = `service ${service.name}`;
    const inv = newInvocation(
      'opaque',
      label,
      credentials[0]!.keySpan,
      null,
      ctx,
      true,
      processEnvironment(env),
    );
    const what = image
      ? `the service container \`${service.name}\` (image \`${image}\`)`
      : `the service container \`${service.name}\``;
    inv.opaque = opaqueNote(what, credentials);
    out.push(inv);
  }
  return out;
}

/**
 * A program a script starts that receives a Claude credential, in its own environment (a container: only
 * what `-e` names). An API key alone counts only where something in the job says Claude (`claudeSignal`).
 */
export function opaqueRun(
  command: Command,
  step: Step,
  run: Value,
  flow: CommandFlow,
  ctx: Context,
  claudeSignal: boolean,
): Consumer | undefined {
  const known = opaqueProgram(command);
  const program = known ?? namedProgram(command);
  if (!program) return undefined;
  const container = containerInputs(command, flow.readFile);
  const inContainer = container !== undefined;
  // An env file the repository does not hold may name any variable of the step, emptied or passed on.
  const unreadFile = container && unreadEnvFile(command, flow.readFile);
  const env =
    container && !unreadFile ? flow.containerEnvironment(container) : flow.commandEnvironment(command.words);
  const credentials = liveCredentials(env.values());
  if (credentials.length === 0 || (needsClaudeSignal(credentials) && !claudeSignal)) return undefined;
  const explicit = credentials.some((b) => b.level !== 'job' && b.level !== 'workflow');
  // A program known only by its name consumes what its own step hands it, not what the job leaves around.
  if (!known && !explicit) return undefined;
  // A project's tests are a consumer only when the credential is handed to them, not when it is in reach.
  if (isTestRunner(command) && !inOwnStep(credentials)) return undefined;
  const shown = commandLabel(command);
  const received = processEnvironment(env);
  if (unreadFile)
    received.undecided ??= `the container's variables come from the env file \`${unreadFile}\`, which only run time writes`;
  flow.programSettings(received, inContainer);
  const inv = newInvocation(
    'opaque',
    shown,
    run.spanAt(program.start, program.end),
    step,
    ctx,
    true,
    received,
  );
  inv.opaque = opaqueNote(`\`${shown}\``, credentials);
  return known ? { inv, explicit } : { inv, explicit, byName: true };
}

/** Whether an action runs code the engine does not read: JavaScript (`using: node*`) or a container. */
export function runsProgram(doc: ActionMetadata): boolean {
  const using = doc.using?.text.trim() ?? '';
  return using === 'docker' || /^node\d*$/.test(using);
}

/**
 * Whether the step (its address, name, or a `with:`/`env:` name such as `CLAUDE_CODE_USE_BEDROCK`), its job,
 * its workflow, the action's own name or what ran before says Claude: an API key alone then counts.
 */
export function actionSignal(
  step: Step,
  uses: Value,
  ctx: Context,
  claudeSeen: boolean,
  doc?: ActionMetadata,
): boolean {
  const words = [
    uses.text,
    step.name?.text,
    ctx.jobId,
    ctx.job?.name?.text,
    ctx.workflow?.name?.text,
    doc?.name?.text,
    ...[...step.with, ...step.env].map((entry) => entry.name),
  ];
  return claudeSeen || words.some((t) => CLAUDE_WORD.test(t ?? ''));
}

/**
 * A JavaScript or Docker action the scan read (in the repository, or remote when remote reading is on):
 * its code is not read, so it is a consumer when a Claude credential is handed to its step on purpose
 * (`with:` or the step's `env:`). A key merely in reach at job level makes no row: checkouts and
 * notifiers run beside keys all the time.
 */
export function programAction(
  step: Step,
  uses: Value,
  env: Environment,
  ctx: Context,
  doc: ActionMetadata,
  claudeSeen: boolean,
): Invocation[] {
  const consumer = opaqueAction(step, uses, env, ctx, actionSignal(step, uses, ctx, claudeSeen, doc));
  if (!consumer?.explicit) return [];
  const kind = doc.using?.text.trim() === 'docker' ? 'Docker' : 'JavaScript';
  consumer.inv.opaque = opaqueNote(
    `the ${kind} action \`${uses.text.trim()}\``,
    liveRouteInputs(consumer.inv.bindings.values()),
  );
  return [consumer.inv];
}
