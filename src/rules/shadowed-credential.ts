import { describeValue } from '../workflow/values.js';
import type { Rule } from './rule.js';
import { credentialHops, credentialPlace, jobName } from './rule.js';

function what(variable: string): string {
  return variable === 'stored-login' ? 'a written ~/.claude/.credentials.json' : variable;
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
              `${jobName(inv)} gives ${inv.label} both ${what(winner.variable)} (${describeValue(winner.origin.value)}, route ${winner.kind}) and ${what(c.variable)} (route ${c.kind}); Claude Code uses ${what(winner.variable)}, so ${what(c.variable)} is never used.${deadWeight} ` +
              `Remove ${what(c.variable)} from this job, or remove ${what(winner.variable)} if ${c.kind} is the route you meant.`,
          };
        });
    });
  },
};
