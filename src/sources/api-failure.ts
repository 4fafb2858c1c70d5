/**
 * What happened to one request to the GitHub API, in the same words wherever it is said: the PR comment,
 * the base commit's policy, remote callees, a check run. A request that got no answer is never an HTTP
 * status (Octokit reports a refused connection as status 500 with no response).
 */

/** Words for the system errors a request meets before any answer. */
const NOT_REACHED: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection was closed',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host',
};

/** `the GitHub API answered HTTP 502`: the server answered, with this status. */
export function apiAnswered(status: number): string {
  return `the GitHub API answered HTTP ${status}`;
}

/** Seconds as a person writes them: 10, 2, 0.3. */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

interface RequestFailure {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  /** Octokit's answer, when one came. */
  response?: { status?: unknown; headers?: Record<string, unknown> };
}

function asFailure(error: unknown): RequestFailure {
  return (typeof error === 'object' && error !== null ? error : {}) as RequestFailure;
}

/** The error and what it wraps: fetch wraps the system error once, Octokit wraps fetch's error again. */
function causes(error: RequestFailure): RequestFailure[] {
  const chain = [error];
  let at = error.cause;
  while (typeof at === 'object' && at !== null && chain.length < 4) {
    chain.push(at as RequestFailure);
    at = (at as RequestFailure).cause;
  }
  return chain;
}

function timedOut(error: RequestFailure): boolean {
  return causes(error).some((c) => c.name === 'TimeoutError' || c.name === 'AbortError');
}

/** The status GitHub answered with (Octokit keeps it on `response`), or undefined when no answer came. */
export function answeredStatus(error: unknown): number | undefined {
  const status = asFailure(error).response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * One clause for a request that failed, as fetch or Octokit threw it: no answer in time, no answer at all,
 * or an error status. `apiUrl` names the host when the API could not be reached, since that is what to check.
 * No message text of the error is repeated, so nothing of the request (a token) can reach a log.
 */
export function describeRequestFailure(error: unknown, timeoutMs: number, apiUrl?: string): string {
  const e = asFailure(error);
  if (timedOut(e)) return `the GitHub API did not answer within ${seconds(timeoutMs)} s`;
  const status = answeredStatus(e);
  if (status !== undefined) return apiAnswered(status);
  const code = causes(e)
    .map((c) => c.code)
    .find((c): c is string => typeof c === 'string' && /^[A-Z][A-Z0-9_]+$/.test(c));
  let host = '';
  try {
    if (apiUrl) host = ` at ${new URL(apiUrl).host}`;
  } catch {
    // An address that does not parse is said without its host.
  }
  const why = code === undefined ? 'no answer' : (NOT_REACHED[code] ?? code);
  return `the GitHub API${host} could not be reached (${why})`;
}

/**
 * describeRequestFailure for a channel that writes (the PR comment, the check run): a spent rate limit is
 * said as such, and `refused` words a 403 or 404 for the channel, which knows which permission it needs.
 */
export function describeApiError(
  error: unknown,
  timeoutMs: number,
  refused: (status: number) => string,
  apiUrl?: string,
): string {
  const status = timedOut(asFailure(error)) ? undefined : answeredStatus(error);
  const remaining = asFailure(error).response?.headers?.['x-ratelimit-remaining'];
  if (status === 429 || (status === 403 && remaining === '0'))
    return `the GitHub API rate limit was hit (HTTP ${status})`;
  if (status === 403 || status === 404) return refused(status);
  return describeRequestFailure(error, timeoutMs, apiUrl);
}
