import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onlyRoute, scanWorkflow, scanAt, REPO } from './helpers.js';

describe('official action', () => {
  it('reads the key from the action input, at the secret reference', () => {
    const row = onlyRoute(scanWorkflow('action-key.yml'));
    expect(row).toMatchObject({
      job: 'review',
      invocation: 'claude-code-action',
      line: 7,
      column: 15,
      route: 'api-key',
      certainty: 'known',
      verdict: 'ok',
    });
    expect(row.credential).toEqual({
      variable: 'ANTHROPIC_API_KEY',
      level: 'action-input',
      source: 'secrets.ANTHROPIC_API_KEY',
      file: '.github/workflows/action-key.yml',
      line: 9,
      column: 30,
    });
  });

  it('falls back to the workflow env in v1', () => {
    const row = onlyRoute(scanWorkflow('action-env-fallback.yml'));
    expect(row.route).toBe('api-key');
    expect(row.credential).toMatchObject({
      level: 'workflow',
      source: 'secrets.ORG_KEY',
      line: 3,
      column: 22,
    });
  });

  it('lets the key win over an OAuth token and lists the token as shadowed', () => {
    const row = onlyRoute(scanWorkflow('action-oauth-shadowed.yml'));
    expect(row.route).toBe('api-key');
    expect(row.credential).toMatchObject({ variable: 'ANTHROPIC_API_KEY', line: 9, column: 30 });
    expect(row.shadowed).toEqual([
      expect.objectContaining({
        variable: 'CLAUDE_CODE_OAUTH_TOKEN',
        route: 'subscription-oauth-token',
        line: 8,
        column: 36,
      }),
    ]);
  });

  it('turns Bedrock on from use_bedrock and cancels a job-level Vertex switch', () => {
    const row = onlyRoute(scanWorkflow('action-bedrock.yml'));
    expect(row.route).toBe('bedrock');
    expect(row.credential).toMatchObject({
      variable: 'CLAUDE_CODE_USE_BEDROCK',
      level: 'action-input',
      line: 10,
      column: 24,
    });
    expect(row.shadowed.map((s) => s.variable)).toEqual(['ANTHROPIC_API_KEY']);
  });

  it('reads Foundry and workload identity inputs', () => {
    expect(onlyRoute(scanWorkflow('action-foundry.yml')).route).toBe('foundry');
    const wif = onlyRoute(scanWorkflow('action-federation.yml'));
    expect(wif.route).toBe('workload-identity');
    expect(wif.credential).toMatchObject({ source: 'vars.RULE', line: 10, column: 41 });
  });

  it('knows the base action reads inputs only, so a job-level key never reaches Claude', () => {
    const report = scanWorkflow('base-action-hides-env.yml');
    const row = onlyRoute(report);
    expect(row).toMatchObject({
      invocation: 'claude-code-base-action',
      route: 'subscription-login',
      verdict: 'error: headless-without-api-route',
    });
    expect(report.findings.map((f) => [f.rule, f.span.line, f.span.column])).toEqual([
      ['headless-without-api-route', 8, 15],
    ]);
    expect(report.findings[0]!.message).toContain(
      "anthropics/claude-code-base-action@beta reads `anthropic_api_key` only, so the environment's ANTHROPIC_API_KEY does not reach Claude",
    );
  });

  it('reads claude_env of the legacy action, with positions inside the block', () => {
    const row = onlyRoute(scanWorkflow('legacy-claude-env.yml'));
    expect(row.route).toBe('gateway-token');
    expect(row.endpoint).toBe('https://gateway.example.com/…');
    expect(row.credential).toMatchObject({
      variable: 'ANTHROPIC_AUTH_TOKEN',
      source: 'secrets.GATEWAY',
      line: 9,
      column: 35,
    });
  });

  it('reports a credential under a wrong input name as never reaching Claude', () => {
    const row = onlyRoute(scanWorkflow('misnamed.yml'));
    expect(row.route).toBe('subscription-login');
  });

  it('reads secrets.A || secrets.B as the first secret, known', () => {
    const row = onlyRoute(scanWorkflow('secret-choice.yml'));
    expect(row.credential?.source).toBe('secrets.PRIMARY_KEY || secrets.FALLBACK_KEY');
  });
});

