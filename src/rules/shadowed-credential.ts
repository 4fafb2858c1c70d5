import type { Candidate } from '../claude/precedence.js';
import { FLAVOUR_TRAITS, VALIDATOR_REQUIRES } from '../flow/action-inputs.js';
import { describeValue, type Binding } from '../workflow/values.js';
import type { RoutedInvocation, Rule } from './rule.js';
import { credentialHops, credentialPlace, jobName, storedLoginName } from './rule.js';

function what(candidate: Candidate<Binding>): string {
  return candidate.variable === 'stored-login' ? storedLoginName(candidate.origin) : candidate.variable;
}

/**
 * Whether the shadowed credential is the one the action's validator needs beside a gateway token: removing
 * it stops the action before Claude starts, so the advice is the usual gateway setup instead.
 */
function keptForValidator(inv: RoutedInvocation, shadowed: Candidate<Binding>): boolean {
  const validated = inv.action !== undefined && FLAVOUR_TRAITS[inv.action.flavour].validated;
  if (!validated || inv.route.winner?.kind !== 'gateway-token') return false;
  const wanted: readonly string[] = VALIDATOR_REQUIRES;
  const satisfying = inv.route.shadowed.filter((c) => c.presence === 'set' && wanted.includes(c.variable));
  return satisfying.length === 1 && satisfying[0] === shadowed;
}

function advice(inv: RoutedInvocation, winner: Candidate<Binding>, shadowed: Candidate<Binding>): string {
  if (keptForValidator(inv, shadowed))
    return (
      `The action refuses to start without ${VALIDATOR_REQUIRES.join(' or ')} when no cloud provider is on, so do not just remove it: ` +
      `pass the gateway token itself as anthropic_api_key (with ANTHROPIC_BASE_URL set, it goes to the gateway) and drop ${what(winner)}.`
    );
  return `Remove ${what(shadowed)} from this job, or remove ${what(winner)} if ${shadowed.kind} is the route you meant.`;
}

export const shadowedCredential: Rule = {
  id: 'shadowed-credential',
  severity: 'warning',
  summary: 'Several route credentials reach one run; only the first by Claude Code’s precedence is used.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
  check({ invocations }) {
    return invocations.flatMap((inv) => {
      const winner = inv.route.winner;
      if (!winner || inv.route.certainty !== 'known') return [];
      return inv.route.shadowed
        .filter((c) => c.presence === 'set')
        .map((c) => {
          const b = c.origin;
          const deadWeight =
            c.kind === 'subscription-oauth-token'
              ? ' It is dead weight here, and a wrong belief about who pays.'
              : '';
          return {
            ...credentialPlace(b),
            invocation: inv,
            related: [
              ...credentialHops(b),
              { ...credentialPlace(winner.origin), label: `the ${winner.variable} that wins` },
            ],
            message:
              `${jobName(inv)} gives ${inv.label} both ${what(winner)} (${describeValue(winner.origin.value)}, route ${winner.kind}) and ${what(c)} (route ${c.kind}); Claude Code uses ${what(winner)}, so ${what(c)} is never used.${deadWeight} ` +
              advice(inv, winner, c),
          };
        });
    });
  },
};
