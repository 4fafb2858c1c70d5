import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from './action-run.js';
import { FakeGitHub } from './github-server.js';
import { FIXTURES } from './helpers.js';
import { CANARY, canaryLog } from './run-logs.js';

const RUNS = join(FIXTURES, 'runs');

/** A job that declares a Console API key for the official action, with the proof step after it. */
const REVIEW = `on: pull_request
jobs:
  review:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: claude
        uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}
          prompt: Review this pull request.
      - uses: claude-route-guard/claude-route-guard@v0
        if: always()
        with:
          execution-file: \${{ steps.claude.outputs.execution_file }}
`;

/** Two Claude steps in one job, each log named on its own line: a key for one, the OAuth token for the other. */
const TWO_STEPS = `on: push
jobs:
  review:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - id: review
        uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}
          prompt: Review.
      - id: notes
        uses: anthropics/claude-code-action@v1
        with:
          claude_code_oauth_token: \${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}
          prompt: Write release notes.
      - uses: claude-route-guard/claude-route-guard@v0
        if: always()
        with:
          execution-file: |
            \${{ steps.review.outputs.execution_file }}
            \${{ steps.notes.outputs.execution_file }}
`;

/** A workspace holding one workflow, and RUNNER_TEMP with the logs (outside the workspace, as on a runner). */
function setUp(
  workflow: string,
  logs: Record<string, string>,
): { env: Record<string, string>; paths: string[] } {
  const workspace = mkdtempSync(join(tmpdir(), 'crg-ws-'));
  mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(workspace, '.github', 'workflows', 'review.yml'), workflow);
  const temp = mkdtempSync(join(tmpdir(), 'crg-temp-'));
  const paths = Object.entries(logs).map(([name, text]) => {
    writeFileSync(join(temp, name), text);
    return join(temp, name);
  });
  return {
    env: {
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: temp,
      GITHUB_WORKFLOW_REF: 'octo/repo/.github/workflows/review.yml@refs/pull/7/merge',
      GITHUB_JOB: 'review',
      GITHUB_EVENT_NAME: 'pull_request',
    },
    paths,
  };
}

/** What run-route-mismatch says when the subscription fixture runs after the key's step of REVIEW. */
const MISMATCH =
  "Job `review` declares api-key (ANTHROPIC_API_KEY), but run 1 of execution file 1 used subscription-login: its log holds 2 rate-limit events, which Claude Code sends only on a claude.ai subscription (apiKeySource none, provider firstParty). So a person's claude.ai plan, from the usage windows they share with their own work paid for it. The declared credential did not reach Claude Code, so it fell back to a subscription: check that the secret is set for this event (fork pull requests and Dependabot get none) and that the step passes it; on a self-hosted runner, sign the stored login out.";

const FAILED =
  '::error::claude-route-guard: 1 run(s) used another route than the workflow declares; fail-on is error.';

const fixture = (name: string): string => readFileSync(join(RUNS, name), 'utf8');

/** The workflow commands the step printed, as lines. */
const commands = (run: ActionRun): string[] => run.stdout.split('\n').filter((l) => l.startsWith('::'));

const verifyWith = (
  workflow: string,
  logs: Record<string, string>,
  inputs: Record<string, string> = {},
): Promise<ActionRun> => {
  const { env, paths } = setUp(workflow, logs);
  return runAction({ 'execution-file': paths.join('\n'), ...inputs }, env);
};

