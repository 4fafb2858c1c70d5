import { describe, expect, it } from '@jest/globals';
import { runCli } from '../src/cli.js';
import { BEHAVIOUR, rowOf, scanBehaviour } from './behaviour.js';

describe('a `${{` that is never closed is an error, not a pasted key', () => {
  it('`${{ secrets.ANTHROPIC_API_KEY }` (one brace short) is reported where it opens; the route is unknown', () => {
    const report = scanBehaviour('unclosed-expression.yml');
    const at9 = report.findings.filter((f) => f.span.line === 9);
    expect(at9.map((f) => [f.rule, f.severity, f.span.column, f.message])).toEqual([
      [
        'parse-error',
        'error',
        30,
        'This `${{` expression is never closed (no `}}`), so GitHub will reject the workflow and run none of it. Close it: `${{ secrets.NAME }}`.',
      ],
    ]);
    expect(rowOf(report, 'missing-brace')).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      credential: expect.objectContaining({
        variable: 'ANTHROPIC_API_KEY',
        source: 'expression',
        line: 9,
        column: 30,
      }),
      reason:
        'ANTHROPIC_API_KEY has a `${{` that is never closed; when it is empty, the run fails: a GitHub-hosted runner has no stored login',
      verdict: 'error: parse-error',
    });
  });

  it('a real key after a stray `${{` is still a plain-text key, and the text report never prints it', () => {
    const report = scanBehaviour('unclosed-expression.yml');
    expect(report.findings.filter((f) => f.span.line === 16).map((f) => [f.rule, f.span.column])).toEqual([
      ['parse-error', 30],
      ['hardcoded-credential', 34],
    ]);
    let out = '';
    runCli(['--fail-on', 'never', '.github/workflows/unclosed-expression.yml'], {
      cwd: BEHAVIOUR,
      env: {},
      stdout: (t) => (out += t),
      stderr: () => {},
    });
    expect(out).not.toContain('sk-ant-');
    expect(out).not.toContain('Zq7Xw2Lk9Pm4');
    expect(out).toContain('   16 |           ANTHROPIC_API_KEY: ${{ <redacted>\n');
  });

  it("a closed expression, `${{ '${{' }}` and a `${{` in a comment are no error", () => {
    const report = scanBehaviour('unclosed-expression.yml');
    expect(report.findings.filter((f) => f.span.line > 16)).toEqual([]);
    expect(rowOf(report, 'closed')).toMatchObject({ route: 'api-key', verdict: 'ok' });
  });
});
