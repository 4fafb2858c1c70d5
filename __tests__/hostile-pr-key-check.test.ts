/**
 * verify-key: the key goes to one https origin only; a redirect or plain http elsewhere gets nothing, and an
 * answer's header cannot forge an organisation.
 */
import { describe, expect, it } from '@jest/globals';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkKey } from '../src/runtime/key-check.js';
import { PATIENT_MS } from './helpers.js';

describe('verify-key sends the key to one https origin only', () => {
  /** A server on 127.0.0.1 that answers every request with `answer` and records the x-api-key it got. */
  async function serve(
    answer: (res: ServerResponse) => void,
  ): Promise<{ url: string; keys: (string | undefined)[]; close: () => Promise<void> }> {
    const keys: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      keys.push(req.headers['x-api-key'] as string | undefined);
      answer(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      keys,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  const KEY = 'sk-ant-api03-' + 'k'.repeat(40);

  it('a redirect to another origin is not followed, and the key never reaches it', async () => {
    const elsewhere = await serve((res) => res.writeHead(200).end('{}'));
    const redirecting = await serve((res) =>
      res.writeHead(307, { location: `${elsewhere.url}/v1/models?limit=1` }).end(),
    );
    const check = await checkKey(redirecting.url, KEY, PATIENT_MS);
    expect(check).toEqual({
      result: 'unexpected',
      status: 307,
      detail: 'the Anthropic API answered with a redirect (HTTP 307), not followed',
    });
    expect(redirecting.keys).toEqual([KEY]);
    expect(elsewhere.keys).toEqual([]);
    await Promise.all([elsewhere.close(), redirecting.close()]);
  });

  it('plain http to another host is refused before any request; a forged organisation header is not kept', async () => {
    expect(await checkKey('http://api.example.invalid', KEY)).toEqual({
      result: 'unexpected',
      detail:
        'not sent: ANTHROPIC_BASE_URL uses http, and the key is only sent over https (or to this machine)',
    });
    const forged = await serve((res) =>
      res.writeHead(200, { 'anthropic-organization-id': '<img src=x>@octo-org/admins' }).end('{}'),
    );
    const check = await checkKey(forged.url, KEY, PATIENT_MS);
    expect(check).toEqual({
      result: 'valid',
      status: 200,
      detail: 'the organisation header is not an organisation id',
    });
    await forged.close();
  });
});