describe('run: scripts', () => {
  it('finds every form of a Claude run and none in comments, echo text or heredocs', () => {
    const report = scanWorkflow('cli-forms.yml');
    expect(report.routes.map((r) => [r.label, r.line, r.column, r.headless])).toEqual([
      ['npx @anthropic-ai/claude-code@latest -p', 14, 21, true],
      ['claude -p', 15, 20, true],
      ['./node_modules/.bin/claude -p', 16, 41, true],
      ['/usr/local/bin/claude -p', 17, 23, true],
      ['bunx @anthropic-ai/claude-code -p', 19, 11, true],
      ['claude', 20, 11, false],
    ]);
    for (const r of report.routes) expect(r.credential).toMatchObject({ level: 'job', line: 6, column: 26 });
  });

  it('follows $GITHUB_ENV writes and the shell variable they use', () => {
    const row = onlyRoute(scanWorkflow('github-env.yml'));
    expect(row.route).toBe('api-key');
    expect(row.credential).toMatchObject({
      level: 'github-env',
      source: 'secrets.PROD_KEY',
      line: 8,
      column: 16,
    });
  });

  it('follows export earlier in the same script', () => {
    const row = onlyRoute(scanWorkflow('vertex-cli.yml'));
    expect(row).toMatchObject({ route: 'vertex', line: 8, column: 11 });
    expect(row.credential).toMatchObject({ level: 'script', line: 7, column: 18 });
  });

  it('reads "0" and "false" provider switches as off', () => {
    const row = onlyRoute(scanWorkflow('action-switch-off.yml'));
    expect(row.route).toBe('api-key');
    expect(row.shadowed).toEqual([]);
  });

  it('treats a written ~/.claude/.credentials.json as a subscription token', () => {
    const report = scanWorkflow('credentials-file.yml');
    const row = onlyRoute(report);
    expect(row.route).toBe('subscription-oauth-token');
    expect(row.credential).toMatchObject({
      variable: '~/.claude/.credentials.json',
      level: 'credentials-file',
      line: 8,
      column: 27,
    });
    const ruled = report.findings.filter((f) => f.rule === 'subscription-token-in-ci');
    expect(ruled.map((f) => [f.span.line, f.span.column])).toEqual([[8, 27]]);
  });

  it('records a third-party endpoint for a gateway token', () => {
    const row = onlyRoute(scanWorkflow('gateway.yml'));
    expect(row).toMatchObject({ route: 'gateway-token', endpoint: 'https://openrouter.ai/…' });
  });

  it('reads a key the matrix sets in every combination as set, whichever combination runs', () => {
    const row = onlyRoute(scanWorkflow('unknown-matrix.yml'));
    expect(row).toMatchObject({ route: 'api-key', certainty: 'known', outcomes: ['api-key'] });
    expect(row.credential).toMatchObject({ variable: 'ANTHROPIC_API_KEY', source: 'expression' });
  });
});

describe('Agent SDK and look-alikes', () => {
  it('finds the script a job runs after installing the SDK, and inline imports', () => {
    const report = scanWorkflow('sdk.yml');
    expect(report.routes.map((r) => [r.job, r.invocation, r.line, r.column, r.route])).toEqual([
      ['agent', 'agent-sdk', 7, 14, 'subscription-oauth-token'],
      ['inline', 'agent-sdk', 14, 11, 'subscription-login'],
    ]);
  });

  it('reports look-alikes as such, never as the official tool; a look-alike program is no Claude Code run', () => {
    const report = scanWorkflow('lookalikes.yml');
    // An action that looks like Anthropic's receives the credential and starts its own Claude Code: a run.
    // `claude-code` is not Claude Code's binary: the warning alone, no row that counts it as a run.
    expect(report.routes.map((r) => [r.label, r.invocation, r.route])).toEqual([
      ['anthropic/claude-code-action@v1', 'lookalike', 'api-key'],
      ['grll/claude-code-action@beta', 'lookalike', 'subscription-oauth-token'],
    ]);
    expect(report.findings.map((f) => [f.rule, f.severity, f.span.line, f.span.column])).toEqual([
      ['lookalike-claude', 'warning', 6, 15],
      ['lookalike-claude', 'warning', 9, 18],
      ['lookalike-claude', 'warning', 10, 15],
      ['subscription-token-in-ci', 'warning', 13, 32],
    ]);
  });
});

