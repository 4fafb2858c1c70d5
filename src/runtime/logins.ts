import type { Candidate } from '../claude/precedence.js';
import type { AnthropicConfig, AnthropicProfile } from './anthropic-config.js';

/**
 * What a machine's own sign-ins add to the route: a named or active Anthropic profile and a stored
 * `/login`. `--bare` (CLAUDE_CODE_SIMPLE) reads none of them: its credentials are strictly
 * ANTHROPIC_API_KEY or an apiKeyHelper.
 */

/** A login Claude Code finds stored on the machine. */
export interface StoredLogin {
  path: string;
  /** `subscription`: a claude.ai OAuth login; `console-key`: the legacy Console login, a stored API key. */
  kind: 'subscription' | 'console-key';
}

/** Where a runner credential was read: the variable or file, and what set it. */
export interface RunnerOrigin {
  variable: string;
  source: string;
}

type RunnerCandidate = Candidate<RunnerOrigin>;

const STORED: Record<StoredLogin['kind'], { kind: RunnerCandidate['kind']; label: string }> = {
  subscription: { kind: 'subscription-login', label: 'stored subscription login' },
  'console-key': { kind: 'console-login', label: 'legacy Console login (stored API key)' },
};

/** A Console sign-in bills the Console organisation; federation the organisation its rule names. */
function kindOf(profile: AnthropicProfile | undefined): RunnerCandidate['kind'] {
  return profile?.auth === 'user_oauth' ? 'console-login' : 'workload-identity';
}

/**
 * The profile `ANTHROPIC_PROFILE` names ranks where that variable does; a profile that is active only
 * because `active_config` (or `default`) points at it ranks with federation when it federates, and below a
 * stored `/login` when it is a keyless Console sign-in. One without its secret part signs nobody in.
 */
export function profileCandidates(
  config: AnthropicConfig | undefined,
  named: RunnerOrigin | undefined,
): RunnerCandidate[] {
  const active = config?.profiles.find((p) => p.active);
  if (named) return [{ kind: kindOf(active), variable: 'ANTHROPIC_PROFILE', presence: 'set', origin: named }];
  if (!active || config?.selection !== 'fallback') return [];
  if (active.auth === 'oidc_federation')
    return [
      {
        kind: 'workload-identity',
        variable: 'active-profile',
        presence: 'set',
        origin: { variable: `Anthropic profile ${active.name} (federation)`, source: active.path },
      },
    ];
  if (active.auth === 'user_oauth' && active.signedIn)
    return [
      {
        kind: 'console-login',
        variable: 'active-console-profile',
        presence: 'set',
        origin: { variable: `keyless Console sign-in (profile ${active.name})`, source: active.path },
      },
    ];
  return [];
}

/** The first stored `/login`: a claude.ai subscription, or a Console account's legacy stored key. */
export function storedLoginCandidates(stored: StoredLogin | undefined): RunnerCandidate[] {
  if (!stored) return [];
  const { kind, label } = STORED[stored.kind];
  return [
    { kind, variable: 'stored-login', presence: 'set', origin: { variable: label, source: stored.path } },
  ];
}
