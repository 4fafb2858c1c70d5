import type { Rule } from './rule.js';
import { jobName } from './rule.js';

export const unboundedSpend: Rule = {
  id: 'unbounded-spend',
  severity: 'notice',
  summary:
    'A headless Claude job with neither timeout-minutes nor --max-turns can bill until the 6-hour job limit.',
  check({ invocations }) {
    return invocations
      .filter(
        (inv) =>
          inv.headless &&
          inv.kind !== 'lookalike' &&
          // Whether a process the engine did not see into bounds its turns is not known.
          !inv.opaque &&
          inv.job !== '(composite)' &&
          !inv.maxTurns &&
          !inv.jobNode?.timeoutMinutes,
      )
      .filter((inv) => inv.route.kind !== 'subscription-login')
      .map((inv) => ({
        file: inv.file,
        span: inv.span,
        invocation: inv,
        message:
          `${jobName(inv)} runs ${inv.label} with neither \`timeout-minutes\` on the job nor \`--max-turns\`, so a loop keeps billing until GitHub’s 6-hour job limit. ` +
          'Add `timeout-minutes: 30` to the job, or `--max-turns` to the Claude arguments.',
      }));
  },
};
