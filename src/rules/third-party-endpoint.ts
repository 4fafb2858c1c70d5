import type { Rule } from './rule.js';
import { credentialHops, credentialPlace, jobName } from './rule.js';

export const thirdPartyEndpoint: Rule = {
  id: 'third-party-endpoint',
  severity: 'notice',
  summary: 'ANTHROPIC_BASE_URL sends the run to another provider, which then bills the key or token.',
  silencedByAllow: true,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'route',
  check({ invocations }) {
    return invocations
      .filter((inv) => inv.route.endpoint !== null && inv.bindings.get('ANTHROPIC_BASE_URL'))
      .map((inv) => {
        const b = inv.bindings.get('ANTHROPIC_BASE_URL')!;
        return {
          ...credentialPlace(b),
          related: credentialHops(b),
          invocation: inv,
          message:
            `${jobName(inv)} sends ${inv.label} to ${inv.route.endpoint} (ANTHROPIC_BASE_URL), so its ${inv.route.kind} route is billed by that provider, not by an Anthropic Console organisation. ` +
            'Make sure the credential belongs to that provider and that this is intended.',
        };
      });
  },
};
