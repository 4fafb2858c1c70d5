import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../src/cli.js';
import { remoteName } from '../src/load.js';
import { MAX_EXPANSIONS } from '../src/claude/invocations.js';
import { globMatches } from '../src/policy/policy.js';
import { addedIgnores } from '../src/policy/added-ignores.js';
import { gitBase } from '../src/policy/base.js';
import { guardChanges, guardMatcher } from '../src/policy/guard-changes.js';
import { COMMENT_MARKER } from '../src/report/comment.js';
import { rankFindings } from '../src/report/github.js';
import { SARIF_GZIP_LIMIT, SARIF_RESULT_LIMIT, sarifLog, sarifOutput } from '../src/report/sarif.js';
import type { Log } from 'sarif';
import { gzipSync } from 'node:zlib';
import type { Report, RouteRow } from '../src/scan.js';
import type { Finding } from '../src/types.js';
import { checkKey } from '../src/runtime/key-check.js';
import { pullRequestEvent, runAction } from './action-run.js';
import { APP_BOT, FakeGitHub } from './github-server.js';
import { FIXTURES } from './helpers.js';
import { forgedCommands, masksOf } from './runner-log.js';

const HOSTILE = join(FIXTURES, 'hostile');
type JsonReport = Report;

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
  }) as number; // without --resolve-remote the CLI answers at once
  return { status, stdout, stderr };
}

describe('1. workflow commands from names', () => {
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

describe('5. the sticky comment is only ever our own', () => {
  const github = new FakeGitHub();
  let apiUrl = '';
  beforeAll(async () => {
    apiUrl = await github.start();
  });
  afterAll(async () => {
    await github.stop();
  });

  function onPullRequest(ws: string, token: string): ReturnType<typeof runAction> {
    return runAction(
      // Workflow commands for the annotations: the requests below are the comment's own.
      {
        comment: 'true',
        'github-token': token,
        'fail-on': 'never',
        'runtime-check': 'false',
        annotations: 'commands',
      },
      {
        GITHUB_WORKSPACE: ws,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: pullRequestEvent(7),
        GITHUB_API_URL: apiUrl,
      },
    );
  }

  it('a marker pasted by the PR author, or quoted by the bot mid-text, is never updated', async () => {
    const pasted = `${COMMENT_MARKER}\nsend the report here`;
    const quoted = `> earlier report:\n${COMMENT_MARKER}`;
    github.comments.push(
      { id: 1, body: pasted, user: { login: 'pr-author', type: 'User' } },
      { id: 2, body: quoted, user: { login: 'github-actions[bot]', type: 'Bot' } },
    );
    const ws = workspace({ 'markup.yml': 'markup.yml' });
    const first = await onPullRequest(ws, 'ghs_runtoken1');
    expect(first.stdout).toContain('The PR comment was created.');
    const second = await onPullRequest(ws, 'ghs_runtoken2');
    expect(second.stdout).toContain('The PR comment was updated.');
    expect(github.comments.map((c) => [c.id, c.user.login])).toEqual([
      [1, 'pr-author'],
      [2, 'github-actions[bot]'],
      [100, 'github-actions[bot]'],
    ]);
    expect(github.comments[0]!.body).toBe(pasted);
    expect(github.comments[1]!.body).toBe(quoted);
    // The comment is as inert as the summary.
    const body = github.comments[2]!.body;
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body.slice(COMMENT_MARKER.length)).not.toMatch(/<img|<!--|\]\(https:\/\/evil|@octo-org/);
    expect(body).toContain('**subscription-token-in-ci**');
  });

  it('with a personal token the login from GET /user decides, not the marker', async () => {
    github.comments.length = 0;
    github.requests.length = 0;
    github.comments.push({
      id: 1,
      body: `${COMMENT_MARKER}\nmine`,
      user: { login: 'pr-author', type: 'User' },
    });
    const ws = workspace({ 'review.yml': 'subscription.yml' });
    await onPullRequest(ws, 'ghp_maintainertoken');
    await onPullRequest(ws, 'ghp_maintainertoken');
    expect(github.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'GET /user',
      'GET /repos/octo/repo/issues/7/comments',
      'POST /repos/octo/repo/issues/7/comments',
      'GET /user',
      'GET /repos/octo/repo/issues/7/comments',
      `PATCH /repos/octo/repo/issues/comments/${github.comments[1]!.id}`,
    ]);
    expect(github.comments[1]!.user.login).toBe('octo-maintainer');
    expect(github.comments[0]!.body).toBe(`${COMMENT_MARKER}\nmine`);
  });
  it("with a GitHub App's installation token, GraphQL's viewer names the app's bot, and only its comment is updated", async () => {
    github.comments.length = 0;
    github.requests.length = 0;
    github.comments.push(
      { id: 1, body: `${COMMENT_MARKER}\nmine`, user: { login: 'pr-author', type: 'User' } },
      { id: 2, body: `${COMMENT_MARKER}\nold`, user: { login: 'github-actions[bot]', type: 'Bot' } },
    );
    const ws = workspace({ 'review.yml': 'subscription.yml' });
    const first = await onPullRequest(ws, 'ghs_apptoken1');
    expect(first.stdout).toContain('The PR comment was created.');
    const second = await onPullRequest(ws, 'ghs_apptoken2');
    expect(second.stdout).toContain('The PR comment was updated.');
    expect(github.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /graphql',
      'GET /repos/octo/repo/issues/7/comments',
      'POST /repos/octo/repo/issues/7/comments',
      'POST /graphql',
      'GET /repos/octo/repo/issues/7/comments',
      'PATCH /repos/octo/repo/issues/comments/' + github.comments[2]!.id,
    ]);
    expect(
      github.comments.map((c) => [
        c.user.login,
        c.body.slice(COMMENT_MARKER.length + 1, 4 + COMMENT_MARKER.length),
      ]),
    ).toEqual([
      ['pr-author', 'min'],
      ['github-actions[bot]', 'old'],
      [APP_BOT.login, '## '],
    ]);
  });

  it('where the identity cannot be learnt, only the one Bot that wrote the marker is taken for ours', async () => {
    github.comments.length = 0;
    github.graphqlForbidden = true;
    try {
      github.comments.push({
        id: 1,
        body: `${COMMENT_MARKER}\nmine`,
        user: { login: 'pr-author', type: 'User' },
      });
      const ws = workspace({ 'review.yml': 'subscription.yml' });
      expect((await onPullRequest(ws, 'ghs_runtoken1')).stdout).toContain('The PR comment was created.');
      expect((await onPullRequest(ws, 'ghs_runtoken2')).stdout).toContain('The PR comment was updated.');
      expect(github.comments.map((c) => c.user.login)).toEqual(['pr-author', 'github-actions[bot]']);
      expect(github.comments[0]!.body).toBe(`${COMMENT_MARKER}\nmine`);
      // Two bots wrote the marker: which one this token is cannot be told, so a new comment is made.
      github.comments.push({ id: 2, body: `${COMMENT_MARKER}\nother`, user: APP_BOT });
      expect((await onPullRequest(ws, 'ghs_runtoken3')).stdout).toContain('The PR comment was created.');
      expect(github.comments).toHaveLength(4);
    } finally {
      github.graphqlForbidden = false;
    }
  });
});

