import type { Certainty, Presence, RouteKind } from '../types.js';

/**
 * Claude Code's authentication precedence, first match wins (docs: "Authentication precedence").
 * One function serves the static engine and the runtime probe.
 */

/** The route a credential selects: any but `unknown`, which only an undecided precedence gives. */
export type CandidateKind = Exclude<RouteKind, 'unknown'>;

export interface Candidate<Origin> {
  kind: CandidateKind;
  variable: string;
  presence: Presence;
  origin: Origin;
  /** Why a `maybe` is decided only at run time. */
  why?: string;
  /** Set when only the caller decides (a composite input, a reusable workflow's secret): `inputs.api-key`. */
  callerDecided?: string;
  /**
   * Set when the file fixes the value for each combination of the job's matrix, but not one value for
   * all: every job the matrix makes has a route the files decide.
   */
  perCombination?: true;
  /** When a `maybe` is off, in words (`\`false\``): `empty` unless said. */
  offWhen?: string;
}

export interface ResolvedRoute<Origin> {
  kind: RouteKind;
  winner: Candidate<Origin> | null;
  shadowed: Candidate<Origin>[];
  certainty: Certainty;
  reason?: string;
  /** Every route the run can take: one when known, several when run time decides. */
  outcomes: RouteKind[];
  /** Every undecided credential is decided per matrix combination: each outcome is a fact of the files. */
  perCombination?: true;
}

/**
 * Claude Code's cloud provider switches, in its precedence order, with the route each selects when on.
 * Claude Platform on AWS and Bedrock's Mantle endpoint both bill the AWS account.
 */
export const PROVIDER_SWITCH_ROUTES = {
  CLAUDE_CODE_USE_BEDROCK: 'bedrock',
  CLAUDE_CODE_USE_VERTEX: 'vertex',
  CLAUDE_CODE_USE_FOUNDRY: 'foundry',
  CLAUDE_CODE_USE_ANTHROPIC_AWS: 'bedrock',
  CLAUDE_CODE_USE_MANTLE: 'bedrock',
} as const satisfies Record<string, CandidateKind>;
export type ProviderSwitch = keyof typeof PROVIDER_SWITCH_ROUTES;

/** The credentials below the switches, in Claude Code's precedence order, with the route each selects. */
const CREDENTIAL_ROUTES = {
  ANTHROPIC_AUTH_TOKEN: 'gateway-token',
  // Custom headers that set `Authorization:` carry a gateway's credential, as the token does (routes.ts
  // reads the header names); any other custom header selects nothing.
  ANTHROPIC_CUSTOM_HEADERS: 'gateway-token',
  ANTHROPIC_API_KEY: 'api-key',
  apiKeyHelper: 'api-key-helper',
  CLAUDE_CODE_OAUTH_TOKEN: 'subscription-oauth-token',
  // Profiles and federation in the documented order: the named profile, then the federation variables,
  // then the active profile.
  ANTHROPIC_PROFILE: 'workload-identity',
  ANTHROPIC_FEDERATION_RULE_ID: 'workload-identity',
  // The runner's active Anthropic profile (only the runtime probe finds one): a profile that federates
  // ranks with federation, a keyless Console sign-in below a stored /login.
  'active-profile': 'workload-identity',
  // A credentials file a workflow writes holds a subscription's OAuth token; a runner's own stored login
  // is the runtime probe's to name.
  'stored-login': 'subscription-oauth-token',
  'active-console-profile': 'console-login',
} as const satisfies Record<string, CandidateKind>;

/**
 * What `--bare` (CLAUDE_CODE_SIMPLE) never reads: OAuth tokens, profiles, federation and stored logins. Its
 * credentials are the cloud switches, the gateway token, the key and an apiKeyHelper.
 */
export const SKIPPED_BY_BARE: ReadonlySet<string> = new Set([
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_PROFILE',
  'ANTHROPIC_FEDERATION_RULE_ID',
  'active-profile',
  'stored-login',
  'active-console-profile',
] satisfies (keyof typeof CREDENTIAL_ROUTES)[]);

/**
 * On/off variables that change what a run reads, each with the flag that does the same: `--bare` reads no
 * login, profile or federation (SKIPPED_BY_BARE); `--restricted` reads no user, project or local settings
 * file. Both are read from the process environment: a settings `env` block cannot turn on restricted mode.
 */
export const MODE_FLAGS = {
  CLAUDE_CODE_SIMPLE: '--bare',
  CLAUDE_CODE_RESTRICTED: '--restricted',
} as const;

/** Every variable that selects a route, in precedence order (cloud switches first, stored logins last). */
export const ROUTE_OF_VARIABLE = { ...PROVIDER_SWITCH_ROUTES, ...CREDENTIAL_ROUTES };
export type RouteVariable = keyof typeof ROUTE_OF_VARIABLE;

/** The keys of a table in the order they were written (string keys keep it). */
const keysOf = <K extends string>(table: Readonly<Record<K, unknown>>): readonly K[] =>
  Object.keys(table) as K[];

/** Rank of each variable in the precedence order. */
export const PRECEDENCE: readonly RouteVariable[] = keysOf(ROUTE_OF_VARIABLE);
export const PROVIDER_SWITCHES: readonly ProviderSwitch[] = keysOf(PROVIDER_SWITCH_ROUTES);

function rank(variable: string): number {
  const index = (PRECEDENCE as readonly string[]).indexOf(variable);
  return index === -1 ? PRECEDENCE.length : index;
}

/**
 * `freshRunner`: the run is on a GitHub-hosted runner, a new machine for each job, so no stored login can
 * take over from an empty credential there: the run fails instead.
 */
