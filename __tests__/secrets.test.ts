import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullRequestEvent, runAction } from './action-run.js';
import { FakeAnthropic } from './anthropic-server.js';
import { FakeGitHub } from './github-server.js';
import { ROOT } from './helpers.js';

/** A canary: a known public prefix (so shapes are recognised) and a random secret tail. */
function canary(prefix: string): { value: string; prefix: string } {
  return { value: prefix + randomBytes(24).toString('hex'), prefix };
}

const CANARIES = {
  ANTHROPIC_API_KEY: canary('sk-ant-api03-'),
  ANTHROPIC_AUTH_TOKEN: canary('gw-'),
  CLAUDE_CODE_OAUTH_TOKEN: canary('sk-ant-oat01-'),
  storedAccess: canary('sk-ant-oat01-'),
  storedRefresh: canary('sk-ant-ort01-'),
  storedConsoleKey: canary('sk-ant-api03-'),
  settingsToken: canary('st-'),
  yamlLiteral: canary('sk-ant-api03-'),
  githubToken: canary('ghs_'),
};

/** Every 8-character window that holds at least one secret character (the public prefix alone is not secret). */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [name, { value, prefix }] of Object.entries(CANARIES)) {
    for (let i = Math.max(0, prefix.length - 7); i + 8 <= value.length; i++) {
      if (text.includes(value.slice(i, i + 8))) {
        found.push(`${name} (window at ${i})`);
        break;
      }
    }
  }
  return found;
}

const github = new FakeGitHub();
const api = new FakeAnthropic();
let workspace = '';
let home = '';
let env: Record<string, string> = {};

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'crg-canary-ws-'));
  home = mkdtempSync(join(tmpdir(), 'crg-canary-home-'));
  mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
  mkdirSync(join(workspace, '.claude'), { recursive: true });
  mkdirSync(join(home, '.claude'), { recursive: true });
  writeFileSync(
    join(workspace, '.github', 'workflows', 'review.yml'),
    [
      'on: pull_request',
      'jobs:',
      '  review:',
      '    runs-on: self-hosted',
      '    steps:',
      '      - run: |',
      '          echo "key: ${ANTHROPIC_API_KEY:0:12}"',
      '          claude -p "review"',
      '        env:',
      `          ANTHROPIC_API_KEY: ${CANARIES.yamlLiteral.value}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(workspace, '.claude', 'settings.json'),
    JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: CANARIES.settingsToken.value } }),
  );
  writeFileSync(
    join(home, '.claude', '.credentials.json'),
    JSON.stringify({
      claudeAiOauth: { accessToken: CANARIES.storedAccess.value, refreshToken: CANARIES.storedRefresh.value },
    }),
  );
  writeFileSync(
    join(home, '.claude.json'),
    JSON.stringify({ primaryApiKey: CANARIES.storedConsoleKey.value }),
  );
  const apiUrl = await github.start();
  const anthropicUrl = await api.start();
  env = {
    HOME: home,
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: pullRequestEvent(9, true),
    GITHUB_API_URL: apiUrl,
    GITHUB_WORKFLOW_REF: 'octo/repo/.github/workflows/review.yml@refs/pull/9/merge',
    GITHUB_JOB: 'review',
    RUNNER_ENVIRONMENT: 'self-hosted',
    RUNNER_OS: 'Linux',
    ANTHROPIC_BASE_URL: anthropicUrl,
    ANTHROPIC_API_KEY: CANARIES.ANTHROPIC_API_KEY.value,
    ANTHROPIC_AUTH_TOKEN: CANARIES.ANTHROPIC_AUTH_TOKEN.value,
    CLAUDE_CODE_OAUTH_TOKEN: CANARIES.CLAUDE_CODE_OAUTH_TOKEN.value,
  };
});

afterAll(async () => {
  await github.stop();
  await api.stop();
});

describe('no secret value reaches any output', () => {
  it('the action: log, summary, outputs, SARIF, check run, PR comment and API error paths', async () => {
    const run = await runAction(
      {
        comment: 'true',
        'github-token': CANARIES.githubToken.value,
        'verify-key': 'true',
        'expected-organization': 'org-other',
        'sarif-file': 'out.sarif',
        'fail-on': 'never',
      },
      env,
    );
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    const masks = lines.filter((l) => l.startsWith('::add-mask::'));
    // Mask first: every credential is registered before any other line is printed.
    const firstOther = lines.findIndex((l) => !l.startsWith('::add-mask::'));
    expect(lines.slice(0, firstOther)).toEqual(masks);
    for (const name of [
      'ANTHROPIC_API_KEY',
      'ANTHROPIC_AUTH_TOKEN',
      'CLAUDE_CODE_OAUTH_TOKEN',
      'storedAccess',
      'storedRefresh',
      'storedConsoleKey',
      'githubToken',
    ] as const) {
      expect(masks).toContain(`::add-mask::${CANARIES[name].value}`);
    }
    // A value in the repository's own settings is the pull request's word, never a mask; it still leaks nowhere.
    expect(masks).not.toContain(`::add-mask::${CANARIES.settingsToken.value}`);
    const visible = lines.filter((l) => !l.startsWith('::add-mask::')).join('\n');
    const sarif = readFileSync(join(workspace, 'out.sarif'), 'utf8');
    const outputs = Object.values(run.outputs).join('\n');
    // Every body sent to GitHub: the check run's summary and annotations, and the comment.
    const requests = github.requests.map((r) => r.body).join('\n');
    for (const [where, text] of Object.entries({
      stdout: visible,
      stderr: run.stderr,
      summary: run.summary,
      outputs,
      sarif,
      requests,
    })) {
      expect([where, leaks(text)]).toEqual([where, []]);
    }
    // The surfaces really ran: findings from every stage are present.
    expect(run.summary).toContain('**this runner**');
    expect(run.summary).toContain('runtime-key-check');
    expect(run.summary).toContain('credential-exposed-in-log');
    expect(run.summary).toContain('hardcoded-credential');
    expect(github.comments).toHaveLength(1);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]!.output.summary).toContain('**this runner**');
    expect(github.checkRuns[0]!.annotations.map((a) => a.title)).toEqual(
      expect.arrayContaining([
        'claude-route-guard: hardcoded-credential',
        'claude-route-guard: credential-exposed-in-log',
      ]),
    );
    expect(api.requests.at(-1)!.apiKey).toBe(CANARIES.ANTHROPIC_API_KEY.value);
  });

  it('the CLI: text, json, sarif and github formats, and --runtime', () => {
    const cli = join(ROOT, 'dist', 'cli', 'index.js');
    for (const args of [
      [],
      ['--format', 'json'],
      ['--format', 'sarif'],
      ['--format', 'github'],
      ['--runtime'],
      ['--runtime', '--format', 'json'],
    ]) {
      const run = spawnSync(process.execPath, [cli, ...args, '--fail-on', 'never'], {
        cwd: workspace,
        env: { ...env, PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      expect([args.join(' '), leaks(run.stdout + run.stderr)]).toEqual([args.join(' '), []]);
      expect(run.stdout.length).toBeGreaterThan(100);
    }
  });
});