describe('6. verify-key sends the key to one https origin only', () => {
  /** A server on 127.0.0.1 that answers every request with `answer` and records the x-api-key it got. */
  async function serve(
    answer: (res: ServerResponse) => void,
  ): Promise<{ url: string; keys: (string | undefined)[]; close: () => Promise<void> }> {
    const keys: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      keys.push(req.headers['x-api-key'] as string | undefined);
      answer(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      keys,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  const KEY = 'sk-ant-api03-' + 'k'.repeat(40);

  it('a redirect to another origin is not followed, and the key never reaches it', async () => {
    const elsewhere = await serve((res) => res.writeHead(200).end('{}'));
    const redirecting = await serve((res) =>
      res.writeHead(307, { location: `${elsewhere.url}/v1/models?limit=1` }).end(),
    );
    const check = await checkKey(redirecting.url, KEY);
    expect(check).toEqual({
      result: 'unexpected',
      status: 307,
      detail: 'a redirect (HTTP 307), not followed',
    });
    expect(redirecting.keys).toEqual([KEY]);
    expect(elsewhere.keys).toEqual([]);
    await Promise.all([elsewhere.close(), redirecting.close()]);
  });

  it('plain http to another host is refused before any request; a forged organisation header is not kept', async () => {
    expect(await checkKey('http://api.example.invalid', KEY)).toEqual({
      result: 'unexpected',
      detail:
        'not sent: ANTHROPIC_BASE_URL uses http, and the key is only sent over https (or to this machine)',
    });
    const forged = await serve((res) =>
      res.writeHead(200, { 'anthropic-organization-id': '<img src=x>@octo-org/admins' }).end('{}'),
    );
    const check = await checkKey(forged.url, KEY);
    expect(check).toEqual({
      result: 'valid',
      status: 200,
      detail: 'the organisation header is not an organisation id',
    });
    await forged.close();
  });
});

describe('7. small files cannot cost unbounded work', () => {
  /** Scans a fresh workspace in-process; returns the report and how long it took. */
  function timed(files: Record<string, string>, args: string[] = []): { report: JsonReport; ms: number } {
    const ws = workspace({}, files);
    const started = Date.now();
    const run = cli(ws, ['--format', 'json', '--fail-on', 'never', ...args]);
    return { report: JSON.parse(run.stdout) as JsonReport, ms: Date.now() - started };
  }
  const job = (steps: string): string =>
    `on: push\njobs:\n  j:\n    runs-on: x\n    timeout-minutes: 5\n    steps:\n${steps}`;
  const KEYED = '        env:\n          ANTHROPIC_API_KEY: ${{ secrets.K }}\n';

  it('"$( nested 5,000 deep is bounded and the other files keep their findings', () => {
    const deep = 'echo ' + '"$('.repeat(5000) + 'x' + ')"'.repeat(5000);
    const { report, ms } = timed({
      '.github/workflows/deep.yml': job(
        `      - run: |\n          ${deep}\n          claude -p hi\n${KEYED}`,
      ),
      '.github/workflows/plain.yml': job(
        '      - run: claude -p hi\n        env:\n          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n',
      ),
    });
    expect(ms).toBeLessThan(3000);
    expect(report.findings.map((f) => [f.file, f.rule])).toContainEqual([
      '.github/workflows/plain.yml',
      'subscription-token-in-ci',
    ]);
  });

  it('a script, a composite action and a reusable workflow that call themselves are followed once', () => {
    const { report, ms } = timed({
      '.github/workflows/a.yml': job('      - run: bash ./s.sh\n      - uses: ./.github/actions/self\n'),
      's.sh': 'bash ./s.sh\n./s.sh\n'.repeat(30) + 'claude -p hi\n',
      '.github/actions/self/action.yml':
        'runs:\n  using: composite\n  steps:\n' +
        '    - uses: ./.github/actions/self\n'.repeat(30) +
        '    - run: claude -p hi\n      shell: bash\n',
      '.github/workflows/r.yml':
        'on: [push, workflow_call]\njobs:\n' +
        Array.from({ length: 30 }, (_, i) => `  j${i}:\n    uses: ./.github/workflows/r.yml\n`).join(''),
    });
    expect(ms).toBeLessThan(3000);
    // Each self-call is noted where it is written, and followed no further.
    const selfCalls = new Set(
      report.unresolved.filter((u) => u.message.includes('calls itself')).map((u) => u.file),
    );
    expect([...selfCalls].sort()).toEqual([
      '.github/actions/self/action.yml',
      '.github/workflows/r.yml',
      's.sh',
    ]);
  });

  it('a wide fan-out of calls stops at the budget with a finding on that file', () => {
    const layer = (name: string, next: string): string =>
      'runs:\n  using: composite\n  steps:\n' +
      `    - uses: ./.github/actions/${next}\n`.repeat(20) +
      '    - run: claude -p hi\n      shell: bash\n';
    const { report, ms } = timed({
      '.github/workflows/a.yml': job('      - uses: ./.github/actions/l1\n'.repeat(20)),
      '.github/actions/l1/action.yml': layer('l1', 'l2'),
      '.github/actions/l2/action.yml': layer('l2', 'l3'),
      '.github/actions/l3/action.yml': layer('l3', 'l4'),
      '.github/actions/l4/action.yml':
        'runs:\n  using: composite\n  steps:\n    - run: claude -p hi\n      shell: bash\n',
    });
    expect(ms).toBeLessThan(5000);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        rule: 'parse-error',
        message: expect.stringContaining(`more than ${MAX_EXPANSIONS} calls`),
      }),
    );
  });

  it('an anchored env reused by 1,000 steps grows linearly with the steps', () => {
    const env = Array.from({ length: 30 }, (_, i) => `  V${i}: \${{ secrets.S${i} }}\n`).join('');
    const anchored = (steps: number): { report: JsonReport; ms: number } =>
      timed({
        '.github/workflows/a.yml':
          `on: push\nenvdef: &e\n${env}  ANTHROPIC_API_KEY: \${{ secrets.K }}\n` +
          'jobs:\n  j:\n    runs-on: x\n    timeout-minutes: 5\n    steps:\n' +
          Array.from({ length: steps }, (_, i) => `      - run: claude -p ${i}\n        env: *e\n`).join(''),
      });
    // The best of two runs each: a busy machine slows one run, not both.
    const best = (steps: number): { report: JsonReport; ms: number } => {
      const [a, b] = [anchored(steps), anchored(steps)];
      return a.ms <= b.ms ? a : b;
    };
    const small = best(100);
    const large = best(1000);
    expect(small.report.routes).toHaveLength(100);
    expect(large.report.routes).toHaveLength(1000);
    expect(large.report.routes[999]).toMatchObject({ route: 'api-key', line: 2037 });
    // About 1 s on a quiet 2-core machine; a copy of the anchored map resolved per step took 4-6 s.
    expect(large.ms).toBeLessThan(3000);
    // Ten times the steps, at most about fifteen times the time: per-step work over all steps would be 100x.
    expect(large.ms).toBeLessThan(15 * small.ms + 400);
  });

  it('a printf to $GITHUB_ENV that repeats a 20 KB format for 20,000 arguments is read to a budget', () => {
    // 65 KB of YAML that would have printf write 400 MB: the CLI once used 7 GB on it and aborted.
    const format = 'CLAUDE_CODE_OAUTH_TOKEN=${{ secrets.T }}\\n' + 'A=1\\n'.repeat(5000) + '%s';
    const args = Array.from({ length: 20000 }, () => 'b').join(' ');
    const { report, ms } = timed({
      '.github/workflows/a.yml': job(
        `      - run: printf '${format}' ${args} >> "$GITHUB_ENV"\n      - run: claude -p hi\n`,
      ),
    });
    expect(ms).toBeLessThan(3000);
    expect(report.routes).toHaveLength(1);
    expect(report.routes[0]).toMatchObject({ route: 'subscription-oauth-token', line: 8, column: 14 });
    expect(report.routes[0]!.credential).toMatchObject({
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      level: 'github-env',
      source: 'secrets.T',
      line: 7,
    });
  });

  it('past the budget, what the printf format writes is formatted at run time; below it, it is read', () => {
    const step = (count: number): JsonReport =>
      timed({
        '.github/workflows/a.yml': job(
          `      - run: printf 'ANTHROPIC_API_KEY=%s\\n' ${Array(count).fill('k').join(' ')} >> "$GITHUB_ENV"\n` +
            '      - run: claude -p hi\n',
        ),
      }).report;
    // 3,000 lines of 20 characters fit in the budget; 10,000 do not.
    expect(step(3000).routes[0]).toMatchObject({ route: 'api-key', certainty: 'known' });
    expect(step(10000).routes[0]).toMatchObject({
      route: 'unknown',
      certainty: 'unknown',
      outcomes: ['api-key', 'subscription-login'],
      reason:
        'ANTHROPIC_API_KEY is formatted by printf at run time; when it is empty, a stored subscription login is used',
    });
  });

  it('50,000 process substitutions are read in one pass, and the write through the last one counts', () => {
    // Each command was checked against every `>(` before it: 3.9 MB of these took 4.5 minutes.
    const lines = '          echo a > >(cat)\n'.repeat(50000);
    const { report, ms } = timed({
      '.github/workflows/a.yml': job(
        `      - run: |\n${lines}` +
          '          echo "CLAUDE_CODE_OAUTH_TOKEN=${{ secrets.T }}" > >(tee -a "$GITHUB_ENV")\n' +
          '      - run: claude -p hi\n',
      ),
    });
    // About 2.5 s on a quiet 2-core machine.
    expect(ms).toBeLessThan(10000);
    expect(report.routes).toHaveLength(1);
    expect(report.routes[0]).toMatchObject({ route: 'subscription-oauth-token', line: 50009 });
    expect(report.routes[0]!.credential).toMatchObject({ source: 'secrets.T', line: 50008, column: 17 });
  });

  it('60,000 arguments and a 200 KB claude_env line stay fast', () => {
    const args = Array.from({ length: 60000 }, (_, i) => `$a${i}`).join(' ');
    const many = timed({ '.github/workflows/a.yml': job(`      - run: claude -p ${args}\n${KEYED}`) });
    expect(many.report.routes).toHaveLength(1);
    expect(many.ms).toBeLessThan(4000);
    const blanks = timed({
      '.github/workflows/a.yml': job(
        '      - uses: anthropics/claude-code-action@v1\n        with:\n          anthropic_api_key: ${{ secrets.K }}\n          claude_env: |\n' +
          `            A: a${' '.repeat(200000)}b\n`,
      ),
    });
    expect(blanks.report.routes).toHaveLength(1);
    expect(blanks.ms).toBeLessThan(3000);
  });

  it('a policy glob with many double stars is matched in linear passes, with the same answers', () => {
    const name = 'a'.repeat(60);
    const started = Date.now();
    const { report } = timed(
      {
        [`.github/workflows/${name}.yml`]: job(
          '      - run: claude -p hi\n        env:\n          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n',
        ),
        '.github/claude-route-guard.yml': `allow:\n  - workflow: '${'**a'.repeat(12)}**b'\n    routes: [subscription-oauth-token]\n    reason: x\n`,
      },
      [],
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(report.findings.map((f) => f.rule)).toContain('subscription-token-in-ci');
    for (const [glob, text, expected] of [
      ['.github/workflows/*.yml', '.github/workflows/a.yml', true],
      ['.github/workflows/*.yml', '.github/workflows/x/a.yml', false],
      ['**/a.yml', '.github/workflows/x/a.yml', true],
      ['**', 'anything/at/all', true],
      ['.github/workflows/?.yml', '.github/workflows/ab.yml', false],
      ['re*view', 'review', true],
      ['**a**b', 'aaab', true],
      ['**a**b', 'bbba', false],
    ] as const)
      expect([glob, text, globMatches(glob, text)]).toEqual([glob, text, expected]);
  });

  it('SARIF keeps the 5,000 most severe results and says how many it left out', () => {
    const at = { line: 1, column: 1, endLine: 1, endColumn: 2 };
    const findings = Array.from({ length: 6000 }, (_, i) => ({
      rule: i === 5999 ? 'subscription-token-in-ci' : 'unused-ignore',
      severity: i === 5999 ? ('error' as const) : ('notice' as const),
      confidence: 'high' as const,
      file: `f${i}.yml`,
      span: at,
      message: 'm'.repeat(i === 0 ? 100000 : 10),
    }));
    const log = sarifLog({ version: 1, routes: [], findings, skipped: [], unresolved: [], files: 6000 }, '0');
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(SARIF_RESULT_LIMIT);
    expect(run.results![0]!.ruleId).toBe('subscription-token-in-ci');
    expect(run.invocations![0]!.toolExecutionNotifications![0]!.message.text).toMatch(
      /^1000 of 6000 results are left out/,
    );
    expect(JSON.stringify(log).length).toBeLessThan(10_000_000);
  });

  it('SARIF stays under 10 MB gzip-compressed with incompressible names, cutting the least severe first', () => {
    const at = { line: 1, column: 1, endLine: 1, endColumn: 2 };
    // Names the PR chose, random so gzip cannot shrink them: 5,000 results of about 3 KB compressed each.
    const noise = (): string => randomBytes(1500).toString('base64');
    const findings: Finding[] = Array.from({ length: 5000 }, (_, i) => ({
      rule: 'unbounded-spend',
      severity: 'notice' as const,
      confidence: 'high' as const,
      file: `.github/workflows/w${i}.yml`,
      span: at,
      message: noise(),
      related: [{ file: `.github/workflows/w${i}.yml`, span: at, label: noise() }],
    }));
    findings.push(
      {
        rule: 'subscription-token-in-ci',
        severity: 'error',
        confidence: 'high',
        file: 'z.yml',
        span: at,
        message: 'worst',
      },
      {
        rule: 'unbounded-spend',
        severity: 'warning',
        confidence: 'high',
        file: 'y.yml',
        span: at,
        message: 'middle',
      },
    );
    const report = { version: 1 as const, routes: [], findings, skipped: [], unresolved: [], files: 5002 };
    const output = sarifOutput(report, '0');
    expect(gzipSync(output.text).length).toBeLessThanOrEqual(SARIF_GZIP_LIMIT);
    const results = (JSON.parse(output.text) as Log).runs[0]!.results!;
    expect(results.length).toBeGreaterThan(2000);
    expect(results.length).toBeLessThan(5000);
    expect(results.slice(0, 2).map((r) => r.message.text)).toEqual(['worst', 'middle']);
    expect(output.left).toEqual({
      count: 5002 - results.length,
      note: `${5002 - results.length} of 5002 results are left out: GitHub takes at most 10 MB of SARIF, gzip-compressed, and the least severe went first. The job summary and --format json list them all.`,
    });
    // Under the limit nothing is cut and nothing is said.
    expect(sarifOutput({ ...report, findings: findings.slice(-2) }, '0').left).toBeUndefined();
  });
});

