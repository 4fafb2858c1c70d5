import { describe, expect, it } from '@jest/globals';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson, JSON_SCHEMA_URL } from '../src/report/json.js';
import type { Report } from '../src/scan.js';
import { describeWithCorpus, rebuild } from './corpus.js';
import { FIXTURES, REPO, ROOT, scanAt } from './helpers.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'report-v1.json'), 'utf8')) as { $id: string };
const validate = new Ajv({ allErrors: true }).compile(schema);

/** Validates each report's JSON; counts routes and findings with related places, to show what was covered. */
function validateAll(outputs: { name: string; report: Report }[]): { routes: number; related: number } {
  let routes = 0;
  let related = 0;
  for (const { name, report } of outputs) {
    const json = JSON.parse(formatJson(report)) as { routes: unknown[]; findings: { related?: unknown }[] };
    routes += json.routes.length;
    related += json.findings.filter((f) => f.related).length;
    expect([name, problems(json)]).toEqual([name, []]);
  }
  return { routes, related };
}

function problems(json: unknown): string[] {
  return validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`);
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
    const { routes, related } = validateAll(outputs);
    expect(routes).toBeGreaterThan(20);
    expect(related).toBeGreaterThan(5);
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
    const { routes, related } = validateAll(outputs);
    expect(routes).toBeGreaterThan(100);
    expect(related).toBeGreaterThan(10);
  });
});
