import { inputEffect } from '../flow/action-inputs.js';
import { officialActionEnvironment } from '../flow/action-environment.js';
import { scopeOf } from '../flow/boundaries.js';
import type { Environment } from '../flow/environment.js';
import type { Step, Value } from '../workflow/model.js';
import type { InvocationKind } from '../types.js';
import type { ActionRef } from './actions.js';
import { isSpendLimit } from './commands.js';
import { newInvocation, type Context, type Invocation, type JobState } from './invocations.js';

const KIND_OF_FLAVOUR: Record<ActionRef['flavour'], InvocationKind> = {
  v1: 'claude-code-action',
  legacy: 'claude-code-action',
  base: 'claude-code-base-action',
  lookalike: 'lookalike',
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
  const given = { uses: label, flavour: action.flavour, given: step.with };
  const received = officialActionEnvironment(given, env, scopeOf(ctx, env), ctx, state);
  const inv = newInvocation(KIND_OF_FLAVOUR[action.flavour], label, uses.span, step, ctx, true, received);
  inv.action = action;
  inv.ignoredInputs = received.ignoredInputs;
  if (received.claudeArgs) inv.maxTurns = received.claudeArgs.some((w) => isSpendLimit(w.text));
  if (step.with.some((e) => inputEffect(e.name, action.flavour) === 'spend-limit')) inv.maxTurns = true;
  return inv;
}
