import { runtimeCredentialShape } from './runtime-credential-shape.js';
import { runtimeKeyCheck } from './runtime-key-check.js';
import { runtimeManagedSettings } from './runtime-managed-settings.js';
import { runtimeRouteMismatch } from './runtime-route-mismatch.js';
import type { RuntimeRule } from './runtime-rule.js';
import { runtimeStoredLogin } from './runtime-stored-login.js';
import type { RunRule } from './run-rule.js';
import { runRouteMismatch } from './run-route-mismatch.js';
import { unprovedRun } from './unproved-run.js';
import { broadCredentialScope } from './broad-credential-scope.js';
import { credentialExposedInLog } from './credential-exposed-in-log.js';
import { hardcodedCredential } from './hardcoded-credential.js';
import { headlessWithoutApiRoute } from './headless-without-api-route.js';
import { interactiveClaudeInCi } from './interactive-claude-in-ci.js';
import { lookalikeClaude } from './lookalike-claude.js';
import { misnamedCredentialInput } from './misnamed-credential-input.js';
import type { Rule, RuleTraits } from './rule.js';
import { ignoreWithoutReason, malformedIgnore, parseError, unusedAllow, unusedIgnore } from './engine.js';
import { secretUnavailableOnTrigger } from './secret-unavailable-on-trigger.js';
import { shadowedCredential } from './shadowed-credential.js';
import { subscriptionTokenInCi } from './subscription-token-in-ci.js';
import { thirdPartyEndpoint } from './third-party-endpoint.js';
import { unboundedSpend } from './unbounded-spend.js';
import { untrustedCheckoutWithSecrets } from './untrusted-checkout-with-secrets.js';
import { unusedCredential } from './unused-credential.js';
import { vulnerableActionVersion } from './vulnerable-action-version.js';

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
  untrustedCheckoutWithSecrets,
  lookalikeClaude,
  vulnerableActionVersion,
  thirdPartyEndpoint,
  unboundedSpend,
  unusedCredential,
];

/** Findings the engine itself reports, in the order the catalogue lists them. */
export const ENGINE_RULES: readonly RuleTraits[] = [
  parseError,
  ignoreWithoutReason,
  unusedIgnore,
  malformedIgnore,
  unusedAllow,
];

/** Rules about the runner itself, run by the runtime probe. */
export const RUNTIME_RULES: readonly RuntimeRule[] = [
  runtimeCredentialShape,
  runtimeStoredLogin,
  runtimeManagedSettings,
  runtimeRouteMismatch,
  runtimeKeyCheck,
];

/** Rules about a run's own log (`verify-run`, the action's `execution-file`). */
export const RUN_RULES: readonly RunRule[] = [runRouteMismatch, unprovedRun];

/** The catalogue: every rule, as `--list-rules`, SARIF and the docs list them. */
export const CATALOGUE: readonly RuleTraits[] = [...RULES, ...RUNTIME_RULES, ...RUN_RULES, ...ENGINE_RULES];

export const ALL_RULE_IDS: readonly string[] = CATALOGUE.map((r) => r.id);

const BY_ID: ReadonlyMap<string, RuleTraits> = new Map(CATALOGUE.map((r) => [r.id, r]));

/** A rule of the catalogue by its id; undefined for an id this version does not know. */
export function ruleById(id: string): RuleTraits | undefined {
  return BY_ID.get(id);
}
