import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, scanAt } from './helpers.js';

/** Every file under a folder of the repository, as paths from its root. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(ROOT, dir, name);
    return statSync(path).isDirectory() ? filesUnder(relative(ROOT, path)) : [relative(ROOT, path)];
  });
}

describe('what the texts say about plans', () => {
  const texts = ['README.md', ...filesUnder('docs'), ...filesUnder('src')];

  it('names no credit of a plan, nor a date for one, anywhere in README.md, docs/ or src/', () => {
    const mentions = texts.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .map((line, i) => [file, i + 1, line] as const)
        .filter(([, , line]) => /\bcredits?\b|15 June|June 15/i.test(line))
        .map(([f, n]) => `${f}:${n}`),
    );
    expect(mentions).toEqual([]);
  });

  it('tells a subscription token in CI what it draws on and how it fails', () => {
    const page = readFileSync(join(ROOT, 'docs', 'rules', 'subscription-token-in-ci.md'), 'utf8');
    const repo = mkdtempSync(join(tmpdir(), 'crg-plan-'));
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(repo, '.github', 'workflows', 'bad.yml'),
      /## Bad\n\n```yaml\n([\s\S]*?)```/.exec(page)![1]!,
    );
    const found = scanAt(repo, ['.github/workflows/bad.yml']).findings.filter(
      (f) => f.rule === 'subscription-token-in-ci',
    );
    expect(found.map((f) => f.message)).toEqual([
      expect.stringMatching(
        / to a personal Claude subscription through .*: CI then draws on that person’s plan usage limits \(a weekly window and, on most plans, a 5-hour one\), shared with their own use of Claude, and fails with 429 “You've hit your session limit” once one is spent; an organisation can also switch subscription access for Claude Code off\. Use `ANTHROPIC_API_KEY` from a secret/,
      ),
    ]);
  });

  it('gives the Bedrock example a model id Claude Code documents for Bedrock', () => {
    const example = readFileSync(
      join(ROOT, 'examples', '.github', 'workflows', 'claude-bedrock.yml'),
      'utf8',
    );
    expect(/--model (\S+)/.exec(example)?.[1]).toBe('us.anthropic.claude-sonnet-4-6');
  });
});
