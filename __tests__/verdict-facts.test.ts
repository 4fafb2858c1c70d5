/**
 * An error needs a fact, carried through to what a reader sees: each row's verdict, what a confidence
 * filter hides, matrix outcomes the file decides, and the reason a finding that is not sure gives. The
 * fixtures under fixtures/limits, fixtures/caller-settles, fixtures/hidden-findings and fixtures/matrix-facts
 * state each construct on real YAML.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadFiles } from '../src/load.js';
import { formatSummary } from '../src/report/summary.js';
import { scan, type Report } from '../src/scan.js';
import { cliAt, FIXTURES, scanAt, wholeAnswer, type JsonFinding, type JsonRow } from './helpers.js';
import { schemaProblems } from './report-checks.js';
import type { Log } from 'sarif';

interface JsonReport {
  routes: JsonRow[];
  findings: (JsonFinding & { confidence: string })[];
  stats: unknown;
}

/** The whole answer, with the note a finding that is not sure ends with. */
const answer = (report: Report): { routes: string[]; findings: string[] } => wholeAnswer(report, true);

describe('a limit is a fact of the files', () => {
  const LIMITS = join(FIXTURES, 'limits');

  it('is sure whatever decides the route; read without its caller, it says the caller may pass one', () => {
    expect(answer(scanAt(LIMITS, []))).toEqual({
      routes: [
        '.github/workflows/reusable-review.yml:15:15 review claude-code-action api-key inferred -> notice: unbounded-spend',
        '.github/workflows/sourced-env.yml:14:11 summary cli unknown unknown -> notice: unbounded-spend',
      ],
      findings: [
        '.github/workflows/reusable-review.yml:15:15 notice[unbounded-spend] medium (Confidence medium: read without its caller, which may pass a limit through its inputs.)',
        '.github/workflows/sourced-env.yml:14:11 notice[unbounded-spend] high',
      ],
    });
  });
});

describe('a callee its callers reach is judged on the routes they give', () => {
  const SETTLES = join(FIXTURES, 'caller-settles');
  const PUSH = '.github/workflows/push.yml';
  const REUSABLE = '.github/workflows/triage-reusable.yml';
  const ACTION = '.github/actions/review/action.yml';

  it('drops what was said of the route read alone, so a row shows only findings as sure as its verdict', () => {
    expect(answer(scanAt(SETTLES, []))).toEqual({
      routes: [
        `${PUSH}:9:15 review composite-action subscription-oauth-token known -> error: subscription-token-in-ci`,
        `${PUSH}:13:11 triage reusable-workflow subscription-oauth-token known -> error: subscription-token-in-ci`,
        // The error is the caller's token: the callee's rows say so, and where.
        `${REUSABLE}:12:15 triage claude-code-action subscription-oauth-token known -> error: subscription-token-in-ci (via caller ${PUSH}:15)`,
        `${ACTION}:13:12 (composite) cli subscription-oauth-token known -> error: subscription-token-in-ci (via caller ${PUSH}:11)`,
      ],
      findings: [
        `${PUSH}:11:24 error[subscription-token-in-ci] high`,
        `${PUSH}:15:32 error[subscription-token-in-ci] high`,
      ],
    });
  });

  it('keeps the finding on a callee read without its callers, at the confidence a caller leaves it', () => {
    expect(answer(scanAt(SETTLES, [REUSABLE, ACTION]))).toEqual({
      routes: [
        `${REUSABLE}:12:15 triage claude-code-action subscription-oauth-token inferred -> warning: subscription-token-in-ci`,
        `${ACTION}:13:12 (composite) cli subscription-oauth-token inferred -> warning: subscription-token-in-ci`,
      ],
      findings: [
        `${ACTION}:12:34 warning[subscription-token-in-ci] medium (Confidence medium: depends on the caller passing \`inputs.oauth-token\`.)`,
        `${REUSABLE}:14:36 warning[subscription-token-in-ci] medium (Confidence medium: depends on the caller passing \`secrets.CLAUDE_CODE_OAUTH_TOKEN\`.)`,
      ],
    });
  });
});

