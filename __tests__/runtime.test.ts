import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseRuntime } from '../src/passes/runner.js';
import { runnerRoute, shapeOf } from '../src/runtime/facts.js';
import { checkKey, type KeyCheck } from '../src/runtime/key-check.js';
import { probeRunner } from '../src/runtime/probe.js';
import { FakeAnthropic } from './anthropic-server.js';
import { closedAddress, PATIENT_MS, tempFolder } from './helpers.js';

const KEY = 'sk-ant-api03-' + 'k'.repeat(40);
const OAUTH = 'sk-ant-oat01-' + 'o'.repeat(40);

const home = (files: Record<string, string> = {}): string => tempFolder(files, 'crg-home-');

function probe(
  env: Record<string, string>,
  homeDir = home(),
  workspace = home(),
): { facts: ReturnType<typeof probeRunner>; masked: string[] } {
  const masked: string[] = [];
  const facts = probeRunner({
    env,
    home: homeDir,
    workspace,
    platform: 'linux',
    mask: (v) => masked.push(v),
  });
  return { facts, masked };
}

describe('runtime probe', () => {
  it('tells shapes apart without keeping values', () => {
    expect(
      [KEY, OAUTH, 'sk-ant-admin01-x', 'sk-ant-api01-x', 'sk-ant-ort01-x', '', 'or-v1-abc', undefined].map(
        shapeOf,
      ),
    ).toEqual([
      'console-key',
      'oauth-token',
      'admin-key',
      'enterprise-admin-key',
      'oauth-refresh-token',
      'empty',
      'unrecognised',
      'unset',
    ]);
    const { facts } = probe({ ANTHROPIC_API_KEY: KEY });
    expect(JSON.stringify(facts)).not.toContain('kkkkkkkk');
  });

  it('masks every credential value before anything else, including tokens in stored logins, not the repository settings', () => {
    const credentials = JSON.stringify({
      claudeAiOauth: {
        accessToken: OAUTH,
        refreshToken: 'sk-ant-ort01-' + 'r'.repeat(40),
        subscriptionType: 'max',
      },
    });
    const workspace = home({
      '.claude/settings.json': JSON.stringify({
        env: { ANTHROPIC_AUTH_TOKEN: 'gateway-token-abcdefghijkl' },
      }),
    });
    const { masked } = probe(
      { ANTHROPIC_API_KEY: KEY, CLAUDE_CODE_OAUTH_TOKEN: OAUTH },
      home({ '.claude/.credentials.json': credentials }),
      workspace,
    );
    expect(masked.slice(0, 2)).toEqual([KEY, OAUTH]);
    expect(masked).toEqual(expect.arrayContaining(['sk-ant-ort01-' + 'r'.repeat(40)]));
    // The repository's settings are the pull request's: it must not choose what the log hides.
    expect(masked).not.toContain('gateway-token-abcdefghijkl');
  });

  it('finds a stored subscription login and a /login managed Console key, also under CLAUDE_CONFIG_DIR', () => {
    const withLogin = probe({}, home({ '.claude/.credentials.json': '{"claudeAiOauth":{}}' }));
    expect(withLogin.facts.storedLogins).toEqual([
      { path: expect.stringMatching(/\.claude\/\.credentials\.json$/), kind: 'subscription' },
    ]);
    expect(runnerRoute(withLogin.facts)).toMatchObject({
      kind: 'subscription-login',
      winner: { variable: 'stored-login' },
    });
    const config = home({
      'cfg/.credentials.json': '{}',
      'cfg/.claude.json': JSON.stringify({ primaryApiKey: KEY }),
    });
    const moved = probe({ CLAUDE_CONFIG_DIR: join(config, 'cfg') }, home());
    expect(moved.facts.storedLogins.map((l) => l.kind)).toEqual(['subscription', 'console-key']);
    expect(moved.masked).toContain(KEY);
  });

  it('reads settings env and apiKeyHelper, and applies the same precedence as the static engine', () => {
    const workspace = home({ '.claude/settings.json': JSON.stringify({ apiKeyHelper: 'vault read key' }) });
    const { facts } = probe(
      { CLAUDE_CODE_OAUTH_TOKEN: OAUTH, CLAUDE_CODE_USE_BEDROCK: '0' },
      home(),
      workspace,
    );
    const route = runnerRoute(facts);
    expect(route.kind).toBe('api-key-helper');
    expect(route.shadowed.map((c) => c.variable)).toEqual(['CLAUDE_CODE_OAUTH_TOKEN']);
    expect(runnerRoute(probe({ ANTHROPIC_API_KEY: KEY, CLAUDE_CODE_USE_VERTEX: 'TRUE' }).facts).kind).toBe(
      'vertex',
    );
  });

  it('names the route of each provider switch the runner leaves undecided, not Bedrock for all', () => {
    const undecided = runnerRoute(probe({ ANTHROPIC_API_KEY: KEY, CLAUDE_CODE_USE_VERTEX: 'maybe' }).facts);
    expect([undecided.kind, undecided.outcomes, undecided.reason]).toEqual([
      'unknown',
      ['vertex', 'api-key'],
      'CLAUDE_CODE_USE_VERTEX has a value Claude Code may not read as on or off; when it is empty, ANTHROPIC_API_KEY (api-key) is used',
    ]);
    const workspace = home({
      '.claude/settings.json': JSON.stringify({ env: { CLAUDE_CODE_USE_FOUNDRY: '1' } }),
    });
    const fromSettings = runnerRoute(probe({ CLAUDE_CODE_OAUTH_TOKEN: OAUTH }, home(), workspace).facts);
    expect([fromSettings.kind, fromSettings.outcomes]).toEqual([
      'unknown',
      ['foundry', 'subscription-oauth-token'],
    ]);
  });

  it('knows the runner and whether the pull request comes from a fork', () => {
    const event = join(home(), 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: {
          head: { repo: { full_name: 'fork/repo', fork: true } },
          base: { repo: { full_name: 'octo/repo' } },
        },
      }),
    );
    const { facts } = probe({
      RUNNER_ENVIRONMENT: 'self-hosted',
      RUNNER_OS: 'Linux',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_WORKFLOW_REF: 'octo/repo/.github/workflows/review.yml@refs/pull/7/merge',
      GITHUB_JOB: 'review',
    });
    expect(facts.runner).toEqual({
      environment: 'self-hosted',
      os: 'Linux',
      event: 'pull_request',
      fork: true,
      workflowFile: '.github/workflows/review.yml',
      job: 'review',
    });
  });
});

