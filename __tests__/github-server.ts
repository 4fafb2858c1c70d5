import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mode = 'ok' | 'forbidden' | 'error' | 'hang';

export interface User {
  login: string;
  type: 'User' | 'Bot';
}

/** Who a token speaks as: installation tokens (`ghs_`) are the Actions bot, others a person. */
export function userOf(authorization: string | undefined): User {
  const token = /^(?:token|Bearer) (\S+)/.exec(authorization ?? '')?.[1] ?? '';
  return token.startsWith('ghs_')
    ? { login: 'github-actions[bot]', type: 'Bot' }
    : { login: 'octo-maintainer', type: 'User' };
}

export interface Recorded {
  method: string;
  url: string;
  authorized: boolean;
  body: string;
}

/** Just enough of the GitHub REST API for issue comments, in memory, on 127.0.0.1. */
export class FakeGitHub {
  readonly requests: Recorded[] = [];
  readonly comments: { id: number; body: string; user: User }[] = [];
  mode: Mode = 'ok';
  /** Files served by the contents API, by `path@ref`. */
  readonly contents = new Map<string, string>();
  private server: Server | undefined;
  private nextId = 100;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.read(req).then((body) => {
        this.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorized: /^(token|Bearer) \S+/.test(req.headers.authorization ?? ''),
          body,
        });
        if (this.mode === 'hang') return; // never answers
        const send = (status: number, data: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' });
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
        return send(404, { message: 'Not Found' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
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
