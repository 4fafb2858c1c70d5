/** The one sticky pull request comment: found by a hidden marker, created once, then updated. */

export const COMMENT_MARKER = '<!-- claude-route-guard:sticky-comment -->';
/** GitHub rejects comment bodies over 65,536 characters. */
export const COMMENT_LIMIT = 65000;

const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);

export interface CommentTarget {
  owner: string;
  repo: string;
  number: number;
}

interface EventPayload {
  pull_request?: { number?: number };
  issue?: { number?: number; pull_request?: unknown };
  number?: number;
}

/** The pull request this event is about, or why there is none. */
export function commentTarget(
  eventName: string,
  payload: EventPayload,
  repository: string,
): CommentTarget | string {
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) return 'GITHUB_REPOSITORY is not set';
  if (PULL_REQUEST_EVENTS.has(eventName)) {
    const number = payload.pull_request?.number ?? payload.number;
    if (typeof number === 'number') return { owner, repo, number };
    return `the ${eventName} event carries no pull request number`;
  }
  if (
    eventName === 'issue_comment' &&
    payload.issue?.pull_request &&
    typeof payload.issue.number === 'number'
  ) {
    return { owner, repo, number: payload.issue.number };
  }
  return `the ${eventName || 'unknown'} event is not about a pull request`;
}

export function commentBody(summary: string): string {
  const body = `${COMMENT_MARKER}\n${summary}`;
  if (body.length <= COMMENT_LIMIT) return body;
  const cut = body.lastIndexOf('\n', COMMENT_LIMIT);
  return `${body.slice(0, cut)}\n\n> Cut at GitHub’s comment size limit; the job summary has everything.\n`;
}

export interface CommentOptions {
  token: string;
  apiUrl: string;
  target: CommentTarget;
  body: string;
  timeoutMs: number;
}

/**
 * Creates or updates the sticky comment. Octokit is loaded only here, so a run without `comment: true`
 * never pays for it.
 */
export async function upsertComment(options: CommentOptions): Promise<'created' | 'updated'> {
  const { getOctokit } = await import('@actions/github');
  const signal = AbortSignal.timeout(options.timeoutMs);
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl, request: { signal, retries: 0 } });
  const { owner, repo, number } = options.target;
  const author = await tokenIdentity(octokit, options.token);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100,
  });
  // Anyone can paste the marker into a comment: only one that starts with it and was written by the
  // identity this token posts as is ours to update, else the PR author would receive and edit the report.
  const existing =
    author === undefined
      ? undefined
      : comments.find(
          (c) =>
            typeof c.body === 'string' &&
            c.body.startsWith(COMMENT_MARKER) &&
            c.user?.login === author.login &&
            (author.type === undefined || c.user.type === author.type),
        );
  if (existing) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: options.body });
    return 'updated';
  }
  await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: options.body });
  return 'created';
}

interface Identity {
  login: string;
  type?: string;
}

/** The run's GITHUB_TOKEN (and any app installation token) posts as this Bot user; `GET /user` refuses it. */
const ACTIONS_BOT: Identity = { login: 'github-actions[bot]', type: 'Bot' };

/**
 * Who comments with this token: the Actions bot for an installation token, else the login `GET /user`
 * returns. Undefined when the token may not ask: then a new comment is created rather than guessing.
 */
async function tokenIdentity(
  octokit: { rest: { users: { getAuthenticated(): Promise<{ data: { login: string; type: string } }> } } },
  token: string,
): Promise<Identity | undefined> {
  if (token.startsWith('ghs_')) return ACTIONS_BOT;
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return { login: data.login, type: data.type };
  } catch {
    return undefined;
  }
}

/** One line for the log and the summary, without the token or the response body. */
export function describeApiError(error: unknown, timeoutMs: number): string {
  const e = error as { status?: number; name?: string; message?: string };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || /aborted|timeout/i.test(e.message ?? '')) {
    return `the GitHub API did not answer within ${Math.round(timeoutMs / 1000)} s`;
  }
  if (e.status === 403 || e.status === 404) {
    return `the token cannot write comments here (HTTP ${e.status}; usual on pull requests from forks, or without \`pull-requests: write\`)`;
  }
  if (e.status === 429) return 'the GitHub API rate limit was hit (HTTP 429)';
  if (typeof e.status === 'number') return `the GitHub API answered HTTP ${e.status}`;
  return `the GitHub API could not be reached (${(e.message ?? String(error)).split('\n')[0]})`;
}
