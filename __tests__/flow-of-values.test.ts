/**
 * Values the files decide, followed to the run that reads them (issue 22): a step's `$GITHUB_OUTPUT`
 * writes as `steps.<id>.outputs.<name>` (a setup composite's `outputs:` included), a dispatched
 * workflow's inputs over the values a dispatcher can pick, and a job whose `if:` the files make false.
 * The fixtures under fixtures/flow-of-values state each construct on real YAML.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { FIXTURES, scanAt, tempFolder, wholeAnswer } from './helpers.js';

const HERE = join(FIXTURES, 'flow-of-values');
const OUTPUTS = '.github/workflows/outputs.yml';
const DISPATCH = '.github/workflows/dispatch.yml';
const JOB_IF = '.github/workflows/job-if.yml';
const SETUP = '.github/actions/setup-claude/action.yml';

describe('$GITHUB_OUTPUT as steps.<id>.outputs', () => {
  const report = scanAt(HERE, [OUTPUTS, SETUP]);

  it('gives a later step what a setup composite or a run: step wrote, and the setup composite no row', () => {
    expect(wholeAnswer(report, true)).toEqual({
      routes: [
        `${OUTPUTS}:12:14 through-setup cli subscription-oauth-token known -> error: subscription-token-in-ci`,
        `${OUTPUTS}:23:15 through-run claude-code-action api-key known -> ok`,
        // Written under `if` and by a step that may be skipped: run time's, the subscription among them.
        `${OUTPUTS}:44:14 chosen-at-run-time cli unknown unknown -> warning: subscription-token-in-ci`,
        // `gated-off` wrote `run=false`: the step that asks for `true` never runs.
        // A program printed the lines: every output of the step is run time's.
        `${OUTPUTS}:66:14 written-by-a-program cli unknown unknown -> warning: subscription-token-in-ci`,
      ],
      findings: [
        // The token is the caller's, passed into the composite that wrote it out.
        `${OUTPUTS}:11:24 error[subscription-token-in-ci] high`,
        `${OUTPUTS}:34:19 warning[subscription-token-in-ci] medium`,
        `${OUTPUTS}:41:11 notice[third-party-endpoint] medium`,
        `${OUTPUTS}:68:36 warning[subscription-token-in-ci] medium`,
      ],
    });
  });

  it('names the credential by where it was written and the level that binds it', () => {
    const row = (job: string) => report.routes.find((r) => r.job === job)!;
    expect(row('through-setup').credential).toEqual({
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      level: 'step',
      source: 'secrets.CLAUDE_CODE_OAUTH_TOKEN',
      file: OUTPUTS,
      line: 11,
      column: 24,
    });
    expect(row('through-run').credential).toEqual({
      variable: 'ANTHROPIC_API_KEY',
      level: 'action-input',
      source: 'secrets.ANTHROPIC_API_KEY',
      file: OUTPUTS,
      // The `api=` the run: step echoes into $GITHUB_OUTPUT.
      line: 22,
      column: 17,
    });
    expect(row('chosen-at-run-time').outcomes).toEqual(['subscription-oauth-token', 'subscription-login']);
  });
});

describe('workflow_dispatch inputs', () => {
  it('decides over the options a dispatcher picks from, and leaves free text to run time', () => {
    const report = scanAt(HERE, [DISPATCH]);
    expect(wholeAnswer(report, true)).toEqual({
      routes: [
        // Neither option is `anthropic`: Bedrock is on and the token empty, for `inputs` and `github.event.inputs`.
        `${DISPATCH}:22:14 by-choice cli bedrock known -> ok`,
        // `never-chosen`: its step asks for an option the input does not have.
        `${DISPATCH}:38:14 by-free-text cli unknown unknown -> warning: subscription-token-in-ci`,
      ],
      findings: [`${DISPATCH}:35:32 warning[subscription-token-in-ci] medium`],
    });
    expect(report.routes[1]!.outcomes).toEqual(['api-key', 'subscription-oauth-token', 'subscription-login']);
  });
});

describe("a job's if:", () => {
  it('drops a job the files make false (a constant, an event the workflow does not run on), and keeps one they do not', () => {
    expect(wholeAnswer(scanAt(HERE, [JOB_IF]), true)).toEqual({
      routes: [`${JOB_IF}:29:14 on-pull-request cli api-key known -> warning: secret-unavailable-on-trigger`],
      findings: [`${JOB_IF}:2:5 warning[secret-unavailable-on-trigger] high`],
    });
  });

  it('leaves github.event_name to the caller in a workflow others call', () => {
    const REUSABLE = '.github/workflows/reusable.yml';
    expect(wholeAnswer(scanAt(HERE, [REUSABLE]))).toEqual({
      routes: [
        `${REUSABLE}:9:14 review cli subscription-oauth-token known -> error: subscription-token-in-ci`,
      ],
      findings: [`${REUSABLE}:11:36 error[subscription-token-in-ci] high`],
    });
  });
});

describe('a program with no operands writing a channel', () => {
  it('is lines only run time knows, not a crash ($GITHUB_ENV and $GITHUB_OUTPUT alike)', () => {
    const dir = tempFolder({
      '.github/workflows/fetch.yml': [
        'on: push',
        'jobs:',
        '  fetch:',
        '    runs-on: ubuntu-latest',
        '    timeout-minutes: 5',
        '    steps:',
        '      - run: ./fetch-env.sh >> "$GITHUB_ENV"',
        '      - run: claude -p hi',
        '',
      ].join('\n'),
    });
    expect(wholeAnswer(scanAt(dir, []))).toEqual({
      routes: [
        '.github/workflows/fetch.yml:8:14 fetch cli unknown unknown -> warning: subscription-token-in-ci',
      ],
      findings: ['.github/workflows/fetch.yml:7:14 warning[subscription-token-in-ci] medium'],
    });
  });
});

describe('job outputs as needs.<id>.outputs', () => {
  it('carries what a needed job wrote to the jobs after it, and drops a job whose if: they make false', () => {
    const NEEDS = '.github/workflows/needs.yml';
    expect(wholeAnswer(scanAt(HERE, [NEEDS]), true)).toEqual({
      routes: [
        // `paid` asks for a lane `decide` never writes: no row, and its job-level key is no unused credential.
        `${NEEDS}:30:14 personal cli subscription-oauth-token known -> error: subscription-token-in-ci`,
        // It does not need `decide`, so `needs.decide` is not read from it: run time's.
        `${NEEDS}:38:14 not-needed cli api-key known -> ok`,
      ],
      // The token `decide` wrote out, where it wrote it.
      findings: [`${NEEDS}:14:20 error[subscription-token-in-ci] high`],
    });
  });
});
