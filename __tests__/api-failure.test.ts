import { describe, expect, it } from '@jest/globals';
import { describeApiError, describeRequestFailure, rateLimitSpent } from '../src/api-failure.js';

const TOKEN = 'ghs_CANARY0123456789abcdefghijklmnopqrstu';
/** What a hostile or broken server (or a proxy) could put in an error: a workflow command, markdown, a mention. */
const SERVER_TEXT = `::error file=x::owned%0A::set-env name=A::1 [click](https://evil.example) @octocat <img src=x> ${TOKEN}`;

const refused = (status: number): string => `refused (HTTP ${status})`;
const request = { timeoutMs: 2000, url: 'https://api.github.com' };

/** Octokit's RequestError as it reaches a channel: the server's message, the request with its token. */
function octokitError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(SERVER_TEXT), {
    name: 'HttpError',
    status,
    request: { headers: { authorization: `token ${TOKEN}` } },
    response: { status, url: 'https://api.github.com/x', headers, data: { message: SERVER_TEXT } },
  });
}

/** fetch's TypeError around a system error, as undici throws it. */
function networkError(code: unknown): Error {
  const cause = Object.assign(new Error(`connect ${String(code)} ${SERVER_TEXT}`), { code });
  return Object.assign(new TypeError('fetch failed'), { cause });
}

describe('one line for a failed API request, made of our words only', () => {
  it('says each kind of failure in fixed words, whatever text the error carries', () => {
    expect([
      describeApiError(octokitError(502), request, refused),
      describeApiError(octokitError(404), request, refused),
      describeApiError(
        octokitError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' }),
        request,
        refused,
      ),
      describeApiError(octokitError(429, { 'retry-after': '60' }), request, refused),
      describeRequestFailure(networkError('ECONNREFUSED'), request),
      describeRequestFailure(networkError('ENOTFOUND'), {
        ...request,
        api: 'Anthropic',
        url: 'https://api.anthropic.com/v1',
      }),
      // A code that is not a system error's shape is not repeated: it could be anything.
      describeRequestFailure(networkError(`E\n${SERVER_TEXT}`), request),
      describeRequestFailure(Object.assign(new Error(SERVER_TEXT), { name: 'TimeoutError' }), request),
      describeRequestFailure(SERVER_TEXT, { ...request, url: 'not a url' }),
      rateLimitSpent(403, new Headers({ 'x-ratelimit-reset': SERVER_TEXT, 'retry-after': SERVER_TEXT })),
    ]).toEqual([
      'the GitHub API answered HTTP 502',
      'refused (HTTP 404)',
      'the GitHub API rate limit is spent (HTTP 403); it resets at 22:13 UTC',
      'the GitHub API rate limit is spent (HTTP 429); GitHub asks to wait 60 s',
      'the GitHub API at api.github.com could not be reached (the connection was refused)',
      'the Anthropic API at api.anthropic.com could not be reached (the host name was not found)',
      'the GitHub API at api.github.com could not be reached (no answer)',
      'the GitHub API did not answer within 2 s',
      'the GitHub API could not be reached (no answer)',
      'the GitHub API rate limit is spent (HTTP 403)',
    ]);
  });
});
