import { describe, expect, it } from '@jest/globals';
import type { Report } from '../src/scan.js';
import { BEHAVIOUR, rowOf, scanBehaviour } from './behaviour.js';
import { scanAt } from './helpers.js';

/** The OAuth token every step of `expressions` starts with: what Claude Code uses when the key is empty. */
const WHEN_EMPTY = 'when it is empty, CLAUDE_CODE_OAUTH_TOKEN (subscription-oauth-token) is used';

describe('what an expression puts into a credential', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('values-expressions.yml');
  const step = (n: number): ReturnType<typeof rowOf> => rowOf(report(), 'expressions', `step ${n}`);
  /** Step n sets ANTHROPIC_API_KEY on line 7 + 3n, at column 30. */
  const key = (n: number, source: string): Record<string, unknown> => ({
    variable: 'ANTHROPIC_API_KEY',
    level: 'step',
    source,
    line: 7 + 3 * n,
    column: 30,
  });
  const decidedAtRunTime = (n: number, why: string, source: string): void => {
    const row = step(n);
    expect(row).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      reason: `ANTHROPIC_API_KEY ${why}; ${WHEN_EMPTY}`,
      outcomes: ['api-key', 'subscription-oauth-token'],
    });
    expect(row.credential).toMatchObject(key(n, source));
  };
  const surelySet = (n: number, source: string): void => {
    const row = step(n);
    expect(row).toMatchObject({ route: 'api-key', certainty: 'known', reason: null, outcomes: ['api-key'] });
    expect(row.credential).toMatchObject(key(n, source));
  };

  it('a secret whose name is chosen at run time is shown as secrets[...], and may be empty', () => {
    decidedAtRunTime(
      1,
      'comes from the expression `secrets[matrix.key_name]`, decided at run time',
      'secrets[...]',
    );
  });

  it('says the secret is named at run time when format() passes it on unchanged', () => {
    decidedAtRunTime(2, 'is a secret whose name is chosen at run time (`secrets[...]`)', 'secrets[...]');
  });

  it('reads `secrets.*`, every secret at once, as a secret named at run time', () => {
    decidedAtRunTime(3, 'is a secret whose name is chosen at run time (`secrets[...]`)', 'secrets[...]');
  });

  it('shows a matrix value as an expression decided at run time', () => {
    decidedAtRunTime(4, 'comes from `matrix.api_key`, decided at run time', 'expression');
  });

  it('counts text around an unset env variable as a key that is set, written as an expression', () => {
    surelySet(5, 'expression');
  });

  it('names both variables of `vars.A || vars.B`', () => {
    surelySet(6, 'vars.PRIMARY_KEY || vars.FALLBACK_KEY');
  });

  it('takes the literal after an unset env variable in `a || b`', () => {
    surelySet(7, 'literal');
  });

  it('quotes a call on no secret as an expression decided at run time', () => {
    decidedAtRunTime(
      8,
      "comes from the expression `format('{0}', github.token)`, decided at run time",
      'expression',
    );
  });

  it('says `cond && secret` is chosen by the condition', () => {
    decidedAtRunTime(
      9,
      "is chosen by the condition in `github.event_name == 'push' && secrets.PUSH_KEY` at run time",
      'secrets.PUSH_KEY',
    );
  });

  it('reads a secret passed through format() as that secret, set', () => {
    surelySet(10, 'secrets.WRAPPED_KEY');
  });

  it('counts a secret beside an unset env variable, with no text, as set', () => {
    surelySet(11, 'secrets.A_KEY');
  });

  it('leaves two matrix values side by side, with no text, to run time', () => {
    decidedAtRunTime(12, 'is built from text and expressions', 'expression');
  });

  it('counts a matrix value or a secret as set: the secret is there when the matrix value is empty', () => {
    surelySet(13, 'secrets.FALLBACK_KEY');
  });

  it('leaves one matrix value or another to run time, as the first one says', () => {
    decidedAtRunTime(14, 'comes from `matrix.api_key`, decided at run time', 'expression');
  });
});

describe('a key that is surely set is what Claude Code falls back to', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('values-expressions.yml');

  it.each([
    ['step 1', 'an unset env variable or a literal, in `a || b`', 'literal'],
    ['step 2', 'a secret through format()', 'secrets.WRAPPED_KEY'],
    ['step 3', 'two secrets side by side', 'secrets.A_KEY || secrets.B_KEY'],
    ['step 4', 'one secret or another', 'secrets.PRIMARY_KEY || secrets.FALLBACK_KEY'],
  ])('%s: a key from %s is used when the gateway token is empty', (step, _what, source) => {
    const row = rowOf(report(), 'fallbacks', step);
    expect(row).toMatchObject({
      route: 'unknown',
      reason:
        'ANTHROPIC_AUTH_TOKEN comes from `matrix.gateway_token`, decided at run time; when it is empty, ANTHROPIC_API_KEY (api-key) is used',
      outcomes: ['gateway-token', 'api-key'],
    });
    expect(row.shadowed).toEqual([expect.objectContaining({ variable: 'ANTHROPIC_API_KEY', source })]);
  });

  it('turns a switch on by the literal after an unset env variable', () => {
    const row = rowOf(report(), 'switch');
    expect(row).toMatchObject({ route: 'bedrock', certainty: 'known' });
    expect(row.credential).toMatchObject({
      variable: 'CLAUDE_CODE_USE_BEDROCK',
      source: 'literal',
      line: 73,
    });
  });

  it('says a misnamed input of the action passes an empty value', () => {
    const misnamed = report().findings.filter((f) => f.rule === 'misnamed-credential-input');
    expect(misnamed.map((f) => [f.span.line, f.span.column, f.message])).toEqual([
      [
        80,
        11,
        'Job `misnamed` passes empty to anthropics/claude-code-action@v1 as `ANTHROPIC_API_KEY`, an input the action does not have, so it is ignored and never reaches Claude. Rename it to `anthropic_api_key`.',
      ],
    ]);
  });
});