describe('10. decoys cannot take the annotations', () => {
  it('ten broken files under .github/actions leave room for the real route finding', async () => {
    const broken: Record<string, string> = {};
    for (let i = 0; i < 10; i++) broken[`.github/actions/a${i}/action.yml`] = 'runs: [\n';
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

describe('9. credential values in every literal channel: found, and never printed', () => {
  it('hardcoded-credential fires on each channel and the text snippets redact by the variable bound', () => {
    const tail = (): string => randomBytes(12).toString('hex');
    const secrets = {
      inline: `sk-ant-oat01-${tail()}`,
      exported: `gwlive${tail()}`,
      githubEnv: `keylive${tail()}`,
      settingsFlag: `gwlive${tail()}`,
      claudeEnv: `gwlive${tail()}`,
      password: `pw${tail()}`,
      settingsFile: `gwlive${tail()}`,
    };
    const ws = workspace(
      {},
      {
        '.github/workflows/lit.yml': [
          'on: push',
          'jobs:',
          '  inline:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 10',
          '    steps:',
          `      - run: CLAUDE_CODE_OAUTH_TOKEN=${secrets.inline} claude -p "a"`,
          '      - run: |',
          `          export ANTHROPIC_AUTH_TOKEN=${secrets.exported}`,
          '          claude -p "b"',
          '      - run: |',
          `          echo "ANTHROPIC_API_KEY=${secrets.githubEnv}" >> "$GITHUB_ENV"`,
          `      - run: claude -p "c" --settings '{"env":{"ANTHROPIC_AUTH_TOKEN":"${secrets.settingsFlag}"}}'`,
          '      - uses: anthropics/claude-code-action@v1',
          '        with:',
          '          anthropic_api_key: ${{ secrets.K }}',
          '          claude_env: |',
          `            ANTHROPIC_AUTH_TOKEN: ${secrets.claudeEnv}`,
          '      - run: claude -p "d"',
          '        env:',
          `          ANTHROPIC_BASE_URL: https://user:${secrets.password}@gateway.example.com`,
          '          ANTHROPIC_AUTH_TOKEN: ${{ secrets.GW }}',
          '',
        ].join('\n'),
        '.claude/settings.json': JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: secrets.settingsFile } }),
      },
    );
    const json = cli(ws, ['--format', 'json', '--fail-on', 'never']);
    const report = JSON.parse(json.stdout) as {
      findings: { rule: string; file: string; line: number; column: number }[];
    };
    const hardcoded = report.findings
      .filter((f) => f.rule === 'hardcoded-credential')
      .map((f) => `${f.file}:${f.line}:${f.column}`);
    expect(hardcoded).toEqual([
      '.claude/settings.json:1:32',
      '.github/workflows/lit.yml:7:38',
      '.github/workflows/lit.yml:9:39',
      '.github/workflows/lit.yml:12:35',
      '.github/workflows/lit.yml:13:71',
      '.github/workflows/lit.yml:18:35',
    ]);
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const out = cli(ws, ['--format', format, '--fail-on', 'never']);
      for (const [name, value] of Object.entries(secrets))
        expect([format, name, (out.stdout + out.stderr).includes(value.slice(-16))]).toEqual([
          format,
          name,
          false,
        ]);
    }
    // The snippets are still printed, with the value replaced.
    const text = cli(ws, ['--fail-on', 'never']).stdout;
    expect(text).toContain('ANTHROPIC_BASE_URL: https://user:<redacted>@gateway.example.com');
    expect(text).toContain('echo "ANTHROPIC_API_KEY=<redacted>" >> "$GITHUB_ENV"');
  });
});

