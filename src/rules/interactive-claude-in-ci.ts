import { scriptFacts } from '../claude/commands.js';
import { SUBSCRIPTION_ROUTES } from '../claude/proof.js';
import { runnerOf } from '../workflow/runner.js';
import type { Draft, RoutedInvocation, Rule } from './rule.js';
import { jobName, stepsOf } from './rule.js';

/** Whether a stored login can be there to pay: a runner that may keep one, or a route that may be a plan. */
function mayBillAPlan(inv: RoutedInvocation): boolean {
  if (runnerOf(inv) !== 'github-hosted') return true;
  return [inv.route.kind, ...inv.route.outcomes].some((k) => SUBSCRIPTION_ROUTES.includes(k));
}

export const interactiveClaudeInCi: Rule = {
  id: 'interactive-claude-in-ci',
  severity: 'error',
  summary: '`claude` without -p/--print in a job, or login, logout, setup-token or /login in a workflow.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'job',
  confidence: 'route',
  check({ doc, invocations }) {
    const out: Draft[] = invocations
      .filter((inv) => inv.kind === 'cli' && !inv.headless && !inv.argsUnknown)
      .map((inv) => {
        const start = `${jobName(inv)} starts Claude Code interactively (\`${inv.label}\` without -p), which waits for a person who is not there`;
        const fix = 'Run it headless: `claude -p "..." --max-turns N`.';
        if (!mayBillAPlan(inv))
          return {
            file: inv.file,
            span: inv.span,
            invocation: inv,
            // A fresh GitHub-hosted machine holds no login, and the route is API-side: the run hangs or
            // fails, which is a broken step, not a plan that pays.
            severity: 'warning',
            message: `${start} (interactive mode also asks once before it uses ANTHROPIC_API_KEY), so the step hangs until its timeout or fails. ${fix}`,
          };
        return {
          file: inv.file,
          span: inv.span,
          invocation: inv,
          message: `${start} and can fall back to a stored login. ${fix}`,
        };
      });
    for (const { step, jobId } of stepsOf(doc)) {
      // A sign-in command names claude; other scripts need no reading.
      if (!step.run || !step.run.text.includes('claude')) continue;
      const run = step.run;
      const { meanings } = scriptFacts(run);
      for (const m of meanings) {
        if (m.kind !== 'claude-auth') continue;
        const where = jobName(jobId);
        out.push({
          file: doc.file,
          span: run.spanAt(m.subcommand.start, m.subcommand.end),
          message:
            `${where} runs \`claude ${m.subcommand.text}\`, an interactive sign-in command that ties CI to a person’s login (or hangs waiting for a browser). ` +
            'Give the job an API-side credential instead: `ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}`.',
        });
      }
    }
    return out;
  },
};
