import type { Rule } from './rule.js';
import { credentialHops, credentialPlace, jobName } from './rule.js';

export const subscriptionTokenInCi: Rule = {
  id: 'subscription-token-in-ci',
  severity: 'error',
  summary: 'The credential that wins is a subscription OAuth token: a person’s plan pays for CI.',
  check({ invocations }) {
    return invocations
      .filter((inv) => inv.route.kind === 'subscription-oauth-token' && inv.route.winner)
      .map((inv) => {
        const winner = inv.route.winner!.origin;
        const what =
          winner.variable === 'stored-login'
            ? 'a written ~/.claude/.credentials.json'
            : winner.level === 'action-input'
              ? `an OAuth token passed as an action input`
              : `CLAUDE_CODE_OAUTH_TOKEN (${winner.level} env)`;
        return {
          ...credentialPlace(winner),
          invocation: inv,
          related: [
            ...credentialHops(winner),
            { file: inv.file, span: inv.span, label: 'the Claude run it bills' },
          ],
          message:
            `${jobName(inv)} bills ${inv.label} to a personal Claude subscription through ${what}, which draws that person’s plan and stops when its credit runs out. ` +
            'Use `ANTHROPIC_API_KEY` from a secret (or a cloud provider), or declare this route intended in .github/claude-route-guard.yml.',
        };
      });
  },
};
