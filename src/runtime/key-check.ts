/** The opt-in live check: one request to the cheapest authenticated endpoint, never retried. */

export interface KeyCheck {
  result: 'valid' | 'invalid' | 'forbidden' | 'unexpected' | 'no-network';
  status?: number;
  /** `anthropic-organization-id`: the organisation that owns the key, so the one that pays. */
  organization?: string;
  detail?: string;
}

export async function checkKey(baseUrl: string, key: string, timeoutMs = 5000): Promise<KeyCheck> {
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/models?limit=1`;
  try {
    const response = await fetch(url, {
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    const organization = response.headers.get('anthropic-organization-id') ?? undefined;
    const out: KeyCheck = { result: 'unexpected', status: response.status };
    if (organization) out.organization = organization;
    if (response.status === 200) out.result = 'valid';
    else if (response.status === 401) out.result = 'invalid';
    else if (response.status === 403) out.result = 'forbidden';
    return out;
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string } };
    const detail =
      e.name === 'TimeoutError'
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : (e.cause?.code ?? e.name ?? 'network error');
    return { result: 'no-network', detail };
  }
}
