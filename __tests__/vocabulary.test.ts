/**
 * Each vocabulary is declared once in the code; the JSON schema and the docs that list its members are
 * held to that declaration here, so a member added in one place and forgotten in another fails a test.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULE_IDS, CATALOGUE } from '../src/rules/index.js';
import { CERTAINTIES, CONFIDENCES, INVOCATION_KINDS, LEVELS, ROUTE_KINDS, SEVERITIES } from '../src/types.js';
import { ROOT } from './helpers.js';

/** The code's array for each enum of the schema, by the name of the property or definition that holds it. */
const VOCABULARIES: Record<string, readonly string[]> = {
  routeKind: ROUTE_KINDS,
  level: LEVELS,
  invocation: INVOCATION_KINDS,
  certainty: CERTAINTIES,
  severity: SEVERITIES,
  confidence: CONFIDENCES,
};

/** The field of docs/json.md whose row lists each vocabulary. */
const DOCS_FIELD: Record<string, string> = {
  routeKind: 'route',
  level: 'level',
  invocation: 'invocation',
  certainty: 'certainty',
  severity: 'severity',
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
    for (const [name, members] of Object.entries(VOCABULARIES)) {
      const field = DOCS_FIELD[name]!;
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
