import type { Presence, RouteKind } from '../types.js';
import type { Invocation } from './invocations.js';
import {
  PRECEDENCE,
  PROVIDER_SWITCHES,
  resolveRoute,
  ROUTE_OF_VARIABLE,
  SKIPPED_BY_BARE,
  switchState,
  switchValueState,
  type Candidate,
  type ResolvedRoute,
} from './precedence.js';
import { runnerOf } from '../workflow/runner.js';
import { SUBSCRIPTION_ROUTES } from './proof.js';
import { cloudIdentity, mintedIdentityToken, type CloudIdentity } from './identity.js';
import { describeSource, describeValue, type Binding, type Resolved } from '../workflow/values.js';

export interface Route extends ResolvedRoute<Binding> {
  /** Where the API calls go when not to Anthropic: that provider bills a key or gateway token. */
  endpoint: string | null;
  /** For a cloud route, the login step or credential variable that says whose account pays. */
  identity?: CloudIdentity | null;
}

const SWITCHES: ReadonlySet<string> = new Set(PROVIDER_SWITCHES);

/**
 * Whether a route's API calls go where ANTHROPIC_BASE_URL points: a cloud provider's and workload
 * identity's have endpoints of their own, so a base URL beside them names no third party that bills.
 */
const READS_BASE_URL: Record<RouteKind, boolean> = {
  'api-key': true,
  'workload-identity': false,
  bedrock: false,
  vertex: false,
  foundry: false,
  'gateway-token': true,
  'api-key-helper': true,
  'subscription-oauth-token': true,
  'console-login': true,
  'subscription-login': true,
  unknown: true,
};
/** A host of Anthropic's own API (a port, if any, is ignored). */
export function isAnthropicHost(host: string): boolean {
  return /(^|\.)anthropic\.com(:\d+)?$/i.test(host);
}

function switchCandidate(b: Binding, kind: Candidate<Binding>['kind']): Candidate<Binding> {
  const v = b.value;
  const state = switchValueState(v);
  if (state === 'on') return { kind, variable: b.variable, presence: 'set', origin: b };
  if (state === 'off') return { kind, variable: b.variable, presence: 'empty', origin: b };
  if (state === 'uncertain')
    return {
      kind,
      variable: b.variable,
      presence: 'maybe',
      origin: b,
      why: 'has a value Claude Code may not read as on or off',
    };
  if (v.possible && v.perCombination) {
    const off = v.possible.filter((t) => switchState(t) === 'off');
    return {
      kind,
      variable: b.variable,
      presence: 'maybe',
      origin: b,
      why: v.why,
      perCombination: true,
      offWhen: off.map((t) => (t === '' ? 'empty' : `\`${t}\``)).join(' or '),
    };
  }
  return {
    kind,
    variable: b.variable,
    presence: 'maybe',
    origin: b,
    why: `comes from ${describeValue(v)}, decided at run time`,
  };
}

/** Every route credential that reaches the run, as candidates for the precedence function. */
export function candidatesOf(bindings: ReadonlyMap<string, Binding>, bare: boolean): Candidate<Binding>[] {
  const out: Candidate<Binding>[] = [];
  for (const variable of PRECEDENCE) {
    const b = bindings.get(variable);
    if (!b) continue;
    const kind = ROUTE_OF_VARIABLE[variable];
    if (SWITCHES.has(variable)) {
      out.push(switchCandidate(b, kind));
      continue;
    }
    if (bare && SKIPPED_BY_BARE.has(variable)) continue;
    let presence = b.value.presence;
    let why = b.value.why;
    // The value's own reason, or one this credential's rules put in its place.
    let ownReason = true;
    if (variable === 'ANTHROPIC_CUSTOM_HEADERS') {
      presence = authorizationHeader(b.value);
      if (presence === 'maybe') {
        why = 'sets an `Authorization:` header in only some of the values it can take';
        ownReason = false;
      }
    }
    if (variable === 'ANTHROPIC_FEDERATION_RULE_ID') {
      // Federation needs the organisation too.
      const org = bindings.get('ANTHROPIC_ORGANIZATION_ID')?.value;
      if (!org || org.presence === 'empty') presence = 'empty';
      else if (org.presence === 'maybe' && presence === 'set') {
        presence = 'maybe';
        // A value decided at run time always says why.
        why = `needs ANTHROPIC_ORGANIZATION_ID, ${org.why}`;
        ownReason = false;
      }
    }
    const candidate: Candidate<Binding> = { kind, variable, presence, origin: b, why };
    if (presence === 'maybe' && b.value.form === 'input') candidate.callerDecided = callerSlot(b);
    // A credential the matrix sets in some combinations and leaves empty in others.
    if (presence === 'maybe' && b.value.possible && b.value.perCombination && ownReason)
      candidate.perCombination = true;
    out.push(candidate);
  }
  return out;
}

/** A header line whose name is `Authorization` (any case), among newline-separated headers. */
const AUTHORIZATION_HEADER = /(^|\n)[ \t]*authorization[ \t]*:/i;

/**
 * Whether ANTHROPIC_CUSTOM_HEADERS sends an `Authorization:` header, read from what the files show of it
 * (its text, each text it can take, the text around its expressions). A value they do not show (a whole
 * secret) is not taken for one: most custom headers are a gateway's own (`cf-aig-authorization`).
 */
