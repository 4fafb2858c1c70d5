/**
 * The official action's inputs, as a workflow passes them: a name the action does not have is a finding
 * only when it is a known mistake, whatever the name happens to be.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanAt } from './helpers.js';

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
