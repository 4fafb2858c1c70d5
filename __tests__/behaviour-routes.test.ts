import { describe, expect, it } from '@jest/globals';
import type { Report, RouteRow } from '../src/scan.js';
import { BEHAVIOUR, rowOf, scanBehaviour } from './behaviour.js';
import { cliAt } from './helpers.js';

/** The row of the Claude run at a line of the workflow. */
function rowAt(report: Report, line: number): RouteRow {
  const rows = report.routes.filter((r) => r.line === line);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('a reusable workflow read on its own', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('routes-caller.yml');

  it("names the caller's secret that the route depends on", () => {
    const row = rowOf(report(), 'secret-key');
    expect(row).toMatchObject({
      route: 'api-key',
      certainty: 'inferred',
      outcomes: ['api-key'],
      reason: 'depends on the caller passing `secrets.CLAUDE_KEY`',
    });
    expect(row.credential).toMatchObject({ variable: 'ANTHROPIC_API_KEY', line: 17, column: 26 });
  });

  it('leaves the route to the caller when it may pass either of two credentials', () => {
    const row = rowOf(report(), 'either');
    expect(row).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['api-key', 'subscription-oauth-token'],
      reason:
        'depends on which credential the caller passes: `secrets.CLAUDE_KEY` (api-key), `inputs.oauth-token` (subscription-oauth-token)',
    });
    expect(row.credential).toMatchObject({ variable: 'ANTHROPIC_API_KEY', line: 23, column: 26 });
    expect(row.shadowed.map((s) => s.variable)).toEqual(['CLAUDE_CODE_OAUTH_TOKEN']);
  });

  it("falls to a key with a repository secret behind the caller's input when the caller's token is empty", () => {
    const row = rowOf(report(), 'gateway-or-key');
    expect(row).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['gateway-token', 'api-key'],
      reason:
        'ANTHROPIC_AUTH_TOKEN comes from input `gateway-token`, which the caller decides; when it is empty, ANTHROPIC_API_KEY (api-key) is used',
    });
  });

  it("counts a stored login among the outcomes when a switch decided at run time sits above the caller's key", () => {
    const row = rowOf(report(), 'switch-and-caller');
    expect(row).toMatchObject({
      route: 'unknown',
      outcomes: ['bedrock', 'api-key', 'subscription-login'],
    });
    expect(row.credential).toMatchObject({ variable: 'CLAUDE_CODE_USE_BEDROCK', line: 37, column: 32 });
  });
});

describe("a switch decided at run time above a reusable workflow's caller's credentials", () => {
  /** The JSON report's row of a job, as `claude-route-guard --format json` prints it. */
  function jsonRow(job: string): Pick<RouteRow, 'route' | 'certainty' | 'outcomes' | 'reason'> {
    const { out } = cliAt(BEHAVIOUR, [
      '--format',
      'json',
      '--fail-on',
      'never',
      '.github/workflows/routes-caller-fallback.yml',
    ]);
    const rows = (JSON.parse(out) as { routes: RouteRow[] }).routes.filter((r) => r.job === job);
    expect(rows).toHaveLength(1);
    const { route, certainty, outcomes, reason } = rows[0]!;
    return { route, certainty, outcomes, reason };
  }

  it("names the caller's key as what is used when the switch is empty, then a stored login", () => {
    expect(jsonRow('switch-then-caller-key')).toEqual({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['bedrock', 'api-key', 'subscription-login'],
      reason:
        'CLAUDE_CODE_USE_BEDROCK comes from vars.USE_BEDROCK, decided at run time; when it is empty, ANTHROPIC_API_KEY (api-key) is used if the caller passes `secrets.ANTHROPIC_API_KEY`, else the run fails (a GitHub-hosted runner has no stored login)',
    });
  });

  it('walks down every slot the caller may leave out, in precedence order', () => {
    expect(jsonRow('switch-then-two-caller-slots')).toEqual({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['bedrock', 'api-key', 'subscription-oauth-token', 'subscription-login'],
      reason:
        'CLAUDE_CODE_USE_BEDROCK comes from vars.USE_BEDROCK, decided at run time; when it is empty, ANTHROPIC_API_KEY (api-key) is used if the caller passes `secrets.ANTHROPIC_API_KEY`, else CLAUDE_CODE_OAUTH_TOKEN (subscription-oauth-token) if the caller passes `inputs.oauth-token`, else the run fails (a GitHub-hosted runner has no stored login)',
    });
  });

  it("ends at a key that is surely set below the caller's token", () => {
    expect(jsonRow('switch-then-caller-token-then-key')).toEqual({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['bedrock', 'gateway-token', 'api-key'],
      reason:
        'CLAUDE_CODE_USE_BEDROCK comes from vars.USE_BEDROCK, decided at run time; when it is empty, ANTHROPIC_AUTH_TOKEN (gateway-token) is used if the caller passes `inputs.gateway-token`, else ANTHROPIC_API_KEY (api-key)',
    });
  });
});

