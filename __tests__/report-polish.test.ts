/**
 * What a new user trips over in the report (issue 26 follow-up): the header says what it counts (runs,
 * rows, files, findings by severity); what the text table cuts is said whole under the row; a folder that
 * is no repository is scanned with a warning; calls of other repositories' reusable workflows that were
 * not read end with one note on how to read them.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, workspace } from './hostile-pr.js';

const ACTION =
  'name: review\nruns:\n  using: composite\n  steps:\n    - run: claude -p "review" --max-turns 5\n      shell: bash\n';
const WORKFLOW =
  'on: pull_request\njobs:\n  review-every-pull-request-with-claude:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - uses: ./.github/actions/review\n        env:\n          ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}\n  triage:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - uses: ./.github/actions/review\n        env:\n          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}\n      - uses: octo/shared/.github/workflows/reusable.yml@v1\n  call:\n    uses: octo/shared/.github/workflows/review.yml@v1\n    secrets: inherit\n  call-again:\n    uses: octo/shared/.github/workflows/triage.yml@v1\n';
const FILES = {
  '.github/actions/review/action.yml': ACTION,
  '.github/workflows/pull-request-review-and-triage.yml': WORKFLOW,
};

describe('the text report a new user reads', () => {
  it('says what it counts, and says whole under the row what the table cut', () => {
    const run = cli(workspace({}, FILES), ['--fail-on', 'never']);
    const lines = run.stdout.split('\n');
    // The table, from the header to the first finding.
    expect(lines.slice(0, lines.indexOf('', 2))).toEqual([
      '1 Claude Code run in 2 of 2 files scanned, shown as 4 rows (one per place and route)',
      '',
      'WHERE                                      JOB       ROUTE                     VERDICT',
      '\u2026/pull-request-review-and-triage.yml:7:15  review-\u2026  api-key                   warning: secret-unav\u2026',
      '    at: .github/workflows/pull-request-review-and-triage.yml:7:15',
      '    job: review-every-pull-request-with-claude',
      '    run: ./.github/actions/review \u2192 claude -p',
      '    credential: ANTHROPIC_API_KEY <- secrets.ANTHROPIC_API_KEY (step, 9:30)',
      '    via: .github/actions/review/action.yml:5:12',
      '\u2026pull-request-review-and-triage.yml:14:15  triage    subscription-oauth-token  error: subscription-\u2026',
      '    at: .github/workflows/pull-request-review-and-triage.yml:14:15',
      '    run: ./.github/actions/review \u2192 claude -p',
      '    credential: CLAUDE_CODE_OAUTH_TOKEN <- secrets.CLAUDE_CODE_OAUTH_TOKEN (step, 16:36)',
      '    via: .github/actions/review/action.yml:5:12',
      '.github/actions/review/action.yml:5:12     (compos\u2026  api-key                   warning: secret-unav\u2026',
      '    job: (composite)',
      // Cut in the table, the caller the verdict comes from is said whole: the findings below do not say it.
      '    verdict: warning: secret-unavailable-on-trigger (via caller',
      '             .github/workflows/pull-request-review-and-triage.yml:1)',
      '    run: claude -p',
      '    credential: ANTHROPIC_API_KEY <- secrets.ANTHROPIC_API_KEY (step,',
      '                .github/workflows/pull-request-review-and-triage.yml:9:30)',
      '    called by: .github/workflows/pull-request-review-and-triage.yml:7',
      '               (review-every-pull-request-with-claude)',
      '.github/actions/review/action.yml:5:12     (compos\u2026  subscription-oauth-token  error: subscription-\u2026',
      '    job: (composite)',
      '    verdict: error: subscription-token-in-ci (via caller',
      '             .github/workflows/pull-request-review-and-triage.yml:16)',
      '    run: claude -p',
      '    credential: CLAUDE_CODE_OAUTH_TOKEN <- secrets.CLAUDE_CODE_OAUTH_TOKEN (step,',
      '                .github/workflows/pull-request-review-and-triage.yml:16:36)',
      '    called by: .github/workflows/pull-request-review-and-triage.yml:14 (triage)',
    ]);
  });

  it('ends with one note on how to read the reusable workflows of other repositories', () => {
    const run = cli(workspace({}, FILES), ['--format', 'json', '--fail-on', 'never']);
    expect(run.stderr).toBe(
      'claude-route-guard: note: 2 call(s) of reusable workflows in other repositories were not followed; --resolve-remote reads them through the GitHub API (with GITHUB_TOKEN or GH_TOKEN for private ones)\n',
    );
    // Each call is still its own entry where it is written.
    expect(
      (JSON.parse(run.stdout) as { unresolved: { line: number; message: string }[] }).unresolved.map(
        (u) => `${u.line} ${u.message}`,
      ),
    ).toEqual([
      '19 reusable workflow `octo/shared/.github/workflows/review.yml@v1` is in another repository and is not read, so its Claude runs cannot be checked',
      '22 reusable workflow `octo/shared/.github/workflows/triage.yml@v1` is in another repository and is not read, so its Claude runs cannot be checked',
    ]);
    // Without such calls, no note.
    const local = cli(workspace({}, { '.github/actions/review/action.yml': ACTION }), ['--fail-on', 'never']);
    expect(local.stderr).toBe('');
  });

  it('warns when the folder named is no repository, and not when it is one', () => {
    const outside = mkdtempSync(join(tmpdir(), 'crg-loose-'));
    mkdirSync(join(outside, 'configs', 'ci'), { recursive: true });
    writeFileSync(join(outside, 'configs', 'ci', 'review.yml'), WORKFLOW);
    writeFileSync(join(outside, 'configs', 'deploy.yml'), 'replicas: 3\n');
    const loose = cli(outside, ['configs', '--format', 'json', '--fail-on', 'never']);
    expect(loose.stderr).toBe(
      "claude-route-guard: configs: warning: this folder holds no .github or .git, so it was not read as a repository: all 2 YAML file(s) under it were scanned as workflows or actions wherever they lie, while GitHub runs only .github/workflows; name a repository's root folder to scan it as GitHub does\n" +
        'claude-route-guard: note: 2 call(s) of reusable workflows in other repositories were not followed; --resolve-remote reads them through the GitHub API (with GITHUB_TOKEN or GH_TOKEN for private ones)\n',
    );
    const report = JSON.parse(loose.stdout) as {
      routes: { file: string; line: number }[];
      skipped: { file: string }[];
    };
    expect(report.skipped.map((s) => s.file)).toEqual(['configs/deploy.yml']);
    const repository = workspace({}, FILES);
    const named = cli(join(repository, '..'), ['ws', '--format', 'json', '--fail-on', 'never']);
    expect(named.stderr).toBe(
      'claude-route-guard: note: 2 call(s) of reusable workflows in other repositories were not followed; --resolve-remote reads them through the GitHub API (with GITHUB_TOKEN or GH_TOKEN for private ones)\n',
    );
  });
});