describe('local wrappers', () => {
  it('follows reusable workflows with inherit, mapped and missing secrets', () => {
    const report = scanWorkflow('caller-inherit.yml');
    expect(
      report.routes.map((r) => [
        r.job,
        r.invocation,
        r.line,
        r.column,
        r.route,
        r.credential?.source ?? null,
      ]),
    ).toEqual([
      ['call', 'reusable-workflow', 4, 11, 'api-key', 'secrets.ANTHROPIC_API_KEY'],
      ['call-mapped', 'reusable-workflow', 7, 11, 'api-key', 'secrets.TEAM_KEY'],
      ['call-nothing', 'reusable-workflow', 11, 11, 'subscription-login', null],
    ]);
    expect(report.routes[1]!.credential).toMatchObject({
      file: '.github/workflows/caller-inherit.yml',
      line: 9,
      column: 26,
    });
    expect(report.routes[0]!.via).toEqual({
      file: '.github/workflows/callee.yml',
      line: 10,
      column: 14,
      label: 'claude -p',
    });
    const finding = report.findings.find((f) => f.span.line === 11)!;
    expect(finding.message).toContain('secret ANTHROPIC_API_KEY is not passed by the caller');
  });

  it('follows a local composite action and the inputs the caller passes', () => {
    const row = onlyRoute(scanWorkflow('composite-caller.yml'));
    expect(row).toMatchObject({ invocation: 'composite-action', route: 'api-key', line: 6, column: 15 });
    expect(row.credential).toMatchObject({
      source: 'secrets.WRAPPED_KEY',
      file: '.github/workflows/composite-caller.yml',
      line: 8,
      column: 16,
    });
  });

  it('scans a composite action on its own: the one wired slot is the route, inferred from its input', () => {
    const report = scanAt(REPO, ['.github/actions/wrap/action.yml']);
    const row = onlyRoute(report);
    expect(row).toMatchObject({
      job: '(composite)',
      route: 'api-key',
      certainty: 'inferred',
      line: 8,
      column: 12,
    });
    expect(row.reason).toBe('depends on the caller passing `inputs.key`');
  });
});

describe('settings files and flags', () => {
  const SETTINGS_REPO = REPO.replace(/repo$/, 'settings-repo');

  it("applies the repository's .claude/settings.json: apiKeyHelper outranks an OAuth token", () => {
    const row = onlyRoute(scanAt(SETTINGS_REPO, ['.github/workflows/helper.yml']));
    expect(row.route).toBe('api-key-helper');
    expect(row.credential).toEqual({
      variable: 'apiKeyHelper',
      level: 'settings-file',
      source: 'literal',
      file: '.claude/settings.json',
      line: 2,
      column: 19,
    });
    expect(row.endpoint).toBe('https://llm-gateway.internal.example/…');
    expect(row.shadowed.map((s) => s.variable)).toEqual(['CLAUDE_CODE_OAUTH_TOKEN']);
  });

  it('reads inline --settings JSON, with the position inside the run: line', () => {
    const row = onlyRoute(scanAt(SETTINGS_REPO, ['.github/workflows/settings-flag.yml']));
    expect(row.route).toBe('api-key');
    expect(row.credential).toMatchObject({
      variable: 'ANTHROPIC_API_KEY',
      level: 'settings-file',
      source: 'secrets.FLAG_KEY',
      line: 7,
      column: 67,
    });
  });

  it("reads the action's settings input: its env can turn a provider on", () => {
    const row = onlyRoute(scanAt(SETTINGS_REPO, ['.github/workflows/settings-input.yml']));
    expect(row.route).toBe('vertex');
    expect(row.credential).toMatchObject({
      variable: 'CLAUDE_CODE_USE_VERTEX',
      level: 'action-input',
      line: 10,
      column: 50,
    });
  });
});

describe('repository scripts', () => {
  it('follows bash path/to/script.sh and ./script.sh into the repository, with the step env', () => {
    const report = scanWorkflow('script-caller.yml');
    expect(
      report.routes.map((r) => [r.line, r.column, r.label, r.route, r.credential?.source ?? null, r.via]),
    ).toEqual([
      [
        7,
        19,
        '.github/scripts/review.sh → claude -p',
        'api-key',
        'secrets.ANTHROPIC_API_KEY',
        { file: '.github/scripts/review.sh', line: 5, column: 1, label: 'claude -p' },
      ],
      [
        10,
        14,
        './.github/scripts/review.sh → claude -p',
        'subscription-login',
        null,
        { file: '.github/scripts/review.sh', line: 5, column: 1, label: 'claude -p' },
      ],
    ]);
    expect(report.findings.map((f) => [f.rule, f.file, f.span.line, f.span.column])).toEqual([
      ['headless-without-api-route', '.github/workflows/script-caller.yml', 10, 14],
    ]);
  });
});

describe('report order', () => {
  it('sorts findings by code unit, the same on every machine whatever its locale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-order-'));
    const workflow = 'on: push\njobs:\n  go:\n    runs-on: x\n    steps:\n      - run: claude -p "hi"\n';
    for (const name of ['b.yml', 'B.yml', 'a.yml']) writeFileSync(join(dir, name), workflow);
    const report = scanAt(dir, ['b.yml', 'a.yml', 'B.yml']);
    // A locale collator would put a.yml first and B.yml between a.yml and b.yml.
    expect(report.findings.map((f) => [f.file, f.rule, f.span.line, f.span.column])).toEqual([
      ['B.yml', 'headless-without-api-route', 6, 14],
      ['a.yml', 'headless-without-api-route', 6, 14],
      ['b.yml', 'headless-without-api-route', 6, 14],
    ]);
  });
});