describe('the bundled action with execution-file, after a job that declares an API key', () => {
  it('fails with run-route-mismatch on the Claude step when the log proves a subscription', async () => {
    const run = await verifyWith(REVIEW, { 'claude-execution-output.json': fixture('subscription.jsonl') });
    expect(run.status).toBe(1);
    expect(commands(run)).toEqual([
      `::error title=claude-route-guard%3A run-route-mismatch,file=.github/workflows/review.yml,line=9,endLine=9,col=15,endColumn=47::${MISMATCH}`,
      FAILED,
    ]);
    expect(run.outputs).toEqual({
      errors: '1',
      warnings: '0',
      notices: '0',
      'route-proved': 'subscription-login',
      'cost-usd': '0.5127',
      'runs-verified': '1',
      // No token, so no check run: the finding went out as a workflow command.
      'check-run-url': '',
    });
    expect(run.summary).toContain(
      [
        '### What the runs used',
        '',
        '| Run | Route | Proved by | Models | Claude Code | Turns | Duration | Tokens | Cost | Failure |',
        '|---|---|---|---|---|---|---|---|---|---|',
        "| review / claude, run 1 | subscription-login | apiKeySource none, provider firstParty, 2 rate-limit events | claude-opus-4-6 (firstParty) | 2.1.262 | 2 turns | 21.2 s | 2 in, 120 out, 0 cache read, 20,333 cache write | &#36;0.5127, covered by the plan's usage limits, not billed per token | - |",
      ].join('\n'),
    );
    // Only the proof: no route table and no static finding of the first guard step.
    expect(run.summary).not.toContain('Claude Code billing routes');
  });

  it('passes when the log proves the key, and says what it cost as an estimate', async () => {
    const run = await verifyWith(REVIEW, { 'claude-execution-output.json': fixture('api-key.json') });
    expect([run.status, commands(run)]).toEqual([0, []]);
    expect(run.outputs['route-proved']).toBe('api-key');
    expect(run.outputs['cost-usd']).toBe('0.2481');
    expect(run.summary).toContain(
      '| review / claude, run 1 | api-key | apiKeySource ANTHROPIC_API_KEY, provider firstParty |',
    );
    expect(run.summary).toContain(
      // `$` is an entity in Markdown, so two costs in one row cannot open math between them.
      '&#36;0.2481, estimated at list prices; the bill is in the Console usage page or the cloud account',
    );
  });

  it('ties each of several logs to its own Claude step by the expression that names it', async () => {
    const sub = fixture('subscription.jsonl');
    const run = await verifyWith(TWO_STEPS, { 'review.json': sub, 'notes.json': sub });
    // The key's step fell back to a subscription; the token's step used one, as declared.
    expect(commands(run).map((c) => c.split('::')[1])).toEqual([
      'error title=claude-route-guard%3A run-route-mismatch,file=.github/workflows/review.yml,line=8,endLine=8,col=15,endColumn=47',
      'error',
    ]);
    expect(run.outputs['route-proved']).toBe('subscription-login,subscription-oauth-token');
    expect(run.outputs['runs-verified']).toBe('2');
  });

  it("picks among what the log leaves open with the runner's own credential, and fails on it", async () => {
    // apiKeySource none, first party, no rate-limit events: the secret was empty, and an OAuth token a
    // step wrote to $GITHUB_ENV (which the runner probe sees in this step's environment) is the one in play.
    const { env, paths } = setUp(REVIEW, { 'a.json': fixture('first-party-no-rate-limit.json') });
    const token = 'sk-ant-oat01-' + 'o'.repeat(40);
    const run = await runAction({ 'execution-file': paths[0]! }, { ...env, CLAUDE_CODE_OAUTH_TOKEN: token });
    expect(run.status).toBe(1);
    expect(commands(run)).toEqual([
      `::add-mask::${token}`,
      "::error title=claude-route-guard%3A run-route-mismatch,file=.github/workflows/review.yml,line=9,endLine=9,col=15,endColumn=47::Job `review` declares api-key (ANTHROPIC_API_KEY), but run 1 of execution file 1 used subscription-oauth-token: its log says apiKeySource none, provider firstParty and no rate-limit events, and of the credentials that leaves open only this one is in play. So a person's claude.ai plan, from the usage windows they share with their own work paid for it. The declared credential did not reach Claude Code, so it fell back to a subscription: check that the secret is set for this event (fork pull requests and Dependabot get none) and that the step passes it; on a self-hosted runner, sign the stored login out.",
      FAILED,
    ]);
    expect(run.outputs['route-proved']).toBe('subscription-oauth-token');
    // Without it, the same log proves nothing, and nothing is a mismatch.
    const open = await verifyWith(REVIEW, { 'a.json': fixture('first-party-no-rate-limit.json') });
    expect([open.status, commands(open), open.outputs['route-proved']]).toEqual([0, [], 'unknown']);
  });

  it('fails in one line naming the file and the position for an execution file cut short', async () => {
    const run = await verifyWith(REVIEW, { 'claude-execution-output.json': fixture('truncated.json') });
    expect(run.status).toBe(1);
    const errors = commands(run).filter((c) => c.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::claude-route-guard: not read: execution file 1 \(\/.*\/claude-execution-output\.json\): 61:13: the execution file ends inside the message that starts at 54:3: it was cut short$/,
    );
    expect(run.stderr).toBe('');
  });

  it('keeps a canary in every text field of the log out of annotations, summary, outputs and logs', async () => {
    const run = await verifyWith(REVIEW, {
      'a.json': canaryLog('subscription.jsonl', false),
      'b.json': canaryLog('two-runs.jsonl', false),
      'c.json': canaryLog('window-spent.jsonl', true),
    });
    expect(run.status).toBe(1);
    expect(commands(run).filter((c) => c.includes('run-route-mismatch'))).toHaveLength(2);
    const everything = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n');
    expect(everything).not.toMatch(/CANARY/i);
    expect(everything).not.toContain(CANARY);
  });
});

