import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ApiMode = 200 | 401 | 403 | 500 | 'hang';

/** Stands in for the API's /v1/models on 127.0.0.1 and records what it was sent. */
export class FakeAnthropic {
  mode: ApiMode = 200;
  organization = 'org-test-0001';
  readonly requests: { url: string; apiKey: string | undefined; version: string | undefined }[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests.push({
        url: req.url ?? '',
        apiKey: req.headers['x-api-key'] as string | undefined,
        version: req.headers['anthropic-version'] as string | undefined,
      });
      if (this.mode === 'hang') return;
      res.writeHead(this.mode, {
        'content-type': 'application/json',
        'anthropic-organization-id': this.organization,
        'request-id': 'req_1',
      });
      res.end(
        JSON.stringify(
          this.mode === 200 ? { data: [{ id: 'claude-x' }] } : { error: { type: 'authentication_error' } },
        ),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
