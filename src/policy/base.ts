import { readFileSync } from 'node:fs';
import { urlPath } from '../report/escape.js';

/** A policy file is small; a longer answer is not one. */
const POLICY_LIMIT = 1024 * 1024;

export interface BaseRequest {
  apiUrl: string;
  token: string;
  repository: string;
  path: string;
  timeoutMs: number;
}

/** The base commit of the pull request in the event payload, if any. */
export function baseCommit(eventPath: string | undefined): string | undefined {
  if (!eventPath) return undefined;
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as {
      pull_request?: { base?: { sha?: unknown } };
    };
    const sha = event.pull_request?.base?.sha;
    return typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The policy file as the base commit has it, through the contents API (checkouts are shallow, so the
 * base commit is usually not on disk): its text, `null` when the base has none, or why it is unknown.
 */
export async function fetchBasePolicy(
  request: BaseRequest,
  sha: string,
): Promise<{ text: string | null } | { problem: string }> {
  const url = `${request.apiUrl.replace(/\/+$/, '')}/repos/${request.repository}/contents/${urlPath(request.path)}?ref=${sha}`;
  try {
    const response = await fetch(url, {
      headers: {
        accept: 'application/vnd.github.raw+json',
        authorization: `Bearer ${request.token}`,
        'x-github-api-version': '2022-11-28',
      },
      redirect: 'error',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return { text: null };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return { problem: `the GitHub API answered HTTP ${response.status}` };
    }
    const text = await response.text();
    if (text.length > POLICY_LIMIT) return { problem: 'the base policy is larger than a policy file can be' };
    return { text };
  } catch (error) {
    const e = error as { name?: string };
    return {
      problem:
        e.name === 'TimeoutError'
          ? `the GitHub API did not answer within ${Math.round(request.timeoutMs / 1000)} s`
          : 'the GitHub API could not be reached',
    };
  }
}
