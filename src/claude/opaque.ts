import { bindEntries } from '../flow/levels.js';
import { handedToAction, handedToWorkflow, scopeOf } from '../flow/boundaries.js';
import {
  commandLabel,
  dockerEnvNames,
  liveCredentials,
  liveRouteInputs,
  needsClaudeSignal,
  opaqueNote,
  opaqueProgram,
} from '../flow/consumers.js';
import { Environment, processEnvironment } from '../flow/environment.js';
import type { ScriptFlow } from '../flow/script.js';
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

/** A remote or unreadable action: a consumer when a Claude credential reaches it. */
export function opaqueAction(step: Step, uses: Value, env: Environment, ctx: Context): Consumer | undefined {
  const { bindings, explicit } = handedToAction(step.with, env, scopeOf(ctx, env), ctx.file);
  const credentials = explicit.length > 0 ? explicit : liveCredentials(env.values());
  if (credentials.length === 0) return undefined;
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
 * A program a script starts that receives a Claude credential, in its own environment (a container: only
 * what `-e` names). An API key alone counts only where something in the job says Claude (`claudeSignal`).
 */
export function opaqueRun(
  command: Command,
  step: Step,
  run: Value,
  flow: ScriptFlow,
  ctx: Context,
  claudeSignal: boolean,
): Consumer | undefined {
  const program = opaqueProgram(command);
  if (!program) return undefined;
  const docker = dockerEnvNames(command);
  const inContainer = docker.length > 0 || /^(docker|podman)$/.test(program.text);
  const env = inContainer ? flow.containerEnvironment(docker) : flow.commandEnvironment(command.words);
  const credentials = liveCredentials(env.values());
  if (credentials.length === 0 || (needsClaudeSignal(credentials) && !claudeSignal)) return undefined;
  const shown = commandLabel(command);
  const received = processEnvironment(env);
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
  return { inv, explicit: credentials.some((b) => b.level !== 'job' && b.level !== 'workflow') };
}
