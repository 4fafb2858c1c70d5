/**
 * What the owners of remote callees control: the `uses:` a pull request writes names the request, and the
 * server answers it. Neither may send a request to an unintended path, nor make a run read without end,
 * in bytes or in time.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isClaudeAction } from '../src/claude/actions.js';
import { loadFiles } from '../src/load.js';
import { readRemoteCallees, type RemoteSettings } from '../src/remote-callees.js';
import { scan } from '../src/scan.js';
import { remoteAddress } from '../src/sources/address.js';
import { GitHubContents } from '../src/sources/github.js';
import { FakeGitHub } from './github-server.js';
import { PATIENT_MS } from './helpers.js';
import { workspace } from './hostile-pr.js';

const TOKEN = 'ghs_remoteReadingCanary0123456789';

const github = new FakeGitHub();
let api = '';
beforeAll(async () => {
  api = await github.start();
});
afterAll(() => github.stop());
beforeEach(() => {
  github.requests.length = 0;
  github.files.clear();
});

function settings(extra: Partial<RemoteSettings> = {}): RemoteSettings {
  return {
    apiUrl: api,
    server: 'https://github.com',
    token: TOKEN,
    timeoutMs: PATIENT_MS,
    tokenHint: 'the action',
    known: isClaudeAction,
    ...extra,
  };
}

/** A workflow with one job per `uses:`, each handed a Claude key, so every one is worth reading. */
function callerOf(uses: readonly string[]): string {
  return (
    'on: pull_request_target\njobs:\n' +
    uses
      .map(
        (u, i) =>
          `  j${i}:\n    runs-on: x\n    timeout-minutes: 5\n    steps:\n      - uses: ${u}\n` +
          `        with:\n          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}\n`,
      )
      .join('')
  );
}

async function readFrom(uses: readonly string[], extra: Partial<RemoteSettings> = {}) {
  const cwd = workspace({}, { '.github/workflows/a.yml': callerOf(uses) });
  const options = { cwd, repoName: 'octo/caller' };
  const remote = await readRemoteCallees([], options, settings(extra));
  return { remote, report: scan(loadFiles([], { ...options, remote: remote.lookup }, [])) };
}

describe('a uses: address cannot name another path than the one written', () => {
  const TRICKS = [
    '../acme/claude@v1',
    './../acme/claude@v1',
    'acme/../claude@v1',
    'acme/..@v1',
    'acme/.@v1',
    './acme@v1',
    '../..@v1',
    'acme/ai/%2e%2e/claude@v1',
    'acme/ai/%2E%2E%2Fclaude@v1',
    'acme/ai//claude@v1',
    'acme/ai/claude//x@v1',
    'acme/ai/..\\claude@v1',
    'acme/ai/claude\\..\\x@v1',
    'acme/ai/claude@../v1',
  ];

  it.each(TRICKS)('%s is no remote address', (uses) => {
    expect(remoteAddress(uses)).toBeUndefined();
  });

  it('is refused before any request, and the plain one beside them is read', async () => {
    github.files.set(
      'acme/ai/claude/action.yml',
      'runs:\n  using: composite\n  steps:\n    - run: claude -p hi\n      shell: bash\n',
    );
    const { remote, report } = await readFrom([...TRICKS, 'acme/ai/claude@v1']);
    expect(github.requests.map((r) => r.url)).toEqual(['/repos/acme/ai/contents/claude/action.yml?ref=v1']);
    expect(remote.failures).toEqual([]);
    // Each refused address stays what it was offline: a program given the key, not read.
    expect(report.routes.map((r) => [r.label, r.route, r.certainty])).toEqual([
      ...TRICKS.map((u) => [u, 'api-key', 'inferred']),
      ['acme/ai/claude@v1 → claude -p', 'subscription-login', 'known'],
    ]);
  });
});