export function resolveRoute<Origin>(
  candidates: Candidate<Origin>[],
  freshRunner = false,
): ResolvedRoute<Origin> {
  const live = candidates
    .filter((c) => c.presence !== 'empty')
    .sort((a, b) => rank(a.variable) - rank(b.variable));
  const winner = live[0];
  if (!winner) {
    return {
      kind: 'subscription-login',
      winner: null,
      shadowed: [],
      certainty: 'known',
      outcomes: ['subscription-login'],
    };
  }
  const shadowed = live.slice(1);
  if (winner.presence !== 'maybe')
    return { kind: winner.kind, winner, shadowed, certainty: 'known', outcomes: [winner.kind] };
  const outcomes = possibleOutcomes(live);
  // A wrapper read on its own: the slots its caller fills are the route, once a caller passes them.
  if (live.every((c) => c.callerDecided !== undefined)) {
    if (outcomes.length === 1) {
      return {
        kind: winner.kind,
        winner,
        shadowed,
        certainty: 'inferred',
        reason: `depends on the caller passing \`${winner.callerDecided}\``,
        outcomes,
      };
    }
    return {
      kind: 'unknown',
      winner,
      shadowed,
      certainty: 'unknown',
      reason: `depends on which credential the caller passes: ${live.map((c) => `\`${c.callerDecided}\` (${c.kind})`).join(', ')}`,
      outcomes,
    };
  }
  const route: ResolvedRoute<Origin> = {
    kind: 'unknown',
    winner,
    shadowed,
    certainty: 'unknown',
    reason: `${winner.variable} ${winner.why ?? 'is decided at run time'}; when it is ${winner.offWhen ?? 'empty'}, ${fallbackOf(shadowed, freshRunner)}`,
    outcomes,
  };
  if (live.every((c) => c.presence !== 'maybe' || c.perCombination)) route.perCombination = true;
  return route;
}

/**
 * What takes over from an undecided winner: the first credential surely set, or a stored login. A slot
 * only the caller fills is named on the way when it sits above that, with what follows when the caller
 * leaves it out, so the words walk down the same routes as possibleOutcomes. `used` goes after the first.
 */
function fallbackOf<Origin>(shadowed: Candidate<Origin>[], freshRunner: boolean, used = ' is used'): string {
  const index = shadowed.findIndex((c) => c.presence === 'set' || c.callerDecided !== undefined);
  const next = shadowed[index];
  if (!next && freshRunner)
    return used
      ? 'the run fails: a GitHub-hosted runner has no stored login'
      : 'the run fails (a GitHub-hosted runner has no stored login)';
  if (!next) return `a stored subscription login${used}`;
  const named = `${next.variable} (${next.kind})${used}`;
  if (next.callerDecided === undefined) return named;
  return `${named} if the caller passes \`${next.callerDecided}\`, else ${fallbackOf(shadowed.slice(index + 1), freshRunner, '')}`;
}

/** The routes a run can end on: each undecided credential, down to the first that is surely set. */
function possibleOutcomes<Origin>(live: Candidate<Origin>[]): RouteKind[] {
  const out = new Set<RouteKind>();
  for (const c of live) {
    out.add(c.kind);
    if (c.presence === 'set') return [...out];
  }
  // With only caller-decided slots, the caller passes at least one: that is what the wrapper is for.
  if (!live.every((c) => c.callerDecided !== undefined)) out.add('subscription-login');
  return [...out];
}

/** Claude Code reads provider switches as booleans: 1/true/yes/on are on, 0/false/no/off/empty are off. */
export function switchState(text: string): 'on' | 'off' | 'uncertain' {
  const v = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return 'on';
  if (['', '0', 'false', 'no', 'off'].includes(v)) return 'off';
  return 'uncertain';
}

/** What switchValueState reads of a value (workflow/values.ts's Resolved). */
export interface OnOffValue {
  presence: Presence;
  form: string;
  literal?: string;
  possible?: string[];
}

/**
 * An on/off variable's state from its value: a text the file fixes, or every text it can take (all off
 * is off, all on is on); `run time` when a value it comes from is not fixed.
 */
export function switchValueState(v: OnOffValue): 'on' | 'off' | 'uncertain' | 'run time' {
  if (v.presence === 'empty') return 'off';
  // A literal value always carries its text.
  if (v.form === 'literal') return switchState(v.literal!);
  if (!v.possible) return 'run time';
  const states = new Set(v.possible.map(switchState));
  return states.size === 1 ? [...states][0]! : 'run time';
}

/** Variables whose values are credentials: never printed, masked first on a runner. */
export const CREDENTIAL_VARIABLES: readonly string[] = [
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_API_KEY',
  'CLAUDE_CODE_OAUTH_TOKEN',
];
export const IS_CREDENTIAL_VARIABLE: ReadonlySet<string> = new Set(CREDENTIAL_VARIABLES);
/** Variables that set or steer the route: what a settings file's `env` is read for. */
export const ROUTE_VARIABLES = new Set([
  ...PROVIDER_SWITCHES,
  ...CREDENTIAL_VARIABLES,
  'ANTHROPIC_FEDERATION_RULE_ID',
  'ANTHROPIC_PROFILE',
  'ANTHROPIC_ORGANIZATION_ID',
  'ANTHROPIC_BASE_URL',
  'CLAUDE_CODE_SIMPLE',
]);

/** The shape of a real Anthropic key or token: a prefix and a long random tail (placeholders are short). */
export const ANTHROPIC_KEY_SHAPE = /sk-ant-[a-z]+\d*-[A-Za-z0-9_-]{20,}/g;

/** Tokens of other services that a workflow may hold: GitHub, AWS, Slack. */
export const OTHER_TOKEN_SHAPE =
  /gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}/;
