/**
 * Workflow commands forged from names: a file name, a link's name or a job id the pull request chose must
 * never become a command the runner obeys.
 */
import { describe, expect, it } from '@jest/globals';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runAction } from './action-run.js';
import { forgedCommands, masksOf } from './runner-log.js';
import { workspace, cli } from './hostile-pr.js';

describe('workflow commands from names', () => {
  it('a source line quoted under a finding forges no command in the CLI text output', () => {
    const ws = workspace({ 'nightly.yml': 'snippet-command.yml' });
    const run = cli(ws, []);
    expect(run.status).toBe(1);
    expect(forgedCommands(run.stdout)).toEqual([]);
    // The line is still shown, neutralised, under the finding it explains.
    expect(run.stdout).toContain(
      '    6 |       CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }} # #\u2060#[stop-co',
    );
  });

  it('a link named ##[stop-commands] and names with line breaks forge no command in the action log', async () => {
    const ws = workspace({ 'review.yml': 'subscription.yml' });
    const workflows = join(ws, '.github', 'workflows');
    symlinkSync('/etc/hostname', join(workflows, '##[stop-commands]pause'));
    symlinkSync(
      '/etc/hostname',
      join(workflows, '##[notice title=claude-route-guard]All Claude runs bill the API key'),
    );
    symlinkSync('/etc/hostname', join(workflows, 'x\n::add-mask::error\n::set-output name=errors::0.yml'));
    const run = await runAction({ 'fail-on': 'never', 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    expect(run.status).toBe(0);
    expect(forgedCommands(run.stdout)).toEqual([]);
    expect(masksOf(run.stdout)).toEqual([]);
    // The real finding is still annotated at its place, and the links are reported.
    expect(run.stdout).toContain(
      '::error title=claude-route-guard%3A subscription-token-in-ci,file=.github/workflows/review.yml,line=9,endLine=9,col=36,endColumn=74::',
    );
    expect(run.stdout).toMatch(
      /claude-route-guard: \.github\/workflows\/#\u2060#\[stop-commands\]pause: symbolic link not followed/,
    );
  });

  it('job ids with escapes and line breaks reach the CLI text output inert', () => {
    const ws = workspace({ 'terminal.yml': 'terminal.yml' });
    const run = cli(ws, []);
    expect(run.status).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(forgedCommands(run.stdout + run.stderr)).toEqual([]);
    expect(run.stdout).toContain('erase\\x1b[2K\\x1b[1A\\x0d0 error(s)');
    // The forged tally is inside a job id; the real one is the last line.
    expect(run.stdout.trim().split('\n').at(-1)).toBe('2 error(s), 1 warning(s), 0 notice(s)');
    for (const format of ['json', 'sarif']) {
      const out = cli(ws, ['--format', format]);
      expect(forgedCommands(out.stdout)).toEqual([]);
      expect(JSON.stringify(JSON.parse(out.stdout))).toContain('##[stop-commands]pause');
    }
  });
});
