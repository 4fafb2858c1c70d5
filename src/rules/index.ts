import { runtimeCredentialShape } from './runtime-credential-shape.js';
import { runtimeKeyCheck } from './runtime-key-check.js';
import { runtimeManagedSettings } from './runtime-managed-settings.js';
import { runtimeRouteMismatch } from './runtime-route-mismatch.js';
import type { RuntimeRule } from './runtime-rule.js';
import { runtimeStoredLogin } from './runtime-stored-login.js';
import { broadCredentialScope } from './broad-credential-scope.js';
import { credentialExposedInLog } from './credential-exposed-in-log.js';
import { hardcodedCredential } from './hardcoded-credential.js';
import { headlessWithoutApiRoute } from './headless-without-api-route.js';
import { interactiveClaudeInCi } from './interactive-claude-in-ci.js';
import { lookalikeClaude } from './lookalike-claude.js';
import { misnamedCredentialInput } from './misnamed-credential-input.js';
import type { Rule } from './rule.js';
import { secretUnavailableOnTrigger } from './secret-unavailable-on-trigger.js';
import { shadowedCredential } from './shadowed-credential.js';
import { subscriptionTokenInCi } from './subscription-token-in-ci.js';
import { thirdPartyEndpoint } from './third-party-endpoint.js';
import { unboundedSpend } from './unbounded-spend.js';
import { unusedCredential } from './unused-credential.js';

/** Every static rule, in the order the catalogue lists them. */
export const RULES: readonly Rule[] = [
  headlessWithoutApiRoute,
  subscriptionTokenInCi,
  shadowedCredential,
  misnamedCredentialInput,
  hardcodedCredential,
  credentialExposedInLog,
  interactiveClaudeInCi,
  broadCredentialScope,
  secretUnavailableOnTrigger,
  lookalikeClaude,
  thirdPartyEndpoint,
  unboundedSpend,
  unusedCredential,
];

/** Findings the engine itself reports; they can be ignored inline but have no policy of their own. */
export const ENGINE_RULES: Record<string, { severity: 'error' | 'warning' | 'notice'; summary: string }> = {
  'parse-error': { severity: 'error', summary: 'The file cannot be read as a workflow or action metadata.' },
  'ignore-without-reason': { severity: 'notice', summary: 'An inline ignore comment that does not say why.' },
  'unused-ignore': { severity: 'notice', summary: 'An inline ignore comment that matches no finding.' },
  'malformed-ignore': {
    severity: 'notice',
    summary:
      'An inline ignore comment written so that it suppresses nothing: no brackets, or an unknown rule id.',
  },
  'unused-allow': {
    severity: 'notice',
    summary:
      'A policy allow entry that matches no Claude run: a renamed job, a changed route or a wrong path.',
  },
};

/** Rules about the runner itself, run by the runtime probe. */
export const RUNTIME_RULES: readonly RuntimeRule[] = [
  runtimeCredentialShape,
  runtimeStoredLogin,
  runtimeManagedSettings,
  runtimeRouteMismatch,
  runtimeKeyCheck,
];

export const ALL_RULE_IDS: readonly string[] = [
  ...RULES.map((r) => r.id),
  ...RUNTIME_RULES.map((r) => r.id),
  ...Object.keys(ENGINE_RULES),
];