describe('8. a pull request cannot rewrite its own rules unseen', () => {
  const github = new FakeGitHub();
  let apiUrl = '';
  const BASE_SHA = 'b'.repeat(40);
  beforeAll(async () => {
    apiUrl = await github.start();
    github.contents.set(
      `.github/claude-route-guard.yml@${BASE_SHA}`,
      'fail-on: error\nrules:\n  unbounded-spend: warning\n',
    );
  });
  afterAll(async () => {
    await github.stop();
  });
  const HEAD_POLICY = [
    'fail-on: never',
    'rules:',
    '  subscription-token-in-ci: "off"',
    'allow:',
    '  - workflow: "**"',
    '    routes: [subscription-oauth-token]',
    '    reason: "@octo-org/admins approved <img src=x>"',
    '',
  ].join('\n');

  function eventFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'crg-event-'));
    const path = join(dir, 'event.json');
    writeFileSync(
      path,
      JSON.stringify({
        number: 7,
        pull_request: { number: 7, base: { sha: BASE_SHA }, head: { sha: 'c'.repeat(40) } },
      }),
    );
    return path;
  }
  function onEvent(
    ws: string,
    event: string,
    inputs: Record<string, string> = {},
  ): ReturnType<typeof runAction> {
    return runAction(
      // The annotations asserted below are workflow commands.
      { 'github-token': 'ghs_runtoken', 'runtime-check': 'false', annotations: 'commands', ...inputs },
      {
        GITHUB_WORKSPACE: ws,
        GITHUB_EVENT_NAME: event,
        GITHUB_EVENT_PATH: eventFile(),
        GITHUB_API_URL: apiUrl,
      },
    );
  }

  it('on pull_request the changes apply but are listed, in the summary and as notices', async () => {
    const ws = workspace(
      { 'review.yml': 'subscription.yml' },
      { '.github/claude-route-guard.yml': HEAD_POLICY },
    );
    const run = await onEvent(ws, 'pull_request');
    expect(run.status).toBe(0);
    expect(run.summary).toContain('### Exceptions this pull request adds');
    const listed = run.summary.slice(run.summary.indexOf('### Exceptions'));
    expect(listed).toContain('- fail-on changes from error to never (fails on less)');
    expect(listed).toContain('- rule subscription-token-in-ci changes from default to off');
    expect(listed).toContain('- rule unbounded-spend changes from warning to default');
    expect(listed).toContain('@\u200bocto-org/admins approved &lt;img src=x&gt;');
    expect(run.stdout).toContain(
      '::notice title=claude-route-guard%3A policy exception::This pull request changes the policy: fail-on changes from error to never (fails on less).',
    );
    expect(github.requests.map((r) => r.url)).toContain(
      `/repos/octo/repo/contents/.github/claude-route-guard.yml?ref=${BASE_SHA}`,
    );
  });

  it('on pull_request_target the base policy governs, unless trust-pr-policy says otherwise', async () => {
    const ws = workspace(
      { 'review.yml': 'subscription.yml' },
      { '.github/claude-route-guard.yml': HEAD_POLICY },
    );
    const enforced = await onEvent(ws, 'pull_request_target');
    expect(enforced.status).toBe(1);
    expect(enforced.stdout).toContain('::error title=claude-route-guard%3A subscription-token-in-ci');
    expect(enforced.summary).toContain('these changes do not apply until they are merged');
    const trusted = await onEvent(ws, 'pull_request_target', { 'trust-pr-policy': 'true' });
    expect(trusted.status).toBe(0);
  });
});

