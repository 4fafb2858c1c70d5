/**
 * The job summary and the comment: nothing the pull request wrote becomes live markdown, and a huge name is
 * cut.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commentBody } from '../src/report/comment.js';
import { runAction } from './action-run.js';
import { forgedCommands } from './runner-log.js';
import { workspace } from './hostile-pr.js';

describe('nothing in the summary or the comment is live markdown', () => {
  it('HTML, links, mentions, references, a lone CR and backticks stay text; findings come through', async () => {
    const ws = workspace({ 'markup.yml': 'markup.yml', 'x`<code><img src=x>@octo.yml': 'subscription.yml' });
    const run = await runAction({ 'fail-on': 'never', 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    expect(run.status).toBe(0);
    const summary = run.summary;
    expect(summary).not.toMatch(/<img|<!--|<b>|\]\(https:\/\/evil|@octo|#1\b|`code`/);
    expect(summary).not.toMatch(/\r/);
    expect(summary).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(summary).toContain(
      '@\u200bocto-org/admins see #\u200b1 &#91;free credits&#93;(https:\u200b//evil.example)',
    );
    // Inside a code span GitHub makes no mention: the @ is an entity there, so a copied name is exact.
    expect(summary).toContain(
      '<code>.github/workflows/x&#96;&lt;code&gt;&lt;img src=x&gt;&#64;octo.yml</code>',
    );
    // Three: each file's Claude run, and markup.yml's unrecognised action handed an OAuth token in its own
    // `with:` (a consumer beside a recognised run keeps its row).
    expect(summary.match(/\*\*subscription-token-in-ci\*\*/g)).toHaveLength(3);
    expect(forgedCommands(run.stdout)).toEqual([]);
  });

  it('a $ the pull request wrote never starts math, in the summary or the comment', async () => {
    const ws = workspace({ 'review.yml': 'subscription.yml' });
    const text = readFileSync(join(ws, '.github', 'workflows', 'review.yml'), 'utf8');
    writeFileSync(
      join(ws, '.github', 'workflows', 'review.yml'),
      text.replace('      - run:', () => '      - name: "pays $\\\\text{nothing}$ or $$x^2$$"\n        run:'),
    );
    const run = await runAction({ 'fail-on': 'never', 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    expect(run.status).toBe(0);
    expect(run.summary).toContain('| pays &#36;&#92;text{nothing}&#36; or &#36;&#36;x^2&#36;&#36; |');
    for (const markdown of [run.summary, commentBody(run.summary)]) expect(markdown).not.toContain('$');
    expect(run.summary).toContain('**subscription-token-in-ci**');
  });

  it("a caller's file name a callee row's verdict names stays text in the summary, the comment and the log", async () => {
    const caller = 'x`<img src=x>@octo [x](https:evil) $y$.yml';
    const ws = workspace(
      {},
      {
        [`.github/workflows/${caller}`]: [
          'on: workflow_dispatch',
          'jobs:',
          '  notes:',
          '    uses: ./.github/workflows/callee.yml',
          '',
        ].join('\n'),
        '.github/workflows/callee.yml': [
          'on: workflow_call',
          'jobs:',
          '  claude:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
    );
    const run = await runAction({ 'fail-on': 'never', 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    expect(run.status).toBe(0);
    // The callee's row takes its verdict from the caller's finding, and names the caller's file.
    expect(run.summary).toContain(
      'headless-without-api-route (via caller .github/workflows/x&#96;&lt;img src=x&gt;',
    );
    for (const markdown of [run.summary, commentBody(run.summary)]) {
      expect(markdown).not.toMatch(/<img|@octo|\]\(https:evil|`<|\$y\$/);
    }
    expect(forgedCommands(run.stdout)).toEqual([]);
  });

  it('a 1 MB step name is cut in its cell and the findings stay in the summary', async () => {
    const huge = 'A'.repeat(1024 * 1024);
    const ws = workspace({ 'review.yml': 'subscription.yml' });
    const text = readFileSync(join(ws, '.github', 'workflows', 'review.yml'), 'utf8');
    writeFileSync(
      join(ws, '.github', 'workflows', 'review.yml'),
      text.replace('      - run:', `      - name: ${huge}\n        run:`),
    );
    const run = await runAction({ 'fail-on': 'never', 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    expect(run.status).toBe(0);
    expect(run.summary.length).toBeLessThan(20000);
    expect(run.summary).toContain(`| ${'A'.repeat(300)}… |`);
    expect(run.summary).toContain('**subscription-token-in-ci**');
  });
});
