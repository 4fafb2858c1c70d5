import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { urlPath } from '../sources/address.js';
import { readAnswer } from '../sources/answer.js';
import { apiAnswered, describeRequestFailure } from '../api-failure.js';

/** A policy file or a workflow is small; a longer answer is not compared. */
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
  return pullRequestOf(eventPath).base;
}

/**
 * What an event payload says of the pull request it is about: whether it is about one (`pull_request`,
 * `pull_request_target`, a comment on a pull request, a `workflow_run` started by one), its base and head
 * commits, the head's branch and the repository that branch lives in (a fork's `main` is not the base's).
 */
export interface PullRequestFacts {
  about?: boolean;
  base?: string;
  head?: string;
  headRef?: string;
  headRepository?: string;
}

interface RefPayload {
  sha?: unknown;
  ref?: unknown;
  repo?: { full_name?: unknown } | null;
}

interface EventPayload {
  pull_request?: { base?: RefPayload; head?: RefPayload };
  issue?: { pull_request?: unknown };
  workflow_run?: {
    event?: unknown;
    head_sha?: unknown;
    head_branch?: unknown;
    head_repository?: { full_name?: unknown } | null;
    pull_requests?: { base?: RefPayload; head?: RefPayload }[];
  };
}

const sha = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[0-9a-f]{40}$/.test(value) ? value : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function factsOf(event: EventPayload): PullRequestFacts {
  const pr = event.pull_request;
  if (pr)
    return {
      about: true,
      base: sha(pr.base?.sha),
      head: sha(pr.head?.sha),
      headRef: text(pr.head?.ref),
      headRepository: text(pr.head?.repo?.full_name),
    };
  const run = event.workflow_run;
  if (run) {
    const listed = Array.isArray(run.pull_requests) ? run.pull_requests[0] : undefined;
    const byPullRequest = /^pull_request/.test(text(run.event) ?? '') || listed !== undefined;
    return {
      about: byPullRequest,
      base: sha(listed?.base?.sha),
      head: sha(run.head_sha),
      headRef: text(run.head_branch),
      headRepository: text(run.head_repository?.full_name),
    };
  }
  return { about: event.issue?.pull_request !== undefined && event.issue.pull_request !== null };
}

/** The pull request the event payload is about, if any (see PullRequestFacts). */
export function pullRequestOf(eventPath: string | undefined): PullRequestFacts {
  if (!eventPath) return {};
  try {
    const facts = factsOf(JSON.parse(readFileSync(eventPath, 'utf8')) as EventPayload);
    return Object.fromEntries(
      Object.entries(facts).filter(([, value]) => value !== undefined),
    ) as PullRequestFacts;
  } catch {
    return {};
  }
}

/** A file as the base commit has it: its text, `null` when the base has none, or why it is unknown. */
export type BaseText = { text: string | null } | { problem: string };

export interface BaseReader {
  /** How the base is read, for the summary: `git` (the commit is in the checkout) or `the GitHub API`. */
  how: string;
  read(path: string): Promise<BaseText>;
}

/**
 * A path inside the repository, as git and the contents API name it: relative, no `..`, no NUL, no
 * leading dash. Anything else is not asked for, so no path can reach outside the repository.
 */
export function repositoryPath(path: string): string | undefined {
  const normal = posix.normalize(path.replace(/\\/g, '/'));
  if (normal.startsWith('/') || normal.startsWith('-') || normal === '.' || normal.includes('\0'))
    return undefined;
  if (normal.split('/').some((part) => part === '..' || part === '.git')) return undefined;
  return normal;
}

function git(
  gitDir: string,
  args: string[],
  maxBuffer: number,
): Promise<{ ok: true; stdout: Buffer } | { ok: false; why: string }> {
  return new Promise((resolve) => {
    // An argv array, no shell; the git folder is named, so git never looks for one above the workspace.
    execFile(
      'git',
      [`--git-dir=${gitDir}`, '--no-replace-objects', ...args],
      { encoding: 'buffer', maxBuffer, timeout: 10_000, windowsHide: true },
      (error, stdout) => {
        if (!error) return resolve({ ok: true, stdout });
        const e = error as NodeJS.ErrnoException & { killed?: boolean };
        resolve({
          ok: false,
          why:
            e.code === 'ENOENT'
              ? 'git is not installed'
              : e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER'
                ? 'the base file is larger than a policy or workflow can be'
                : e.killed
                  ? 'git did not answer within 10 s'
                  : 'git could not read it',
        });
      },
    );
  });
}

/**
 * Reads files of the base commit through git when the commit is in the checkout (a full clone, or
 * `fetch-depth: 0`). Trees are read from the object store, so a link committed in the base is seen as a
 * link (and refused), never followed on disk.
 */
export async function gitBase(gitDir: string, sha: string): Promise<BaseReader | undefined> {
  const present = await git(gitDir, ['cat-file', '-e', `${sha}^{commit}`], 1024);
  if (!present.ok) return undefined;
  return {
    how: 'git',
    async read(path) {
      const inside = repositoryPath(path);
      if (inside === undefined) return { problem: 'the path is not inside the repository' };
      const listed = await git(gitDir, ['ls-tree', '-z', sha, '--', inside], 64 * 1024);
      if (!listed.ok) return { problem: listed.why };
      const entry = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(listed.stdout.toString('utf8'));
      if (!entry) return { text: null };
      if (entry[2] !== 'blob' || entry[1] === '120000')
        return { problem: 'the base has a link or a folder there, not a file' };
      const blob = await git(gitDir, ['cat-file', 'blob', entry[3]!], POLICY_LIMIT + 1);
      if (!blob.ok) return { problem: blob.why };
      return { text: blob.stdout.toString('utf8') };
    },
  };
}

/** Reads files of the base commit through the contents API (checkouts are shallow by default). */
export function apiBase(request: Omit<BaseRequest, 'path'>, sha: string): BaseReader {
  return {
    how: 'the GitHub API',
    read: (path) => {
      const inside = repositoryPath(path);
      if (inside === undefined) return Promise.resolve({ problem: 'the path is not inside the repository' });
      return fetchBasePolicy({ ...request, path: inside }, sha);
    },
  };
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
      return { problem: apiAnswered(response.status) };
    }
    const answer = await readAnswer(response, POLICY_LIMIT);
    if ('over' in answer) return { problem: 'the base file is larger than a policy or workflow can be' };
    if ('cut' in answer) return { problem: 'the answer was cut off' };
    return { text: answer.bytes.toString('utf8') };
  } catch (error) {
    return { problem: describeRequestFailure(error, { timeoutMs: request.timeoutMs, url: request.apiUrl }) };
  }
}
