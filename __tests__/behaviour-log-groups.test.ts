import { describe, expect, it } from '@jest/globals';
import { rowOf, scanBehaviour } from './behaviour.js';

describe('output of a group, subshell or loop redirected to a file does not reach the log', () => {
  const leaks = (): [number, number, string][] =>
    scanBehaviour('log-groups.yml')
      .findings.filter((f) => f.rule === 'credential-exposed-in-log')
      .map((f) => [f.span.line, f.span.column, f.message.split('.')[0]!]);

  it('GitHub\'s grouped write `{ echo ...; } >> "$GITHUB_ENV"` and a loop\'s `done > file` are no leak; the key written bills the next step', () => {
    expect(leaks().filter(([line]) => line < 30)).toEqual([]);
    const row = rowOf(scanBehaviour('log-groups.yml'), 'grouped', 'step 2');
    expect(row).toMatchObject({ route: 'api-key', verdict: 'ok' });
    expect(row.credential).toMatchObject({ level: 'github-env', source: 'secrets.ANTHROPIC_API_KEY' });
  });

  it('a `( ... ) >> "$GITHUB_ENV"` subshell writes the file as a group does', () => {
    const row = rowOf(scanBehaviour('log-groups.yml'), 'subshell', 'step 2');
    expect(row).toMatchObject({ route: 'api-key', verdict: 'ok' });
    expect(row.credential).toMatchObject({ level: 'github-env', line: 18, column: 19 });
  });

  it('a group piped to tee, an `echo >&2` inside a redirected group and `) > /dev/stderr` still print', () => {
    expect(leaks()).toEqual([
      [35, 18, 'Job `to-the-log` prints K to the log with `echo`'],
      [37, 18, 'Job `to-the-log` prints K to the log with `echo`'],
      [38, 18, 'Job `to-the-log` prints K to the log with `echo`'],
    ]);
  });
});
