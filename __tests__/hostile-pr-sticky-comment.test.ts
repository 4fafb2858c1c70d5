/**
 * The sticky comment: only a comment this token's identity wrote is ever updated, never one with a pasted
 * marker.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { COMMENT_MARKER } from '../src/report/comment.js';
import { pullRequestEvent, runAction } from './action-run.js';
import { APP_BOT, FakeGitHub } from './github-server.js';
import { workspace } from './hostile-pr.js';

describe('the sticky comment is only ever our own', () => {
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

  it("where the identity cannot be learnt, a comment is made anew, never another app's adopted", async () => {
    github.comments.length = 0;
    github.graphqlForbidden = true;
    try {
      github.comments.push(
        { id: 1, body: `${COMMENT_MARKER}\nmine`, user: { login: 'pr-author', type: 'User' } },
        // Another app that runs the guard on the same PR: a Bot too, so a person cannot have written it,
        // but nothing says this token posts as that app.
        { id: 2, body: `${COMMENT_MARKER}\nother app`, user: APP_BOT },
      );
      const ws = workspace({ 'review.yml': 'subscription.yml' });
      expect((await onPullRequest(ws, 'ghs_runtoken1')).stdout).toContain('The PR comment was created.');
      expect((await onPullRequest(ws, 'ghs_runtoken2')).stdout).toContain('The PR comment was created.');
      expect(github.comments.map((c) => [c.user.login, c.body.split('\n')[1]])).toEqual([
        ['pr-author', 'mine'],
        [APP_BOT.login, 'other app'],
        ['github-actions[bot]', '## Claude Code billing routes'],
        ['github-actions[bot]', '## Claude Code billing routes'],
      ]);
    } finally {
      github.graphqlForbidden = false;
    }
  });
});