describe('runtime rules', () => {
  const rules = (env: Record<string, string>, homeDir?: string): string[] =>
    analyseRuntime({ facts: probe(env, homeDir).facts }).findings.map((f) => `${f.rule}: ${f.message}`);

  it('runtime-credential-shape: an OAuth token or admin key in ANTHROPIC_API_KEY, or an empty credential', () => {
    expect(rules({ ANTHROPIC_API_KEY: OAUTH })).toEqual([
      expect.stringMatching(
        /^runtime-credential-shape: ANTHROPIC_API_KEY on this runner is likely an OAuth token/,
      ),
    ]);
    expect(rules({ ANTHROPIC_API_KEY: 'sk-ant-admin01-zzzz' })[0]).toMatch(/likely a Console Admin API key/);
    expect(rules({ CLAUDE_CODE_OAUTH_TOKEN: '' })).toEqual([
      expect.stringMatching(
        /^runtime-credential-shape: CLAUDE_CODE_OAUTH_TOKEN is set but empty on this runner/,
      ),
    ]);
    expect(rules({ ANTHROPIC_API_KEY: KEY })).toEqual([]);
  });

  it('runtime-stored-login: a subscription login with nothing API-side, but not when a key is live', () => {
    const logged = home({ '.claude/.credentials.json': '{"claudeAiOauth":{}}' });
    expect(rules({ RUNNER_ENVIRONMENT: 'self-hosted' }, logged)).toEqual([
      expect.stringMatching(
        /^runtime-stored-login: This self-hosted runner has a stored Claude subscription login/,
      ),
    ]);
    expect(rules({ ANTHROPIC_API_KEY: KEY }, logged)).toEqual([]);
  });
});

describe('live key check', () => {
  const api = new FakeAnthropic();
  let url = '';
  beforeAll(async () => {
    url = await api.start();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('reads 200 as valid with the organisation that pays, sending the key only as x-api-key', async () => {
    api.mode = 200;
    expect(await checkKey(url, KEY, PATIENT_MS)).toEqual({
      result: 'valid',
      status: 200,
      organization: 'org-test-0001',
    });
    expect(api.requests.at(-1)).toEqual({ url: '/v1/models?limit=1', apiKey: KEY, version: '2023-06-01' });
  });

  it('reads 401, 403 and 500, and turns them into findings', async () => {
    for (const [mode, result] of [
      [401, 'invalid'],
      [403, 'forbidden'],
      [500, 'unexpected'],
    ] as const) {
      api.mode = mode;
      expect((await checkKey(url, KEY, PATIENT_MS)).result).toBe(result);
    }
    api.mode = 200;
    const keyCheck = await checkKey(url, KEY, PATIENT_MS);
    const { findings } = analyseRuntime({
      facts: probe({ ANTHROPIC_API_KEY: KEY }).facts,
      keyCheck,
      expectedOrganization: 'org-finance',
    });
    expect(findings.map((f) => [f.rule, f.severity, f.message])).toEqual([
      [
        'runtime-key-check',
        'error',
        'ANTHROPIC_API_KEY bills organisation org-test-0001, not the expected org-finance. Use a key from the expected organisation.',
      ],
    ]);
  });

  it('gives up on a hanging API within the timeout, once', async () => {
    api.mode = 'hang';
    const before = api.requests.length;
    expect(await checkKey(url, KEY, 1000)).toEqual({
      result: 'no-network',
      detail: 'the Anthropic API did not answer within 1 s',
    });
    expect(api.requests.length - before).toBe(1);
  });

  it('says what failed in the words of every API failure, with no text of the answer', async () => {
    const closed = await closedAddress();
    expect(await checkKey(closed, KEY, 1000)).toEqual({
      result: 'no-network',
      detail: `the Anthropic API at ${closed.slice('http://'.length)} could not be reached (the connection was refused)`,
    });
    api.mode = 500;
    const failed = await checkKey(url, KEY);
    expect(failed).toEqual({
      result: 'unexpected',
      status: 500,
      organization: 'org-test-0001',
      detail: 'the Anthropic API answered HTTP 500',
    });
    api.mode = 'hang';
    const silent = await checkKey(url, KEY, 1000);
    const facts = probe({ ANTHROPIC_API_KEY: KEY }).facts;
    const said = (keyCheck: KeyCheck): [string, string, string][] =>
      analyseRuntime({ facts, keyCheck }).findings.map((f) => [f.rule, f.severity, f.message]);
    expect(said(failed)).toEqual([
      [
        'runtime-key-check',
        'warning',
        'The key check is inconclusive: the Anthropic API answered HTTP 500, so whether the key works is unknown.',
      ],
    ]);
    expect(said(silent)).toEqual([
      [
        'runtime-key-check',
        'warning',
        'The key check failed: the Anthropic API did not answer within 1 s, so whether the key works and who pays is unknown.',
      ],
    ]);
  });
});