describe('the proof in a check run of its own', () => {
  const github = new FakeGitHub();
  const HEAD = 'c0ffee1234567890abcdef1234567890abcdef12';
  let apiUrl = '';
  beforeAll(async () => {
    apiUrl = await github.start();
  });
  afterAll(async () => {
    await github.stop();
  });

  it('is named claude-route-guard / run, holds the mismatch on the Claude step, and nothing of the log', async () => {
    const { env, paths } = setUp(REVIEW, { 'a.json': canaryLog('subscription.jsonl', false) });
    const run = await runAction(
      { 'execution-file': paths[0]!, 'github-token': 'ghs_prooftoken123' },
      { ...env, GITHUB_API_URL: apiUrl, GITHUB_SHA: HEAD },
    );
    expect(run.status).toBe(1);
    expect(github.checkRuns.map(({ output, ...rest }) => ({ ...rest, title: output.title }))).toEqual([
      {
        id: 5000,
        name: 'claude-route-guard / run',
        head_sha: HEAD,
        status: 'completed',
        conclusion: 'failure',
        title: '1 error in 1 Claude Code run',
        annotations: [
          {
            path: '.github/workflows/review.yml',
            start_line: 9,
            end_line: 9,
            start_column: 15,
            end_column: 47,
            annotation_level: 'failure',
            message: MISMATCH,
            title: 'claude-route-guard: run-route-mismatch',
          },
        ],
      },
    ]);
    expect(github.checkRuns[0]!.output.summary).toContain(
      '| review / claude, run 1 | subscription-login | apiKeySource none, provider firstParty, 2 rate-limit events |',
    );
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /repos/octo/repo/check-runs']);
    expect(JSON.stringify(github.requests)).not.toMatch(/CANARY/i);
    // The check run holds the finding: only the step's failure is a workflow command.
    expect(commands(run)).toEqual(['::add-mask::ghs_prooftoken123', FAILED]);
    expect(run.outputs['check-run-url']).toBe('https://github.com/octo/repo/runs/5000');
  });
});

describe('the action without execution-file', () => {
  it('still scans as before: the new inputs change nothing when empty', async () => {
    const { env } = setUp(REVIEW, {});
    const workspace = env.GITHUB_WORKSPACE!;
    copyFileSync(join(RUNS, 'api-key.json'), join(workspace, 'log.json'));
    const run = await runAction({}, env);
    expect(run.summary).toContain('## Claude Code billing routes');
    expect(run.outputs['route-proved']).toBeUndefined();
  });
});
