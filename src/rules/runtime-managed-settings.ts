import type { Candidate, ProviderSwitch } from '../claude/precedence.js';
import { isAnthropicHost } from '../claude/routes.js';
import type { RunnerOrigin, RuntimeFacts } from '../runtime/facts.js';
import type { Managed, ManagedSettings, Provider } from '../runtime/managed.js';
import type { RuntimeDraft, RuntimeRule } from './runtime-rule.js';

type Winner = Candidate<RunnerOrigin>;

/**
 * The `allowedProviders` name of each cloud switch; every other route goes to Anthropic or a custom URL.
 * Keyed by every switch, so a new one fails to compile here until someone names its provider.
 */
const CLOUD_PROVIDER: Record<ProviderSwitch, Provider> = {
  CLAUDE_CODE_USE_BEDROCK: 'bedrock',
  CLAUDE_CODE_USE_VERTEX: 'vertex',
  CLAUDE_CODE_USE_FOUNDRY: 'foundry',
  CLAUDE_CODE_USE_ANTHROPIC_AWS: 'anthropicAws',
  CLAUDE_CODE_USE_MANTLE: 'mantle',
};

const cloudProvider = (variable: string): Provider | undefined =>
  Object.hasOwn(CLOUD_PROVIDER, variable) ? CLOUD_PROVIDER[variable as ProviderSwitch] : undefined;

/** What forceLoginOrgUUID blocks at startup whatever the organisation. */
const BLOCKED_BY_ORG = new Set(['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'apiKeyHelper']);
/** Sign-ins an empty forceLoginOrgUUID list refuses: each is an account, which must belong to a listed one. */
const LOGINS = new Set(['subscription-oauth-token', 'subscription-login', 'console-login']);

const where = (setting: Managed<unknown>): string => setting.files.join(', ');
const what = (w: Winner): string => `${w.origin.variable} (from ${w.origin.source})`;

function gatewayOnly(m: ManagedSettings, winner: Winner | null): RuntimeDraft[] {
  const byMethod = m.forceLoginMethod?.value === 'gateway' ? m.forceLoginMethod : undefined;
  const url = m.forceLoginGatewayUrl;
  if (!byMethod && !url) return [];
  const setting = byMethod
    ? `forceLoginMethod "gateway" in ${where(byMethod)}`
    : `forceLoginGatewayUrl ${url!.value} in ${where(url!)}`;
  const gateway = `the Claude apps gateway${url ? ` at ${url.value}` : ''}`;
  const lead = `Managed settings make this machine gateway-only (${setting})`;
  if (!winner)
    return [
      {
        severity: 'notice',
        message: `${lead}: with no credential of its own, a Claude run here signs in through ${gateway}, whose owner pays.`,
      },
    ];
  if (cloudProvider(winner.variable) && winner.presence === 'set') return [];
  return [
    {
      // A provider switch that may be off leaves the gateway in charge only then.
      severity: winner.presence === 'set' ? 'error' : 'warning',
      message:
        `${lead}: Claude Code here skips every other credential unless a cloud provider variable is set, so the job's ${what(winner)} is never used; ` +
        `the run signs in through ${gateway}, whose owner pays, or fails where the machine has no gateway sign-in. ` +
        'Run this job on a runner without that setting, or through a cloud provider.',
    },
  ];
}

function organisationLock(m: ManagedSettings, winner: Winner | null): RuntimeDraft[] {
  const org = m.forceLoginOrgUUID;
  if (!org || !winner) return [];
  if (BLOCKED_BY_ORG.has(winner.variable))
    return [
      {
        message:
          `forceLoginOrgUUID in ${where(org)} requires every login to belong to ${org.value} organisation${org.value === 1 ? '' : 's'}, ` +
          `and Claude Code blocks ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and apiKeyHelper at startup: the job's ${what(winner)} is refused, so the run fails instead of billing it. ` +
          'Give this job a login of that organisation, or run it on a runner without this setting.',
      },
    ];
  if (org.value === 0 && LOGINS.has(winner.kind))
    return [
      {
        message:
          `forceLoginOrgUUID in ${where(org)} lists no organisation, which blocks every login: the job's ${what(winner)} is refused, so the run fails. ` +
          "List the organisation this job's login belongs to, or run it on a runner without this setting.",
      },
    ];
  return [];
}

/** The host a custom ANTHROPIC_BASE_URL sends the run to, when it is not Anthropic's. */
function customHost(facts: RuntimeFacts): string | undefined {
  const host = facts.variables.find((v) => v.name === 'ANTHROPIC_BASE_URL')?.shown;
  return host && !isAnthropicHost(host) ? host : undefined;
}

function providerList(m: ManagedSettings): RuntimeDraft[] {
  const allowed = m.allowedProviders;
  if (allowed?.value !== 'invalid') return [];
  return [
    {
      severity: 'warning',
      message: `allowedProviders in ${where(allowed)} is not a list of provider names, so this check cannot tell which providers it allows.`,
    },
  ];
}

function refusedProvider(m: ManagedSettings, winner: Winner | null, facts: RuntimeFacts): RuntimeDraft[] {
  const allowed = m.allowedProviders;
  if (!allowed || allowed.value === 'invalid' || !winner) return [];
  const { listed, unrecognised } = allowed.value;
  const odd = unrecognised
    ? ` (and ${unrecognised} entr${unrecognised === 1 ? 'y' : 'ies'} that are not provider names)`
    : '';
  const lead = `allowedProviders in ${where(allowed)} allows ${listed.join(', ') || 'no provider'}${odd}`;
  const cloud = cloudProvider(winner.variable);
  // A switch that may be off: which provider the run ends on is the runner row's question, not this rule's.
  if (cloud && winner.presence !== 'set') return [];
  const host = cloud ? undefined : customHost(facts);
  if (host) {
    if (listed.includes('customEndpoint') || listed.includes('gateway')) return [];
    return [
      {
        severity: 'warning',
        message:
          `${lead}: Claude Code on this machine likely refuses the job's ${winner.origin.variable}, which goes to ${host}, a custom endpoint that list does not name (customEndpoint, or gateway for a Claude apps gateway), so the run would fail. ` +
          'Add the right one to the list, or run this job where it is allowed.',
      },
    ];
  }
  const provider = cloud ?? 'anthropic';
  if (listed.includes(provider)) return [];
  return [
    {
      message:
        `${lead}: Claude Code on this machine refuses a session on ${provider}, the provider the job's ${winner.origin.variable} selects, so the run fails. ` +
        `Add ${provider} to the list, or run this job where it is allowed.`,
    },
  ];
}

export const runtimeManagedSettings: RuntimeRule = {
  id: 'runtime-managed-settings',
  severity: 'error',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  summary:
    "The runner's managed settings refuse the job's route or replace its credential: gateway-only sign-in, an organisation lock, or a provider list.",
  check({ facts, route }) {
    const m = facts.managed;
    const winner = route.winner;
    return [
      ...m.unreadable.map((path): RuntimeDraft => ({
        severity: 'warning',
        message: `The managed settings file ${path} on this runner cannot be read as JSON, so this check cannot tell what it enforces on Claude Code here.`,
      })),
      ...providerList(m),
      ...gatewayOnly(m, winner),
      ...organisationLock(m, winner),
      ...refusedProvider(m, winner, facts),
    ];
  },
};
