import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../src/cli.js';
import { runAction } from './action-run.js';
import { FIXTURES } from './helpers.js';
import { forgedCommands, masksOf } from './runner-log.js';

const HOSTILE = join(FIXTURES, 'hostile');

/** A fresh workspace holding the named hostile fixtures as workflows, plus any extra files. */
function workspace(workflows: Record<string, string>, files: Record<string, string> = {}): string {
  const root = join(mkdtempSync(join(tmpdir(), 'crg-pr-')), 'ws');
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  for (const [name, fixture] of Object.entries(workflows))
    copyFileSync(join(HOSTILE, fixture), join(root, '.github', 'workflows', name));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function cli(cwd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = runCli(args, {
    cwd,
    stdout: (t) => (stdout += t + '\n'),
    stderr: (t) => (stderr += t + '\n'),
  });
  return { status, stdout, stderr };
}

describe('1. workflow commands from names', () => {
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

describe('2. the SARIF file is never written through a link', () => {
  it('refuses a linked file, a linked folder on the way and a path out of the workspace', async () => {
    const ws = workspace({ 'review.yml': 'subscription.yml' });
    const victim = join(dirname(ws), 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(ws, 'results.sarif'));
    mkdirSync(join(dirname(ws), 'elsewhere'));
    symlinkSync(join(dirname(ws), 'elsewhere'), join(ws, 'reports'));
    for (const [sarif, why] of [
      ['results.sarif', 'results.sarif is a symbolic link'],
      ['reports/out.sarif', 'reports is a symbolic link'],
      ['../out.sarif', 'it is outside the workspace and the runner temp folder'],
      ['/etc/out.sarif', 'it is outside the workspace and the runner temp folder'],
    ]) {
      const run = await runAction(
        { 'sarif-file': sarif!, 'fail-on': 'never', 'runtime-check': 'false' },
        { GITHUB_WORKSPACE: ws, RUNNER_TEMP: join(dirname(ws), 'temp') },
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`::error::The SARIF file ${sarif} was not written: ${why}.`);
      expect(run.summary).toContain('subscription-token-in-ci'); // the report itself is still complete
    }
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(execFileSync('ls', ['-A', join(dirname(ws), 'elsewhere')]).toString()).toBe('');
  });

  it('writes a new or regular file inside the workspace or RUNNER_TEMP, replacing the old one', async () => {
    const ws = workspace({ 'review.yml': 'subscription.yml' }, { 'out/results.sarif': 'old' });
    const temp = mkdtempSync(join(tmpdir(), 'crg-temp-'));
    const inWorkspace = await runAction(
      { 'sarif-file': 'out/results.sarif', 'fail-on': 'never', 'runtime-check': 'false' },
      { GITHUB_WORKSPACE: ws, RUNNER_TEMP: temp },
    );
    expect(inWorkspace.status).toBe(0);
    expect(JSON.parse(readFileSync(join(ws, 'out', 'results.sarif'), 'utf8'))).toMatchObject({
      version: '2.1.0',
    });
    const inTemp = await runAction(
      { 'sarif-file': join(temp, 'new', 'r.sarif'), 'fail-on': 'never', 'runtime-check': 'false' },
      { GITHUB_WORKSPACE: ws, RUNNER_TEMP: temp },
    );
    expect(inTemp.status).toBe(0);
    expect(inTemp.outputs['sarif-file']).toBe(join(temp, 'new', 'r.sarif'));
    expect(readFileSync(join(temp, 'new', 'r.sarif'), 'utf8')).toContain('subscription-token-in-ci');
  });
});

describe('3. special files and links out of the repository', () => {
  it('settings and a policy linked to /dev/zero or /dev/stdin are refused quickly', async () => {
    for (const device of ['/dev/zero', '/dev/stdin']) {
      const ws = workspace({ 'review.yml': 'subscription.yml' });
      mkdirSync(join(ws, '.claude'));
      symlinkSync(device, join(ws, '.claude', 'settings.json'));
      const withSettings = await runAction(
        { 'fail-on': 'never' },
        { GITHUB_WORKSPACE: ws, NODE_OPTIONS: '--max-old-space-size=256' },
      );
      expect(withSettings.status).toBe(0);
      expect(withSettings.ms).toBeLessThan(10000);
      expect(withSettings.summary).toContain('subscription-token-in-ci');
      symlinkSync(device, join(ws, '.github', 'claude-route-guard.yml'));
      const withPolicy = await runAction({ 'fail-on': 'never' }, { GITHUB_WORKSPACE: ws });
      expect(withPolicy.status).toBe(1);
      expect(withPolicy.ms).toBeLessThan(10000);
      expect(withPolicy.stdout).toContain(
        '::error::.github/claude-route-guard.yml: the policy file is reached through a symbolic link, which is not followed',
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
    expect(run.ms).toBeLessThan(10000);
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

describe('4. nothing in the summary or the comment is live markdown', () => {
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
    expect(summary).toContain(
      '<code>.github/workflows/x&#96;&lt;code&gt;&lt;img src=x&gt;@\u200bocto.yml</code>',
    );
    expect(summary.match(/\*\*subscription-token-in-ci\*\*/g)).toHaveLength(2);
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
