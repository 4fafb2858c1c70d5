import type { RouteKind } from '../types.js';

/**
 * The route a run really used, from what Claude Code wrote about it in its own log: the other half of
 * precedence.ts. Precedence predicts from the credentials that reach a run; this reads the outcome.
 * Pure: the log's facts and the routes the files (and the runner) leave in play go in, a route comes out.
 */

/** `system/init.apiKeySource`; `other` stands for a value this version does not know. */
export const API_KEY_SOURCES = [
  'ANTHROPIC_API_KEY',
  'apiKeyHelper',
  '/login managed key',
  'none',
  'other',
] as const;
export type ApiKeySource = (typeof API_KEY_SOURCES)[number];

/**
 * `result.modelUsage[model].provider` (Claude Code 2.1.218+), the provider that served a model; `other` for
 * a value this version does not know. Not the names managed settings' `allowedProviders` takes.
 */
export const USAGE_PROVIDERS = [
  'firstParty',
  'bedrock',
  'vertex',
  'foundry',
  'anthropicAws',
  'mantle',
  'gateway',
  'other',
] as const;
export type UsageProvider = (typeof USAGE_PROVIDERS)[number];

/** The route kind each cloud provider bills through; Claude Platform on AWS and Mantle bill the AWS account. */
const CLOUD_ROUTE: Partial<Record<UsageProvider, RouteKind>> = {
  bedrock: 'bedrock',
  vertex: 'vertex',
  foundry: 'foundry',
  anthropicAws: 'bedrock',
  mantle: 'bedrock',
};

/** What decided the proved route; `none` when nothing in the log does. */
export const DECIDED_BY = [
  'api-key-source',
  'cloud-provider',
  'gateway-provider',
  'rate-limit-events',
  'declared-credentials',
  'none',
] as const;
export type DecidedBy = (typeof DECIDED_BY)[number];

/** What the log says about one run's credential, read with shape checks: enums and counts only. */
export interface RunEvidence {
  /** null when the run has no `system/init` message: Claude Code failed before it started. */
  apiKeySource: ApiKeySource | null;
  /** Every distinct provider in the run's `modelUsage`, in the order first seen. */
  providers: UsageProvider[];
  /** `rate_limit_event` messages: Claude Code sends them only on a claude.ai subscription. */
  rateLimitEvents: number;
}

export interface Proof {
  route: RouteKind;
  decidedBy: DecidedBy;
  /** The routes the log leaves open when it narrows the run to a set; empty when one route is proved. */
  possible: RouteKind[];
}

/** A subscription: the log cannot tell the OAuth token from a stored login. */
export const SUBSCRIPTION_ROUTES: readonly RouteKind[] = ['subscription-oauth-token', 'subscription-login'];

/**
 * `apiKeySource: none`, first party, no rate-limit events: the OAuth token, a federation or Console
 * profile, or a bearer token sent to Anthropic. Which one, only the run's credentials can say.
 */
export const FIRST_PARTY_WITHOUT_KEY: readonly RouteKind[] = [
  'subscription-oauth-token',
  'workload-identity',
  'console-login',
  'gateway-token',
];

/** Every route `apiKeySource: none` can stand for, when nothing else in the log narrows it. */
const ANY_WITHOUT_KEY: readonly RouteKind[] = [
  'bedrock',
  'vertex',
  'foundry',
  'gateway-token',
  'subscription-oauth-token',
  'workload-identity',
  'console-login',
  'subscription-login',
];

const KEY_SOURCE_ROUTE: Partial<Record<ApiKeySource, RouteKind>> = {
  ANTHROPIC_API_KEY: 'api-key',
  apiKeyHelper: 'api-key-helper',
  // A legacy Console `/login` stores a key: it bills the Console organisation, not a plan.
  '/login managed key': 'console-login',
};

const proved = (route: RouteKind, decidedBy: DecidedBy): Proof => ({ route, decidedBy, possible: [] });
const open = (possible: readonly RouteKind[], decidedBy: DecidedBy = 'none'): Proof => ({
  route: 'unknown',
  decidedBy,
  possible: [...possible],
});

/**
 * The route a run used. `inPlay` are the routes the files declare for the run's step (its winner,
 * what it shadows, its outcomes) and the runner's own credentials: they pick among what the log leaves
 * open, never against it.
 */
export function provedRoute(evidence: RunEvidence, inPlay: readonly RouteKind[]): Proof {
  const source = evidence.apiKeySource;
  if (source === null) return open([]);
  const byKey = KEY_SOURCE_ROUTE[source];
  if (byKey) return proved(byKey, 'api-key-source');
  if (source !== 'none') return open([]);
  const clouds = [...new Set(evidence.providers.flatMap((p) => CLOUD_ROUTE[p] ?? []))];
  if (clouds.length === 1) return proved(clouds[0]!, 'cloud-provider');
  if (clouds.length > 1) return open(clouds, 'cloud-provider');
  if (evidence.providers.includes('gateway')) return proved('gateway-token', 'gateway-provider');
  if (evidence.rateLimitEvents > 0) {
    // Whatever modelUsage holds: it is empty when the first request was refused.
    const token = inPlay.includes('subscription-oauth-token');
    return proved(token ? 'subscription-oauth-token' : 'subscription-login', 'rate-limit-events');
  }
  if (!evidence.providers.includes('firstParty')) return open(ANY_WITHOUT_KEY);
  const picks = FIRST_PARTY_WITHOUT_KEY.filter((r) => inPlay.includes(r));
  if (picks.length === 1) return proved(picks[0]!, 'declared-credentials');
  return open(picks.length > 1 ? picks : FIRST_PARTY_WITHOUT_KEY);
}

/**
 * Whether a proved route is the declared one. A subscription of either kind matches the other (the log
 * cannot tell them apart), and a key sent as `ANTHROPIC_API_KEY` to a gateway matches the gateway row
 * the files give it (the official action's workaround for gateway tokens).
 */
export function sameRoute(provedKind: RouteKind, declared: RouteKind, declaredVariable?: string): boolean {
  if (provedKind === declared) return true;
  if (SUBSCRIPTION_ROUTES.includes(provedKind) && SUBSCRIPTION_ROUTES.includes(declared)) return true;
  return provedKind === 'api-key' && declared === 'gateway-token' && declaredVariable === 'ANTHROPIC_API_KEY';
}
