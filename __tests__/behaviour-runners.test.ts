import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { formatSummary } from '../src/report/summary.js';
import { rowOf } from './behaviour.js';
import { cliAt, FIXTURES, scanAt } from './helpers.js';

/** Workflows whose rows depend on the runner, the cloud account and where the endpoint comes from. */
const RUNNERS = join(FIXTURES, 'runners');
const scan = (file: string): ReturnType<typeof scanAt> => scanAt(RUNNERS, [`.github/workflows/${file}`]);

describe('what an empty credential falls back to, by the runner the job asks for', () => {
  it('says the run fails on a GitHub-hosted runner and names a stored login elsewhere', () => {
    const report = scan('fallback.yml');
    const when = (job: string): string | null => rowOf(report, job).reason;
    expect(when('hosted')).toBe(
      'ANTHROPIC_API_KEY comes from `matrix.key`, decided at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
    );
    expect(when('own-machine')).toBe(
      'ANTHROPIC_API_KEY comes from `matrix.key`, decided at run time; when it is empty, a stored subscription login is used',
    );
  });

  it('tells a headless run with nothing API-side that it fails on a hosted runner, not that a login pays', () => {
    const report = scan('fallback.yml');
    expect(report.findings.map((f) => [f.rule, f.span.line, f.message])).toEqual([
      [
        'headless-without-api-route',
        24,
        'Job `nothing-hosted` runs Claude Code headlessly (anthropics/claude-code-action@v1) with no API-side credential, so it fails: a GitHub-hosted runner has no stored login to fall back on. Pass `anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}` (or a cloud provider or workload identity).',
      ],
      [
        // An expression chooses the runner: a self-hosted one may hold a login.
        'headless-without-api-route',
        29,
        'Job `nothing-chosen` runs Claude Code headlessly (anthropics/claude-code-action@v1) with no API-side credential, so it will use a stored subscription login or fail. Pass `anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}` (or a cloud provider or workload identity).',
      ],
    ]);
  });
});

describe('a cloud route names whose account pays, not only the provider switch', () => {
  it('shows the login step or the credential variable, with its place, and says when the job has neither', () => {
    const report = scan('clouds.yml');
    const row = (job: string): object => {
      const r = report.routes.find((x) => x.job === job)!;
      return {
        route: r.route,
        credential: [r.credential?.variable, r.credential?.source],
        identity: r.identity,
      };
    };
    const file = '.github/workflows/clouds.yml';
    expect(row('bedrock-oidc')).toEqual({
      route: 'bedrock',
      credential: ['CLAUDE_CODE_USE_BEDROCK', 'literal'],
      identity: { label: 'aws-actions/configure-aws-credentials@v4', file, line: 11, column: 15 },
    });
    expect(row('vertex-key-file')).toEqual({
      route: 'vertex',
      credential: ['CLAUDE_CODE_USE_VERTEX', 'literal'],
      identity: { label: 'GOOGLE_APPLICATION_CREDENTIALS in the job env', file, line: 22, column: 7 },
    });
    expect(row('bedrock-bare')).toEqual({
      route: 'bedrock',
      credential: ['CLAUDE_CODE_USE_BEDROCK', 'literal'],
      identity: null,
    });
    const text = cliAt(RUNNERS, ['.github/workflows/clouds.yml', '--fail-on', 'never'], {
      env: { COLUMNS: '200' },
    }).out;
    expect(text).toContain(
      '    credential: CLAUDE_CODE_USE_BEDROCK <- written in the file (action-input, 17:24)\n' +
        '    identity: aws-actions/configure-aws-credentials@v4 (11:15)\n',
    );
    expect(text).toContain(
      '    identity: no cloud login step or credential variable in the job: it signs in only on a runner with a cloud identity of its own\n',
    );
    const summary = formatSummary(report, {});
    expect(summary).toContain(
      '| bedrock | CLAUDE_CODE_USE_BEDROCK <code>written in the file</code> (action-input, line 17); identity: <code>aws-actions/configure-aws-credentials&#64;v4</code> (line 11) | ok |',
    );
  });
});

describe('an endpoint the file takes from a variable', () => {
  it('is said as such in the row, also when run time decides the route', () => {
    const report = scan('gateway.yml');
    expect(rowOf(report, 'review', 'anthropics/claude-code-action@v1')).toMatchObject({
      route: 'unknown',
      endpoint: 'vars.PROXY_URL',
    });
    const text = cliAt(RUNNERS, ['.github/workflows/gateway.yml', '--fail-on', 'never'], {
      env: { COLUMNS: '120' },
    }).out;
    expect(text.split('\n')[3]).toBe(
      '.github/workflows/gateway.yml:11:15  review  unknown via the URL from vars.PROXY_URL  notice: third-party-endpoint',
    );
    expect(formatSummary(report, {})).toContain(
      '| unknown via the URL from vars.PROXY_URL: ANTHROPIC_API_KEY comes from <code>matrix.key</code>, decided at run time;',
    );
  });
});