describe('a confidence filter says what it hides', () => {
  const HIDDEN = join(FIXTURES, 'hidden-findings');
  const MIXED = '.github/workflows/mixed.yml';
  const SUBSCRIPTION_MESSAGE =
    "Job `official` bills anthropics/claude-code-action@v1 to a personal Claude subscription through an OAuth token passed as an action input: CI then draws on that person’s plan usage limits (a weekly window and, on most plans, a 5-hour one), shared with their own use of Claude, and fails with 429 “You've hit your session limit” once one is spent; an organisation can also switch subscription access for Claude Code off. Use `ANTHROPIC_API_KEY` from a secret (or a cloud provider), or declare this route intended in .github/claude-route-guard.yml.";

  it('counts the findings it leaves out, and a run whose every finding it left out is not ok', () => {
    const json = (least: string): unknown => {
      const { code, out } = cliAt(HIDDEN, ['--format', 'json', '--min-confidence', least]);
      const r = JSON.parse(out) as JsonReport;
      return {
        code,
        // The contract holds the new verdict and stats: an addition within version 1.
        schema: schemaProblems(r),
        routes: r.routes.map((row) => `${row.line} ${row.job} -> ${row.verdict}`),
        findings: r.findings.map((f) => `${f.line}:${f.column} ${f.severity}[${f.rule}] ${f.confidence}`),
        stats: r.stats,
      };
    };
    expect(json('low')).toEqual({
      code: 1,
      schema: [],
      routes: [
        '8 official -> error: subscription-token-in-ci',
        '15 fork -> warning: subscription-token-in-ci',
        '24 tests -> warning: subscription-token-in-ci',
        '29 api -> ok',
      ],
      findings: [
        '10:36 error[subscription-token-in-ci] high',
        '15:15 warning[lookalike-claude] medium',
        '17:36 warning[subscription-token-in-ci] medium',
        '23:36 warning[subscription-token-in-ci] low',
      ],
      stats: { files: 1, notParsed: 0 },
    });
    expect(json('medium')).toEqual({
      code: 1,
      schema: [],
      routes: [
        '8 official -> error: subscription-token-in-ci',
        '15 fork -> warning: subscription-token-in-ci',
        '24 tests -> hidden: subscription-token-in-ci (low confidence)',
        '29 api -> ok',
      ],
      findings: [
        '10:36 error[subscription-token-in-ci] high',
        '15:15 warning[lookalike-claude] medium',
        '17:36 warning[subscription-token-in-ci] medium',
      ],
      stats: {
        files: 1,
        notParsed: 0,
        hidden: { minConfidence: 'medium', findings: 1, byConfidence: { low: 1 } },
      },
    });
    expect(json('high')).toEqual({
      code: 1,
      schema: [],
      routes: [
        '8 official -> error: subscription-token-in-ci',
        '15 fork -> hidden: subscription-token-in-ci (medium confidence)',
        '24 tests -> hidden: subscription-token-in-ci (low confidence)',
        '29 api -> ok',
      ],
      findings: ['10:36 error[subscription-token-in-ci] high'],
      stats: {
        files: 1,
        notParsed: 0,
        hidden: { minConfidence: 'high', findings: 3, byConfidence: { medium: 2, low: 1 } },
      },
    });
  });

  it('says so in the text table and the job summary', () => {
    const text = cliAt(HIDDEN, ['--min-confidence', 'high', '--fail-on', 'never']).out.split('\n');
    expect(text.filter((l) => /^\S/.test(l) && !l.startsWith(MIXED))).toEqual([
      '4 Claude Code runs in 1 of 1 file scanned',
      'WHERE                JOB       ROUTE                                VERDICT',
      '…ows/mixed.yml:8:15  official  subscription-oauth-token             error: subscription-token-in-ci',
      '…ws/mixed.yml:15:15  fork      subscription-oauth-token             hidden: subscription-token-in-ci',
      '…ws/mixed.yml:24:14  tests     subscription-oauth-token (inferred)  hidden: subscription-token-in-ci',
      '…ws/mixed.yml:29:15  api       api-key                              ok',
      '1 error(s), 0 warning(s), 0 notice(s); 3 finding(s) hidden below high confidence (2 medium, 1 low)',
    ]);
    const report = scan(loadFiles([], { cwd: HIDDEN }, []), undefined, { minConfidence: 'high' });
    expect(formatSummary(report, {}).split('\n')[2]).toBe(
      '4 Claude Code runs in 1 of 1 file scanned: 1 error(s), 0 warning(s), 0 notice(s); 3 finding(s) hidden below high confidence (2 medium, 1 low).',
    );
  });

  it('says so in the compact form and in SARIF, where the results alone would read as the whole list', () => {
    const compact = (least: string): string[] =>
      cliAt(HIDDEN, ['--compact', '--min-confidence', least, '--fail-on', 'never']).out.trimEnd().split('\n');
    expect(compact('high')).toEqual([
      `${MIXED}:10:36: error[subscription-token-in-ci]: ${SUBSCRIPTION_MESSAGE}`,
      '3 finding(s) hidden below high confidence (2 medium, 1 low)',
    ]);
    // Without a filter nothing is hidden, and nothing is said.
    expect(compact('low').filter((l) => l.includes('hidden'))).toEqual([]);
    const sarif = (least: string): unknown => {
      const log = JSON.parse(
        cliAt(HIDDEN, ['--format', 'sarif', '--min-confidence', least, '--fail-on', 'never']).out,
      ) as Log;
      const run = log.runs[0]!;
      return {
        results: run.results!.map(
          (r) => `${r.ruleId} ${r.locations![0]!.physicalLocation!.region!.startLine}`,
        ),
        properties: run.properties,
        notifications: run.invocations![0]!.toolExecutionNotifications!.map(
          (n) => `${n.level} ${n.message.text}`,
        ),
      };
    };
    expect(sarif('high')).toEqual({
      results: ['subscription-token-in-ci 10'],
      properties: { hidden: { minConfidence: 'high', findings: 3, byConfidence: { medium: 2, low: 1 } } },
      notifications: [
        'note 3 finding(s) hidden below high confidence (2 medium, 1 low): --min-confidence (input min-confidence) left them out of the results.',
      ],
    });
    expect(sarif('low')).toEqual({
      results: [
        'subscription-token-in-ci 10',
        'lookalike-claude 15',
        'subscription-token-in-ci 17',
        'subscription-token-in-ci 23',
      ],
      properties: undefined,
      notifications: [],
    });
  });
});