describe('the repository name comes only from its own .git', () => {
  const CONFIG = '[remote "origin"]\n\turl = https://github.com/octo/victim.git\n';
  const files = {
    '.github/workflows/a.yml':
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: octo/victim/.github/actions/x@v1\n',
    '.github/actions/x/action.yml':
      'runs:\n  using: composite\n  steps:\n    - run: claude -p hi\n      shell: bash\n      env:\n        CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n',
  };
  /** Whether the workflow's call was followed into the local copy (a row for the workflow's run). */
  const readLocally = (ws: string): boolean =>
    (
      JSON.parse(cli(ws, ['--format', 'json', '--fail-on', 'never']).stdout) as {
        routes: { file: string }[];
      }
    ).routes.some((r) => r.file === '.github/workflows/a.yml');

  it('a .git folder of its own names the repository, so its own remote-form references are read locally', () => {
    const ws = workspace({}, { ...files, '.git/config': CONFIG });
    expect(remoteName(ws)).toBe('octo/victim');
    expect(readLocally(ws)).toBe(true);
    const inside = workspace(
      {},
      { ...files, 'modules/main/config': CONFIG, '.git': 'gitdir: modules/main\n' },
    );
    expect(remoteName(inside)).toBe('octo/victim');
  });

  it('a committed link named .git, or a gitdir: file pointing out of the repository, names nothing', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'crg-git-'));
    writeFileSync(join(elsewhere, 'config'), CONFIG);
    const linked = workspace({}, files);
    symlinkSync(elsewhere, join(linked, '.git'));
    expect(remoteName(linked)).toBeUndefined();
    expect(readLocally(linked)).toBe(false);
    const pointed = workspace({}, { ...files, '.git': `gitdir: ${elsewhere}\n` });
    expect(remoteName(pointed)).toBeUndefined();
    expect(readLocally(pointed)).toBe(false);
    const climbing = workspace({}, { ...files, '.git': 'gitdir: ../../..\n' });
    expect(remoteName(climbing)).toBeUndefined();
  });
});

describe('a `.github` inside .github/workflows does not move the repository root', () => {
  // The workflow calls the repository's own action, whose run bills a stored login.
  const REPO = {
    '.github/workflows/ci.yml':
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./tools/helper\n',
    'tools/helper/action.yml':
      'name: helper\nruns:\n  using: composite\n  steps:\n    - run: claude -p "summarise"\n      shell: bash\n',
    // A decoy with the same path from .github/workflows: GitHub never reads it for `./tools/helper`.
    '.github/workflows/tools/helper/action.yml':
      'name: helper\nruns:\n  using: composite\n  steps:\n    - run: echo fine\n      shell: bash\n',
  };
  // A policy the pull request hides below .github/workflows, allowing everything.
  const NESTED_POLICY = {
    '.github/workflows/.github/claude-route-guard.yml':
      'allow:\n  - workflow: "**"\n    routes: [subscription-login]\n    reason: fine\nfail-on: never\n',
  };
  const runsOf = (ws: string, args: string[] = []): { status: number; runs: string[] } => {
    const run = cli(ws, ['--format', 'json', ...args]);
    const routes = (JSON.parse(run.stdout) as { routes: RouteRow[] }).routes;
    return {
      status: run.status,
      runs: routes.map((r) => `${r.file}:${r.line}:${r.column} ${r.route} ${r.verdict} via ${r.via?.file}`),
    };
  };
  const BILLED =
    '.github/workflows/ci.yml:6:15 subscription-login error: headless-without-api-route via tools/helper/action.yml';

  it('in the CLI: an empty file, a folder holding a policy, or a link named .github there is not a root', () => {
    const file = workspace({}, { ...REPO, '.github/workflows/.github': '' });
    expect(runsOf(file)).toEqual({ status: 1, runs: [BILLED] });
    const folder = workspace({}, { ...REPO, ...NESTED_POLICY });
    expect(runsOf(folder)).toEqual({ status: 1, runs: [BILLED] });
    const linked = workspace({}, REPO);
    mkdirSync(join(linked, 'elsewhere', '.github'), { recursive: true });
    symlinkSync(join(linked, 'elsewhere'), join(linked, '.github', 'workflows', 'tools', '.github'));
    expect(runsOf(linked)).toEqual({ status: 1, runs: [BILLED] });
    // Nor a `.github` inside .github itself.
    const doubled = workspace(
      {},
      {
        ...REPO,
        '.github/.github/claude-route-guard.yml':
          NESTED_POLICY['.github/workflows/.github/claude-route-guard.yml'],
      },
    );
    expect(runsOf(doubled)).toEqual({ status: 1, runs: [BILLED] });
  });

  it('in the action: every file under the workspace is the workspace repository’s', async () => {
    const ws = workspace({}, { ...REPO, ...NESTED_POLICY });
    const run = await runAction({ 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error title=claude-route-guard%3A headless-without-api-route,file=.github/workflows/ci.yml,line=6,endLine=6,col=15,',
    );
    // The organisation's own `.github` repository is checked out at .../.github/.github: still one root.
    const org = join(mkdtempSync(join(tmpdir(), 'crg-org-')), '.github', '.github');
    for (const [path, text] of Object.entries(REPO)) {
      mkdirSync(dirname(join(org, path)), { recursive: true });
      writeFileSync(join(org, path), text);
    }
    const orgRun = await runAction({ 'runtime-check': 'false' }, { GITHUB_WORKSPACE: org });
    expect(orgRun.status).toBe(1);
    expect(orgRun.stdout).toContain(
      '::error title=claude-route-guard%3A headless-without-api-route,file=.github/workflows/ci.yml,line=6,endLine=6,col=15,',
    );
  });

  it('scanning a folder that holds several repositories gives each its own root and policy', () => {
    const parent = mkdtempSync(join(tmpdir(), 'crg-repos-'));
    const tree = (root: string, files: Record<string, string>): void => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(parent, root, path)), { recursive: true });
        writeFileSync(join(parent, root, path), text);
      }
    };
    tree('alpha', {
      ...REPO,
      '.github/claude-route-guard.yml':
        'allow:\n  - workflow: .github/workflows/ci.yml\n    job: build\n    routes: [subscription-login]\n    reason: the runner is logged in on purpose\n',
    });
    tree('beta', { ...REPO, ...NESTED_POLICY });
    expect(
      runsOf(parent, ['alpha/.github/workflows', 'beta/.github/workflows', '--fail-on', 'never']).runs,
    ).toEqual([
      'alpha/.github/workflows/ci.yml:6:15 subscription-login intended: the runner is logged in on purpose via alpha/tools/helper/action.yml',
      'beta/.github/workflows/ci.yml:6:15 subscription-login error: headless-without-api-route via beta/tools/helper/action.yml',
    ]);
  });
});

