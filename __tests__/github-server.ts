import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mode = 'ok' | 'forbidden' | 'error' | 'hang';

export interface User {
  login: string;
  type: 'User' | 'Bot';
}

/** The Bot a GitHub App's installation tokens (`ghs_app…` here) post as. */
export const APP_BOT: User = { login: 'route-guard-app[bot]', type: 'Bot' };

/**
 * Who a token speaks as: installation tokens (`ghs_`) are the Actions bot, or an app's bot for the
 * `ghs_app` ones (GitHub gives both the same prefix); others a person.
 */
export function userOf(authorization: string | undefined): User {
  const token = /^(?:token|Bearer) (\S+)/.exec(authorization ?? '')?.[1] ?? '';
  if (token.startsWith('ghs_app')) return APP_BOT;
  return token.startsWith('ghs_')
    ? { login: 'github-actions[bot]', type: 'Bot' }
    : { login: 'octo-maintainer', type: 'User' };
}

export interface Recorded {
  method: string;
  url: string;
  authorized: boolean;
  /** The Authorization header as sent, to check the token the action was given is the one used. */
  authorization: string;
  body: string;
}

/** An annotation as the Checks API takes it. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: string;
  message: string;
  title?: string;
}

/** A check run as GitHub keeps it: what the create request set, and every annotation appended since. */
export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status?: string;
  conclusion?: string;
  output: { title: string; summary: string };
  annotations: CheckAnnotation[];
}

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  status?: string;
  conclusion?: string;
  output?: { title?: string; summary?: string; annotations?: CheckAnnotation[] };
}

/**
 * What the Checks API refuses with 422 (https://docs.github.com/en/rest/checks/runs): a missing title or
 * summary, a summary over 65,535 characters, more than 50 annotations, and an annotation without its
 * fields, over its limits, or with columns on a span of several lines.
 */
function invalidCheckRun(body: CheckRunBody, creating: boolean): string | undefined {
  if (creating && (typeof body.name !== 'string' || typeof body.head_sha !== 'string'))
    return 'name and head_sha are required';
  const output = body.output;
  if (!output) return undefined;
  if (typeof output.title !== 'string' || typeof output.summary !== 'string')
    return 'output needs a title and a summary';
  if (output.summary.length > 65535)
    return `Only 65535 characters are allowed; ${output.summary.length} were supplied.`;
  const annotations = output.annotations ?? [];
  if (annotations.length > 50) return 'at most 50 annotations per request';
  for (const a of annotations) {
    if (typeof a.path !== 'string' || !Number.isInteger(a.start_line) || !Number.isInteger(a.end_line))
      return 'an annotation needs path, start_line and end_line';
    if (!['notice', 'warning', 'failure'].includes(a.annotation_level)) return 'bad annotation_level';
    if (typeof a.message !== 'string' || Buffer.byteLength(a.message) > 64 * 1024) return 'bad message';
    if (a.title !== undefined && a.title.length > 255) return 'title over 255 characters';
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line)
      return 'columns on a span of several lines';
  }
  return undefined;
}

/** How a repository's contents answer: as GitHub does for a private repository, a spent limit, a stall. */
export type RepoMode = 'private' | 'rate-limited' | 'too-many' | 'slow' | 'flaky';

/** Just enough of the GitHub REST API for issue comments and repository contents, in memory, on 127.0.0.1. */
export class FakeGitHub {
  readonly requests: Recorded[] = [];
  readonly comments: { id: number; body: string; user: User }[] = [];
  mode: Mode = 'ok';
  /** Repository contents by `owner/repo/path` (any ref); `contentsOf` answers what this map does not. */
  readonly files = new Map<string, string>();
  contentsOf: ((owner: string, repo: string, path: string) => string | undefined) | undefined;
  readonly repoModes = new Map<string, RepoMode>();
  /** GraphQL refused (as where it is switched off): the viewer's login cannot be learnt there. */
  graphqlForbidden = false;
  /** Answer contents as the base64 JSON object even when the raw form is asked for. */
  base64 = false;
  private flaked = new Set<string>();
  /** Files served by the contents API for any repository, by `path@ref` (the base policy). */
  readonly contents = new Map<string, string>();
  /** Check runs in the order they were created. */
  readonly checkRuns: CheckRun[] = [];
  /** What the n-th check-run request (from 1) answers instead, as in an outage or at a spent rate limit. */
  checkRunFault:
    ((n: number) => number | { status: number; headers: Record<string, string> } | undefined) | undefined;
  private checkRunCalls = 0;
  /** Check runs count from their own number, so the comments keep theirs. */
  private nextCheckRunId = 5000;
  private server: Server | undefined;
  private nextId = 100;

