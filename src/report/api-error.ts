/**
 * One line for the log and the summary about a GitHub API request that failed, without the token or the
 * response body. Octokit gives a request that never reached a server (refused, no route, DNS) status 500
 * and no response, so only an error that carries a response is said to have an HTTP status.
 */

interface ApiError {
  status?: unknown;
  name?: unknown;
  message?: unknown;
  /** What Octokit wrapped: the abort of the request's own timeout signal, say. */
  cause?: { name?: unknown };
  response?: { status?: unknown; headers?: Record<string, unknown> };
}

/** The status GitHub answered with, or undefined when no answer came. */
export function answeredStatus(error: unknown): number | undefined {
  const status = (error as ApiError | undefined)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** `refused` words a 403 or 404 for the channel, which knows which permission it needs. */
export function describeApiError(
  error: unknown,
  timeoutMs: number,
  refused: (status: number) => string,
): string {
  const e = (error ?? {}) as ApiError;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const names = [e.name, e.cause?.name];
  if (names.includes('TimeoutError') || names.includes('AbortError') || /aborted|timeout/i.test(message))
    return `the GitHub API did not answer within ${Math.round(timeoutMs / 1000)} s`;
  const status = answeredStatus(error);
  if (status === undefined) return `the GitHub API could not be reached (${message.split('\n')[0]})`;
  if (status === 429 || (status === 403 && e.response?.headers?.['x-ratelimit-remaining'] === '0'))
    return `the GitHub API rate limit was hit (HTTP ${status})`;
  if (status === 403 || status === 404) return refused(status);
  return `the GitHub API answered HTTP ${status}`;
}
