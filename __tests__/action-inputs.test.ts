/**
 * The official action's inputs, as a workflow passes them: a name the action does not have is a finding
 * only when it is a known mistake, whatever the name happens to be.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, scanAt } from './helpers.js';

/** A repository holding one workflow, scanned. */
function scanned(workflow: string): ReturnType<typeof scanAt> {
  const dir = mkdtempSync(join(tmpdir(), 'crg-inputs-'));
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(dir, '.github', 'workflows', 'review.yml'), workflow);
  return scanAt(dir, ['.github/workflows/review.yml']);
}

const ACTION_WITH = (inputs: string): string =>
  [
    'on: push',
    'jobs:',
    '  review:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 10',
    '    steps:',
    '      - uses: anthropics/claude-code-action@v1',
    '        with:',
    '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
    ...inputs.split('\n').map((line) => `          ${line}`),
    '',
  ].join('\n');

describe('inputs the official action does not have', () => {
  it('named like a property every object has are no misnamed credential: nothing to rename them to', () => {
    const report = scanned(ACTION_WITH('constructor: ${{ secrets.OTHER }}\n__proto__: plain\ntoString: x'));
    expect(report.problems).toEqual([]);
    expect(report.routes.map((r) => [r.line, r.column, r.route, r.certainty, r.verdict])).toEqual([
      [7, 15, 'api-key', 'known', 'ok'],
    ]);
    expect(report.findings).toEqual([]);
  });

  it('under a known wrong name are a finding that names the right one', () => {
    const report = scanned(ACTION_WITH('api-key: ${{ secrets.OTHER }}'));
    expect(report.routes.map((r) => [r.line, r.column, r.route, r.verdict])).toEqual([
      [7, 15, 'api-key', 'error: misnamed-credential-input'],
    ]);
    expect(report.findings.map((f) => [f.rule, f.severity, f.span.line, f.span.column, f.message])).toEqual([
      [
        'misnamed-credential-input',
        'error',
        10,
        11,
        'Job `review` passes secrets.OTHER to anthropics/claude-code-action@v1 as `api-key`, an input the action does not have, so it is ignored and never reaches Claude. Rename it to `anthropic_api_key`.',
      ],
    ]);
  });
});

describe('anthropics/claude-code-security-review', () => {
  it('is a known Claude run billed to the key of its own `claude-api-key` input, whatever the job sets; a key under another name never reaches it', () => {
    const report = scanAt(join(FIXTURES, 'versions'), ['.github/workflows/security-review.yml']);
    expect(
      report.routes.map((r) => [r.job, r.line, r.column, r.invocation, r.route, r.certainty, r.verdict]),
    ).toEqual([
      [
        'review',
        13,
        15,
        'claude-code-security-review',
        'api-key',
        'known',
        'warning: secret-unavailable-on-trigger',
      ],
      [
        'misnamed',
        20,
        15,
        'claude-code-security-review',
        'subscription-login',
        'known',
        'error: headless-without-api-route',
      ],
    ]);
    expect(report.routes[0]!.credential).toMatchObject({
      variable: 'ANTHROPIC_API_KEY',
      line: 16,
      column: 27,
    });
    expect(report.findings.map((f) => [f.rule, f.severity, f.span.line, f.span.column, f.message])).toEqual([
      [
        'secret-unavailable-on-trigger',
        'warning',
        1,
        5,
        'Job `review` needs secrets.CLAUDE_API_KEY on pull_request, but pull requests from forks and from Dependabot get no Actions secrets, so it arrives empty and the Claude run fails (a GitHub-hosted runner has no stored login to fall back on). Skip those runs with `if: github.event.pull_request.head.repo.full_name == github.repository` (and store the key as a Dependabot secret if Dependabot PRs need it).',
      ],
      [
        'headless-without-api-route',
        'error',
        20,
        15,
        'Job `misnamed` runs Claude Code headlessly (anthropics/claude-code-security-review@68982a6bf10d545e94dd0390af08306d94ef684c) with no API-side credential, so it fails: a GitHub-hosted runner has no stored login to fall back on. Pass `claude-api-key: ${{ secrets.ANTHROPIC_API_KEY }}`: the action reads no other credential.',
      ],
      [
        'misnamed-credential-input',
        'error',
        22,
        11,
        'Job `misnamed` passes secrets.ANTHROPIC_API_KEY to anthropics/claude-code-security-review@68982a6bf10d545e94dd0390af08306d94ef684c as `anthropic_api_key`, an input the action does not have, so it is ignored and never reaches Claude. Rename it to `claude-api-key`.',
      ],
    ]);
  });
});
