import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { FIXTURES, scanAt } from './helpers.js';

describe('a subscription token is named by the place that sets it', () => {
  const { findings } = scanAt(join(FIXTURES, 'credential-places'), [
    '.github/workflows/a.yml',
    '.github/workflows/b.yml',
    '.github/actions/run/action.yml',
  ]);
  /** Each subscription-token-in-ci finding: where it sits, and what its message says the token is. */
  const through = findings
    .filter((f) => f.rule === 'subscription-token-in-ci')
    .map((f) => [f.file, f.span.line, f.span.column, /through (.*?): CI then/.exec(f.message)?.[1]]);

  it("names the callee's file when a caller's `with:` or `secrets:` hands the value, and the level in words", () => {
    expect(through).toEqual([
      ['.github/actions/run/action.yml', 11, 34, "CLAUDE_CODE_OAUTH_TOKEN (set in the step's env)"],
      [
        '.github/workflows/a.yml',
        9,
        18,
        "CLAUDE_CODE_OAUTH_TOKEN (set in the step's env of .github/actions/run/action.yml)",
      ],
      [
        '.github/workflows/a.yml',
        13,
        32,
        "CLAUDE_CODE_OAUTH_TOKEN (set in the step's env of .github/workflows/b.yml)",
      ],
      ['.github/workflows/a.yml', 18, 32, "CLAUDE_CODE_OAUTH_TOKEN (set in the job's env)"],
      ['.github/workflows/b.yml', 13, 36, "CLAUDE_CODE_OAUTH_TOKEN (set in the step's env)"],
    ]);
  });
});
