/** The opt-in live check: one request to the cheapest authenticated endpoint, never retried. */

import { apiAnswered, describeRequestFailure } from '../api-failure.js';

export interface KeyCheck {
  result: 'valid' | 'invalid' | 'forbidden' | 'unexpected' | 'no-network';
  status?: number;
  /** `anthropic-organization-id`: the organisation that owns the key, so the one that pays. */
  organization?: string;
  /** Why the answer says nothing about the key, in the words of every API failure (api-failure.ts). */
  detail?: string;
}

/** An organisation id is a UUID; anything else in the header is not printed (it would be the server's words). */
const ORGANIZATION_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Why the key may not be sent to this base URL, or undefined when it may. */
export function refusedBaseUrl(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'ANTHROPIC_BASE_URL is not a URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return undefined;
  return `ANTHROPIC_BASE_URL uses ${url.protocol.replace(':', '')}, and the key is only sent over https (or to this machine)`;
}

export async function checkKey(baseUrl: string, key: string, timeoutMs = 5000): Promise<KeyCheck> {
  const refused = refusedBaseUrl(baseUrl);
  if (refused) return { result: 'unexpected', detail: `not sent: ${refused}` };
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/models?limit=1`;
  try {
    const response = await fetch(url, {
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      signal: AbortSignal.timeout(timeoutMs),
      // A redirect would carry x-api-key to whatever origin it names: never follow one.
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (response.status >= 300 && response.status < 400)
      return {
        result: 'unexpected',
        status: response.status,
        detail: `the Anthropic API answered with a redirect (HTTP ${response.status}), not followed`,
      };
    const header = response.headers.get('anthropic-organization-id') ?? undefined;
    const out: KeyCheck = { result: 'unexpected', status: response.status };
    if (header !== undefined) {
      if (ORGANIZATION_ID.test(header)) out.organization = header;
      else out.detail = 'the organisation header is not an organisation id';
    }
    if (response.status === 200) out.result = 'valid';
    else if (response.status === 401) out.result = 'invalid';
    else if (response.status === 403) out.result = 'forbidden';
    else out.detail = apiAnswered(response.status, 'Anthropic');
    return out;
  } catch (error) {
    return {
      result: 'no-network',
      detail: describeRequestFailure(error, { api: 'Anthropic', timeoutMs, url: baseUrl }),
    };
  }
}