/** A server that answers every request with what `answer` writes, and records what it sent. */
async function serve(answer: (res: import('node:http').ServerResponse, sent: Sent) => void): Promise<{
  url: string;
  sent: Sent;
  server: Server;
}> {
  let closed: () => void = () => undefined;
  const sent: Sent = {
    bytes: 0,
    closedEarly: false,
    requests: 0,
    closed: new Promise<void>((resolve) => (closed = resolve)),
  };
  const server = createServer((req, res) => {
    sent.requests++;
    res.on('close', () => {
      if (!res.writableFinished) sent.closedEarly = true;
      closed();
    });
    answer(res, sent);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent, server };
}

interface Sent {
  bytes: number;
  closedEarly: boolean;
  requests: number;
  /** Settles when the first answer's connection closes, however it ends. */
  closed: Promise<void>;
}

const stop = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('a remote answer is read with a running byte count and a deadline', () => {
  it('a chunked 600 MB answer with no length is cut at the size cap, not read whole', async () => {
    const TOTAL = 600 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const { url, sent, server } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }); // chunked: no content-length
      const more = (): void => {
        while (sent.bytes < TOTAL && !res.destroyed) {
          sent.bytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        if (!res.destroyed) res.end();
      };
      more();
    });
    try {
      const client = new GitHubContents({ apiUrl: url, timeoutMs: PATIENT_MS, maxBytes: 1024 * 1024 });
      expect(await client.get('acme', 'ai', 'v1', 'claude/action.yml')).toEqual({
        why: 'it is over the size limit of 1048576 bytes',
      });
      await sent.closed;
      expect(sent.closedEarly).toBe(true);
      // What the server wrote before it saw the close: the cap, and what the sockets buffered on the way.
      expect(sent.bytes).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await stop(server);
    }
  });

  it('a peer that sends one byte at a time is cut by the deadline of the whole run', async () => {
    const { url, sent, server } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const tick = setInterval(() => {
        if (res.destroyed) return clearInterval(tick);
        sent.bytes++;
        res.write('a');
      }, 20);
      res.on('close', () => clearInterval(tick));
    });
    try {
      // Each request may take a minute; the run's reading as a whole only a moment.
      const client = new GitHubContents({
        apiUrl: url,
        timeoutMs: PATIENT_MS,
        deadlineMs: 300,
        maxBytes: 1024 * 1024,
      });
      const stopped = 'the 0.3 s this run gives remote reading are spent';
      expect(await client.get('acme', 'ai', 'v1', 'claude/action.yml')).toEqual({ why: stopped });
      await sent.closed;
      expect(sent.closedEarly).toBe(true);
      // Later callees are not asked for: the deadline holds for the run.
      expect(await client.get('acme', 'ai', 'v1', 'other/action.yml')).toEqual({ why: stopped });
      expect([sent.requests, client.requests, client.stopped]).toEqual([1, 1, stopped]);
    } finally {
      await stop(server);
    }
  });

  it('the bytes of all remote callees of a run are bounded, like their number', async () => {
    const action = (n: number): string =>
      'inputs:\n  anthropic_api_key: {}\nruns:\n  using: composite\n  steps:\n    - run: claude -p hi\n' +
      '      shell: bash\n      env:\n        ANTHROPIC_API_KEY: ${{ inputs.anthropic_api_key }}\n' +
      `# ${'x'.repeat(3000)} ${n}\n`;
    for (const n of [1, 2, 3]) github.files.set(`acme/ai${n}/claude/action.yml`, action(n));
    const { remote, report } = await readFrom(
      ['acme/ai1/claude@v1', 'acme/ai2/claude@v1', 'acme/ai3/claude@v1'],
      {
        byteBudget: 7000,
      },
    );
    const spent = 'the budget of 7000 bytes of remote callees for this run is spent';
    // Two answers fit; the third passes the budget, is cut there, and no further request is made.
    expect(github.requests.map((r) => r.url)).toEqual([
      '/repos/acme/ai1/contents/claude/action.yml?ref=v1',
      '/repos/acme/ai2/contents/claude/action.yml?ref=v1',
      '/repos/acme/ai3/contents/claude/action.yml?ref=v1',
    ]);
    expect(remote.notes).toEqual([`Some remote callees were not read: ${spent}.`]);
    expect(remote.failures.map((f) => [f.uses, f.why])).toEqual([['acme/ai3/claude@v1', spent]]);
    expect(report.routes.map((r) => [r.label, r.route, r.certainty])).toEqual([
      ['acme/ai1/claude@v1 → claude -p', 'api-key', 'known'],
      ['acme/ai2/claude@v1 → claude -p', 'api-key', 'known'],
      ['acme/ai3/claude@v1', 'api-key', 'inferred'],
    ]);
    expect(JSON.stringify({ remote: remote.notes, report })).not.toContain(TOKEN);
  });
});
