import { describe, expect, it } from '@jest/globals';
import { rowOf, scanBehaviour } from './behaviour.js';
import { scanAt, tempFolder } from './helpers.js';

describe("a run's verdict comes from findings about that run, not its neighbours'", () => {
  it('a step with a key is not blamed for the next step that has none', () => {
    const report = scanBehaviour('verdict-per-run.yml');
    expect(rowOf(report, 'cli', 'Ask')).toMatchObject({
      route: 'api-key',
      line: 8,
      column: 14,
      // Its own finding: on pull_request the key arrives empty for forks.
      verdict: 'warning: secret-unavailable-on-trigger',
    });
    expect(rowOf(report, 'cli', 'no cred')).toMatchObject({
      route: 'subscription-login',
      line: 11,
      column: 14,
      verdict: 'error: headless-without-api-route',
    });
    expect(report.findings.map((f) => [f.rule, f.span.line, f.span.column])).toEqual([
      ['secret-unavailable-on-trigger', 1, 5],
      ['headless-without-api-route', 11, 14],
    ]);
  });

  it('`env -u CLAUDE_CODE_OAUTH_TOKEN claude -p` is not judged by the token that reaches only the next run', () => {
    const report = scanBehaviour('verdict-per-job.yml');
    expect(rowOf(report, 'unset', 'without the token')).toMatchObject({
      route: 'api-key',
      shadowed: [],
      verdict: 'ok',
    });
    expect(rowOf(report, 'unset', 'with both')).toMatchObject({
      route: 'api-key',
      shadowed: [expect.objectContaining({ variable: 'CLAUDE_CODE_OAUTH_TOKEN', line: 8, column: 32 })],
      verdict: 'warning: shadowed-credential',
    });
  });

  it('only the job that passes `secrets: inherit` to a reusable workflow gets broad-credential-scope', () => {
    const report = scanBehaviour('verdict-per-job.yml');
    expect(
      ['inherit', 'named', 'also-named'].map((job) => {
        const row = rowOf(report, job, null);
        return [job, row.line, row.column, row.verdict];
      }),
    ).toEqual([
      ['inherit', 15, 11, 'warning: broad-credential-scope'],
      ['named', 18, 11, 'ok'],
      ['also-named', 22, 11, 'ok'],
    ]);
    const scope = report.findings.filter((f) => f.rule === 'broad-credential-scope');
    expect(scope.map((f) => [f.span.line, f.span.column])).toEqual([[16, 14]]);
  });

  it('`claude setup-token` in one step concerns the runs of its job that come after it', () => {
    const row = rowOf(scanBehaviour('verdict-per-job.yml'), 'login', 'later');
    expect(row).toMatchObject({ route: 'api-key', line: 30, column: 14 });
    expect(row.verdict).toBe('error: interactive-claude-in-ci');
  });

  it('a workflow-level env key concerns the runs it reaches, not a run that sets its own', () => {
    const report = scanBehaviour('verdict-workflow-env.yml');
    expect(rowOf(report, 'shared')).toMatchObject({
      credential: expect.objectContaining({ level: 'workflow', line: 3, column: 22 }),
      verdict: 'warning: broad-credential-scope',
    });
    expect(rowOf(report, 'own-key')).toMatchObject({
      credential: expect.objectContaining({ level: 'step', source: 'secrets.REVIEW_KEY' }),
      verdict: 'ok',
    });
  });
});

describe('an interactive run is an error only where a plan can pay for it', () => {
  const job = (runsOn: string, env: string): string =>
    `on: workflow_dispatch\njobs:\n  ask:\n    runs-on: ${runsOn}\n    timeout-minutes: 10\n    steps:\n      - run: claude "Summarise the README"\n        env:\n          ${env}\n`;
  const findingsOf = (yaml: string): [string, string, number, number][] => {
    const repo = tempFolder({ '.github/workflows/ask.yml': yaml });
    return scanAt(repo, ['.github/workflows/ask.yml'])
      .findings.filter((f) => f.rule === 'interactive-claude-in-ci')
      .map((f) => [f.rule, f.severity, f.span.line, f.span.column]);
  };
  const key = 'ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}';
  const token = 'CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}';

  it('a warning on a GitHub-hosted runner with an API key: it hangs or fails, no plan pays', () => {
    expect(findingsOf(job('ubuntu-latest', key))).toEqual([['interactive-claude-in-ci', 'warning', 7, 14]]);
  });

  it('an error on a self-hosted or unnamed runner, or where the route is a subscription', () => {
    expect(findingsOf(job('[self-hosted, linux]', key))).toEqual([
      ['interactive-claude-in-ci', 'error', 7, 14],
    ]);
    expect(findingsOf(job('${{ inputs.runner }}', key))).toEqual([
      ['interactive-claude-in-ci', 'error', 7, 14],
    ]);
    expect(findingsOf(job('ubuntu-latest', token))).toEqual([['interactive-claude-in-ci', 'error', 7, 14]]);
  });
});