describe('a provider switch whose value comes from outside the file', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('routes-switches.yml');

  it('is decided at run time, with a stored login as the other outcome', () => {
    const row = rowOf(report(), 'switch-from-var');
    expect(row).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['bedrock', 'subscription-login'],
      reason:
        'CLAUDE_CODE_USE_BEDROCK comes from vars.USE_BEDROCK, decided at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
    });
    expect(row.credential).toMatchObject({ variable: 'CLAUDE_CODE_USE_BEDROCK', line: 7, column: 32 });
  });

  it('names the first credential surely set as the fallback, past one that is not', () => {
    const row = rowOf(report(), 'switch-with-fallback');
    expect(row).toMatchObject({
      route: 'unknown',
      outcomes: ['vertex', 'gateway-token', 'api-key'],
      reason:
        'CLAUDE_CODE_USE_VERTEX comes from vars.USE_VERTEX, decided at run time; when it is empty, ANTHROPIC_API_KEY (api-key) is used',
    });
    expect(row.shadowed.map((s) => s.variable)).toEqual(['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY']);
  });
});

describe('ANTHROPIC_FEDERATION_RULE_ID', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('routes-switches.yml');

  it('does not authenticate without an organisation, nor with an empty one', () => {
    for (const step of ['step 1', 'step 2']) {
      const row = rowOf(report(), 'federation', step);
      expect(row).toMatchObject({
        route: 'subscription-login',
        certainty: 'known',
        outcomes: ['subscription-login'],
        credential: null,
        verdict: 'error: headless-without-api-route',
      });
    }
  });

  it('is decided at run time with an organisation that is, and says so', () => {
    const row = rowOf(report(), 'federation', 'step 3');
    expect(row).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['workload-identity', 'subscription-login'],
      reason:
        'ANTHROPIC_FEDERATION_RULE_ID needs ANTHROPIC_ORGANIZATION_ID, comes from `steps.org.outputs.id`, decided at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
    });
    expect(row.credential).toMatchObject({ variable: 'ANTHROPIC_FEDERATION_RULE_ID', line: 21, column: 37 });
  });

  it('bills the workload identity with an organisation', () => {
    const row = rowOf(report(), 'federation', 'step 4');
    expect(row).toMatchObject({ route: 'workload-identity', certainty: 'known', reason: null });
    expect(row.credential).toMatchObject({ variable: 'ANTHROPIC_FEDERATION_RULE_ID', line: 21, column: 37 });
  });

  it('gives its own reason when the rule itself is decided at run time', () => {
    const row = rowOf(report(), 'federation', 'step 5');
    expect(row).toMatchObject({
      route: 'unknown',
      reason:
        'ANTHROPIC_FEDERATION_RULE_ID comes from `steps.rule.outputs.id`, decided at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
    });
    expect(row.credential).toMatchObject({ variable: 'ANTHROPIC_FEDERATION_RULE_ID', line: 35, column: 41 });
  });
});

describe('ANTHROPIC_BASE_URL', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('routes-endpoints.yml');

  it('is where a key goes', () => {
    expect(rowOf(report(), 'endpoints', 'step 1')).toMatchObject({
      route: 'api-key',
      endpoint: 'https://gateway.example.com/…',
    });
  });

  it('is no third party for Vertex, Foundry or a workload identity, which do not send to it', () => {
    const routes = ['step 2', 'step 3', 'step 4'].map((step) => rowOf(report(), 'endpoints', step));
    expect(routes.map((r) => [r.route, r.endpoint])).toEqual([
      ['vertex', null],
      ['foundry', null],
      ['workload-identity', null],
    ]);
    const notices = report().findings.filter((f) => f.rule === 'third-party-endpoint');
    expect(notices.map((f) => [f.span.line, f.span.column])).toEqual([[7, 27]]);
  });
});

