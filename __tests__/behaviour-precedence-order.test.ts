import { describe, expect, it } from '@jest/globals';
import { resolveRoute, switchState, type Candidate } from '../src/claude/precedence.js';
import { isAnthropicHost } from '../src/claude/routes.js';

/** A credential as both the static engine and the runtime probe hand it to the precedence function. */
function credential(
  variable: string,
  kind: Candidate<string>['kind'],
  presence: Candidate<string>['presence'] = 'set',
): Candidate<string> {
  return { kind, variable, presence, origin: `${variable} in the job env` };
}

describe('the precedence order, whatever order the credentials are found in', () => {
  it('lets the highest rung win when the lower ones are found first', () => {
    const route = resolveRoute([
      credential('ANTHROPIC_PROFILE', 'workload-identity'),
      credential('CLAUDE_CODE_OAUTH_TOKEN', 'subscription-oauth-token'),
      credential('ANTHROPIC_API_KEY', 'api-key'),
      credential('CLAUDE_CODE_USE_VERTEX', 'vertex'),
    ]);
    expect(route).toMatchObject({ kind: 'vertex', certainty: 'known', outcomes: ['vertex'] });
    expect(route.winner?.variable).toBe('CLAUDE_CODE_USE_VERTEX');
    // The shadowed credentials are listed top first too.
    expect(route.shadowed.map((c) => c.variable)).toEqual([
      'ANTHROPIC_API_KEY',
      'CLAUDE_CODE_OAUTH_TOKEN',
      'ANTHROPIC_PROFILE',
    ]);
  });

  it('ranks a name Claude Code does not read below every credential it does', () => {
    const route = resolveRoute([
      credential('ANTHROPIC_KEY', 'api-key'),
      credential('CLAUDE_CODE_OAUTH_TOKEN', 'subscription-oauth-token'),
    ]);
    expect(route.winner?.variable).toBe('CLAUDE_CODE_OAUTH_TOKEN');
    expect(route.shadowed.map((c) => c.variable)).toEqual(['ANTHROPIC_KEY']);
  });

  it('falls to a stored subscription login when no credential reaches the run', () => {
    expect(resolveRoute([credential('ANTHROPIC_API_KEY', 'api-key', 'empty')])).toEqual({
      kind: 'subscription-login',
      winner: null,
      shadowed: [],
      certainty: 'known',
      outcomes: ['subscription-login'],
    });
  });

  it('says a credential decided at run time is, even when nothing says why', () => {
    const route = resolveRoute([credential('ANTHROPIC_API_KEY', 'api-key', 'maybe')]);
    expect(route).toMatchObject({
      kind: 'unknown',
      certainty: 'unknown',
      outcomes: ['api-key', 'subscription-login'],
      reason:
        'ANTHROPIC_API_KEY is decided at run time; when it is empty, a stored subscription login is used',
    });
    // On a GitHub-hosted runner, a fresh machine for each job, no stored login can take over.
    expect(resolveRoute([credential('ANTHROPIC_API_KEY', 'api-key', 'maybe')], true).reason).toBe(
      'ANTHROPIC_API_KEY is decided at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
    );
  });
});

describe('a provider switch as Claude Code reads it', () => {
  it('is off when empty or blank', () => {
    expect(switchState('')).toBe('off');
    expect(switchState('  ')).toBe('off');
  });

  it('is uncertain on a word that is neither on nor off', () => {
    expect(switchState('enabled')).toBe('uncertain');
    expect(switchState('2')).toBe('uncertain');
  });
});

describe("Anthropic's own API host", () => {
  it('is anthropic.com itself and any subdomain, in any case', () => {
    expect(isAnthropicHost('anthropic.com')).toBe(true);
    expect(isAnthropicHost('API.Anthropic.com')).toBe(true);
  });

  it('keeps its name behind a port, as the runner reports a base URL host', () => {
    expect(isAnthropicHost('api.anthropic.com:8443')).toBe(true);
    expect(isAnthropicHost('anthropic.com:443')).toBe(true);
  });

  it('is not a host that only ends in anthropic.com, nor one with a port that is no number', () => {
    expect(isAnthropicHost('evilanthropic.com')).toBe(false);
    expect(isAnthropicHost('api.anthropic.com.evil.io')).toBe(false);
    expect(isAnthropicHost('api.anthropic.com:http')).toBe(false);
  });
});
