import { decode } from '../file-text.js';
import {
  apiAnswered,
  describeRequestFailure,
  rateLimited,
  rateLimitSpent,
  TOKEN_REFUSED,
} from '../api-failure.js';
import { readAnswer } from './answer.js';
import type { Content, ContentSource } from './source.js';

export interface GitHubOptions {
  /** `GITHUB_API_URL`: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  apiUrl: string;
  token?: string;
  timeoutMs: number;
  /** Requests one run may make; past it, callees stay unread. */
  budget?: number;
  maxBytes: number;
  /** Bytes of answers one run may read in all; past it, callees stay unread. */
  byteBudget?: number;
  /**
   * Milliseconds remote reading may take in all, from the first request: a server that answers one byte
   * a second stays under each request's timeout, so only a deadline for the whole run ends it.
   */
  deadlineMs?: number;
  /** Said after "give ... a token that can read owner/repo": the action, or GITHUB_TOKEN for the CLI. */
  tokenHint?: string;
}

export const DEFAULT_BUDGET = 200;
/** Real actions and workflows are a few KB: two hundred of 100 KB each. */
export const DEFAULT_BYTE_BUDGET = 20 * 1024 * 1024;
export const DEFAULT_DEADLINE_MS = 120_000;

/**
 * The repository contents API: one request per (repository, ref, path), a budget per run, a timeout per
 * request and one retry on a server error. Every failure is a reason in words; nothing here throws, and
 * the token is only ever sent, never put in a message.
 */
export class GitHubContents implements ContentSource {
  requests = 0;
  /** Set once, when the budget or the rate limit stops further requests: said once by the caller. */
  stopped: string | undefined;
  private readonly answers = new Map<string, Promise<Content>>();
  /** Bytes of answers read so far, against the byte budget. */
  bytes = 0;
  private readonly budget: number;
  private readonly byteBudget: number;
  private deadline: AbortSignal | undefined;

  constructor(private readonly options: GitHubOptions) {
    this.budget = options.budget ?? DEFAULT_BUDGET;
    this.byteBudget = options.byteBudget ?? DEFAULT_BYTE_BUDGET;
  }

  /** Ends a request at its own timeout or at the run's deadline, whichever comes first. */
  private signal(): AbortSignal {
    this.deadline ??= AbortSignal.timeout(this.options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    return AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.deadline]);
  }

  private deadlinePassed(): string | undefined {
    if (!this.deadline?.aborted) return undefined;
    const seconds = Math.round((this.options.deadlineMs ?? DEFAULT_DEADLINE_MS) / 100) / 10;
    return (this.stopped = `the ${seconds} s this run gives remote reading are spent`);
  }

  get(owner: string, repo: string, ref: string, path: string): Promise<Content> {
    const key = `${owner.toLowerCase()}/${repo.toLowerCase()}\0${ref}\0${path}`;
    let answer = this.answers.get(key);
    if (!answer) this.answers.set(key, (answer = this.fetchFile(owner, repo, ref, path)));
    return answer;
  }

  private async fetchFile(owner: string, repo: string, ref: string, path: string): Promise<Content> {
    const url =
      `${this.options.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}` +
      `/contents/${path.split('/').map(encodeURIComponent).join('/')}?ref=${encodeURIComponent(ref)}`;
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) return { why: this.stopped };
      if (this.requests >= this.budget) {
        this.stopped = `the budget of ${this.budget} GitHub API requests for this run is spent`;
        return { why: this.stopped };
      }
      this.requests++;
      let response: Response;
      try {
        response = await fetch(url, {
          headers: this.headers(),
          signal: this.signal(),
          redirect: 'error',
        });
      } catch (error) {
        const late = this.deadlinePassed();
        if (late) return { why: late };
        return {
          why: describeRequestFailure(error, { timeoutMs: this.options.timeoutMs, url: this.options.apiUrl }),
        };
      }
      if (response.status >= 500 && attempt === 0) {
        await response.body?.cancel();
        continue;
      }
      return this.read(response, `${owner}/${repo}`);
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/vnd.github.raw+json',
      'user-agent': 'claude-route-guard',
      'x-github-api-version': '2022-11-28',
    };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    return headers;
  }

  private async read(response: Response, repository: string): Promise<Content> {
    const status = response.status;
    if (status !== 200) {
      await response.body?.cancel();
      if (status === 404)
        return {
          why: `not found, or not readable with this token: give ${this.options.tokenHint ?? 'the action'} a token that can read ${repository}`,
          missing: true,
        };
      if (rateLimited(status, response.headers)) {
        this.stopped = rateLimitSpent(status, response.headers);
        return { why: this.stopped };
      }
      if (status === 401) return { why: TOKEN_REFUSED };
      if (status === 403) return { why: `the token may not read ${repository} (HTTP 403)` };
      return { why: apiAnswered(status) };
    }
    // The base64 form is a third longer than the file it carries.
    const limit = Math.ceil(this.options.maxBytes * 1.4) + 4096;
    const left = this.byteBudget - this.bytes;
    const answer = await readAnswer(response, Math.min(limit, left));
    if ('cut' in answer) return { why: this.deadlinePassed() ?? 'the answer was cut off' };
    if ('over' in answer) {
      this.bytes += Math.min(limit, left);
      if (left >= limit) return { why: `it is over the size limit of ${this.options.maxBytes} bytes` };
      this.stopped = `the budget of ${this.byteBudget} bytes of remote callees for this run is spent`;
      return { why: this.stopped };
    }
    const bytes = answer.bytes;
    this.bytes += bytes.length;
    const body = unwrap(bytes);
    if ('why' in body) return body;
    if (body.bytes.length > this.options.maxBytes)
      return { why: `it is over the size limit of ${this.options.maxBytes} bytes` };
    const decoded = decode(body.bytes);
    if ('problem' in decoded) return { why: `it is ${decoded.problem}` };
    return { text: decoded.text };
  }
}

/** The file's bytes from either answer form: raw, or the JSON object with base64 `content`. */
function unwrap(bytes: Buffer): { bytes: Buffer } | { why: string; missing?: boolean } {
  if (bytes[0] !== 0x7b && bytes[0] !== 0x5b) return { bytes };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { bytes };
  }
  if (Array.isArray(json)) return { why: 'it is a folder, not a file', missing: true };
  if (typeof json !== 'object' || json === null) return { bytes };
  const file = json as { type?: unknown; encoding?: unknown; content?: unknown };
  if (file.type !== undefined && file.type !== 'file')
    return { why: `it is a ${String(file.type)}, not a file` };
  if (file.encoding === 'base64' && typeof file.content === 'string')
    return { bytes: Buffer.from(file.content, 'base64') };
  if (file.encoding === 'none') return { why: 'it is too large for the contents API to return' };
  return { bytes };
}
