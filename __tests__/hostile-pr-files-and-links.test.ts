/**
 * Special files and links: devices, FIFOs and links the pull request commits are refused, never read or
 * walked.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction } from './action-run.js';
import { HOSTILE, workspace, cli } from './hostile-pr.js';
import { internalErrorText } from '../src/cli.js';

describe('special files and links out of the repository', () => {
  it('settings and a policy linked to /dev/zero or /dev/stdin are refused, never read', async () => {
    for (const device of ['/dev/zero', '/dev/stdin']) {
      const ws = workspace({ 'review.yml': 'subscription.yml' });
      mkdirSync(join(ws, '.claude'));
      symlinkSync(device, join(ws, '.claude', 'settings.json'));
      const withSettings = await runAction(
        { 'fail-on': 'never' },
        { GITHUB_WORKSPACE: ws, NODE_OPTIONS: '--max-old-space-size=256' },
      );
      expect(withSettings.status).toBe(0);
      expect(withSettings.summary).toContain('subscription-token-in-ci');
      symlinkSync(device, join(ws, '.github', 'claude-route-guard.yml'));
      const withPolicy = await runAction({ 'fail-on': 'never' }, { GITHUB_WORKSPACE: ws });
      expect(withPolicy.status).toBe(1);
      expect(withPolicy.stdout).toContain(
        '::error::.github/claude-route-guard.yml: the policy file must be a regular file, not a link',
      );
    }
  });

  it('a scan root linked to / and a linked folder inside the repository are not walked', async () => {
    const ws = workspace({ 'review.yml': 'subscription.yml' });
    symlinkSync('/', join(ws, '.github', 'actions'));
    const home = mkdtempSync(join(tmpdir(), 'crg-home-'));
    mkdirSync(join(home, 'wf'));
    copyFileSync(join(HOSTILE, 'markup.yml'), join(home, 'wf', 'private.yml'));
    symlinkSync(join(home, 'wf'), join(ws, '.github', 'workflows', 'linked'));
    const run = await runAction({ 'fail-on': 'never', 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('claude-route-guard: .github/actions: symbolic link not followed');
    expect(run.stdout).toContain('claude-route-guard: .github/workflows/linked: symbolic link not followed');
    expect(JSON.parse(run.outputs.routes!).map((r: { file: string }) => r.file)).toEqual([
      '.github/workflows/review.yml',
    ]);
  });

  it('a sibling folder that shares the workspace prefix is outside it', () => {
    const ws = workspace(
      {},
      {
        '.github/workflows/use.yml': [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: x',
          '    steps:',
          '      - uses: ./../ws-secret/action',
          '',
        ].join('\n'),
      },
    );
    mkdirSync(join(dirname(ws), 'ws-secret', 'action'), { recursive: true });
    writeFileSync(
      join(dirname(ws), 'ws-secret', 'action', 'action.yml'),
      'runs:\n  using: composite\n  steps:\n    - run: claude -p hi\n      shell: bash\n      env:\n        CLAUDE_CODE_OAUTH_TOKEN: from-the-secret-folder\n',
    );
    const run = cli(ws, ['--format', 'json', '--fail-on', 'never']);
    expect(run.stdout).not.toContain('ws-secret/action/action.yml');
    expect((JSON.parse(run.stdout) as { routes: unknown[] }).routes).toEqual([]);
  });

  it('an explicitly named link or FIFO is refused, not read', () => {
    const ws = workspace({});
    const secret = join(dirname(ws), 'git-credentials');
    writeFileSync(secret, 'https://user:hunter2-secret@github.com\n');
    symlinkSync(secret, join(ws, 'creds.yml'));
    execFileSync('mkfifo', [join(ws, 'pipe.yml')]);
    const run = cli(ws, ['creds.yml', 'pipe.yml']);
    expect(run.stdout + run.stderr).not.toContain('hunter2');
    expect(run.stderr).toContain('claude-route-guard: creds.yml: symbolic link not followed');
    expect(run.stderr).toContain('claude-route-guard: pipe.yml: not a regular file, skipped');
  });
});

describe('a file where a folder is looked for', () => {
  it('is a reference not followed, never an internal error', () => {
    const ws = workspace(
      {},
      {
        '.github/actions/review': 'not a folder\n',
        '.github/workflows/a.yml': [
          'on: push',
          'jobs:',
          '  a:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: ./.github/actions/review',
          '        with:',
          '          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}',
          '',
        ].join('\n'),
      },
    );
    expect(cli(ws, ['--compact'])).toEqual({
      status: 0,
      stdout:
        '.github/workflows/a.yml:6:15: not followed: local action `./.github/actions/review` was not found in the repository, so its Claude runs cannot be checked\n',
      stderr: '',
    });
  });
});

describe('a settings path no file system accepts', () => {
  const hostile = 'a'.repeat(300) + '\n::warning::INJ @octocat\r\n::add-mask::X';
  const workflows = {
    'run.yml': [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - run: claude -p hi --settings ${'b'.repeat(300)}`,
      '',
    ].join('\n'),
    'action.yml': [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: anthropics/claude-code-action@v1',
      '        with:',
      `          settings: ${JSON.stringify(hostile)}`,
      '',
    ].join('\n'),
  };

  it('is a settings file that cannot be read, never an internal error', () => {
    for (const [name, text] of Object.entries(workflows)) {
      const ws = workspace({}, { [`.github/workflows/${name}`]: text });
      for (const format of ['text', 'compact', 'json', 'sarif', 'github']) {
        const run = cli(ws, format === 'compact' ? ['--compact'] : ['--format', format]);
        expect(run.status).not.toBe(2);
        expect(run.stderr).not.toContain('internal error');
        const lines = (run.stdout + run.stderr).split(/\r\n|\r|\n/);
        expect(lines.filter((l) => l.trim().startsWith('::warning::INJ'))).toEqual([]);
        expect(lines.filter((l) => l.trim().startsWith('::add-mask::'))).toEqual([]);
      }
      const json = JSON.parse(cli(ws, ['--format', 'json']).stdout) as { routes: Record<string, unknown>[] };
      const path = name === 'run.yml' ? 'b'.repeat(300) : hostile;
      expect(json.routes).toEqual([
        expect.objectContaining({
          file: `.github/workflows/${name}`,
          job: 'a',
          step: name === 'run.yml' ? 'step 1' : 'anthropics/claude-code-action@v1',
          line: 6,
          column: name === 'run.yml' ? 14 : 15,
          route: 'unknown',
          credential: null,
          certainty: 'unknown',
          verdict: 'notice: unbounded-spend',
          reason: `settings file \`${path}\` cannot be read in the repository (it is not there, is a symbolic link, or is over the size limit), and its env or apiKeyHelper may set the route`,
        }),
      ]);
    }
  });

  it('an internal error from file text reaches stderr as one inert line', () => {
    const line = internalErrorText(new Error(`ENAMETOOLONG: name too long, lstat '${hostile}'`));
    expect(line.split(/\r\n|\r|\n/)).toHaveLength(1);
    expect(line).toMatch(/^claude-route-guard: internal error: ENAMETOOLONG/);
    expect(line).not.toContain('\n::');
  });
});
