import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson, JSON_SCHEMA_URL, jsonRoute, jsonUnresolved } from '../src/report/json.js';
import type { Report } from '../src/scan.js';
import type { Finding, Span } from '../src/types.js';
import { describeWithCorpus, rebuild } from './corpus.js';
import { FIXTURES, REPO, ROOT, scanAt } from './helpers.js';
import { schemaProblems as problems } from './report-checks.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'report-v1.json'), 'utf8')) as { $id: string };

/** A finding as docs/json.md lays it out: the span's four numbers beside the rule, each related place likewise. */
function contract(f: Finding): object {
  const place = (span: Span): object => ({
    line: span.line,
    column: span.column,
    endLine: span.endLine,
    endColumn: span.endColumn,
  });
  return {
    rule: f.rule,
    severity: f.severity,
    confidence: f.confidence,
    file: f.file,
    ...place(f.span),
    // The job it belongs to, only when it belongs to one (an addition within version 1).
    ...(f.job === undefined
      ? {}
      : { job: f.job, step: f.step ?? null, ...(f.jobFile === undefined ? {} : { jobFile: f.jobFile }) }),
    message: f.message,
    ...(f.related
      ? { related: f.related.map((r) => ({ file: r.file, ...place(r.span), label: r.label })) }
      : {}),
  };
}

/**
 * Validates each report's JSON against the schema, and compares every value with the report's own: a
 * schema checks each field's type, so an end column written from the wrong number would still pass it.
 */
function validateAll(outputs: { name: string; report: Report }[]): void {
  for (const { name, report } of outputs) {
    const json = JSON.parse(formatJson(report)) as Record<string, unknown>;
    expect([name, problems(json)]).toEqual([name, []]);
    expect([name, json]).toEqual([
      name,
      {
        schema: JSON_SCHEMA_URL,
        version: 1,
        routes: JSON.parse(JSON.stringify(report.routes.map(jsonRoute))),
        findings: report.findings.map(contract),
        skipped: report.skipped,
        unresolved: report.unresolved.map(jsonUnresolved),
        stats: { files: report.files, notParsed: report.notParsed },
      },
    ]);
  }
}

describe('the JSON contract', () => {
  it('names the schema it follows, which is the file shipped in schema/', () => {
    expect(schema.$id).toBe(JSON_SCHEMA_URL);
    expect((JSON.parse(formatJson(scanAt(REPO, []))) as { schema: string }).schema).toBe(JSON_SCHEMA_URL);
  });

  it('validates the output for every fixture repository and the examples', () => {
    const outputs = [
      ...['repo', 'rules', 'wrapped-repo', 'verdicts', 'layout'].map((name) => ({
        name,
        report: scanAt(join(FIXTURES, name), []),
      })),
      { name: 'examples', report: scanAt(join(ROOT, 'examples'), []) },
    ];
    validateAll(outputs);
    // The related places compared include every hop of a run behind two wrappers.
    const wrapped = outputs.find((o) => o.name === 'wrapped-repo')!.report.findings;
    expect(
      wrapped
        .filter((f) => f.file === '.github/workflows/review.yml' && f.rule === 'subscription-token-in-ci')
        .flatMap((f) => f.related ?? [])
        .map((r) => [r.file, r.span.line, r.span.column, r.span.endLine, r.span.endColumn]),
    ).toEqual([
      ['.github/actions/run-claude/action.yml', 15, 9, 15, 32],
      ['.github/workflows/review.yml', 5, 11, 5, 48],
      ['.github/workflows/review-shared.yml', 14, 15, 14, 43],
      ['.github/actions/run-claude/action.yml', 13, 13, 13, 45],
    ]);
  });

  it('validates a credential set in `container.env`, at the level the report names it', () => {
    const json = JSON.parse(formatJson(scanAt(join(FIXTURES, 'container-credential'), []))) as Report;
    expect(json.routes).toEqual([
      {
        file: '.github/workflows/review.yml',
        job: 'review',
        step: 'step 1',
        line: 11,
        column: 14,
        invocation: 'cli',
        label: 'claude -p',
        route: 'api-key',
        credential: {
          variable: 'ANTHROPIC_API_KEY',
          level: 'container',
          source: 'secrets.ANTHROPIC_API_KEY',
          file: '.github/workflows/review.yml',
          line: 9,
          column: 28,
        },
        shadowed: [],
        endpoint: null,
        certainty: 'known',
        opaque: null,
        outcomes: ['api-key'],
        reason: null,
        headless: true,
        verdict: 'ok',
        intended: null,
        via: null,
        hops: [],
        callers: [],
      },
    ]);
    expect([json.findings, json.skipped, json.unresolved]).toEqual([[], [], []]);
    expect(problems(json)).toEqual([]);
  });

  it('rejects a field it does not describe, so the docs and the schema cannot fall behind the output', () => {
    const json = JSON.parse(formatJson(scanAt(REPO, ['.github/workflows/action-key.yml']))) as {
      routes: Record<string, unknown>[];
    };
    expect(problems(json)).toEqual([]);
    json.routes[0]!.newField = 1;
    expect(problems(json)).toEqual(['.routes[0] should NOT have additional properties']);
  });

  it('has every field of the schema described in docs/json.md', () => {
    const page = readFileSync(join(ROOT, 'docs', 'json.md'), 'utf8');
    const text = JSON.stringify(schema);
    const fields = new Set(
      [...text.matchAll(/"required":\[([^\]]*)\]/g)].flatMap((m) => JSON.parse(`[${m[1]}]`) as string[]),
    );
    fields.add('related');
    const missing = [...fields].filter((f) => !page.includes(`\`${f}\``));
    expect(missing).toEqual([]);
  });
});

describeWithCorpus('the JSON contract on the real corpus', () => {
  it('validates the output for every repository, rebuilt into its tree', () => {
    const { root, files } = rebuild('real');
    const outputs = [...files].map(([project, paths]) => ({
      name: project,
      report: scanAt(join(root, project), paths),
    }));
    validateAll(outputs);
    expect(outputs.map((o) => o.name).sort()).toEqual([...files.keys()].sort());
  });
});
