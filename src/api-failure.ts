/**
 * What happened to one request to the GitHub or the Anthropic API, in one line and the same words wherever
 * it is said: the PR comment, the check run, the base commit's policy, remote callees, the organisation
 * inventory, the key check. A line is made of our words, numbers, the host the user configured and a system
 * error code of capitals: no message, header text or body of the request or the answer is repeated, so
 * neither a token nor what a server says can reach a log, a workflow command, markdown or a mention.
 *
 * It imports nothing, so every edge that talks to an API (sources/, policy/base.ts, runtime/, report/)
 * can use it without an import running back up the pipeline.
 */

export type Api = 'GitHub' | 'Anthropic';

/** Where a request went and how long it could take, for the words about it. */
export interface RequestContext {
  /** Which API was asked; GitHub unless said. */
  api?: Api;
  timeoutMs: number;
  /** The address asked (or the API's base): its host is named when no answer came, as that is what to check. */
  url?: string;
}

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

/** A system error code (ECONNREFUSED); anything else an error carries as `code` is not repeated. */
const SYSTEM_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/** Said by every GitHub reader whose token GitHub does not accept. */
export const TOKEN_REFUSED = 'the token was refused (HTTP 401)';

/** `the GitHub API answered HTTP 502`: the server answered, with this status. */
export function apiAnswered(status: number, api: Api = 'GitHub'): string {
  return `the ${api} API answered HTTP ${Math.trunc(status)}`;
}

/** Seconds as a person writes them: 10, 2, 0.3. */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

interface RequestFailure {
  name?: unknown;
  code?: unknown;
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

/** ` at api.github.com`, or nothing for an address that does not parse. */
function atHost(url: string | undefined): string {
  if (url === undefined) return '';
  try {
    return ` at ${new URL(url).host}`;
  } catch {
    return '';
  }
}

/**
 * One clause for a request that failed, as fetch or Octokit threw it: no answer in time, no answer at all,
 * or an error status. A refused connection is never an HTTP status (Octokit reports one as 500 with no
 * response).
 */
export function describeRequestFailure(error: unknown, request: RequestContext): string {
  const api = request.api ?? 'GitHub';
  const e = asFailure(error);
  if (timedOut(e)) return `the ${api} API did not answer within ${seconds(request.timeoutMs)} s`;
  const status = answeredStatus(e);
  if (status !== undefined) return apiAnswered(status, api);
  const code = causes(e)
    .map((c) => c.code)
    .find((c): c is string => typeof c === 'string' && SYSTEM_CODE.test(c));
  const why = code === undefined ? 'no answer' : (NOT_REACHED[code] ?? code);
  return `the ${api} API${atHost(request.url)} could not be reached (${why})`;
}

/** Headers as fetch gives them, or as Octokit keeps them on an error (names in lower case). */
type AnswerHeaders = Headers | Record<string, unknown> | undefined;

function header(headers: AnswerHeaders, name: string): string | undefined {
  const value = headers instanceof Headers ? headers.get(name) : headers?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** `; it resets at 08:00 UTC` for a reset time in epoch seconds, or nothing for one that is not. */
export function resetsAt(epochSeconds: number): string {
  if (!Number.isFinite(epochSeconds) || epochSeconds <= 0) return '';
  return `; it resets at ${new Date(epochSeconds * 1000).toISOString().slice(11, 16)} UTC`;
}

/** When the answer says to try again: the reset of the limit, else the wait GitHub asks for. */
function whenAgain(headers: AnswerHeaders): string {
  const reset = resetsAt(Number(header(headers, 'x-ratelimit-reset')));
  if (reset) return reset;
  const retry = Number(header(headers, 'retry-after'));
  return Number.isFinite(retry) && retry > 0 ? `; GitHub asks to wait ${retry} s` : '';
}

/** True when GitHub's answer says the rate limit is spent: 429, or 403 with none of it remaining. */
export function rateLimited(status: number, headers: AnswerHeaders): boolean {
  return status === 429 || (status === 403 && header(headers, 'x-ratelimit-remaining') === '0');
}

/** `the GitHub API rate limit is spent (HTTP 403); it resets at 08:00 UTC`. */
export function rateLimitSpent(status: number, headers: AnswerHeaders): string {
  return `the GitHub API rate limit is spent (HTTP ${Math.trunc(status)})${whenAgain(headers)}`;
}

/**
 * describeRequestFailure for a channel that writes through Octokit (the PR comment, the check run): a
 * spent rate limit is said as such, and `refused` words a 403 or 404 for the channel, which knows which
 * permission it needs.
 */
export function describeApiError(
  error: unknown,
  request: RequestContext,
  refused: (status: number) => string,
): string {
  const status = timedOut(asFailure(error)) ? undefined : answeredStatus(error);
  const headers = asFailure(error).response?.headers;
  if (status !== undefined && rateLimited(status, headers)) return rateLimitSpent(status, headers);
  if (status === 403 || status === 404) return refused(status);
  return describeRequestFailure(error, request);
}
