/**
 * An error needs a fact, carried through to what a reader sees: each row's verdict, what a confidence
 * filter hides, matrix outcomes the file decides, and the reason a finding that is not sure gives. The
 * fixtures under fixtures/limits, fixtures/caller-settles, fixtures/hidden-findings and fixtures/matrix-facts
 * state each construct on real YAML.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { Report } from '../src/scan.js';
import { FIXTURES, scanAt } from './helpers.js';

/** The whole answer: each row with its verdict, each finding with its place, severity, confidence and note. */
function answer(report: Report): { routes: string[]; findings: string[] } {
  return {
    routes: report.routes.map(
      (r) =>
        `${r.file}:${r.line}:${r.column} ${r.job} ${r.invocation} ${r.route} ${r.certainty} -> ${r.verdict}`,
    ),
    findings: report.findings.map(
      (f) =>
        `${f.file}:${f.span.line}:${f.span.column} ${f.severity}[${f.rule}] ${f.confidence}` +
        (/\(Confidence [^)]*\)\s*$/.exec(f.message)?.[0].replace(/^/, ' ') ?? ''),
    ),
  };
}

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
        `${REUSABLE}:12:15 triage claude-code-action subscription-oauth-token known -> error: subscription-token-in-ci`,
        `${ACTION}:13:12 (composite) cli subscription-oauth-token known -> error: subscription-token-in-ci`,
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