function authorizationHeader(v: Resolved): Presence {
  if (v.presence === 'empty') return 'empty';
  const texts = v.form === 'literal' ? [v.literal!] : (v.possible ?? (v.written ? [v.written] : []));
  const hits = texts.filter((t) => AUTHORIZATION_HEADER.test(t)).length;
  if (hits === 0) return 'empty';
  return hits === texts.length ? v.presence : 'maybe';
}

function callerSlot(b: Binding): string {
  const input = b.value.inputs[0];
  if (input) return `inputs.${input}`;
  const secret = b.value.secrets[0];
  return secret ? `secrets.${secret}` : b.variable;
}

function endpointOf(bindings: ReadonlyMap<string, Binding>, kind: RouteKind): string | null {
  if (!READS_BASE_URL[kind]) return null;
  const b = bindings.get('ANTHROPIC_BASE_URL');
  if (!b || b.value.presence === 'empty') return null;
  if (b.value.form !== 'literal') return describeSource(b.value);
  const shown = shownUrl(b.value.literal!);
  if (shown === undefined) return 'an unparseable ANTHROPIC_BASE_URL';
  return isAnthropicHost(new URL(b.value.literal!).hostname) ? null : shown;
}

/**
 * A URL as every report shows it: its origin, with `/…` for any path or query. A gateway may take its key
 * in either, so they are never printed. Undefined when the text is not a URL.
 */
export function shownUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname === '/' && !url.search ? '' : '/…'}`;
  } catch {
    return undefined;
  }
}

export function routeOf(inv: Invocation): Route {
  const route = routeByCredentials(inv);
  return { ...route, identity: cloudIdentity(inv, route.kind) };
}

/**
 * A token a cloud login minted, in the OAuth-token slot, with a base URL that leaves Anthropic (or may):
 * Claude Code sends it as `Authorization: Bearer` to that URL, where a gateway takes it as its own
 * credential. An identity provider's token is never a claude.ai plan's, so the route is the gateway's.
 */
function asGatewayTokens(inv: Invocation, candidates: Candidate<Binding>[]): Candidate<Binding>[] {
  if (endpointOf(inv.bindings, 'gateway-token') === null) return candidates;
  return candidates.map((c) => {
    if (c.variable !== 'CLAUDE_CODE_OAUTH_TOKEN') return c;
    return mintedIdentityToken(inv, c.origin) ? { ...c, kind: 'gateway-token' } : c;
  });
}

function routeByCredentials(inv: Invocation): Route {
  const candidates = asGatewayTokens(inv, candidatesOf(inv.bindings, inv.bare));
  const resolved = resolveRoute(candidates, runnerOf(inv) === 'github-hosted');
  if (inv.undecided) {
    // What run time may remove is any credential, so each live one is a possible outcome (the winner's
    // route is among the resolved outcomes already).
    const outcomes = [...new Set([...resolved.outcomes, ...resolved.shadowed.map((c) => c.kind)])];
    return {
      ...resolved,
      // Run time decides more than the matrix.
      perCombination: undefined,
      kind: 'unknown',
      certainty: 'unknown',
      reason:
        resolved.kind === 'unknown'
          ? [inv.undecided, resolved.reason].join('; ')
          : resolved.winner
            ? `${inv.undecided}; without that, the route would be ${resolved.kind}`
            : inv.undecided,
      outcomes: resolved.winner ? outcomes : ['unknown'],
      endpoint: endpointOf(inv.bindings, resolved.kind),
    };
  }
  if (inv.opaque) {
    const chosen = chosenByConsumer(resolved, inv.opaque);
    if (chosen) return { ...chosen, endpoint: endpointOf(inv.bindings, resolved.kind) };
  }
  if (inv.opaque && resolved.certainty === 'known') {
    // What reaches a process the engine cannot see into: the route it would take, not one it surely takes.
    return {
      ...resolved,
      certainty: 'inferred',
      reason: inv.opaque,
      endpoint: endpointOf(inv.bindings, resolved.kind),
    };
  }
  if (inv.opaque && resolved.reason) resolved.reason = `${resolved.reason}; ${inv.opaque}`;
  return { ...resolved, endpoint: endpointOf(inv.bindings, resolved.kind) };
}

/**
 * A process the engine cannot see into picks among the credentials it receives as it likes: it may hand
 * Claude Code only one of them, or drop the one Claude Code would prefer. When one of them is a person's
 * plan, each is an outcome and the route is `unknown`: Claude Code's precedence does not decide it. (A key
 * beside a cloud switch bills a company either way, so precedence still names the likelier one there.)
 */
function chosenByConsumer(
  resolved: ResolvedRoute<Binding>,
  opaque: string,
): ResolvedRoute<Binding> | undefined {
  const received = [resolved.winner, ...resolved.shadowed].filter((c) => c !== null);
  const kinds = [...new Set(received.map((c) => c.kind))];
  if (kinds.length < 2 || !kinds.some((k) => SUBSCRIPTION_ROUTES.includes(k))) return undefined;
  const outcomes = [...new Set([...resolved.outcomes, ...kinds])];
  const named = received.map((c) => `${c.variable} (${c.kind})`).join(', ');
  return {
    ...resolved,
    perCombination: undefined,
    kind: 'unknown',
    certainty: 'unknown',
    reason: `${opaque}; of ${named}, which one it uses was not checked`,
    outcomes,
  };
}
