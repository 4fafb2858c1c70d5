import { readAnswer } from './answer.js';
import {
  apiAnswered,
  describeRequestFailure,
  rateLimitSpent,
  resetsAt,
  TOKEN_REFUSED,
} from '../api-failure.js';

/**
 * GitHub's GraphQL API (and the few REST reads beside it) for a whole organisation: a budget of requests
 * per run, a bounded number in flight, a timeout per request, the rate limit read from every answer, and
 * a secondary limit waited out as GitHub asks. Every failure is a reason in words; the token is only ever
 * sent, never put in a message.
 */

export interface ApiSettings {
  /** `GITHUB_API_URL`: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  apiUrl: string;
  /** `GITHUB_GRAPHQL_URL`: https://api.github.com/graphql, or a server's /api/graphql. */
  graphqlUrl: string;
  token: string;
  timeoutMs: number;
  /** Requests this run may make, GraphQL and REST together, retries included. */
  maxRequests: number;
  /** Requests in flight at once. */
  inFlight?: number;
  /** How a wait GitHub asks for is spent: a timer, or a test's record of it. */
  sleep?: (ms: number) => Promise<void>;
  /** The largest answer read, in bytes. */
  bodyLimit?: number;
}

export interface GraphQLError {
  message: string;
  type?: string;
  path?: (string | number)[];
}

export interface GraphQLAnswer {
  data: Record<string, unknown> | null;
  errors: GraphQLError[];
}

/** Nothing more can be asked this run: the budget or the rate limit is spent, or the token is refused. */
export class ApiStopped extends Error {}

/** One request failed (after its retry); `status` when GitHub answered. */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const DEFAULT_IN_FLIGHT = 2;
const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;
/** The longest wait a secondary limit may ask before the run stops instead. */
const MAX_WAIT_SECONDS = 300;
/** Secondary-limit answers in a row before the run stops: GitHub's own advice is to back off, not insist. */
const MAX_SECONDARY_WAITS = 5;

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `retry-after` in seconds: a number of seconds, or an HTTP date. */
function retryAfter(headers: Headers): number | undefined {
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export class GitHubApi {
  requests = 0;
  /** What the last answer said is left of the rate limit (points for GraphQL, requests for REST). */
  remaining: number | undefined;
  /** Set once, when the run can ask no more; said once by the caller. */
  stopped: string | undefined;
  /** Seconds waited because GitHub asked, in order. */
  readonly waited: number[] = [];
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private secondaryWaits = 0;

  constructor(private readonly settings: ApiSettings) {}

  /** One GraphQL query; the per-field errors come back beside the data, for the caller to place. */
  async graphql(query: string): Promise<GraphQLAnswer> {
    const bytes = await this.send(this.settings.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    let answer: { data?: unknown; errors?: unknown };
    try {
      answer = JSON.parse(bytes.toString('utf8')) as typeof answer;
    } catch {
      throw new ApiFailure('the GitHub API answered with something that is not JSON');
    }
    const errors = Array.isArray(answer.errors) ? (answer.errors as GraphQLError[]) : [];
    const data =
      answer.data && typeof answer.data === 'object' ? (answer.data as Record<string, unknown>) : null;
    const limit = data?.rateLimit as { remaining?: unknown; resetAt?: unknown } | undefined;
    if (typeof limit?.remaining === 'number') this.remaining = limit.remaining;
    if (errors.some((e) => e.type === 'RATE_LIMITED')) {
      const reset = typeof limit?.resetAt === 'string' ? Date.parse(limit.resetAt) / 1000 : NaN;
      throw this.stop(`the GraphQL rate limit is spent${resetsAt(reset)}`);
    }
    return { data, errors };
  }

  /** The raw bytes a REST path answers (a blob), or undefined when it is not there. */
  async restBytes(path: string): Promise<Buffer | undefined> {
    try {
      return await this.send(`${this.settings.apiUrl.replace(/\/+$/, '')}${path}`, {
        method: 'GET',
        headers: { accept: 'application/vnd.github.raw+json' },
      });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 404) return undefined;
      throw error;
    }
  }

  private stop(reason: string): ApiStopped {
    this.stopped ??= reason;
    return new ApiStopped(this.stopped);
  }

  private async slot(): Promise<void> {
    if (this.active < (this.settings.inFlight ?? DEFAULT_IN_FLIGHT)) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active--;
  }

  private async send(url: string, init: { method: string; headers: Record<string, string>; body?: string }) {
    await this.slot();
    try {
      return await this.attempts(url, init);
    } finally {
      this.release();
    }
  }

  private async attempts(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<Buffer> {
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) throw new ApiStopped(this.stopped);
      if (this.requests >= this.settings.maxRequests)
        throw this.stop(`the budget of ${this.settings.maxRequests} requests (--max-requests) is spent`);
      this.requests++;
      let response: Response;
      try {
        response = await fetch(url, {
          ...init,
          headers: {
            ...init.headers,
            authorization: `Bearer ${this.settings.token}`,
            'user-agent': 'claude-route-guard',
            'x-github-api-version': '2022-11-28',
          },
          signal: AbortSignal.timeout(this.settings.timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        if (attempt === 0) continue;
        throw new ApiFailure(describeRequestFailure(error, { timeoutMs: this.settings.timeoutMs, url }));
      }
      const remaining = Number(response.headers.get('x-ratelimit-remaining') ?? NaN);
      if (Number.isFinite(remaining)) this.remaining = remaining;
      if (response.status === 200) {
        this.secondaryWaits = 0;
        return this.body(response);
      }
      const text = (await this.body(response, 64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
      if (await this.waitedForLimit(response, text)) continue;
      if (response.status >= 500 && attempt === 0) continue;
      if (response.status === 401) throw this.stop(TOKEN_REFUSED);
      throw new ApiFailure(apiAnswered(response.status), response.status);
    }
  }

  /** A rate-limit answer: waits as GitHub asks and says to try again, or stops the run. */
  private async waitedForLimit(response: Response, text: string): Promise<boolean> {
    const status = response.status;
    if (status !== 403 && status !== 429) return false;
    const asked = retryAfter(response.headers);
    const secondary = asked !== undefined || /secondary rate limit/i.test(text);
    if (!secondary) {
      if (status === 429 || this.remaining === 0) throw this.stop(rateLimitSpent(status, response.headers));
      return false;
    }
    // Without a retry-after, GitHub's advice is a minute, then longer each time.
    const seconds = asked ?? 60 * 2 ** this.secondaryWaits;
    if (seconds > MAX_WAIT_SECONDS || this.secondaryWaits >= MAX_SECONDARY_WAITS)
      throw this.stop(`GitHub's secondary rate limit asks to wait ${seconds} s, longer than this run waits`);
    this.secondaryWaits++;
    this.waited.push(seconds);
    await (this.settings.sleep ?? wait)(seconds * 1000);
    return true;
  }

  /** The answer's bytes, at most `limit` of them: a longer answer is a failure, never read whole. */
  private async body(response: Response, limit = this.settings.bodyLimit ?? DEFAULT_BODY_LIMIT) {
    const answer = await readAnswer(response, limit);
    if ('over' in answer) throw new ApiFailure(`the answer was over ${limit} bytes`, 413);
    if ('cut' in answer) throw new ApiFailure('the answer was cut off');
    return answer.bytes;
  }
}
