/**
 * Credential values in every literal channel: found where they are written, and never printed in any format.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { FIXTURES } from './helpers.js';
import { runAction } from './action-run.js';
import { workspace, cli } from './hostile-pr.js';

describe('credential values in every literal channel: found, and never printed', () => {
  it('hardcoded-credential fires on each channel and the text snippets redact by the variable bound', () => {
    const tail = (): string => randomBytes(12).toString('hex');
    const secrets = {
      inline: `sk-ant-oat01-${tail()}`,
      exported: `gwlive${tail()}`,
      githubEnv: `keylive${tail()}`,
      settingsFlag: `gwlive${tail()}`,
      claudeEnv: `gwlive${tail()}`,
      password: `pw${tail()}`,
      settingsFile: `gwlive${tail()}`,
    };
    const ws = workspace(
      {},
      {
        '.github/workflows/lit.yml': [
          'on: push',
          'jobs:',
          '  inline:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 10',
          '    steps:',
          `      - run: CLAUDE_CODE_OAUTH_TOKEN=${secrets.inline} claude -p "a"`,
          '      - run: |',
          `          export ANTHROPIC_AUTH_TOKEN=${secrets.exported}`,
          '          claude -p "b"',
          '      - run: |',
          `          echo "ANTHROPIC_API_KEY=${secrets.githubEnv}" >> "$GITHUB_ENV"`,
          `      - run: claude -p "c" --settings '{"env":{"ANTHROPIC_AUTH_TOKEN":"${secrets.settingsFlag}"}}'`,
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.K }}',
          '          claude_env: |',
          `            ANTHROPIC_AUTH_TOKEN: ${secrets.claudeEnv}`,
          '      - run: claude -p "d"',
          '        env:',
          `          ANTHROPIC_BASE_URL: https://user:${secrets.password}@gateway.example.com`,
          '          ANTHROPIC_AUTH_TOKEN: ${{ secrets.GW }}',
          '',
        ].join('\n'),
        '.claude/settings.json': JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: secrets.settingsFile } }),
      },
    );
    const json = cli(ws, ['--format', 'json', '--fail-on', 'never']);
    const report = JSON.parse(json.stdout) as {
      findings: { rule: string; file: string; line: number; column: number }[];
    };
    const hardcoded = report.findings
      .filter((f) => f.rule === 'hardcoded-credential')
      .map((f) => `${f.file}:${f.line}:${f.column}`);
    expect(hardcoded).toEqual([
      '.claude/settings.json:1:32',
      '.github/workflows/lit.yml:7:38',
      '.github/workflows/lit.yml:9:39',
      '.github/workflows/lit.yml:12:35',
      '.github/workflows/lit.yml:13:71',
      '.github/workflows/lit.yml:18:35',
    ]);
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const out = cli(ws, ['--format', format, '--fail-on', 'never']);
      for (const [name, value] of Object.entries(secrets))
        expect([format, name, (out.stdout + out.stderr).includes(value.slice(-16))]).toEqual([
          format,
          name,
          false,
        ]);
    }
    // The snippets are still printed, with the value replaced.
    const text = cli(ws, ['--fail-on', 'never']).stdout;
    expect(text).toContain('ANTHROPIC_BASE_URL: https://user:<redacted>@gateway.example.com');
    expect(text).toContain('echo "ANTHROPIC_API_KEY=<redacted>" >> "$GITHUB_ENV"');
  });
});

describe('a value under a hyphenated secret name', () => {
  it('is redacted in every snippet as under the underscored name (x-api-key:, anthropic-api-key=)', () => {
    const header = `gwlive${randomBytes(12).toString('hex')}`;
    const flag = `gwlive${randomBytes(12).toString('hex')}`;
    const ws = workspace(
      {},
      {
        '.github/workflows/h.yml': [
          'on: push',
          'jobs:',
          '  j:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - run: |',
          `          ANTHROPIC_CUSTOM_HEADERS="x-api-key: ${header}" claude -p hi`,
          `      - run: claude -p hi --anthropic-api-key=${flag} --private-key=${flag}`,
          '',
        ].join('\n'),
      },
    );
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const out = cli(ws, ['--format', format, '--fail-on', 'never']);
      expect([format, out.stdout + out.stderr].join(' ')).not.toMatch(new RegExp(`${header}|${flag}`));
    }
    const text = cli(ws, ['--fail-on', 'never']).stdout;
    expect(text).toContain('ANTHROPIC_CUSTOM_HEADERS="x-api-key: <redacted>" claude -p hi');
    expect(text).toContain('claude -p hi --anthropic-api-key=<redacted> --private-key=<redacted>');
  });
});

describe('the hardcoded-credential docs page, channel by channel', () => {
  it('its .claude/settings.json example is a finding at the value, next to the workflow channels', () => {
    const page = readFileSync(join(FIXTURES, '..', '..', 'docs', 'rules', 'hardcoded-credential.md'), 'utf8');
    const workflow = /## Bad\n\n[^`]*\n\n```yaml\n([\s\S]*?)```/.exec(page)![1]!;
    const settings = /```json\n([\s\S]*?)```/.exec(page)![1]!;
    const ws = workspace(
      {},
      { '.github/workflows/example.yml': workflow, '.claude/settings.json': settings },
    );
    const report = JSON.parse(cli(ws, ['--format', 'json', '--fail-on', 'never']).stdout) as {
      findings: { rule: string; file: string; line: number; column: number }[];
    };
    expect(
      report.findings
        .filter((f) => f.rule === 'hardcoded-credential')
        .map((f) => `${f.file}:${f.line}:${f.column}`),
    ).toEqual([
      '.claude/settings.json:1:36',
      '.github/workflows/example.yml:8:30',
      '.github/workflows/example.yml:10:38',
      '.github/workflows/example.yml:13:39',
      '.github/workflows/example.yml:16:38',
      '.github/workflows/example.yml:18:76',
      '.github/workflows/example.yml:24:35',
    ]);
  });
});

describe('a condition quoted in a message', () => {
  it('keeps every character of what it compares and never shows a value it may pass', () => {
    const canary = `gwlive${randomBytes(12).toString('hex')}`;
    const ws = workspace(
      {},
      {
        '.github/workflows/chosen.yml': [
          // Two events, so github.event_name is run time's (with push alone the files decide it).
          'on: [push, pull_request]',
          'jobs:',
          '  review:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 10',
          '    steps:',
          '      - run: claude -p "a"',
          '        env:',
          `          ANTHROPIC_AUTH_TOKEN: \${{ github.event_name == 'push' && '${canary}' || '' }}`,
          '          ANTHROPIC_BASE_URL: https://gateway.example.com',
          '',
        ].join('\n'),
      },
    );
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const out = cli(ws, ['--format', format, '--fail-on', 'never']);
      expect([format, (out.stdout + out.stderr).includes(canary.slice(-16))]).toEqual([format, false]);
    }
    const json = JSON.parse(cli(ws, ['--format', 'json', '--fail-on', 'never']).stdout) as {
      routes: { reason: string | null }[];
    };
    expect(json.routes.map((r) => r.reason)).toEqual([
      "ANTHROPIC_AUTH_TOKEN is chosen by the condition in `github.event_name == 'push' && '…'` at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login",
    ]);
  });
});

describe('a key in a job id and a step name', () => {
  const key = `sk-ant-api03-${randomBytes(24).toString('base64url')}`;
  const tail = key.slice('sk-ant-api03-'.length);
  const ws = workspace(
    {},
    {
      '.github/workflows/named.yml': [
        'on: push',
        'jobs:',
        `  deploy-${key}:`,
        `    name: deploy ${key}`,
        '    runs-on: ubuntu-latest',
        '    steps:',
        `      - name: use ${key}`,
        '        run: claude -p hi',
        '        env:',
        '          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
        '',
      ].join('\n'),
    },
  );

  it('is flagged, and printed by no format of the CLI', () => {
    const json = cli(ws, ['--format', 'json']);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as {
      routes: { job: string; step: string; label: string; route: string; verdict: string }[];
      findings: { rule: string; line: number; column: number }[];
    };
    expect(
      report.routes.map(({ job, step, label, route, verdict }) => ({ job, step, label, route, verdict })),
    ).toEqual([
      {
        job: 'deploy-<redacted>',
        step: 'use <redacted>',
        label: 'claude -p',
        route: 'api-key',
        verdict: 'error: hardcoded-credential',
      },
    ]);
    expect(
      report.findings.filter((f) => f.rule === 'hardcoded-credential').map((f) => [f.line, f.column]),
    ).toEqual([
      [3, 10],
      [4, 18],
      [7, 19],
    ]);
    for (const args of [
      [],
      ['--compact'],
      ['--format', 'json'],
      ['--format', 'sarif'],
      ['--format', 'github'],
    ]) {
      const run = cli(ws, args);
      expect(run.stdout + run.stderr).toContain('hardcoded-credential');
      expect(run.stdout + run.stderr).not.toContain(tail);
    }
  });

  it("is printed by none of the action's log, summary or outputs", async () => {
    const run = await runAction({ 'fail-on': 'never', 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    expect(run.status).toBe(0);
    expect(run.summary).toContain('hardcoded-credential');
    expect(run.outputs['routes']).toContain('deploy-<redacted>');
    for (const text of [run.stdout, run.summary, ...Object.values(run.outputs)])
      expect(text).not.toContain(tail);
  });
});
