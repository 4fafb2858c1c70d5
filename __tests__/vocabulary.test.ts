/**
 * Each vocabulary is declared once in the code; the JSON schema and the docs that list its members are
 * held to that declaration here, so a member added in one place and forgotten in another fails a test.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_KEY_SOURCES, DECIDED_BY, USAGE_PROVIDERS } from '../src/claude/proof.js';
import { COST_NOTES } from '../src/report/runs.js';
import { ALL_RULE_IDS, CATALOGUE, RUN_RULES } from '../src/rules/index.js';
import { FAILURES } from '../src/runlog/runs.js';
import { CERTAINTIES, CONFIDENCES, INVOCATION_KINDS, LEVELS, ROUTE_KINDS, SEVERITIES } from '../src/types.js';
import { ROOT } from './helpers.js';

/** The code's array for each enum of the schema, by the name of the property or definition that holds it. */
const VOCABULARIES: Record<string, readonly unknown[]> = {
  routeKind: ROUTE_KINDS,
  level: LEVELS,
  invocation: INVOCATION_KINDS,
  certainty: CERTAINTIES,
  severity: SEVERITIES,
  // verify-run's own contract, schema/run-v1.json.
  provider: USAGE_PROVIDERS,
  apiKeySource: [...API_KEY_SOURCES, null],
  decidedBy: DECIDED_BY,
  kind: FAILURES,
  costNote: Object.values(COST_NOTES),
  rule: RUN_RULES.map((r) => r.id),
  confidence: CONFIDENCES,
};

/** The field of docs/json.md whose row lists each vocabulary. */
const DOCS_FIELD: Record<string, string> = {
  routeKind: 'route',
  level: 'level',
  invocation: 'invocation',
  certainty: 'certainty',
  severity: 'severity',
  provider: 'providers',
  apiKeySource: 'apiKeySource',
  decidedBy: 'decidedBy',
  kind: 'kind',
  costNote: 'costNote',
  confidence: 'confidence',
};

interface FoundEnum {
  file: string;
  path: string[];
  values: unknown[];
}

function enumsIn(node: unknown, file: string, path: string[] = []): FoundEnum[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => enumsIn(item, file, [...path, String(i)]));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'enum' && Array.isArray(value)
      ? [{ file, path, values: value as unknown[] }]
      : enumsIn(value, file, [...path, key]),
  );
}

const schemaEnums = readdirSync(join(ROOT, 'schema'))
  .filter((name) => name.endsWith('.json'))
  .flatMap((name) => enumsIn(JSON.parse(readFileSync(join(ROOT, 'schema', name), 'utf8')), name));

/** What a docs row lists: the backticked words outside parentheses (those say what a member means). */
function listedIn(row: string): string[] {
  const outside = row.replace(/\([^)]*\)/g, '');
  return [...outside.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

describe('each vocabulary, declared once', () => {
  it('finds the enums of the schema', () => {
    expect(schemaEnums.map((e) => `${e.file}#${e.path.at(-1)}`)).toEqual([
      'report-v1.json#routeKind',
      'report-v1.json#level',
      'report-v1.json#invocation',
      'report-v1.json#certainty',
      'report-v1.json#severity',
      'report-v1.json#confidence',
      'report-v1.json#level',
      'run-v1.json#routeKind',
      'run-v1.json#provider',
      'run-v1.json#apiKeySource',
      'run-v1.json#decidedBy',
      'run-v1.json#kind',
      'run-v1.json#costNote',
      'run-v1.json#rule',
      'run-v1.json#severity',
      'run-v1.json#confidence',
    ]);
  });

  it('gives every enum of every schema file the members of the code array, in its order', () => {
    for (const found of schemaEnums) {
      const name = found.path.at(-1)!;
      expect([found.file, name, found.values]).toEqual([found.file, name, VOCABULARIES[name]]);
    }
  });

  it('lists the same members in docs/json.md', () => {
    const rows = readFileSync(join(ROOT, 'docs', 'json.md'), 'utf8').split('\n');
    for (const [name, field] of Object.entries(DOCS_FIELD)) {
      // A field that may be null says so in words: the docs list the members that are names.
      const members = VOCABULARIES[name]!.filter((m) => m !== null);
      const lists = rows
        .filter((row) => row.startsWith(`| \`${field}\``))
        .map((row) => listedIn(row.slice(`| \`${field}\``.length)))
        .filter((listed) => listed.length > 0);
      expect([field, lists]).toEqual([field, [members]]);
    }
  });

  it('lists the route kinds in docs/policy.md, where `allow` names them', () => {
    const row = readFileSync(join(ROOT, 'docs', 'policy.md'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('| `allow[].routes`'))!;
    expect(listedIn(row.slice('| `allow[].routes`'.length))).toEqual(ROUTE_KINDS);
  });

  it('names in docs/policy.md the rules an `allow` silences, as the rules declare it', () => {
    const row = readFileSync(join(ROOT, 'docs', 'policy.md'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('| `allow` '))!;
    const named = [...row.matchAll(/`([a-z-]+)`/g)]
      .map((m) => m[1]!)
      .filter((id) => ALL_RULE_IDS.includes(id));
    expect(named.sort()).toEqual(
      CATALOGUE.filter((r) => r.silencedByAllow)
        .map((r) => r.id)
        .sort(),
    );
  });
});
