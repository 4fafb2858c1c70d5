import { describe, expect, it } from '@jest/globals';
import { parseDocument } from 'yaml';
import { join } from 'node:path';
import type { Finding } from '../src/types.js';
import { rebuild } from './corpus.js';
import { FIXTURES, REPO, scanAt } from './helpers.js';

/** Code spans of a message that read as YAML a person would paste (`key: value`). */
function yamlSnippets(message: string): string[] {
  return [...message.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((s) => /^[\w-]+: \S/.test(s));
}

function parses(snippet: string): boolean {
  return parseDocument(snippet).errors.length === 0;
}

describe('every piece of YAML a message suggests', () => {
  const { root, files } = rebuild('real');
  const findings: Finding[] = [
    ...[...files].flatMap(([project, paths]) => scanAt(join(root, project), paths).findings),
    ...scanAt(REPO, []).findings,
    ...scanAt(join(FIXTURES, 'rules'), []).findings,
    ...scanAt(join(FIXTURES, 'wrapped-repo'), []).findings,
  ];

  it('is valid YAML', () => {
    const snippets = [...new Set(findings.flatMap((f) => yamlSnippets(f.message)))];
    expect(snippets.length).toBeGreaterThan(5);
    expect(snippets).toEqual(expect.arrayContaining(['timeout-minutes: 30']));
    expect(snippets.filter((s) => !parses(s))).toEqual([]);
  });

  it('catches the flow mapping GitHub users write by mistake, so the check can fail', () => {
    expect(parses('secrets: { ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }} }')).toBe(false);
    expect(parses('secrets: ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}')).toBe(false);
  });
});
