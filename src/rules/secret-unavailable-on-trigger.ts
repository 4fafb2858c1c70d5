import type { Rule } from './rule.js';
import { runnerOf } from '../workflow/runner.js';
import { jobList, keepsForksOut, needingOnTrigger, plural, secretList } from './trigger-secrets.js';

/**
 * A run that needs a secret on `pull_request`, which gives a fork's or Dependabot's pull request none.
 * The opposite case, a trigger that does give the secrets to a job running the pull request's code, is
 * untrusted-checkout-with-secrets.
 */
export const secretUnavailableOnTrigger: Rule = {
  id: 'secret-unavailable-on-trigger',
  severity: 'warning',
  summary:
    'The route needs a secret on a trigger where it arrives empty (pull requests from forks and Dependabot).',
  silencedByAllow: true,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
  check({ doc, invocations }) {
    if (doc.kind !== 'workflow') return [];
    return doc.triggers
      .filter((trigger) => trigger.name === 'pull_request')
      .flatMap((trigger) => {
        const runs = needingOnTrigger(
          invocations,
          trigger,
          (inv) => !keepsForksOut(inv.jobNode?.if?.text) && !keepsForksOut(inv.stepNode?.if?.text),
        );
        if (runs.length === 0) return [];
        const { text, many } = secretList(runs);
        const fails = runs.every((r) => runnerOf(r) === 'github-hosted')
          ? 'fails (a GitHub-hosted runner has no stored login to fall back on)'
          : 'fails or falls back to a stored login';
        return [
          {
            file: doc.file,
            span: trigger.span,
            invocation: runs[0]!,
            concerns: runs.slice(1),
            message:
              `${jobList(runs)} ${plural(runs, 'needs', 'need')} ${text} on pull_request, but pull requests from forks and from Dependabot get no Actions secrets, so ${many ? 'they arrive' : 'it arrives'} empty and the Claude run ${fails}. ` +
              'Skip those runs with `if: github.event.pull_request.head.repo.full_name == github.repository` (and store the key as a Dependabot secret if Dependabot PRs need it).',
          },
        ];
      });
  },
};
