import { decode } from '../file-text.js';
import {
  apiAnswered,
  describeRequestFailure,
  rateLimited,
  rateLimitSpent,
  TOKEN_REFUSED,
} from '../api-failure.js';
import type { Content, ContentSource } from './source.js';

export interface GitHubOptions {
  /** `GITHUB_API_URL`: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  apiUrl: string;
  token?: string;
  timeoutMs: number;
  /** Requests one run may make; past it, callees stay unread. */
  budget?: number;
  maxBytes: number;
  /** Said after "give ... a token that can read owner/repo": the action, or GITHUB_TOKEN for the CLI. */
  tokenHint?: string;
}

export const DEFAULT_BUDGET = 200;

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
  private readonly budget: number;

  constructor(private readonly options: GitHubOptions) {
    this.budget = options.budget ?? DEFAULT_BUDGET;
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
          signal: AbortSignal.timeout(this.options.timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
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
    const declared = Number(response.headers.get('content-length') ?? '0');
    // The base64 form is a third longer than the file it carries.
    const limit = Math.ceil(this.options.maxBytes * 1.4) + 4096;
    if (declared > limit) {
      await response.body?.cancel();
      return { why: `it is over the size limit of ${this.options.maxBytes} bytes` };
    }
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await response.arrayBuffer());
    } catch {
      return { why: 'the answer was cut off' };
    }
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
