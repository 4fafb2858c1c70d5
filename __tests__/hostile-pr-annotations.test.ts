/**
 * Decoys cannot take the annotations: broken files and repeats rank below the findings about routes.
 */
import { describe, expect, it } from '@jest/globals';
import { rankFindings } from '../src/report/github.js';
import type { Finding } from '../src/types.js';
import { runAction } from './action-run.js';
import { forgedCommands } from './runner-log.js';
import { workspace } from './hostile-pr.js';

describe('decoys cannot take the annotations', () => {
  it('ten broken files under .github/actions leave room for the real route finding', async () => {
    const broken: Record<string, string> = {};
    // Each names Claude: a broken file that names nothing of Claude is not parsed, so it gives no finding.
    for (let i = 0; i < 10; i++) broken[`.github/actions/a${i}/action.yml`] = 'name: Claude\nruns: [\n';
    const ws = workspace({ 'review.yml': 'subscription.yml' }, broken);
    const run = await runAction({ 'fail-on': 'never', 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(10);
    expect(errors[0]).toContain('subscription-token-in-ci,file=.github/workflows/review.yml,line=9');
    expect(run.stdout).toContain('::notice::1 finding(s) are not annotated');
    expect(forgedCommands(run.stdout)).toEqual([]);
  });

  it('ranks route findings over parse errors, and the first of each rule over repeats', () => {
    const at = { line: 1, column: 1, endLine: 1, endColumn: 2 };
    const f = (rule: string, file: string): Finding => ({
      rule,
      severity: 'error',
      confidence: 'high',
      file,
      span: at,
      message: '',
    });
    const ranked = rankFindings([
      f('parse-error', 'a'),
      f('hardcoded-credential', 'b'),
      f('hardcoded-credential', 'c'),
      f('subscription-token-in-ci', 'd'),
    ]);
    expect(ranked.map((x) => x.file)).toEqual(['b', 'd', 'c', 'a']);
  });
});