describe('8. what a pull request adds against its base: inline ignores and the guard’s own workflow', () => {
  const REVIEW = (extra: string, ignore: string): string =>
    [
      ...(extra ? [extra] : []),
      'on: pull_request',
      'jobs:',
      '  review:',
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 10',
      '    steps:',
      '      - run: claude -p "review this"',
      '        env:',
      ...(ignore ? [`          ${ignore}`] : []),
      '          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}',
      '  nightly:',
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 10',
      '    steps:',
      '      - run: claude -p "nightly"',
      '        env:',
      '          # claude-route-guard: ignore[subscription-token-in-ci] the owner’s plan, approved in the base',
      '          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.OWNER_TOKEN }}',
      '',
    ].join('\n');
  const GUARD_BASE = [
    'on: pull_request',
    'jobs:',
    '  guard:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: claude-route-guard/claude-route-guard@v1',
    '        with:',
    '          fail-on: error',
    '',
  ].join('\n');
  const GUARD_HEAD = [
    'on: pull_request',
    'jobs:',
    '  guard:',
    '    runs-on: ubuntu-latest',
    "    if: github.actor != 'me'",
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: claude-route-guard/claude-route-guard@v1',
    '        continue-on-error: true',
    '        with:',
    '          fail-on: never',
    '',
  ].join('\n');
  const HOSTILE_IGNORE =
    '# claude-route-guard: ignore[subscription-token-in-ci] <img src=x> @octo-org/admins said fine';

  /** A repository made now: the base commit, then the pull request's commit on top. */
  function repository(): { root: string; base: string; head: string } {
    const root = join(mkdtempSync(join(tmpdir(), 'crg-git-')), 'ws');
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
        cwd: root,
      })
        .toString()
        .trim();
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    mkdirSync(root, { recursive: true });
    git('init', '-q');
    write('.github/workflows/review.yml', REVIEW('', ''));
    write('.github/workflows/guard.yml', GUARD_BASE);
    git('add', '-A');
    git('commit', '-qm', 'base');
    const base = git('rev-parse', 'HEAD');
    write('.github/workflows/review.yml', REVIEW('# reviewed', HOSTILE_IGNORE));
    write('.github/workflows/guard.yml', GUARD_HEAD);
    git('add', '-A');
    git('commit', '-qm', 'pull request');
    return { root, base, head: git('rev-parse', 'HEAD') };
  }

  function event(base: string, head: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'crg-event-'));
    writeFileSync(
      join(dir, 'event.json'),
      JSON.stringify({
        number: 7,
        pull_request: { number: 7, base: { sha: base }, head: { sha: head, ref: 'feature' } },
      }),
    );
    return join(dir, 'event.json');
  }

  function onEvent(
    ws: string,
    ids: { base: string; head: string },
    name: string,
    inputs: Record<string, string> = {},
    env: Record<string, string> = {},
  ): ReturnType<typeof runAction> {
    return runAction(
      { 'runtime-check': 'false', 'github-token': '', ...inputs },
      {
        GITHUB_WORKSPACE: ws,
        GITHUB_EVENT_NAME: name,
        GITHUB_EVENT_PATH: event(ids.base, ids.head),
        GITHUB_WORKFLOW_REF: 'octo/repo/.github/workflows/guard.yml@refs/pull/7/merge',
        ...env,
      },
    );
  }

  // Backticks from the PR's own values are escaped in the summary, so nothing can close a code span.
  const LISTED = [
    '.github/workflows/review.yml:10:11</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/review.yml#L10): adds an inline ignore of subscription-token-in-ci ("&lt;img src=x&gt; @\u200bocto-org/admins said fine"), which the base does not have',
    ".github/workflows/guard.yml:3:3</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/guard.yml#L3): changes the workflow that runs the guard: job `guard`: if `github.actor != 'me'` is added",
    '.github/workflows/guard.yml:8:9</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/guard.yml#L8): changes the workflow that runs the guard: the guard step in job `guard`: input fail-on changes from `error` to `never`',
    '.github/workflows/guard.yml:8:9</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/guard.yml#L8): changes the workflow that runs the guard: the guard step in job `guard`: continue-on-error `true` is added',
  ].map((line) => line.replace(/`/g, '&#96;'));

  it('through git when the base commit is in the checkout: listed in the summary and as notices at their places', async () => {
    const repo = repository();
    const run = await onEvent(repo.root, repo, 'pull_request');
    expect(run.status).toBe(0);
    const section = run.summary.slice(run.summary.indexOf('### Exceptions this pull request adds'));
    for (const line of LISTED) expect(section).toContain(line);
    // The ignore the base already had, moved down a line, is not new; the PR's own ignore applies here.
    expect(section).not.toContain('approved in the base');
    expect(section).not.toContain('not compared');
    expect(run.summary).not.toContain('**subscription-token-in-ci**');
    expect(run.stdout).toContain(
      '::notice title=claude-route-guard%3A policy exception,file=.github/workflows/review.yml,line=10,col=11::This pull request adds an inline ignore of subscription-token-in-ci ("<img src=x> @octo-org/admins said fine"), which the base does not have.',
    );
    expect(run.stdout).toContain(
      "::notice title=claude-route-guard%3A policy exception,file=.github/workflows/guard.yml,line=3,col=3::This pull request changes the workflow that runs the guard: job `guard`: if `github.actor != 'me'` is added.",
    );
    expect(forgedCommands(run.stdout)).toEqual([]);
  });

  it('an API that never answers is asked once, not once per file, and the summary says what was not compared', async () => {
    const repo = repository();
    execFileSync('rm', ['-rf', join(repo.root, '.git')]);
    for (let i = 0; i < 5; i++)
      writeFileSync(join(repo.root, '.github', 'workflows', `copy${i}.yml`), REVIEW('', HOSTILE_IGNORE));
    const github = new FakeGitHub();
    github.mode = 'hang';
    const apiUrl = await github.start();
    try {
      const run = await onEvent(
        repo.root,
        repo,
        'pull_request',
        { 'github-token': 'ghs_runtoken', 'api-timeout': '1', 'resolve-remote': 'false' },
        { GITHUB_API_URL: apiUrl },
      );
      expect(github.requests.filter((r) => r.url.includes('/contents/'))).toHaveLength(1);
      expect(run.summary).toContain(
        '- not compared: The base commit could not be read (the GitHub API did not answer within 1 s)',
      );
      expect(run.ms).toBeLessThan(15000);
    } finally {
      await github.stop();
    }
  });

  it('sixty new ignores take at most five notices, so the findings keep their annotations', async () => {
    const repo = repository();
    const steps = Array.from(
      { length: 60 },
      (_, i) => `      - run: claude -p ${i} # claude-route-guard: ignore[unbounded-spend] decoy ${i}\n`,
    ).join('');
    writeFileSync(
      join(repo.root, '.github', 'workflows', 'many.yml'),
      `on: push\njobs:\n  many:\n    runs-on: x\n    env:\n      ANTHROPIC_API_KEY: \${{ secrets.K }}\n    steps:\n${steps}`,
    );
    const run = await onEvent(repo.root, repo, 'pull_request_target');
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(
      lines.filter((l) => l.startsWith('::notice title=claude-route-guard%3A policy exception')),
    ).toHaveLength(5);
    expect(run.stdout).toContain(
      '::notice title=claude-route-guard%3A policy exception::60 more exception(s) this pull request adds are listed in the job summary.',
    );
    expect(lines.filter((l) => l.startsWith('::error '))[0]).toContain(
      'subscription-token-in-ci,file=.github/workflows/review.yml,line=11,',
    );
    // All of them are in the summary, and none applies where the base governs.
    expect(run.summary.match(/adds an inline ignore of unbounded-spend/g)).toHaveLength(60);
    expect(forgedCommands(run.stdout)).toEqual([]);
  });

  it('the sticky comment carries the same list, as inert text', async () => {
    const repo = repository();
    const github = new FakeGitHub();
    const apiUrl = await github.start();
    try {
      const run = await onEvent(
        repo.root,
        repo,
        'pull_request',
        { comment: 'true', 'github-token': 'ghs_runtoken' },
        { GITHUB_API_URL: apiUrl },
      );
      expect(run.stdout).toContain('The PR comment was created.');
      const body = github.comments[0]!.body;
      const section = body.slice(body.indexOf('### Exceptions this pull request adds'));
      for (const line of LISTED) expect(section).toContain(line);
      expect(body).not.toMatch(/<img|@octo-org/);
    } finally {
      await github.stop();
    }
  });

  it('where the base governs, the ignores the pull request adds do not apply (unless trust-pr-policy)', async () => {
    const repo = repository();
    const enforced = await onEvent(repo.root, repo, 'pull_request_target');
    expect(enforced.status).toBe(1);
    expect(enforced.stdout).toContain(
      '::error title=claude-route-guard%3A subscription-token-in-ci,file=.github/workflows/review.yml,line=11,',
    );
    expect(enforced.summary).toContain('these changes do not apply until they are merged');
    expect(enforced.stdout).toContain('; not applied, since the base policy governs this run.');
    // The base's own ignore still holds: only the one job is reported.
    expect(enforced.summary.match(/\*\*subscription-token-in-ci\*\*/g)).toHaveLength(1);
    // A required workflow pinned to the base branch is the base's too.
    const required = await onEvent(
      repo.root,
      repo,
      'pull_request',
      {},
      {
        GITHUB_WORKFLOW_REF: 'octo/repo/.github/workflows/guard.yml@refs/heads/main',
      },
    );
    expect(required.status).toBe(1);
    const trusted = await onEvent(repo.root, repo, 'pull_request_target', { 'trust-pr-policy': 'true' });
    expect(trusted.status).toBe(0);
  });

  // A run that bills a subscription on a self-hosted runner, hidden by an ignore the pull request adds.
  const NIGHTLY = [
    'on: push',
    'jobs:',
    '  nightly:',
    '    runs-on: self-hosted',
    '    steps:',
    '      # claude-route-guard: ignore[headless-without-api-route] fine',
    '      - run: claude -p "summarise" --max-turns 3',
    '',
  ].join('\n');
  const errorsOf = (stdout: string): string[] =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('::error '))
      .map((l) =>
        /^::error title=claude-route-guard%3A ([\w-]+),file=([^,]+),line=(\d+),endLine=\d+,col=(\d+)/.exec(
          l,
        )!,
      )
      .map((m) => `${m[1]} ${m[2]}:${m[3]}:${m[4]}`);
  const notCompared = (stdout: string): string[] =>
    stdout
      .split('\n')
      .filter((l) => l.includes('::Not compared with the base: '))
      .map((l) => l.slice(l.indexOf('::Not compared') + 2));

  it('where the base governs, an ignore in a file past the first 50 compared does not apply, and a notice says why', async () => {
    const repo = repository();
    const workflows = join(repo.root, '.github', 'workflows');
    // Fifty decoys, each with a harmless ignore, ahead of the file that hides a run.
    for (let i = 0; i < 50; i++)
      writeFileSync(
        join(workflows, `decoy-${String(i).padStart(2, '0')}.yml`),
        'on: push\njobs:\n  tidy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo tidy # claude-route-guard: ignore[unbounded-spend] nothing to spend\n',
      );
    writeFileSync(join(workflows, 'zz-nightly.yml'), NIGHTLY);
    const enforced = await onEvent(repo.root, repo, 'pull_request_target');
    expect(enforced.status).toBe(1);
    // review.yml is past the cap too, so even the ignore its base had is not known to be the base's.
    expect(errorsOf(enforced.stdout).sort()).toEqual([
      'headless-without-api-route .github/workflows/zz-nightly.yml:7:14',
      'subscription-token-in-ci .github/workflows/review.yml:11:36',
      'subscription-token-in-ci .github/workflows/review.yml:19:36',
    ]);
    const why =
      '2 more file(s) with inline ignores were not compared with the base (at most 50 are), from .github/workflows/review.yml on; they do not apply, since the base policy governs this run';
    // First among the capped notices, so fifty added ignores cannot push it out of sight.
    expect(enforced.stdout).toContain(
      `::notice title=claude-route-guard%3A policy exception::Not compared with the base: ${why}.`,
    );
    expect(enforced.summary).toContain(`- not compared: ${why}`);
    // Where the pull request's own workflow runs the guard, its ignores apply and the gap is only listed.
    const listed = await onEvent(repo.root, repo, 'pull_request');
    expect(listed.status).toBe(0);
    expect(errorsOf(listed.stdout)).toEqual([]);
    expect(notCompared(listed.stdout)).toEqual([
      'Not compared with the base: 2 more file(s) with inline ignores were not compared with the base (at most 50 are), from .github/workflows/review.yml on.',
    ]);
    const trusted = await onEvent(repo.root, repo, 'pull_request_target', { 'trust-pr-policy': 'true' });
    expect(trusted.status).toBe(0);
  });

  it('where the base governs, an ignore in a file the base cannot hold, or with no base read at all, does not apply', async () => {
    const repo = repository();
    const odd = '.github/workflows/..\\..\\..\\nightly.yml';
    writeFileSync(join(repo.root, odd), NIGHTLY);
    const enforced = await onEvent(repo.root, repo, 'pull_request_target');
    expect(enforced.status).toBe(1);
    expect(errorsOf(enforced.stdout).sort()).toEqual([
      `headless-without-api-route ${odd}:7:14`,
      'subscription-token-in-ci .github/workflows/review.yml:11:36',
    ]);
    expect(notCompared(enforced.stdout)).toEqual([
      `Not compared with the base: the inline ignores in ${odd} were not compared with the base: the path is not inside the repository; they do not apply, since the base policy governs this run.`,
    ]);
    // No base at all (a shallow checkout, no token): no ignore is known to be the base's, so none applies.
    execFileSync('rm', ['-rf', join(repo.root, '.git')]);
    const unread = await onEvent(repo.root, repo, 'pull_request_target');
    expect(unread.status).toBe(1);
    expect(errorsOf(unread.stdout).sort()).toEqual([
      `headless-without-api-route ${odd}:7:14`,
      'subscription-token-in-ci .github/workflows/review.yml:11:36',
      'subscription-token-in-ci .github/workflows/review.yml:19:36',
    ]);
    expect(unread.stdout).toContain(
      '::warning::The base commit could not be read (the base commit is not in the checkout and the github-token input is empty), so the default policy applies, no inline ignore does, and what this pull request changes in the policy, its inline ignores and the workflow that runs the guard is not listed.',
    );
    const trusted = await onEvent(repo.root, repo, 'pull_request_target', { 'trust-pr-policy': 'true' });
    expect(trusted.status).toBe(0);
  });

  it('through the contents API when the checkout is shallow, and said plainly when neither can read the base', async () => {
    const repo = repository();
    // A shallow checkout: the pull request's files, no base commit.
    execFileSync('rm', ['-rf', join(repo.root, '.git')]);
    const github = new FakeGitHub();
    const apiUrl = await github.start();
    try {
      github.contents.set(`.github/workflows/review.yml@${repo.base}`, REVIEW('', ''));
      github.contents.set(`.github/workflows/guard.yml@${repo.base}`, GUARD_BASE);
      const run = await onEvent(
        repo.root,
        repo,
        'pull_request',
        { 'github-token': 'ghs_runtoken' },
        {
          GITHUB_API_URL: apiUrl,
        },
      );
      const section = run.summary.slice(run.summary.indexOf('### Exceptions this pull request adds'));
      for (const line of LISTED) expect(section).toContain(line);
      expect(
        github.requests
          .map((r) => r.url)
          .filter((u) => u.includes('/contents/'))
          .sort(),
      ).toEqual([
        `/repos/octo/repo/contents/.github/claude-route-guard.yml?ref=${repo.base}`,
        `/repos/octo/repo/contents/.github/workflows/guard.yml?ref=${repo.base}`,
        `/repos/octo/repo/contents/.github/workflows/review.yml?ref=${repo.base}`,
      ]);
    } finally {
      await github.stop();
    }
    const unread = await onEvent(repo.root, repo, 'pull_request');
    expect(unread.stdout).toContain(
      '::warning::The base commit could not be read (the base commit is not in the checkout and the github-token input is empty), so what this pull request changes in the policy, its inline ignores and the workflow that runs the guard is not listed.',
    );
    expect(unread.summary).toContain('### Exceptions this pull request adds');
    expect(unread.summary).toContain('- not compared: The base commit could not be read');
  });
});

