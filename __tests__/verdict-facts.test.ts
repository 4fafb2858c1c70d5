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
