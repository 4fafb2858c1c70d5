import { describe, expect, it } from '@jest/globals';
import { resolveRoute, switchState, type Candidate } from '../src/claude/precedence.js';
import { isAnthropicHost } from '../src/claude/routes.js';
import { join } from 'node:path';
import { FIXTURES, scanAt } from './helpers.js';

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

describe('--bare, CLAUDE_CODE_SIMPLE and the order of profiles and federation', () => {
  const NO_ROUTE = (job: string): string =>
    `Job \`${job}\` runs Claude Code headlessly (claude -p) with no API-side credential, and under \`--bare\` (CLAUDE_CODE_SIMPLE) it reads no stored login, profile or federation, so the run simply fails. Set \`ANTHROPIC_API_KEY: \${{ secrets.ANTHROPIC_API_KEY }}\` in the step env: it is what \`--bare\` reads.`;

  it('skips profiles and federation under --bare or CLAUDE_CODE_SIMPLE read as a switch, and ranks a named profile above federation', () => {
    const report = scanAt(join(FIXTURES, 'flags'), ['.github/workflows/bare.yml']);
    expect(
      report.routes.map((r) => [
        r.job,
        r.line,
        r.column,
        r.route,
        r.certainty,
        r.verdict,
        r.credential?.variable ?? null,
        r.shadowed.map((s) => s.variable),
      ]),
    ).toEqual([
      [
        'bare-federation',
        12,
        14,
        'subscription-login',
        'known',
        'error: headless-without-api-route',
        null,
        [],
      ],
      [
        'simple-yes-profile',
        20,
        14,
        'subscription-login',
        'known',
        'error: headless-without-api-route',
        null,
        [],
      ],
      ['simple-off', 28, 14, 'workload-identity', 'known', 'ok', 'ANTHROPIC_PROFILE', []],
      [
        'profile-over-federation',
        37,
        14,
        'workload-identity',
        'known',
        'warning: shadowed-credential',
        'ANTHROPIC_PROFILE',
        ['ANTHROPIC_FEDERATION_RULE_ID'],
      ],
    ]);
    expect(report.findings.map((f) => [f.rule, f.severity, f.span.line, f.span.column, f.message])).toEqual([
      ['headless-without-api-route', 'error', 12, 14, NO_ROUTE('bare-federation')],
      ['headless-without-api-route', 'error', 20, 14, NO_ROUTE('simple-yes-profile')],
      [
        'shadowed-credential',
        'warning',
        33,
        37,
        'Job `profile-over-federation` gives claude -p both ANTHROPIC_PROFILE (a value written in the file, route workload-identity) and ANTHROPIC_FEDERATION_RULE_ID (route workload-identity); Claude Code uses ANTHROPIC_PROFILE, so ANTHROPIC_FEDERATION_RULE_ID is never used. Remove ANTHROPIC_FEDERATION_RULE_ID from this job, or remove ANTHROPIC_PROFILE if workload-identity is the route you meant.',
      ],
    ]);
  });
});