describe('8. the guard’s own workflow and the base commit, piece by piece', () => {
  const isGuard = guardMatcher(undefined);
  const GUARD = [
    'on: pull_request',
    'jobs:',
    '  guard:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: Claude-Route-Guard/claude-route-guard@v1',
    '        if: always()',
    '',
  ].join('\n');

  it('a removed guard step, a removed job and a swapped action are each a change; other edits are not', () => {
    const noStep = GUARD.replace(/ {6}- uses: Claude[^\n]*\n[^\n]*\n/, '      - run: echo\n');
    expect(guardChanges(GUARD, noStep, isGuard)).toEqual([
      {
        message: 'the guard step `Claude-Route-Guard/claude-route-guard@v1` in job `guard` is removed',
        span: { line: 3, column: 3, endLine: 3, endColumn: 8 },
      },
    ]);
    expect(guardChanges(GUARD, GUARD.replace('  guard:', '  other:'), isGuard)).toEqual([
      expect.objectContaining({
        message: 'the job `guard` that ran the guard is removed',
      }),
    ]);
    expect(
      guardChanges(
        GUARD,
        GUARD.replace('Claude-Route-Guard/claude-route-guard@v1', 'someone/claude-route-guard@fork'),
        isGuard,
      ).map((c) => c.message),
    ).toEqual([
      'the guard step in job `guard` now uses `someone/claude-route-guard@fork` instead of `Claude-Route-Guard/claude-route-guard@v1`',
    ]);
    expect(
      guardChanges(GUARD, `${GUARD}  other:\n    runs-on: x\n    steps:\n      - run: echo\n`, isGuard),
    ).toEqual([]);
    // A workflow the base does not have relaxes nothing the base had.
    expect(guardChanges(null, GUARD, isGuard)).toEqual([]);
    expect(guardMatcher('octo/route-check')('octo/route-check@v2')).toBe(true);
    expect(isGuard('actions/checkout@v4')).toBe(false);
  });

  it('an ignore the base has is matched by what it covers, not by its line; a copy of it is new', () => {
    const base = 'a: 1 # claude-route-guard: ignore[unused-credential] kept\nb: 2\n';
    expect(addedIgnores('f.yml', `x: 0\n${base}`, base)).toEqual([]);
    const copied = addedIgnores(
      'f.yml',
      `${base}c: 3 # claude-route-guard: ignore[unused-credential] kept\n`,
      base,
    );
    expect(copied.map((i) => [i.line, i.span.column])).toEqual([[3, 6]]);
    expect(addedIgnores('f.yml', base, null).map((i) => i.line)).toEqual([1]);
  });

  it('git reads the base commit from the object store: no path out of the repository, no link followed', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'crg-git-')), 'ws');
    mkdirSync(root);
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: root })
        .toString()
        .trim();
    git('init', '-q');
    writeFileSync(join(root, 'policy.yml'), 'fail-on: error\n');
    symlinkSync('/etc/hostname', join(root, 'linked.yml'));
    git('add', '-A');
    git('commit', '-qm', 'base');
    const reader = await gitBase(join(root, '.git'), git('rev-parse', 'HEAD'));
    expect(reader).toBeDefined();
    expect(await reader!.read('policy.yml')).toEqual({ text: 'fail-on: error\n' });
    expect(await reader!.read('missing.yml')).toEqual({ text: null });
    expect(await reader!.read('linked.yml')).toEqual({
      problem: 'the base has a link or a folder there, not a file',
    });
    for (const outside of ['../ws/policy.yml', '/etc/hostname', '--output=/tmp/x', '.git/config'])
      expect(await reader!.read(outside)).toEqual({ problem: 'the path is not inside the repository' });
    // A commit the checkout does not have: no reader, so the contents API is asked instead.
    expect(await gitBase(join(root, '.git'), 'f'.repeat(40))).toBeUndefined();
  });
});

