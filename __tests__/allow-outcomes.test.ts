import { describe, expect, it } from '@jest/globals';
import { FIXTURES, jsonReportAt } from './helpers.js';

describe('allow by outcome', () => {
  it('an entry listing every route a run decided at run time can end on allows it; unused-allow says why not', () => {
    const report = jsonReportAt(FIXTURES, ['allow-outcomes']);
    const workflow = 'allow-outcomes/.github/workflows/assistant.yml';
    const both = ['api-key', 'subscription-oauth-token'];
    expect(
      report.routes.map((r) => [r.file, r.line, r.job, r.route, r.outcomes, r.verdict, r.intended]),
    ).toEqual([
      [
        workflow,
        9,
        'assistant',
        'unknown',
        both,
        "intended: The owner's plan pays when the token is set, the team key otherwise",
        "The owner's plan pays when the token is set, the team key otherwise",
      ],
      [workflow, 17, 'half-listed', 'unknown', both, 'warning: subscription-token-in-ci', null],
      [workflow, 25, 'triage', 'api-key', ['api-key'], 'ok', null],
    ]);
    const policy = 'allow-outcomes/.github/claude-route-guard.yml';
    const entry = (job: string, routes: string): string =>
      `This allow entry (workflow .github/workflows/assistant.yml, job ${job}, routes ${routes})`;
    expect(report.findings.map((f) => [f.rule, f.severity, f.file, f.line, f.column, f.message])).toEqual([
      [
        'unused-allow',
        'notice',
        policy,
        8,
        5,
        `${entry('half-listed', 'subscription-oauth-token')} matches no Claude run in that workflow: job half-listed bills api-key or subscription-oauth-token, decided at run time; an entry allows a run decided at run time only when it lists every route the run can end on. List them all or remove the entry.`,
      ],
      [
        'unused-allow',
        'notice',
        policy,
        13,
        5,
        `${entry('triage', 'bedrock')} matches no Claude run in that workflow: job triage bills api-key; the route changed. Fix the routes or remove the entry.`,
      ],
      [
        'unused-allow',
        'notice',
        policy,
        19,
        10,
        `${entry('assistant-bot', 'subscription-oauth-token')} matches no Claude run in that workflow (did you mean "assistant"?): the job was renamed, or the name is misspelt. Fix the job name or remove the entry.`,
      ],
      [
        'unused-allow',
        'notice',
        policy,
        24,
        10,
        `${entry('deploy', 'api-key')} matches no Claude run in that workflow: no job there that runs Claude has that name. Fix the job name or remove the entry.`,
      ],
      [
        'unused-allow',
        'notice',
        policy,
        28,
        5,
        'This allow entry (workflow .github/workflows/quiet.yml, routes api-key) allows nothing: that workflow has no Claude run. Remove the entry.',
      ],
      [
        'subscription-token-in-ci',
        'warning',
        workflow,
        19,
        36,
        "Job `half-listed` may bill anthropics/claude-code-action@v1 to a personal Claude subscription through an OAuth token passed as an action input: the route is decided at run time (ANTHROPIC_API_KEY is chosen by the condition in `vars.USE_TEAM_KEY == 'true' && secrets.ANTHROPIC_API_KEY` at run time; when it is empty, CLAUDE_CODE_OAUTH_TOKEN (subscription-oauth-token) is used), and one outcome is the subscription. Use `ANTHROPIC_API_KEY` from a secret (or a cloud provider), or declare this route intended in .github/claude-route-guard.yml.",
      ],
    ]);
  });
});
