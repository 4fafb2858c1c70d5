import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { globMatches } from '../src/policy/policy.js';
import { allowing, BEHAVIOUR } from './behaviour.js';
import { scanAt } from './helpers.js';

const WORKFLOW = '.github/workflows/subscription-review.yml';

describe('the globs of a policy’s allow entries', () => {
  it('`**/` stands for any number of folders, none included', () => {
    expect(globMatches('.github/workflows/**/review.yml', '.github/workflows/review.yml')).toBe(true);
    expect(globMatches('.github/workflows/**/review.yml', '.github/workflows/nightly/review.yml')).toBe(true);
    expect(globMatches('**/review.yml', 'review.yml')).toBe(true);
    expect(globMatches('**/review.yml', 'ci/a/review.yml')).toBe(true);
  });

  it('`**/` is whole folders: `**/review.yml` does not allow preview.yml', () => {
    expect(globMatches('.github/workflows/**/review.yml', '.github/workflows/preview.yml')).toBe(false);
    expect(globMatches('.github/workflows/**/review.yml', '.github/workflows/nightly/preview.yml')).toBe(
      false,
    );
    expect(globMatches('**/review.yml', 'preview.yml')).toBe(false);
    expect(globMatches('a/**/b/**/c.yml', 'a/b/x/y/c.yml')).toBe(true);
    expect(globMatches('a/**/b/**/c.yml', 'a/xb/c.yml')).toBe(false);
  });

  it('what follows `**` is kept: `**-review.yml` needs the dash', () => {
    expect(globMatches('.github/workflows/**-review.yml', '.github/workflows/code-review.yml')).toBe(true);
    expect(globMatches('.github/workflows/**-review.yml', '.github/workflows/preview.yml')).toBe(false);
  });

  it('a question mark is one character, never a folder separator, and never none', () => {
    expect(globMatches('.github/workflows/revie?.yml', '.github/workflows/review.yml')).toBe(true);
    expect(globMatches('.github/workflows?review.yml', '.github/workflows/review.yml')).toBe(false);
    expect(globMatches('??-bot', 'x-bot')).toBe(false);
    expect(globMatches('??-bot', 'ci-bot')).toBe(true);
  });

  it('a star after text that does not match matches nothing', () => {
    expect(globMatches('review-*', 'deploy')).toBe(false);
    expect(globMatches('review-*', 'review-')).toBe(true);
  });

  it('an allow entry for `**/` with no folder in between makes the run intended', () => {
    const report = scanAt(BEHAVIOUR, [WORKFLOW], allowing('.github/workflows/**/subscription-review.yml'));
    expect(report.routes.map((r) => [r.line, r.column, r.verdict])).toEqual([
      [10, 14, 'intended: the team plan pays'],
    ]);
    expect(report.findings).toEqual([]);
  });

  it('a single star does not reach into a folder, wherever the scan starts', () => {
    // Started inside .github/, the workflow is workflows/subscription-review.yml: `*` does not cover it.
    const report = scanAt(join(BEHAVIOUR, '.github'), ['workflows/subscription-review.yml'], allowing('*'));
    expect(report.routes.map((r) => [r.file, r.verdict, r.intended])).toEqual([
      ['workflows/subscription-review.yml', 'error: subscription-token-in-ci', null],
    ]);
  });

  it('a path is matched from the repository root, not as the report names it', () => {
    // Started inside .github/, the report names the workflow workflows/subscription-review.yml.
    const scanFromDotGithub = (glob: string): (string | null)[][] =>
      scanAt(join(BEHAVIOUR, '.github'), ['workflows/subscription-review.yml'], allowing(glob)).routes.map(
        (r) => [r.file, r.verdict, r.intended],
      );
    expect(scanFromDotGithub(WORKFLOW)).toEqual([
      ['workflows/subscription-review.yml', 'intended: the team plan pays', 'the team plan pays'],
    ]);
    expect(scanFromDotGithub('workflows/subscription-review.yml')).toEqual([
      ['workflows/subscription-review.yml', 'error: subscription-token-in-ci', null],
    ]);
  });
});
