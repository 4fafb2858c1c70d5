import { FLAVOUR_TRAITS, inputEffect } from '../flow/action-inputs.js';
import { officialActionEnvironment } from '../flow/action-environment.js';
import { scopeOf } from '../flow/boundaries.js';
import type { Environment } from '../flow/environment.js';
import type { Step, Value } from '../workflow/model.js';
import type { InvocationKind } from '../types.js';
import { releaseOf, type Release } from '../flow/action-versions.js';
import { hasReleases, type ActionRef } from './actions.js';
import { isSpendLimit } from './commands.js';
import { newInvocation, type Context, type Invocation, type JobState } from './invocations.js';
import { switchValueState } from './precedence.js';

const KIND_OF_FLAVOUR: Record<ActionRef['flavour'], InvocationKind> = {
  v1: 'claude-code-action',
  legacy: 'claude-code-action',
  base: 'claude-code-base-action',
  lookalike: 'lookalike',
  'security-review': 'claude-code-security-review',
};

/** A step that uses the official action (or a look-alike of it): a Claude run, headless, with what its inputs give it. */
export function actionInvocation(
  step: Step,
  uses: Value,
  action: ActionRef,
  env: Environment,
  ctx: Context,
  state: JobState,
): Invocation {
  const label = uses.text.trim();
  const release = hasReleases(action) ? releaseAt(action, uses, ctx) : undefined;
  const restrictedEnv = env.get('CLAUDE_CODE_RESTRICTED')?.value;
  const given = {
    uses: label,
    flavour: action.flavour,
    given: step.with,
    ...(release ? { release } : {}),
    restricted: restrictedEnv !== undefined && switchValueState(restrictedEnv) === 'on',
  };
  const received = officialActionEnvironment(given, env, scopeOf(ctx, env), ctx, state);
  const inv = newInvocation(KIND_OF_FLAVOUR[action.flavour], label, uses.span, step, ctx, true, received);
  inv.action = action;
  if (release) inv.release = release;
  inv.ignoredInputs = received.ignoredInputs;
  if (received.claudeArgs) inv.maxTurns = received.claudeArgs.some((w) => isSpendLimit(w.text));
  if (step.with.some((e) => inputEffect(e.name, action.flavour) === 'spend-limit')) inv.maxTurns = true;
  if (FLAVOUR_TRAITS[action.flavour].bounded) inv.maxTurns = true;
  return inv;
}

/** A version a comment beside the ref names (`@<sha> # v1.0.111`): a hint, never the fact. */
const COMMENT_VERSION = /^\s+#\s*(v\d+(?:\.\d+){0,2})\b/;

/** The release the step's ref runs: by its tag, through the table, or by its action.yml read remotely. */
function releaseAt(action: ActionRef, uses: Value, ctx: Context): Release {
  const after = ctx.workflow?.source.lineText(uses.span.endLine).slice(uses.span.endColumn - 1) ?? '';
  const hint = COMMENT_VERSION.exec(after)?.[1];
  const read = ctx.repo.remote?.('action', {
    owner: action.owner,
    repo: action.repo,
    path: '',
    ref: action.ref,
  });
  const actionYml =
    read && 'parsed' in read ? (read.parsed.kind === 'action' ? read.parsed : undefined) : read;
  return releaseOf(action.ref, hint, actionYml);
}
