import { describe, expect, it } from '@jest/globals';
import type { Report } from '../src/scan.js';
import { rowOf, scanBehaviour } from './behaviour.js';

describe("Claude Code's authentication precedence, one rung at a time", () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('precedence-ladder.yml');
  // Each job holds the credentials from its own rung down: the winner is its rung, the rest are shadowed.
  const ladder = [
    { job: 'bedrock', variable: 'CLAUDE_CODE_USE_BEDROCK', route: 'bedrock', line: 8, column: 32 },
    { job: 'vertex', variable: 'CLAUDE_CODE_USE_VERTEX', route: 'vertex', line: 24, column: 31 },
    { job: 'foundry', variable: 'CLAUDE_CODE_USE_FOUNDRY', route: 'foundry', line: 39, column: 32 },
    {
      job: 'anthropic-aws',
      variable: 'CLAUDE_CODE_USE_ANTHROPIC_AWS',
      route: 'bedrock',
      line: 53,
      column: 38,
    },
    { job: 'mantle', variable: 'CLAUDE_CODE_USE_MANTLE', route: 'bedrock', line: 66, column: 31 },
    { job: 'gateway', variable: 'ANTHROPIC_AUTH_TOKEN', route: 'gateway-token', line: 78, column: 29 },
    { job: 'api-key', variable: 'ANTHROPIC_API_KEY', route: 'api-key', line: 89, column: 26 },
    {
      job: 'oauth',
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      route: 'subscription-oauth-token',
      line: 99,
      column: 32,
    },
    // The named profile ranks above the federation variables.
    { job: 'profile', variable: 'ANTHROPIC_PROFILE', route: 'workload-identity', line: 108, column: 26 },
    {
      job: 'federation',
      variable: 'ANTHROPIC_FEDERATION_RULE_ID',
      route: 'workload-identity',
      line: 116,
      column: 37,
    },
  ];

  it.each(ladder.map((rung, index) => ({ ...rung, below: ladder.slice(index + 1).map((r) => r.variable) })))(
    '$variable wins over everything below it ($job)',
    ({ job, variable, route, line, column, below }) => {
      const row = rowOf(report(), job);
      expect(row).toMatchObject({ route, certainty: 'known', outcomes: [route], reason: null });
      expect(row.credential).toMatchObject({ variable, level: 'job', line, column });
      // The shadowed list is the rest of the order, top first.
      expect(row.shadowed.map((s) => s.variable)).toEqual(below);
    },
  );

  it('says a shadowed credential is shadowed, on its own value', () => {
    const shadowed = report().findings.filter((f) => f.rule === 'shadowed-credential' && f.span.line <= 17);
    expect(shadowed.map((f) => [f.span.line, f.span.column])).toEqual([
      [9, 31],
      [10, 32],
      [11, 38],
      [12, 31],
      [13, 29],
      [14, 26],
      [15, 32],
      [16, 26],
      [17, 37],
    ]);
  });
});

describe('provider switches read as Claude Code reads them', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('switch-values.yml');
  // Step n of the job sets CLAUDE_CODE_USE_VERTEX to the n-th value, beside a job-level API key.
  const on = ["'1'", "'true'", "'TRUE'", "'yes'", "'On'", "' on '"];
  const off = ["'0'", "'false'", "'no'", "'OFF'", "''"];

  it.each(on.map((value, index) => ({ value, step: index + 1 })))(
    '$value turns the switch on',
    ({ step }) => {
      const row = rowOf(report(), 'switches', `step ${step}`);
      expect(row).toMatchObject({ route: 'vertex', certainty: 'known', line: 8 + 3 * step, column: 14 });
      expect(row.credential).toMatchObject({
        variable: 'CLAUDE_CODE_USE_VERTEX',
        level: 'step',
        line: 7 + 3 * step,
      });
      expect(row.shadowed.map((s) => s.variable)).toEqual(['ANTHROPIC_API_KEY']);
    },
  );

  it.each(off.map((value, index) => ({ value, step: on.length + index + 1 })))(
    '$value leaves the switch off, so the key bills',
    ({ step }) => {
      const row = rowOf(report(), 'switches', `step ${step}`);
      expect(row).toMatchObject({ route: 'api-key', certainty: 'known', outcomes: ['api-key'] });
      expect(row.credential).toMatchObject({
        variable: 'ANTHROPIC_API_KEY',
        level: 'job',
        line: 7,
        column: 26,
      });
      expect(row.shadowed).toEqual([]);
    },
  );

  it('calls any other value uncertain, with both routes it may take', () => {
    const row = rowOf(report(), 'switches', 'step 12');
    expect(row).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['vertex', 'api-key'],
      reason:
        'CLAUDE_CODE_USE_VERTEX has a value Claude Code may not read as on or off; when it is empty, ANTHROPIC_API_KEY (api-key) is used',
    });
    expect(row.credential).toMatchObject({ variable: 'CLAUDE_CODE_USE_VERTEX', line: 43, column: 35 });
  });
});

describe('where the API calls go', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('endpoints.yml');
  const endpoint = (step: number): string | null => rowOf(report(), 'endpoints', `step ${step}`).endpoint;

  it("is no third party on Anthropic's own host, in any case and with a port", () => {
    expect(endpoint(1)).toBeNull();
    expect(endpoint(2)).toBeNull();
  });

  it('is a third party on a host that only ends in or starts with anthropic.com', () => {
    expect(endpoint(3)).toBe('https://evilanthropic.com/…');
    expect(endpoint(4)).toBe('https://api.anthropic.com.evil.io');
  });

  it('names the host without a bare trailing slash, an unreadable URL as such, and a variable by name', () => {
    expect(endpoint(5)).toBe('https://openrouter.ai');
    expect(endpoint(6)).toBe('an unparseable ANTHROPIC_BASE_URL');
    expect(endpoint(7)).toBe('vars.GATEWAY_URL');
    expect(endpoint(8)).toBeNull();
  });

  it('does not apply to a cloud provider, which ignores the base URL', () => {
    const row = rowOf(report(), 'endpoints', 'step 9');
    expect(row).toMatchObject({ route: 'bedrock', endpoint: null });
  });

  it('puts the third-party notice on each foreign or unreadable URL', () => {
    const notices = report().findings.filter((f) => f.rule === 'third-party-endpoint');
    expect(notices.map((f) => [f.span.line, f.span.column])).toEqual([
      [16, 31],
      [19, 31],
      [22, 31],
      [25, 31],
      [28, 31],
    ]);
  });
});

describe('--bare and CLAUDE_CODE_SIMPLE=1', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('bare.yml');

  it('never read the OAuth token: the run falls to a stored login', () => {
    for (const [step, column] of [
      ['step 1', 14],
      ['step 2', 35],
    ] as const) {
      const row = rowOf(report(), 'bare', step);
      expect(row).toMatchObject({ route: 'subscription-login', credential: null, column });
      expect(row.verdict).toBe('error: headless-without-api-route');
    }
  });

  it('keeps the token without them, and with CLAUDE_CODE_SIMPLE=0', () => {
    for (const step of ['step 3', 'step 4']) {
      const row = rowOf(report(), 'bare', step);
      expect(row).toMatchObject({
        route: 'subscription-oauth-token',
        verdict: 'error: subscription-token-in-ci',
      });
      expect(row.credential).toMatchObject({ variable: 'CLAUDE_CODE_OAUTH_TOKEN', line: 7, column: 32 });
    }
  });
});