describe('a matrix the file lists whole decides each job', () => {
  const MATRIX = join(FIXTURES, 'matrix-facts');
  const FILE = '.github/workflows/providers.yml';

  it('makes each outcome a fact, and says the condition as the values give it', () => {
    const report = scanAt(MATRIX, []);
    expect(answer(report)).toEqual({
      routes: [
        `${FILE}:22:15 listed claude-code-action unknown unknown -> error: subscription-token-in-ci`,
        `${FILE}:31:15 by-variable claude-code-action unknown unknown -> warning: subscription-token-in-ci`,
        `${FILE}:47:14 emptied cli unknown unknown -> error: subscription-token-in-ci`,
      ],
      findings: [
        `${FILE}:25:36 error[subscription-token-in-ci] high`,
        `${FILE}:34:36 warning[subscription-token-in-ci] medium`,
        `${FILE}:45:36 error[subscription-token-in-ci] high`,
      ],
    });
    expect(report.routes.map((r) => [r.outcomes, r.reason])).toEqual([
      [
        ['bedrock', 'subscription-oauth-token'],
        'CLAUDE_CODE_USE_BEDROCK comes from the matrix (`matrix.provider`), which differs between its combinations; when it is `false`, CLAUDE_CODE_OAUTH_TOKEN (subscription-oauth-token) is used',
      ],
      [
        ['bedrock', 'subscription-oauth-token'],
        'CLAUDE_CODE_USE_BEDROCK comes from vars.USE_BEDROCK, decided at run time; when it is empty, CLAUDE_CODE_OAUTH_TOKEN (subscription-oauth-token) is used',
      ],
      [
        ['bedrock', 'subscription-oauth-token'],
        'CLAUDE_CODE_USE_BEDROCK comes from the matrix (`matrix.provider`), which differs between its combinations; when it is empty, CLAUDE_CODE_OAUTH_TOKEN (subscription-oauth-token) is used',
      ],
    ]);
    expect(report.findings[0]!.message.split(': CI then')[0]).toBe(
      'Job `listed` bills anthropics/claude-code-action@v1 to a personal Claude subscription through an OAuth token passed as an action input in some of its matrix combinations (CLAUDE_CODE_USE_BEDROCK comes from the matrix (`matrix.provider`), which differs between its combinations; when it is `false`, CLAUDE_CODE_OAUTH_TOKEN (subscription-oauth-token) is used)',
    );
  });
});

