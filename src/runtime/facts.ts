import {
  PROVIDER_SWITCH_ROUTES,
  PROVIDER_SWITCHES,
  resolveRoute,
  switchState,
  type Candidate,
  type ResolvedRoute,
} from '../claude/precedence.js';
import type { AnthropicConfig } from './anthropic-config.js';
import type { ManagedSettings } from './managed.js';
import { profileCandidates, storedLoginCandidates, type RunnerOrigin, type StoredLogin } from './logins.js';

export type { RunnerOrigin, StoredLogin };

/** What a credential value looks like, never the value. Prefixes are hints ("likely"), not proof. */
export type Shape =
  | 'unset'
  | 'empty'
  | 'console-key'
  | 'oauth-token'
  | 'oauth-refresh-token'
  | 'admin-key'
  | 'enterprise-admin-key'
  | 'unrecognised';

export interface VariableFact {
  name: string;
  shape: Shape;
  /** For provider switches: how Claude Code reads the value. */
  switch?: 'on' | 'off' | 'uncertain';
  /** Non-secret values only (switches, the base URL's host). */
  shown?: string;
}

export interface SettingsFact {
  path: string;
  /** Route variable names its `env` sets. */
  env: string[];
  apiKeyHelper: boolean;
}

export interface RunnerFacts {
  environment: 'github-hosted' | 'self-hosted' | 'unknown';
  os: string;
  event: string;
  /** True on a pull request from a fork (secrets arrive empty), undefined when not a pull request. */
  fork?: boolean;
  workflowFile?: string;
  job?: string;
}

export interface RuntimeFacts {
  variables: VariableFact[];
  storedLogins: StoredLogin[];
  /** The Anthropic config folder's profiles: names, sign-in modes, which one is active. */
  anthropic: AnthropicConfig;
  settings: SettingsFact[];
  /** What the machine's managed settings do to a job's credentials. */
  managed: ManagedSettings;
  runner: RunnerFacts;
  /** Places that could hold a login but cannot be read (the macOS Keychain). */
  unchecked: string[];
}

export const PROBED_VARIABLES = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  ...PROVIDER_SWITCHES,
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_FEDERATION_RULE_ID',
  'ANTHROPIC_ORGANIZATION_ID',
  'ANTHROPIC_PROFILE',
  'CLAUDE_CONFIG_DIR',
  'CLAUDE_CODE_SIMPLE',
];

export function shapeOf(value: string | undefined): Shape {
  if (value === undefined) return 'unset';
  if (value.trim() === '') return 'empty';
  if (value.startsWith('sk-ant-api03-')) return 'console-key';
  if (value.startsWith('sk-ant-oat01-')) return 'oauth-token';
  if (value.startsWith('sk-ant-ort01-')) return 'oauth-refresh-token';
  if (value.startsWith('sk-ant-admin01-')) return 'admin-key';
  if (value.startsWith('sk-ant-api01-')) return 'enterprise-admin-key';
  return 'unrecognised';
}

export const SHAPE_NAMES: Record<Shape, string> = {
  unset: 'unset',
  empty: 'set but empty',
  'console-key': 'likely a Console API key',
  'oauth-token': 'likely an OAuth token (setup-token or /login)',
  'oauth-refresh-token': 'likely an OAuth refresh token',
  'admin-key': 'likely a Console Admin API key (not for inference)',
  'enterprise-admin-key': 'likely a Claude Enterprise admin key (not for inference)',
  unrecognised: 'set, unrecognised shape',
};

/** The route Claude Code would take on this runner, by the same precedence as the static engine. */
export function runnerRoute(facts: RuntimeFacts): ResolvedRoute<RunnerOrigin> {
  const candidates: Candidate<RunnerOrigin>[] = [];
  const env = new Map(facts.variables.map((v) => [v.name, v]));
  // Settings `env` blocks override the process environment; the first file listed wins.
  const fromSettings = new Map<string, string>();
  for (const s of facts.settings)
    for (const name of s.env) if (!fromSettings.has(name)) fromSettings.set(name, s.path);
  const origin = (variable: string): RunnerOrigin => ({
    variable,
    source: fromSettings.get(variable) ?? 'environment',
  });
  for (const name of PROVIDER_SWITCHES) {
    const fact = env.get(name);
    const kind = PROVIDER_SWITCH_ROUTES[name];
    if (fromSettings.has(name))
      candidates.push({
        kind,
        variable: name,
        presence: 'maybe',
        origin: origin(name),
        why: `is set by ${fromSettings.get(name)}`,
      });
    else if (fact?.switch === 'on')
      candidates.push({ kind, variable: name, presence: 'set', origin: origin(name) });
    else if (fact?.switch === 'uncertain')
      candidates.push({
        kind,
        variable: name,
        presence: 'maybe',
        origin: origin(name),
        why: 'has a value Claude Code may not read as on or off',
      });
  }
  const credential = (name: string, kind: Candidate<RunnerOrigin>['kind']): void => {
    const fact = env.get(name);
    if (fromSettings.has(name))
      candidates.push({ kind, variable: name, presence: 'set', origin: origin(name) });
    else if (fact && fact.shape !== 'unset' && fact.shape !== 'empty')
      candidates.push({ kind, variable: name, presence: 'set', origin: origin(name) });
  };
  credential('ANTHROPIC_AUTH_TOKEN', 'gateway-token');
  credential('ANTHROPIC_API_KEY', 'api-key');
  const helper = facts.settings.find((s) => s.apiKeyHelper);
  if (helper)
    candidates.push({
      kind: 'api-key-helper',
      variable: 'apiKeyHelper',
      presence: 'set',
      origin: { variable: 'apiKeyHelper', source: helper.path },
    });
  const bare = env.get('CLAUDE_CODE_SIMPLE')?.switch === 'on';
  if (!bare) credential('CLAUDE_CODE_OAUTH_TOKEN', 'subscription-oauth-token');
  const federation = env.get('ANTHROPIC_FEDERATION_RULE_ID');
  const organisation = env.get('ANTHROPIC_ORGANIZATION_ID');
  if (
    !bare &&
    federation &&
    !['unset', 'empty'].includes(federation.shape) &&
    organisation &&
    !['unset', 'empty'].includes(organisation.shape)
  ) {
    candidates.push({
      kind: 'workload-identity',
      variable: 'ANTHROPIC_FEDERATION_RULE_ID',
      presence: 'set',
      origin: origin('ANTHROPIC_FEDERATION_RULE_ID'),
    });
  }
  const profile = env.get('ANTHROPIC_PROFILE');
  const named =
    profile && !['unset', 'empty'].includes(profile.shape) ? origin('ANTHROPIC_PROFILE') : undefined;
  if (!bare)
    candidates.push(
      ...profileCandidates(facts.anthropic, named),
      ...storedLoginCandidates(facts.storedLogins[0]),
    );
  return resolveRoute(candidates);
}

export { switchState };
