import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { cliAt, FIXTURES, jsonReportAt, type JsonRow } from './helpers.js';

/** A repository whose jobs call one reusable workflow (one job by the repository's own name) and a local action. */
const EVERYWHERE = join(FIXTURES, 'everywhere');

const REVIEW = '.github/workflows/review.yml';
const SHARED = '.github/workflows/shared.yml';
const SHARED_RUN = {
  file: SHARED,
  line: 11,
  column: 14,
  endLine: 11,
  endColumn: 20,
  label: 'the run: claude -p',
};
const SHARED_KEY_FINDING = {
  rule: 'secret-unavailable-on-trigger',
  severity: 'warning',
  confidence: 'high',
  file: REVIEW,
  line: 3,
  column: 5,
  endLine: 3,
  endColumn: 17,
  related: [
    {
      file: REVIEW,
      line: 6,
      column: 11,
      endLine: 6,
      endColumn: 41,
      label: 'calls ./.github/workflows/shared.yml',
    },
    SHARED_RUN,
  ],
  message:
    'Jobs `call-shared`, `call-shared-team`, `call-self` and `wrapped` need secrets.ANTHROPIC_API_KEY and secrets.TEAM_KEY on pull_request, but pull requests from forks and from Dependabot get no Actions secrets, so they arrive empty and the Claude run fails (a GitHub-hosted runner has no stored login to fall back on). Skip those runs with `if: github.event.pull_request.head.repo.full_name == github.repository` (and store the key as a Dependabot secret if Dependabot PRs need it).',
};
const BARE_CALL_FINDING = {
  rule: 'headless-without-api-route',
  severity: 'error',
  confidence: 'high',
  file: REVIEW,
  line: 14,
  column: 11,
  endLine: 14,
  endColumn: 41,
  // Its own lines are the calling job's, which runs no step of its own.
  job: 'call-shared-bare',
  step: null,
  related: [SHARED_RUN],
  message:
    'Job `call-shared-bare` runs Claude Code headlessly (./.github/workflows/shared.yml → claude -p) with no API-side credential (secret ANTHROPIC_API_KEY is not passed by the caller, so it is empty), so it fails: a GitHub-hosted runner has no stored login to fall back on. Pass the secret to the reusable workflow: `secrets: { ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}" }` on the calling job.',
};

describe('one row per place', () => {
  it('each calling job keeps its row; the callee has one row per route its callers give it, listing them', () => {
    const report = jsonReportAt(EVERYWHERE, ['--repo', 'octo/everywhere']);
    const [review, shared] = [REVIEW, SHARED];
    const wrap = '.github/actions/claude-wrap/action.yml';
    const caller = (line: number, job: string): JsonRow['callers'][number] => ({ file: review, line, job });
    const warning = 'warning: secret-unavailable-on-trigger';
    // On a callee's row, the finding that decides the verdict is a caller's: said, with its place.
    const callers = `${warning} (via caller ${review}:3)`;
    expect(
      report.routes.map((r) => [r.file, r.line, r.column, r.job, r.route, r.certainty, r.verdict, r.callers]),
    ).toEqual([
      [review, 6, 11, 'call-shared', 'api-key', 'known', warning, []],
      [review, 10, 11, 'call-shared-team', 'api-key', 'known', warning, []],
      [
        review,
        14,
        11,
        'call-shared-bare',
        'subscription-login',
        'known',
        'error: headless-without-api-route',
        [],
      ],
      [review, 16, 11, 'call-self', 'api-key', 'known', warning, []],
      [review, 23, 15, 'wrapped', 'api-key', 'known', warning, []],
      [
        shared,
        11,
        14,
        'review',
        'api-key',
        'known',
        callers,
        [caller(6, 'call-shared'), caller(10, 'call-shared-team'), caller(16, 'call-self')],
      ],
      [
        shared,
        11,
        14,
        'review',
        'subscription-login',
        'known',
        `error: headless-without-api-route (via caller ${review}:14)`,
        [caller(14, 'call-shared-bare')],
      ],
      [wrap, 10, 13, '(composite)', 'api-key', 'known', callers, [caller(23, 'wrapped')]],
    ]);
    // The callee's rows carry the credential where the callee's own lines read it, in the row's file.
    expect(
      report.routes.map(
        (r) =>
          r.credential && [r.credential.file, r.credential.line, r.credential.column, r.credential.source],
      ),
    ).toEqual([
      [review, 8, 26, 'secrets.ANTHROPIC_API_KEY'],
      [review, 12, 26, 'secrets.TEAM_KEY'],
      null,
      [review, 18, 26, 'secrets.ANTHROPIC_API_KEY'],
      [review, 25, 20, 'secrets.ANTHROPIC_API_KEY'],
      [shared, 13, 30, 'secrets.ANTHROPIC_API_KEY'],
      null,
      [wrap, 12, 28, 'inputs.api-key'],
    ]);
    expect(report.findings).toEqual([SHARED_KEY_FINDING, BARE_CALL_FINDING]);
  });

  it('the text table counts run places: the callee’s line once, however many jobs call it', () => {
    const text = cliAt(EVERYWHERE, ['--repo', 'octo/everywhere', '--fail-on', 'never']).out;
    expect(text.split('\n')[0]).toBe(
      '2 Claude Code runs in 3 of 3 files scanned, shown as 8 rows (one per place and route)',
    );
    expect(text).toContain('    called by: .github/workflows/review.yml:23 (wrapped)');
  });

  it('a callee read with no caller in the scan keeps the row of the route a caller would give', () => {
    const alone = jsonReportAt(EVERYWHERE, ['.github/workflows/shared.yml']);
    expect(
      alone.routes.map((r) => [r.line, r.column, r.job, r.route, r.certainty, r.verdict, r.callers]),
    ).toEqual([[11, 14, 'review', 'api-key', 'inferred', 'ok', []]]);
  });
});
