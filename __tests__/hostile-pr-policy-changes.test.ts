/**
 * A pull request cannot rewrite its own rules unseen: policy changes, inline ignores it adds and edits to the
 * workflow that runs the guard are listed, and do not apply where the base governs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { addedIgnores } from '../src/policy/added-ignores.js';
import { gitBase, pullRequestOf } from '../src/policy/base.js';
import { trustOf } from '../src/policy/trust.js';
import { guardChanges, guardMatcher } from '../src/policy/guard-changes.js';
import { runAction } from './action-run.js';
import { FakeGitHub } from './github-server.js';
import { forgedCommands } from './runner-log.js';
import { workspace } from './hostile-pr.js';

describe('a pull request cannot rewrite its own rules unseen', () => {
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
    env: Record<string, string> = {},
  ): ReturnType<typeof runAction> {
    return runAction(
      // The annotations asserted below are workflow commands.
      { 'github-token': 'ghs_runtoken', 'runtime-check': 'false', annotations: 'commands', ...inputs },
      {
        GITHUB_WORKSPACE: ws,
        GITHUB_EVENT_NAME: event,
        GITHUB_EVENT_PATH: eventFile(),
        GITHUB_API_URL: apiUrl,
        ...env,
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

  it('on a comment on a pull request the base policy governs, read at the commit the workflow runs at', async () => {
    const ws = workspace(
      { 'review.yml': 'subscription.yml' },
      { '.github/claude-route-guard.yml': HEAD_POLICY },
    );
    const comment = join(mkdtempSync(join(tmpdir(), 'crg-event-')), 'event.json');
    writeFileSync(comment, JSON.stringify({ action: 'created', issue: { number: 7, pull_request: {} } }));
    github.requests.length = 0;
    const run = await onEvent(ws, 'issue_comment', {}, { GITHUB_EVENT_PATH: comment, GITHUB_SHA: BASE_SHA });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error title=claude-route-guard%3A subscription-token-in-ci');
    expect(run.stdout).toContain(
      '::notice title=claude-route-guard%3A policy exception::This pull request changes the policy: fail-on changes from error to never (fails on less); not applied, since the base policy governs this run.',
    );
    expect(github.requests.map((r) => r.url)).toContain(
      `/repos/octo/repo/contents/.github/claude-route-guard.yml?ref=${BASE_SHA}`,
    );
  });

  it('where the base governs, a policy file the pull request breaks is listed, and neither stops nor relaxes the run', async () => {
    const ws = workspace(
      { 'review.yml': 'subscription.yml' },
      { '.github/claude-route-guard.yml': 'fail-on: [never\nrules: {' },
    );
    const run = await onEvent(ws, 'pull_request_target');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error title=claude-route-guard%3A subscription-token-in-ci');
    expect(run.stdout).not.toContain('title=claude-route-guard%3A policy::');
    expect(run.stdout).toMatch(
      /::notice title=claude-route-guard%3A policy exception::This pull request changes the policy: the policy file cannot be read: .+; not applied, since the base policy governs this run\./,
    );
    // Where the pull request's own workflow runs the guard, its broken policy is its own error.
    const own = await onEvent(ws, 'pull_request');
    expect(own.stdout).toContain('title=claude-route-guard%3A policy');
    expect(own.status).toBe(1);
  });
});

describe('what a pull request adds against its base: inline ignores and the guard’s own workflow', () => {
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

  // The names our sentences quote are inert code spans; a backtick in the PR's own value can only move
  // where one starts or ends.
  const LISTED = [
    '.github/workflows/review.yml:10:11</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/review.yml#L10): adds an inline ignore of subscription-token-in-ci ("&lt;img src=x&gt; @\u200bocto-org/admins said fine"), which the base does not have',
    ".github/workflows/guard.yml:3:3</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/guard.yml#L3): changes the workflow that runs the guard: job `guard`: if `github.actor != 'me'` is added",
    '.github/workflows/guard.yml:8:9</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/guard.yml#L8): changes the workflow that runs the guard: the guard step in job `guard`: input fail-on changes from `error` to `never`',
    '.github/workflows/guard.yml:8:9</code>](https://github.com/octo/repo/blob/abc123/.github/workflows/guard.yml#L8): changes the workflow that runs the guard: the guard step in job `guard`: continue-on-error `true` is added',
  ].map((line) => line.replace(/`([^`]+)`/g, '<code>$1</code>'));

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

describe('the guard’s own workflow and the base commit, piece by piece', () => {
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

  it('an approved ignore moved into a new job is a new exception, as is one moved to another job', () => {
    const job = (id: string, ignore: boolean): string =>
      `  ${id}:\n    runs-on: x\n    steps:\n      - run: claude -p hi\n        env:\n` +
      (ignore ? '          # claude-route-guard: ignore[subscription-token-in-ci] approved\n' : '') +
      '          CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n';
    const base = `on: push\njobs:\n${job('nightly', true)}`;
    // The same job, moved down the file by a new job above it: the base's own ignore.
    expect(
      addedIgnores('w.yml', `on: push\njobs:\n${job('other', false)}${job('nightly', true)}`, base),
    ).toEqual([]);
    // The same lines in a new job: new, though the text it covers is the same.
    const moved = addedIgnores(
      'w.yml',
      `on: push\njobs:\n${job('nightly', false)}${job('review', true)}`,
      base,
    );
    expect(moved.map((i) => [i.line, i.rules])).toEqual([[14, ['subscription-token-in-ci']]]);
    const copied = addedIgnores(
      'w.yml',
      `on: push\njobs:\n${job('nightly', true)}${job('review', true)}`,
      base,
    );
    expect(copied.map((i) => i.line)).toEqual([15]);
  });

  it('a step the pull request adds before the guard in its job is listed; one after it, or in another job, is not', () => {
    const withSteps = (before: string[], after: string[] = []): string =>
      [
        'on: pull_request',
        'jobs:',
        '  guard:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        ...before,
        '      - uses: Claude-Route-Guard/claude-route-guard@v1',
        ...after,
        '',
      ].join('\n');
    const base = withSteps([]);
    expect(guardChanges(base, withSteps([], ['      - run: rm -rf .github']), isGuard)).toEqual([]);
    expect(guardChanges(base, withSteps(['      - run: rm -rf .github/workflows']), isGuard)).toEqual([
      {
        message: 'a step before the guard in job `guard` is added: `run: rm -rf .github/workflows`',
        span: { line: 7, column: 9, endLine: 8, endColumn: 1 },
      },
    ]);
    // A second checkout (of another ref, say) is new even though one like it was there.
    expect(
      guardChanges(
        base,
        withSteps(['      - uses: actions/checkout@v4', '        with: { ref: main }']),
        isGuard,
      ).map((c) => c.message),
    ).toEqual(['a step before the guard in job `guard` is added: `uses: actions/checkout@v4`']);
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

describe('whose workflow runs the guard, from the event as GitHub sends it', () => {
  const BASE = 'b'.repeat(40);
  const HEAD = 'c'.repeat(40);
  const payload = (event: object): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'crg-event-')), 'event.json');
    writeFileSync(path, JSON.stringify(event));
    return path;
  };
  const pullRequest = (headRepository: string, headRef = 'main'): object => ({
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      base: { ref: 'main', sha: BASE, repo: { full_name: 'octo/repo' } },
      head: { ref: headRef, sha: HEAD, repo: { full_name: headRepository } },
    },
    repository: { full_name: 'octo/repo' },
  });
  const trust = (name: string, event: object, workflowRef?: string): string =>
    trustOf(
      {
        GITHUB_EVENT_NAME: name,
        GITHUB_REPOSITORY: 'octo/repo',
        ...(workflowRef
          ? { GITHUB_WORKFLOW_REF: `octo/repo/.github/workflows/guard.yml@${workflowRef}` }
          : {}),
      },
      pullRequestOf(payload(event)),
    );

  it('a comment on a pull request and a workflow_run a pull request started run the base’s workflow', () => {
    const comment = { action: 'created', issue: { number: 7, pull_request: { url: 'https://x/pulls/7' } } };
    expect(trust('issue_comment', comment)).toBe('base-controls-workflow');
    expect(trust('issue_comment', { action: 'created', issue: { number: 8 } })).toBe('not-a-pull-request');
    const run = (event: string, pulls: object[], head = 'someone/repo'): object => ({
      action: 'completed',
      workflow_run: {
        event,
        head_sha: HEAD,
        head_branch: 'main',
        head_repository: { full_name: head },
        pull_requests: pulls,
      },
    });
    // From a fork GitHub lists no pull request; the triggering event still says it was one.
    expect(trust('workflow_run', run('pull_request', []))).toBe('base-controls-workflow');
    expect(
      pullRequestOf(
        payload(run('pull_request', [{ base: { sha: BASE }, head: { sha: HEAD } }], 'octo/repo')),
      ),
    ).toEqual({ about: true, base: BASE, head: HEAD, headRef: 'main', headRepository: 'octo/repo' });
    expect(trust('workflow_run', run('push', [], 'octo/repo'))).toBe('not-a-pull-request');
    expect(trust('pull_request_target', pullRequest('someone/repo'))).toBe('base-controls-workflow');
  });

  it('a fork’s branch named main is not the base’s main: the workflow at refs/heads/main is the base’s', () => {
    expect(trust('pull_request', pullRequest('someone/repo'), 'refs/heads/main')).toBe(
      'base-controls-workflow',
    );
    // The same branch name in this repository is the pull request's own head.
    expect(trust('pull_request', pullRequest('octo/repo'), 'refs/heads/main')).toBe('pr-controls-workflow');
    expect(trust('pull_request', pullRequest('someone/repo'), 'refs/pull/7/merge')).toBe(
      'pr-controls-workflow',
    );
    expect(trust('pull_request', pullRequest('someone/repo'), HEAD)).toBe('pr-controls-workflow');
  });
});