describe('9. the hardcoded-credential docs page, channel by channel', () => {
  it('its .claude/settings.json example is a finding at the value, next to the workflow channels', () => {
    const page = readFileSync(join(FIXTURES, '..', '..', 'docs', 'rules', 'hardcoded-credential.md'), 'utf8');
    const workflow = /## Bad\n\n[^`]*\n\n```yaml\n([\s\S]*?)```/.exec(page)![1]!;
    const settings = /```json\n([\s\S]*?)```/.exec(page)![1]!;
    const ws = workspace(
      {},
      { '.github/workflows/example.yml': workflow, '.claude/settings.json': settings },
    );
    const report = JSON.parse(cli(ws, ['--format', 'json', '--fail-on', 'never']).stdout) as {
      findings: { rule: string; file: string; line: number; column: number }[];
    };
    expect(
      report.findings
        .filter((f) => f.rule === 'hardcoded-credential')
        .map((f) => `${f.file}:${f.line}:${f.column}`),
    ).toEqual([
      '.claude/settings.json:1:36',
      '.github/workflows/example.yml:8:30',
      '.github/workflows/example.yml:10:38',
      '.github/workflows/example.yml:13:39',
      '.github/workflows/example.yml:16:38',
      '.github/workflows/example.yml:18:76',
      '.github/workflows/example.yml:24:35',
    ]);
  });
});
