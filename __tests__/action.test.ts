import { describe, expect, it } from '@jest/globals';
import { runAction } from './action-run.js';

describe('the bundled action', () => {
  it('annotates findings at their exact position and fails on errors', () => {
    const run = runAction({
      paths: '.github/workflows/misnamed.yml\n.github/workflows/action-key.yml',
      'fail-on': 'error',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error title=claude-route-guard%3A headless-without-api-route,file=.github/workflows/misnamed.yml,line=6,endLine=6,col=15,endColumn=47::Job `wrong-name` runs Claude Code headlessly',
    );
    expect(run.stdout).toContain(
      '::error::claude-route-guard found 2 error(s), 0 warning(s) and 0 notice(s); fail-on is error.',
    );
    expect(run.outputs).toMatchObject({ errors: '2', warnings: '0', notices: '0' });
    const routes = JSON.parse(run.outputs.routes!) as { route: string; file: string }[];
    expect(routes.map((r) => [r.file, r.route])).toEqual([
      ['.github/workflows/misnamed.yml', 'subscription-login'],
      ['.github/workflows/action-key.yml', 'api-key'],
    ]);
  });

  it('writes the route table to the job summary with links to the credential line', () => {
    const run = runAction({ paths: '.github/workflows/action-key.yml' });
    expect(run.status).toBe(0);
    expect(run.summary).toContain(
      '| Workflow | Job | Step | Invocation | Route | Credential source | Verdict |',
    );
    expect(run.summary).toContain(
      '| [`.github/workflows/action-key.yml`](https://github.com/octo/repo/blob/abc123/.github/workflows/action-key.yml#L7) | review | anthropics/claude-code-action@v1 | anthropics/claude-code-action@v1 | api-key | ANTHROPIC_API_KEY from [`secrets.ANTHROPIC_API_KEY`](https://github.com/octo/repo/blob/abc123/.github/workflows/action-key.yml#L9) (action-input, line 9) | ok |',
    );
  });

  it('does not fail with fail-on never, and rejects a bad fail-on by name', () => {
    expect(runAction({ paths: '.github/workflows/misnamed.yml', 'fail-on': 'never' }).status).toBe(0);
    const bad = runAction({ 'fail-on': 'loudly' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(
      '::error::input fail-on must be one of error, warning, notice, never, not "loudly"',
    );
  });
});