describe('a reusable workflow read on its own: the caller decides its inputs and declared secrets', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('values-called.yml');

  it('depends on the caller passing a declared secret', () => {
    const row = rowOf(report(), 'caller-key');
    expect(row).toMatchObject({
      route: 'api-key',
      certainty: 'inferred',
      reason: 'depends on the caller passing `secrets.CALLER_KEY`',
    });
    expect(row.credential).toMatchObject({ source: 'secrets.CALLER_KEY', line: 23, column: 30 });
  });

  it('says what falls back when the caller leaves the declared secret empty', () => {
    const row = rowOf(report(), 'caller-key-or-login', 'step 1');
    expect(row).toMatchObject({
      route: 'unknown',
      reason: `ANTHROPIC_API_KEY comes from secret CALLER_KEY, which the caller passes; ${WHEN_EMPTY}`,
      outcomes: ['api-key', 'subscription-oauth-token'],
    });
  });

  it('says what falls back when the caller leaves the input empty', () => {
    const row = rowOf(report(), 'caller-key-or-login', 'step 2');
    expect(row).toMatchObject({
      route: 'unknown',
      reason: `ANTHROPIC_API_KEY comes from input \`api-key\`, which the caller decides; ${WHEN_EMPTY}`,
    });
    expect(row.credential).toMatchObject({ source: 'inputs.api-key', line: 34 });
  });

  it('names both inputs of `inputs.a || inputs.b`, and depends on the first', () => {
    const row = rowOf(report(), 'inputs', 'step 1');
    expect(row).toMatchObject({
      route: 'api-key',
      certainty: 'inferred',
      reason: 'depends on the caller passing `inputs.api-key`',
    });
    expect(row.credential).toMatchObject({ source: 'inputs.api-key || inputs.fallback-key', line: 40 });
  });

  it('reads an input passed through format() as that input', () => {
    const row = rowOf(report(), 'inputs', 'step 2');
    expect(row).toMatchObject({
      route: 'api-key',
      certainty: 'inferred',
      reason: 'depends on the caller passing `inputs.api-key`',
    });
    expect(row.credential).toMatchObject({ source: 'inputs.api-key', line: 43 });
  });

  it('counts a key built from a repository secret and a caller’s secret as set', () => {
    const row = rowOf(report(), 'inputs', 'step 3');
    expect(row).toMatchObject({ route: 'api-key', certainty: 'known', reason: null });
    expect(row.credential).toMatchObject({ source: 'secrets.KEY_HALF || secrets.CALLER_KEY', line: 46 });
  });

  it('takes an input’s default when it has one', () => {
    const row = rowOf(report(), 'defaults', 'step 1');
    expect(row).toMatchObject({ route: 'bedrock', certainty: 'known' });
    expect(row.credential).toMatchObject({
      variable: 'CLAUDE_CODE_USE_BEDROCK',
      source: 'literal',
      line: 11,
    });
  });

  it('leaves an input whose default is empty to the caller', () => {
    const row = rowOf(report(), 'defaults', 'step 2');
    expect(row).toMatchObject({
      route: 'unknown',
      reason:
        'CLAUDE_CODE_USE_VERTEX comes from inputs.use-vertex, decided at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
      outcomes: ['vertex', 'subscription-login'],
    });
  });
});

describe('a reusable workflow called with only some of the secrets it reads', () => {
  // Scanned in each test, so each mutant is tied to the tests that see it.
  const report = (): Report => scanBehaviour('values-caller.yml');

  it('reads each run of the callee with what the caller passes', () => {
    const rows = report().routes.filter((r) => r.job === 'call');
    expect(
      rows.map((r) => [
        r.route,
        r.certainty,
        r.reason,
        r.credential?.source,
        r.credential?.file,
        r.credential?.line,
      ]),
    ).toEqual([
      // GITHUB_TOKEN is always there, whatever the caller passes.
      ['gateway-token', 'known', null, 'secrets.GITHUB_TOKEN', '.github/workflows/values-callee.yml', 9],
      // A secret the caller leaves out is empty, and so is `''`, and `format('{0}', ...)` of it: the files
      // fix that the expression is empty.
      ['subscription-login', 'known', null, undefined, undefined, undefined],
      ['subscription-login', 'known', null, undefined, undefined, undefined],
      // The secret the caller passes is set where the caller writes it.
      ['api-key', 'known', null, 'secrets.ANTHROPIC_API_KEY', '.github/workflows/values-caller.yml', 7],
    ]);
  });

  it('names the secret the caller leaves out, and how to pass it', () => {
    const headless = report().findings.filter((f) => f.rule === 'headless-without-api-route');
    expect(headless.map((f) => f.message)).toEqual([
      'Job `call` runs Claude Code headlessly (./.github/workflows/values-callee.yml → claude -p) with no API-side credential (secret MISSING_KEY is not passed by the caller, so it is empty), so it fails: a GitHub-hosted runner has no stored login to fall back on. Pass the secret to the reusable workflow: `secrets: { MISSING_KEY: "${{ secrets.MISSING_KEY }}" }` on the calling job.',
    ]);
  });
});

describe('a local action folder that holds no action', () => {
  it('runs no Claude of its own, and is not reported missing', () => {
    const report = scanAt(BEHAVIOUR, ['.github/workflows/values-not-an-action.yml']);
    expect(report.routes.map((r) => [r.job, r.step, r.route, r.line, r.column])).toEqual([
      ['review', 'step 2', 'api-key', 10, 14],
    ]);
    expect(report.unresolved).toEqual([]);
  });
});