describe('ANTHROPIC_BASE_URL beside every route', () => {
  it('is the endpoint of every route that sends to it, and of none that has its own', () => {
    const report = scanBehaviour('routes-endpoint-every-route.yml');
    expect(report.routes.map((r) => [r.step, r.route, r.endpoint, r.line, r.column])).toEqual([
      ['step 1', 'gateway-token', 'https://gateway.example.com', 11, 14],
      ['step 2', 'api-key-helper', 'https://gateway.example.com', 13, 11],
      ['step 3', 'subscription-oauth-token', 'https://gateway.example.com', 16, 14],
      ['step 4', 'subscription-login', 'https://gateway.example.com', 17, 14],
      ['step 5', 'unknown', 'https://gateway.example.com', 21, 14],
      ['step 6', 'bedrock', null, 24, 14],
    ]);
    expect(report.findings.map((f) => [f.rule, f.span.line, f.span.column])).toEqual([
      ['third-party-endpoint', 7, 27],
      ['unbounded-spend', 11, 14],
      ['unbounded-spend', 13, 11],
      ['subscription-token-in-ci', 15, 36],
      ['unbounded-spend', 16, 14],
      ['headless-without-api-route', 17, 14],
      ['unbounded-spend', 21, 14],
      ['unbounded-spend', 24, 14],
    ]);
  });
});

describe('a gateway that takes its key in its URL', () => {
  it('is shown by its origin alone, so the key reaches no report in any format', () => {
    const report = scanBehaviour('routes-endpoint-key.yml');
    expect(['path-key', 'query-key', 'bare'].map((job) => rowOf(report, job, 'step 1').endpoint)).toEqual([
      'https://proxy.example.com/…',
      'https://proxy.example.com/…',
      'https://proxy.example.com',
    ]);
    for (const format of ['json', 'sarif', 'text', 'github']) {
      const { out, err } = cliAt(BEHAVIOUR, [
        '--format',
        format,
        '--fail-on',
        'never',
        '.github/workflows/routes-endpoint-key.yml',
      ]);
      expect(out).toContain('proxy.example.com');
      expect(out + err).not.toMatch(/PATHKEY|QUERYKEY/);
    }
  });
});

describe('runs whose route the files cannot settle', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('routes-runs.yml');

  it('gives a look-alike CLI no row, only the warning, and counts the key it receives as received', () => {
    const r = report();
    expect(r.routes.filter((row) => row.job === 'lookalike')).toEqual([]);
    expect(
      r.findings
        .filter((f) => f.span.line <= 10)
        .map((f) => [f.rule, f.severity, f.span.line, f.span.column, f.span.endColumn]),
    ).toEqual([
      ['lookalike-claude', 'warning', 9, 14, 25],
      ['lookalike-claude', 'warning', 10, 18, 40],
    ]);
  });

  it('reads a cmd step as a bash step is read: its route is what the files give it', () => {
    const cmd = (step: string): RouteRow => rowOf(report(), 'cmd', step);
    expect(cmd('step 1')).toMatchObject({
      route: 'subscription-login',
      certainty: 'known',
      outcomes: ['subscription-login'],
      reason: null,
    });
    expect(cmd('step 2')).toMatchObject({
      route: 'api-key',
      certainty: 'known',
      outcomes: ['api-key'],
      reason: null,
    });
    expect(cmd('step 3')).toMatchObject({
      route: 'unknown',
      outcomes: ['bedrock', 'subscription-login'],
      reason:
        'CLAUDE_CODE_USE_BEDROCK comes from vars.USE_BEDROCK, decided at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
    });
  });

  it('adds what was not seen into to a route decided at run time', () => {
    const row = rowOf(report(), 'opaque', 'acme/ai-review@v1');
    expect(row).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      line: 30,
      column: 15,
      outcomes: ['bedrock', 'api-key'],
      opaque: '`acme/ai-review@v1` receives ANTHROPIC_API_KEY; its inside was not checked',
      reason:
        'CLAUDE_CODE_USE_BEDROCK comes from vars.USE_BEDROCK, decided at run time; when it is empty, ANTHROPIC_API_KEY (api-key) is used; `acme/ai-review@v1` receives ANTHROPIC_API_KEY; its inside was not checked',
    });
  });

  it('bills a written credentials file to the subscription, except under --bare', () => {
    const bare = rowAt(report(), 36);
    expect(bare).toMatchObject({ route: 'subscription-login', credential: null, column: 11 });
    const plain = rowAt(report(), 37);
    expect(plain).toMatchObject({ route: 'subscription-oauth-token', certainty: 'known', column: 11 });
    expect(plain.credential).toMatchObject({ variable: '~/.claude/.credentials.json', line: 35, column: 33 });
  });
});