describe('pull_request_target with a head-repository guard', () => {
  const TARGET = join(FIXTURES, 'target-forks');
  const FILE = '.github/workflows/head-guards.yml';

  it('reads the guard on the job, the run or the checkout before the fork-checkout error; a person guard is not one', () => {
    const report = scanAt(TARGET, []);
    expect(answer(report)).toEqual({
      routes: [
        `${FILE}:17:15 same-repo claude-code-action api-key known -> ok`,
        `${FILE}:28:15 not-a-fork claude-code-action api-key known -> ok`,
        `${FILE}:39:15 guarded-checkout claude-code-action api-key known -> ok`,
        `${FILE}:50:15 by-actor claude-code-action api-key known -> error: untrusted-checkout-with-secrets`,
        `${FILE}:61:15 either claude-code-action api-key known -> error: untrusted-checkout-with-secrets`,
      ],
      // One finding per checkout, each at its `ref:`, the trigger a related location.
      findings: [
        `${FILE}:49:16 error[untrusted-checkout-with-secrets] high`,
        `${FILE}:60:16 error[untrusted-checkout-with-secrets] high`,
      ],
    });
    expect(report.findings.map((f) => f.message.split(' runs on ')[0])).toEqual([
      'Job `by-actor`',
      'Job `either`',
    ]);
    expect(report.findings.map((f) => f.related?.map((r) => [r.label, r.span.line, r.span.column]))).toEqual([
      [['the pull_request_target trigger', 3, 3]],
      [['the pull_request_target trigger', 3, 3]],
    ]);
  });
});

describe('boolean inputs and step conditions', () => {
  const BOOLEANS = join(FIXTURES, 'boolean-inputs');

  it('reads a reusable workflow Boolean as GitHub does, and a step whose if: the files make false gives no row', () => {
    const CALLERS = '.github/workflows/callers.yml';
    const REUSABLE = '.github/workflows/review-reusable.yml';
    expect(answer(scanAt(BOOLEANS, []))).toEqual({
      routes: [
        // `bedrock: true`: the Bedrock step runs, `!inputs.bedrock` and `inputs.bedrock == 'true'` never do,
        // and the event is run time's.
        `${CALLERS}:5:11 on-bedrock reusable-workflow bedrock known -> ok`,
        `${CALLERS}:5:11 on-bedrock reusable-workflow api-key known -> ok`,
        // The default `false`: only the subscription step, and `unknown && false` is false.
        `${CALLERS}:12:11 by-default reusable-workflow subscription-oauth-token known -> error: subscription-token-in-ci`,
        // A composite action's inputs are text: `'true' == 'true'` holds; the default `'false'` does not.
        `${CALLERS}:23:15 composite composite-action api-key known -> ok`,
        `${REUSABLE}:22:14 review cli bedrock known -> ok`,
        `${REUSABLE}:26:14 review cli subscription-oauth-token known -> error: subscription-token-in-ci (via caller ${CALLERS}:14)`,
        `${REUSABLE}:34:14 review cli api-key known -> ok`,
        '.github/actions/review/action.yml:14:12 (composite) cli api-key known -> ok',
      ],
      findings: [`${CALLERS}:14:32 error[subscription-token-in-ci] high`],
    });
  });

  it('leaves a step whose if: reads an input to the caller when the file is read alone, unless no value can hold it', () => {
    const REUSABLE = '.github/workflows/review-reusable.yml';
    expect(answer(scanAt(BOOLEANS, [REUSABLE]))).toEqual({
      routes: [
        `${REUSABLE}:22:14 review cli bedrock known -> ok`,
        `${REUSABLE}:26:14 review cli subscription-oauth-token inferred -> warning: subscription-token-in-ci`,
        `${REUSABLE}:34:14 review cli api-key inferred -> ok`,
      ],
      findings: [
        `${REUSABLE}:25:36 warning[subscription-token-in-ci] medium (Confidence medium: depends on the caller passing \`secrets.CLAUDE_CODE_OAUTH_TOKEN\`.)`,
      ],
    });
  });
});
