import { describe, expect, it } from '@jest/globals';
import { allowing, BEHAVIOUR } from './behaviour.js';
import { FIXTURES, scanAt } from './helpers.js';

const WORKFLOW = '.github/workflows/subscription-review.yml';

describe('a policy that declares a subscription route intended', () => {
  it.each([
    [WORKFLOW, 'review-bot'],
    ['.github/**', 'review-*'],
    ['.github/**/subscription-review.yml', 'review-b?t'],
    ['**/*.yml', '*'],
  ])('matches workflow %s and job %s, and the run is intended, not an error', (workflow, job) => {
    const report = scanAt(BEHAVIOUR, [WORKFLOW], allowing(workflow, job));
    expect(report.routes.map((r) => [r.line, r.column, r.verdict, r.intended])).toEqual([
      [10, 14, 'intended: the team plan pays', 'the team plan pays'],
    ]);
    expect(report.findings).toEqual([]);
  });

  it.each([
    ['.github/*.yml', '*', 'a single star does not cross a folder'],
    ['.github/*/*.yaml', '*', 'the extension differs'],
    [WORKFLOW, 'review-b??t', 'a question mark is one character'],
    [WORKFLOW, 'review', 'a job name matches whole'],
    ['**', '*/x', 'the job glob needs its last character'],
  ])('does not match workflow %s and job %s: %s', (workflow, job) => {
    const report = scanAt(BEHAVIOUR, [WORKFLOW], allowing(workflow, job));
    expect(report.routes.map((r) => [r.verdict, r.intended])).toEqual([
      ['error: subscription-token-in-ci', null],
    ]);
    expect(report.findings.find((f) => f.rule === 'subscription-token-in-ci')).toMatchObject({
      file: WORKFLOW,
      span: { line: 8, column: 32 },
    });
  });

  it('does not cover another route', () => {
    const report = scanAt(BEHAVIOUR, [WORKFLOW], allowing(WORKFLOW, 'review-bot', 'api-key'));
    expect(report.routes[0]!.verdict).toBe('error: subscription-token-in-ci');
  });

  it('names workflows from the repository root, however the scan was started', () => {
    const fromAbove = scanAt(FIXTURES, [`behaviour/${WORKFLOW}`], allowing(WORKFLOW, 'review-bot'));
    expect(fromAbove.routes.map((r) => [r.file, r.verdict])).toEqual([
      [`behaviour/${WORKFLOW}`, 'intended: the team plan pays'],
    ]);
    const dotted = scanAt(BEHAVIOUR, [`./${WORKFLOW}`], allowing(WORKFLOW, 'review-bot'));
    expect(dotted.routes[0]!.verdict).toBe('intended: the team plan pays');
  });
});
