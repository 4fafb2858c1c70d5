import { sameRoute, SUBSCRIPTION_ROUTES, type DecidedBy } from '../claude/proof.js';
import type { RouteKind } from '../types.js';
import type { ProvedRun, RunRule } from './run-rule.js';

/** Who pays for a proved route, in a phrase. */
const PAYER: Record<RouteKind, string> = {
  'api-key': 'the Console organisation that owns that key',
  'api-key-helper': 'the Console organisation of the key the helper printed',
  'console-login': 'the Console organisation of a login stored on the runner',
  'workload-identity': 'the Console organisation the federation or profile names',
  bedrock: 'the AWS account',
  vertex: 'the Google Cloud project',
  foundry: 'the Azure subscription',
  'gateway-token': 'whoever owns the gateway credential',
  'subscription-oauth-token':
    "a person's claude.ai plan, from the usage windows they share with their own work",
  'subscription-login': "a person's claude.ai plan, from the usage windows they share with their own work",
  unknown: 'someone the log does not name',
};

/** What the log showed, in words made of enums and numbers only. */
function evidence(run: ProvedRun): string {
  const e = run.evidence;
  const providers =
    e.providers.length > 0 ? `provider ${e.providers.join(', ')}` : 'no provider in modelUsage';
  const events = `${e.rateLimitEvents} rate-limit event${e.rateLimitEvents === 1 ? '' : 's'}`;
  const said: Record<DecidedBy, string> = {
    'api-key-source': `its log says apiKeySource ${e.apiKeySource}`,
    'cloud-provider': `its log says apiKeySource none and ${providers}`,
    'gateway-provider': `its log says apiKeySource none and ${providers}`,
    'rate-limit-events': `its log holds ${events}, which Claude Code sends only on a claude.ai subscription (apiKeySource none, ${providers})`,
    'declared-credentials': `its log says apiKeySource none, ${providers} and no rate-limit events, and of the credentials that leaves open only this one is in play`,
    none: 'its log does not say',
  };
  return said[run.proof.decidedBy];
}

export const runRouteMismatch: RunRule = {
  id: 'run-route-mismatch',
  severity: 'error',
  summary: "A Claude run's own log proves it used another route than the one its workflow declares.",
  // The proof is checked on its own step, where no policy allow applies and no static verdict is made.
  silencedByAllow: false,
  annotation: 'route',
  reach: 'none',
  check({ run, log, declared }) {
    const proved = run.proof.route;
    if (!declared || proved === 'unknown' || declared.route === 'unknown') return [];
    if (sameRoute(proved, declared.route, declared.variable)) return [];
    const what = declared.variable ? ` (${declared.variable})` : '';
    const fix = SUBSCRIPTION_ROUTES.includes(proved)
      ? 'The declared credential did not reach Claude Code, so it fell back to a subscription: check that the secret is set for this event (fork pull requests and Dependabot get none) and that the step passes it; on a self-hosted runner, sign the stored login out.'
      : 'Pass the declared credential to the Claude step, or remove the one that won on the runner (a job-level or $GITHUB_ENV variable, a settings file, a stored login).';
    return [
      {
        message:
          `${declared.declaredBy} ${declared.route}${what}, but run ${run.run} of ${log} used ${proved}: ${evidence(run)}. ` +
          `So ${PAYER[proved]} paid for it. ${fix}`,
      },
    ];
  },
};
