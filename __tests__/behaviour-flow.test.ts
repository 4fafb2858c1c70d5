import { describe, expect, it } from '@jest/globals';
import type { Report } from '../src/scan.js';
import { rowOf, scanBehaviour } from './behaviour.js';

describe('an empty credential is no credential', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('empty-values.yml');
  // Each step sets ANTHROPIC_API_KEY beside the job's OAuth token (line 7, column 32).
  const token = { variable: 'CLAUDE_CODE_OAUTH_TOKEN', level: 'job', line: 7, column: 32 };

  it.each([
    ['step 1', "''"],
    ['step 2', 'no value at all'],
    ['step 3', "${{ '' }}"],
    ['step 5', 'an env variable nothing sets'],
  ])('%s: a key written as %s leaves the subscription token in charge', (step) => {
    const row = rowOf(report(), 'empty', step);
    expect(row).toMatchObject({ route: 'subscription-oauth-token', certainty: 'known', shadowed: [] });
    expect(row.credential).toMatchObject(token);
  });

  it.each([
    ['step 4', "a secret or ''", 19, 'secrets.ANTHROPIC_API_KEY'],
    ['step 6', 'one secret or another', 25, 'secrets.PRIMARY || secrets.FALLBACK'],
    ['step 7', 'text around an expression', 28, 'vars.SUFFIX'],
  ])('%s: a key from %s is set, and shadows the token', (step, _what, line, source) => {
    const row = rowOf(report(), 'empty', step);
    expect(row).toMatchObject({ route: 'api-key', certainty: 'known', outcomes: ['api-key'] });
    expect(row.credential).toMatchObject({
      variable: 'ANTHROPIC_API_KEY',
      level: 'step',
      line,
      column: 30,
      source,
    });
    expect(row.shadowed).toEqual([expect.objectContaining(token)]);
  });
});

describe('credentials handed to later steps through $GITHUB_ENV', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('github-env-writes.yml');
  const handed = (job: string, step = 'step 2'): ReturnType<typeof rowOf> => rowOf(report(), job, step);

  it('reads a NAME=value line appended with echo -n', () => {
    const row = handed('line');
    expect(row).toMatchObject({ route: 'api-key', line: 8, column: 14 });
    expect(row.credential).toMatchObject({
      variable: 'ANTHROPIC_API_KEY',
      level: 'github-env',
      source: 'secrets.LINE_KEY',
      line: 7,
      column: 23,
    });
  });

  it('reads a NAME<<EOF block written by a command group, one echo per line', () => {
    const row = handed('block');
    expect(row.route).toBe('gateway-token');
    expect(row.credential).toMatchObject({
      variable: 'ANTHROPIC_AUTH_TOKEN',
      level: 'github-env',
      source: 'secrets.BLOCK_TOKEN',
      line: 15,
      column: 19,
    });
  });

  it('reads a NAME<<EOF block inside a heredoc and inside one printf', () => {
    expect(handed('heredoc').route).toBe('vertex');
    expect(handed('heredoc').credential).toMatchObject({
      variable: 'CLAUDE_CODE_USE_VERTEX',
      line: 25,
      column: 11,
    });
    expect(handed('printf').route).toBe('bedrock');
    expect(handed('printf').credential).toMatchObject({
      variable: 'CLAUDE_CODE_USE_BEDROCK',
      line: 33,
      column: 22,
    });
  });

  it('reads a pipe into tee -a, and a write that truncates the file first', () => {
    expect(handed('tee').credential).toMatchObject({ source: 'secrets.TEE_KEY', line: 38, column: 20 });
    expect(handed('truncate').credential).toMatchObject({
      source: 'secrets.TRUNCATED_KEY',
      line: 43,
      column: 20,
    });
  });

  it('ignores writes to other files, so the run has no key', () => {
    const row = handed('elsewhere', 'step 3');
    expect(row).toMatchObject({ route: 'subscription-login', credential: null });
    expect(row.verdict).toBe('error: headless-without-api-route');
  });
});

describe('a composite action’s inputs', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('composite-defaults.yml');

  it('take their defaults when the caller passes nothing', () => {
    const row = rowOf(report(), 'defaults', './.github/actions/review');
    expect(row).toMatchObject({ route: 'bedrock', certainty: 'known', line: 7, column: 15 });
    expect(row.credential).toMatchObject({
      variable: 'CLAUDE_CODE_USE_BEDROCK',
      file: '.github/actions/review/action.yml',
      line: 9,
      column: 14,
    });
  });

  it('take what the caller passes over their defaults', () => {
    const row = rowOf(report(), 'passes', './.github/actions/review');
    expect(row).toMatchObject({ route: 'api-key', certainty: 'known', shadowed: [] });
    expect(row.credential).toMatchObject({
      variable: 'ANTHROPIC_API_KEY',
      source: 'secrets.ANTHROPIC_API_KEY',
      file: '.github/workflows/composite-defaults.yml',
      line: 13,
      column: 20,
    });
  });
});
