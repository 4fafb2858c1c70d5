import type { Rule } from './rule.js';
import { headlessWithoutApiRoute } from './headless-without-api-route.js';
import { subscriptionTokenInCi } from './subscription-token-in-ci.js';

/** Every static rule, in the order the catalogue lists them. */
export const RULES: readonly Rule[] = [headlessWithoutApiRoute, subscriptionTokenInCi];

/** Findings the engine itself reports (not rules a user writes policy for, but they can be ignored). */
export const ENGINE_RULES: Record<string, { severity: 'error' | 'warning' | 'notice'; summary: string }> = {
  'parse-error': { severity: 'error', summary: 'The file cannot be read as a workflow or action metadata.' },
  'unresolved-reference': {
    severity: 'notice',
    summary:
      'A local reusable workflow, action or settings file referenced by a step is not in the repository.',
  },
};

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
