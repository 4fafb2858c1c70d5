import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fetchBasePolicy } from '../src/policy/base.js';
import { COMMENT_MARKER } from '../src/report/comment.js';
import { GitHubContents } from '../src/sources/github.js';
import { ApiFailure, GitHubApi } from '../src/sources/github-api.js';
import { pullRequestEvent, runAction } from './action-run.js';
import { FakeGitHub } from './github-server.js';
import { closedAddress } from './helpers.js';

const github = new FakeGitHub();
let apiUrl = '';

beforeAll(async () => {
  apiUrl = await github.start();
});
afterAll(async () => {
  await github.stop();
});
beforeEach(() => {
  github.mode = 'ok';
  github.requests.length = 0;
});

function onPullRequest(paths: string, extra: Record<string, string> = {}): ReturnType<typeof runAction> {
  return runAction(
    { paths, comment: 'true', 'github-token': 'ghs_faketoken123', 'fail-on': 'never', ...extra },
    { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: pullRequestEvent(7), GITHUB_API_URL: apiUrl },
  );
}

describe('the sticky PR comment', () => {
  it('is created on the first run and updated, never duplicated, on later runs', async () => {
    const first = await onPullRequest('.github/workflows/misnamed.yml');
    expect(first.status).toBe(0);
    // The check run with the annotations (annotations: auto), then the token's own login first
    // (GraphQL's viewer: the run's token may not call GET /user).
    expect(github.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /repos/octo/repo/check-runs',
      'POST /graphql',
      'GET /repos/octo/repo/issues/7/comments',
      'POST /repos/octo/repo/issues/7/comments',
    ]);
    expect(github.requests.every((r) => r.authorized)).toBe(true);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(github.comments[0]!.body).toContain('misnamed-credential-input');

    github.requests.length = 0;
    const second = await onPullRequest('.github/workflows/action-key.yml');
    expect(second.status).toBe(0);
    expect(github.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /repos/octo/repo/check-runs',
      'POST /graphql',
      'GET /repos/octo/repo/issues/7/comments',
      'PATCH /repos/octo/repo/issues/comments/100',
    ]);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('0 error(s), 0 warning(s), 0 notice(s)');
    expect(second.stdout).toContain('The PR comment was updated.');
  });

  it('turns a 403 into a warning in the log and the summary, and keeps the exit status and findings', async () => {
    github.mode = 'forbidden';
    const run = await onPullRequest('.github/workflows/misnamed.yml', { 'fail-on': 'error' });
    expect(run.status).toBe(1); // the findings still fail the step, the comment does not
    expect(run.stdout).toContain(
      '::warning::The PR comment was not posted: the token cannot write comments here (HTTP 403;',
    );
    expect(run.summary).toContain(
      'The PR comment was not posted: the token cannot write comments here (HTTP 403;',
    );
    expect(run.stdout).toContain('::error title=claude-route-guard%3A misnamed-credential-input');
    const clean = await onPullRequest('.github/workflows/action-key.yml');
    expect(clean.status).toBe(0);
  });

  it('gives up on a server that never answers within the timeout', async () => {
    github.mode = 'hang';
    // Annotations as workflow commands, so the comment is the only thing that asks the API.
    const run = await onPullRequest('.github/workflows/action-key.yml', {
      'api-timeout': '2',
      annotations: 'commands',
    });
    expect(run.status).toBe(0);
    // Asked once: the first request waits out the timeout, and nothing after it is tried or retried.
    expect(github.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(['POST /graphql']);
    expect(run.stdout).toContain(
      '::warning::The PR comment was not posted: the GitHub API did not answer within 2 s.',
    );
  });

  it('reports a server error as a warning', async () => {
    github.mode = 'error';
    const run = await onPullRequest('.github/workflows/action-key.yml');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      '::warning::The PR comment was not posted: the GitHub API answered HTTP 502. The findings are in the annotations and this summary.',
    );
  });

  it('is skipped with a notice outside pull request events, without calling the API', async () => {
    const run = await runAction(
      { paths: '.github/workflows/action-key.yml', comment: 'true', 'github-token': 'ghs_x' },
      { GITHUB_EVENT_NAME: 'push', GITHUB_API_URL: apiUrl },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      '::notice::The PR comment was skipped: the push event is not about a pull request.',
    );
    // The one request is the check run's, which holds the annotations on any event.
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /repos/octo/repo/check-runs']);
  });

  it('says a refused connection in the same words as the base read, remote callees and the organisation inventory, never as HTTP 500', async () => {
    // A port nothing listens on: the connection is refused before any answer.
    const closed = await closedAddress();
    const said = `the GitHub API at ${closed.slice('http://'.length)} could not be reached (the connection was refused)`;
    const run = await runAction(
      { paths: '.github/workflows/action-key.yml', comment: 'true', 'github-token': 'ghs_faketoken123' },
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: pullRequestEvent(7), GITHUB_API_URL: closed },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `::warning::The PR comment was not posted: ${said}. The findings are in the annotations and this summary.`,
    );
    const base = { apiUrl: closed, token: 'ghs_x', repository: 'octo/repo', timeoutMs: 2000 };
    expect(
      await fetchBasePolicy({ ...base, path: '.github/claude-route-guard.yml' }, 'a'.repeat(40)),
    ).toEqual({ problem: said });
    const contents = new GitHubContents({ apiUrl: closed, timeoutMs: 2000, maxBytes: 1000 });
    expect(await contents.get('acme', 'ai', 'v1', 'action.yml')).toEqual({ why: said });
    const inventory = new GitHubApi({ ...base, graphqlUrl: `${closed}/graphql`, maxRequests: 10 });
    await expect(inventory.graphql('query { viewer { login } }')).rejects.toThrow(new ApiFailure(said));
  });
});
