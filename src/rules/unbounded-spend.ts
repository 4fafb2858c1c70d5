import type { Draft, Rule, RoutedInvocation } from './rule.js';
import { jobName, runsOnlyWhenCalled } from './rule.js';
import type { ActionMetadata, Workflow } from '../workflow/model.js';

/** A limit that stops the run on its own: a turn or budget flag, or a timeout on its job or step. */
function limited(inv: RoutedInvocation): boolean {
  return inv.maxTurns || Boolean(inv.jobNode?.timeoutMinutes) || Boolean(inv.stepNode?.timeoutMinutes);
}

/** What to add, where GitHub accepts it. */
function advice(inv: RoutedInvocation): string {
  const flags = '`--max-turns 20` or `--max-budget-usd 5`';
  const args =
    inv.kind === 'claude-code-action' || inv.kind === 'claude-code-base-action'
      ? `${flags} in the action's \`claude_args\``
      : `${flags} to the Claude arguments`;
  return `Add \`timeout-minutes: 30\` to the job or to this step, or ${args}.`;
}

/**
 * What a missing limit rests on: the files, except in a reusable workflow read without its caller, whose
 * inputs a caller fills (a turn limit through `claude_args`, say). The run's route is beside the point.
 */
function sureness(
  doc: Workflow | ActionMetadata,
  inv: RoutedInvocation,
): Pick<Draft, 'confidence' | 'restsOn'> {
  if (!runsOnlyWhenCalled(doc) || inv.hops.length > 0) return {};
  return {
    confidence: 'medium',
    restsOn: 'read without its caller, which may pass a limit through its inputs',
  };
}

export const unboundedSpend: Rule = {
  id: 'unbounded-spend',
  severity: 'notice',
  summary:
    'A headless Claude run with no timeout-minutes (job or step), --max-turns or --max-budget-usd can bill until the 6-hour job limit.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  // Claude runs only (no opaque program, no look-alike): whether one has a limit is in the files.
  confidence: 'fact',
  // A reusable workflow whose every caller passes a turn limit (`claude_args`, an input) is bounded.
  settledByCaller: limited,
  check({ doc, invocations }) {
    return invocations
      .filter(
        (inv) =>
          inv.headless &&
          inv.kind !== 'lookalike' &&
          // Whether a process the engine did not see into bounds its turns is not known.
          !inv.opaque &&
          inv.job !== '(composite)' &&
          // A job that calls a reusable workflow takes no timeout-minutes; the callee's own job is judged
          // where it is written.
          !(inv.kind === 'reusable-workflow' && inv.jobNode?.uses) &&
          !limited(inv),
      )
      .filter((inv) => inv.route.kind !== 'subscription-login')
      .map((inv) => ({
        file: inv.file,
        span: inv.span,
        invocation: inv,
        ...sureness(doc, inv),
        message:
          `${jobName(inv)} runs ${inv.label} with no limit (no \`timeout-minutes\` on the job or step, no \`--max-turns\` or \`--max-budget-usd\`), so a loop keeps billing until GitHub’s 6-hour job limit. ` +
          advice(inv),
      }));
  },
};
