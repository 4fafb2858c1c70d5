import { LEVEL_PLACES } from '../types.js';
import type { Binding } from '../workflow/values.js';
import type { Draft, Rule, RoutedInvocation } from './rule.js';
import { credentialHops, credentialPlace, jobName } from './rule.js';

function describe(token: Binding): string {
  if (token.variable === 'stored-login') return 'a written ~/.claude/.credentials.json';
  if (token.level === 'action-input') return 'an OAuth token passed as an action input';
  // The value may come from a caller (a `with:` input, `secrets:`): name the file that sets the variable.
  const where = token.value.file === token.file ? '' : ` of ${token.file}`;
  return `CLAUDE_CODE_OAUTH_TOKEN (set in ${LEVEL_PLACES[token.level]}${where})`;
}

/** The subscription token among the candidates of a route that run time decides. */
function possibleToken(inv: RoutedInvocation): Binding | undefined {
  if (inv.route.certainty !== 'unknown' || !inv.route.outcomes.includes('subscription-oauth-token'))
    return undefined;
  const candidates = [inv.route.winner, ...inv.route.shadowed];
  return candidates.find((c) => c?.kind === 'subscription-oauth-token')?.origin;
}

/** What a person's plan does for CI: the limits are theirs, shared with their own use. */
const PLAN_LIMITS =
  "CI then draws on that person’s plan usage limits (a weekly window and, on most plans, a 5-hour one), shared with their own use of Claude, and fails with 429 “You've hit your session limit” once one is spent; an organisation can also switch subscription access for Claude Code off.";

const FIX =
  'Use `ANTHROPIC_API_KEY` from a secret (or a cloud provider), or declare this route intended in .github/claude-route-guard.yml.';

export const subscriptionTokenInCi: Rule = {
  id: 'subscription-token-in-ci',
  severity: 'error',
  summary: 'The credential that wins is (or may be) a subscription OAuth token: a person’s plan pays for CI.',
  silencedByAllow: true,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
  check({ invocations }) {
    const out: Draft[] = [];
    for (const inv of invocations) {
      const run = { file: inv.file, span: inv.span, label: 'the Claude run it bills' };
      if (inv.route.kind === 'subscription-oauth-token' && inv.route.winner) {
        const token = inv.route.winner.origin;
        out.push({
          ...credentialPlace(token),
          related: [...credentialHops(token), run],
          invocation: inv,
          message:
            `${jobName(inv)} bills ${inv.label} to a personal Claude subscription through ${describe(token)}: ${PLAN_LIMITS} ` +
            FIX,
        });
        continue;
      }
      // An expression or a caller decides the route at run time: one of its outcomes is a person's plan.
      const token = possibleToken(inv);
      if (!token) continue;
      out.push({
        ...credentialPlace(token),
        severity: 'warning',
        invocation: inv,
        related: [...credentialHops(token), run],
        message:
          `${jobName(inv)} may bill ${inv.label} to a personal Claude subscription through ${describe(token)}: ` +
          `the route is decided at run time (${inv.route.reason ?? 'an expression chooses'}), and one outcome is the subscription. ` +
          FIX,
      });
    }
    return out;
  },
};