  /** Forgets the check runs and any fault, between tests. */
  resetChecks(): void {
    this.checkRuns.length = 0;
    this.checkRunFault = undefined;
    this.checkRunCalls = 0;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.read(req).then((body) => {
        this.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorized: /^(token|Bearer) \S+/.test(req.headers.authorization ?? ''),
          authorization: req.headers.authorization ?? '',
          body,
        });
        const contents = /^\/repos\/([^/]+)\/([^/]+)\/contents\/([^?]+)/.exec(req.url ?? '');
        if (req.method === 'GET' && contents) {
          const [owner, repo, path] = contents.slice(1).map(decodeURIComponent) as [string, string, string];
          // Remote callees (`files`, `contentsOf`, `repoModes`); the base policy (`contents` by path@ref)
          // goes on below, where the server-wide mode applies.
          if (this.servesRepo(owner, repo, path)) return this.serveContents(owner, repo, path, req, res);
        }
        if (this.mode === 'hang') return; // never answers
        const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(data));
        };
        if (this.mode === 'forbidden')
          return send(403, { message: 'Resource not accessible by integration' });
        if (this.mode === 'error') return send(502, { message: 'Bad gateway' });
        const path = (req.url ?? '').split('?')[0]!;
        const user = userOf(req.headers.authorization);
        if (req.method === 'GET' && path === '/user')
          return user.type === 'Bot'
            ? send(403, { message: 'Resource not accessible by integration' })
            : send(200, { login: user.login, type: user.type });
        // GraphQL's viewer answers for every token, installation tokens included (as GitHub's does).
        if (req.method === 'POST' && path === '/graphql')
          return this.graphqlForbidden
            ? send(403, { message: 'Resource not accessible by integration' })
            : send(200, { data: { viewer: { login: user.login } } });
        const content = /^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/.exec(path);
        if (req.method === 'GET' && content) {
          const ref = new URL(req.url ?? '', 'http://x').searchParams.get('ref');
          const text = this.contents.get(`${decodeURIComponent(content[1]!)}@${ref}`);
          if (text === undefined) return send(404, { message: 'Not Found' });
          res.writeHead(200, { 'content-type': 'application/vnd.github.raw+json' });
          return res.end(text);
        }
        if (req.method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(path))
          return send(200, this.comments);
        if (req.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(path)) {
          const comment = { id: this.nextId++, body: (JSON.parse(body) as { body: string }).body, user };
          this.comments.push(comment);
          return send(201, comment);
        }
        const update = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
        if (req.method === 'PATCH' && update) {
          const comment = this.comments.find((c) => c.id === Number(update[1]));
          if (!comment) return send(404, { message: 'Not Found' });
          if (comment.user.login !== user.login) return send(403, { message: 'Not the author' });
          comment.body = (JSON.parse(body) as { body: string }).body;
          return send(200, comment);
        }
        const checks = /^\/repos\/([^/]+)\/([^/]+)\/check-runs(?:\/(\d+))?$/.exec(path);
        if (checks) return this.checkRun(req.method ?? '', checks[3], body, send);
        return send(404, { message: 'Not Found' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private checkRun(
    method: string,
    id: string | undefined,
    text: string,
    send: (status: number, data: unknown, headers?: Record<string, string>) => void,
  ): void {
    const fault = this.checkRunFault?.(++this.checkRunCalls);
    if (typeof fault === 'number') return send(fault, { message: 'Server Error' });
    if (fault) return send(fault.status, { message: 'API rate limit exceeded' }, fault.headers);
    const body = JSON.parse(text) as CheckRunBody;
    const creating = method === 'POST' && id === undefined;
    const invalid = invalidCheckRun(body, creating);
    if (invalid) return send(422, { message: `Invalid request.\n\n${invalid}` });
    const page = (run: CheckRun): unknown => ({
      id: run.id,
      html_url: `https://github.com/octo/repo/runs/${run.id}`,
    });
    if (creating) {
      const run: CheckRun = {
        id: this.nextCheckRunId++,
        name: body.name!,
        head_sha: body.head_sha!,
        ...(body.status ? { status: body.status } : {}),
        ...(body.conclusion ? { conclusion: body.conclusion } : {}),
        output: { title: body.output?.title ?? '', summary: body.output?.summary ?? '' },
        annotations: [...(body.output?.annotations ?? [])],
      };
      this.checkRuns.push(run);
      return send(201, page(run));
    }
    const run = this.checkRuns.find((r) => r.id === Number(id));
    if (method !== 'PATCH' || !run) return send(404, { message: 'Not Found' });
    // Each update appends its annotations to those the run has.
    run.annotations.push(...(body.output?.annotations ?? []));
    if (body.output) run.output = { title: body.output.title!, summary: body.output.summary! };
    return send(200, page(run));
  }

  private servesRepo(owner: string, repo: string, path: string): boolean {
    return (
      this.repoModes.has(`${owner}/${repo}`) ||
      this.files.has(`${owner}/${repo}/${path}`) ||
      this.contentsOf?.(owner, repo, path) !== undefined
    );
  }

  private serveContents(
    owner: string,
    repo: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const mode = this.repoModes.get(`${owner}/${repo}`);
    const json = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(data));
    };
    if (mode === 'slow') return; // never answers: the client's timeout ends it
    if (mode === 'private') return json(404, { message: 'Not Found' });
    if (mode === 'rate-limited')
      return json(
        403,
        { message: 'API rate limit exceeded' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1800000000' },
      );
    if (mode === 'too-many') return json(429, { message: 'Too many requests' }, { 'retry-after': '60' });
    if (mode === 'flaky' && !this.flaked.has(req.url ?? '')) {
      this.flaked.add(req.url ?? '');
      return json(502, { message: 'Bad gateway' });
    }
    const text = this.files.get(`${owner}/${repo}/${path}`) ?? this.contentsOf?.(owner, repo, path);
    if (text === undefined) return json(404, { message: 'Not Found' });
    if (!this.base64 && /application\/vnd\.github\.raw/.test(req.headers.accept ?? '')) {
      res.writeHead(200, { 'content-type': 'application/vnd.github.raw+json; charset=utf-8' });
      res.end(text);
      return;
    }
    json(200, {
      type: 'file',
      encoding: 'base64',
      path,
      content: Buffer.from(text)
        .toString('base64')
        .replace(/(.{60})/g, '$1\n'),
    });
  }

  private read(req: IncomingMessage): Promise<string> {
    return new Promise((resolve) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => resolve(data));
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
