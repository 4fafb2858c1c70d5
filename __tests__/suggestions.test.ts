import { describe, expect, it } from '@jest/globals';
import { parseDocument } from 'yaml';
import { join } from 'node:path';
import type { Finding } from '../src/types.js';
import { describeWithCorpus, rebuild } from './corpus.js';
import { FIXTURES, REPO, ROOT, scanAt } from './helpers.js';

/** Code spans of a message that read as YAML a person would paste (`key: value`). */
function yamlSnippets(message: string): string[] {
  return [...message.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((s) => /^[\w-]+: \S/.test(s));
}

function parses(snippet: string): boolean {
  return parseDocument(snippet).errors.length === 0;
}

function findingsOf(roots: [string, string[]][]): Finding[] {
  return roots.flatMap(([cwd, paths]) => scanAt(cwd, paths).findings);
}

/** Checks that every snippet parses, and returns them, sorted, once each. */
function validSnippets(findings: Finding[]): string[] {
  const snippets = [...new Set(findings.flatMap((f) => yamlSnippets(f.message)))].sort();
  expect(snippets.filter((s) => !parses(s))).toEqual([]);
  return snippets;
}

describe('every piece of YAML a message suggests', () => {
  it('is valid YAML on the fixture repositories', () => {
    expect(
      validSnippets(
        findingsOf([
          [REPO, []],
          [join(FIXTURES, 'rules'), []],
          [join(FIXTURES, 'wrapped-repo'), []],
          [join(ROOT, 'examples'), []],
        ]),
      ),
    ).toEqual([
      'ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}',
      'anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
      'if: github.event.pull_request.head.repo.full_name == github.repository',
      'secrets: inherit',
      'secrets: { ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}" }',
      'secrets: { GCP_SERVICE_ACCOUNT: "${{ secrets.GCP_SERVICE_ACCOUNT }}", GCP_WORKLOAD_IDENTITY_PROVIDER: "${{ secrets.GCP_WORKLOAD_IDENTITY_PROVIDER }}" }',
      'timeout-minutes: 30',
    ]);
  });

  it('catches the flow mapping GitHub users write by mistake, so the check can fail', () => {
    expect(parses('secrets: { ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }} }')).toBe(false);
    expect(parses('secrets: ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}')).toBe(false);
  });
});

describeWithCorpus('every piece of YAML a message suggests on the real corpus', () => {
  it('is valid YAML', () => {
    const { root, files } = rebuild('real');
    const snippets = validSnippets(
      findingsOf([...files].map(([project, paths]) => [join(root, project), paths])),
    );
    expect(snippets).toEqual(expect.arrayContaining(['timeout-minutes: 30', 'secrets: inherit']));
  });
});
