import { describe, expect, it } from '@jest/globals';
import { rowOf, scanBehaviour } from './behaviour.js';

describe('a credential written to $GITHUB_ENV is placed on its name, however the line is written', () => {
  it.each([
    ['echo', 'echo "ANTHROPIC_API_KEY=..."', 7, 20],
    ['printf', "printf 'ANTHROPIC_API_KEY=%s\\n' ...", 13, 22],
    ['printf-name-argument', "printf '%s=%s\\n' ANTHROPIC_API_KEY ...: the argument", 19, 31],
    ['heredoc', 'a heredoc line', 34, 11],
    // The name is not written in one piece: the line's words, not the later echo that spells it.
    ['split-name', 'echo "ANTHROPIC_""API_KEY=..."', 42, 16],
  ])('%s: `%s` puts the key at %i:%i', (job, _how, line, column) => {
    const row = rowOf(scanBehaviour('ghenv-positions.yml'), job, 'step 2');
    expect(row).toMatchObject({ route: 'api-key', verdict: 'ok' });
    expect(row.credential).toEqual({
      variable: 'ANTHROPIC_API_KEY',
      level: 'github-env',
      source: 'secrets.ANTHROPIC_API_KEY',
      file: '.github/workflows/ghenv-positions.yml',
      line,
      column,
    });
  });

  it('a token from a step variable is reported at its secret, passed on at the name it is written under', () => {
    const report = scanBehaviour('ghenv-positions.yml');
    expect(rowOf(report, 'echo-variable', 'step 2').credential).toMatchObject({ line: 26, column: 19 });
    const finding = report.findings.find((f) => f.rule === 'subscription-token-in-ci')!;
    expect([finding.span.line, finding.span.column]).toEqual([26, 19]);
    expect(finding.related?.[0]).toMatchObject({
      span: { line: 25, column: 20 },
      label: 'passed on as CLAUDE_CODE_OAUTH_TOKEN',
    });
  });
});
