/** The one sticky pull request comment: found by a hidden marker, created once, then updated. */
import { describeApiError as describeGitHubError } from '../api-failure.js';

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
  const existing = ownComment(comments, author);
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

interface ListedComment {
  id: number;
  body?: string | null;
  user?: { login: string; type: string } | null;
}

/**
 * The sticky comment this token may update. Anyone can paste the marker into a comment: only one that
 * starts with it and was written by the identity this token posts as is ours, else the PR author would
 * receive and edit the report. When the identity cannot be learnt, none is: a Bot that wrote the marker
 * may be another app that runs the guard, so a new comment is made rather than that one taken over.
 */
export function ownComment(
  comments: readonly ListedComment[],
  author: Identity | undefined,
): ListedComment | undefined {
  if (author === undefined) return undefined;
  return comments.find(
    (c) =>
      typeof c.body === 'string' &&
      c.body.startsWith(COMMENT_MARKER) &&
      c.user?.login === author.login &&
      (author.type === undefined || c.user.type === author.type),
  );
}

interface IdentityClient {
  rest: { users: { getAuthenticated(): Promise<{ data: { login: string; type: string } }> } };
  graphql: (query: string) => Promise<unknown>;
}

/**
 * Who comments with this token. A personal token: the login `GET /user` returns. An installation token
 * (`ghs_`: the run's GITHUB_TOKEN or a GitHub App's) may not call `GET /user` nor `GET /app`, but the
 * GraphQL `viewer` is the app's Bot (`<app-slug>[bot]`). Undefined when neither answers; `ownComment`
 * then takes no comment for ours.
 */
async function tokenIdentity(octokit: IdentityClient, token: string): Promise<Identity | undefined> {
  if (!token.startsWith('ghs_')) {
    try {
      const { data } = await octokit.rest.users.getAuthenticated();
      return { login: data.login, type: data.type };
    } catch {
      // A token that may not read its own user, such as an app's user-to-server token: ask GraphQL.
    }
  }
  try {
    const answer = (await octokit.graphql('query { viewer { login } }')) as { viewer?: { login?: unknown } };
    const login = answer.viewer?.login;
    if (typeof login === 'string' && /^[A-Za-z0-9-]+(\[bot\])?$/.test(login))
      return login.endsWith('[bot]') ? { login, type: 'Bot' } : { login, type: 'User' };
  } catch {
    // GraphQL may be unreachable for this token: then no comment is known to be ours.
  }
  return undefined;
}

/** One line for the log and the summary, without the token or the response body. */
export function describeApiError(error: unknown, timeoutMs: number, apiUrl?: string): string {
  return describeGitHubError(
    error,
    { timeoutMs, url: apiUrl },
    (status) =>
      `the token cannot write comments here (HTTP ${status}; usual on pull requests from forks, or without \`pull-requests: write\`)`,
  );
}
