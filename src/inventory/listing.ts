import { UsageError } from '../load.js';
import type { GitHubApi } from '../sources/github-api.js';
import { aliasReason, inBatches, literal, type BatchItem } from '../sources/graphql-batch.js';

/** A repository as the listing gives it; `commit` is its default branch's head, null when it has none. */
export interface Listed {
  name: string;
  archived: boolean;
  fork: boolean;
  commit: string | null;
}

/** What a listing found; `stopped` says why it ended before the last page. */
export interface Listing {
  repos: Listed[];
  unreadable: Unreadable[];
  stopped?: string;
}

export interface Unreadable {
  repository: string;
  reason: string;
}

/** GitHub's own form of an owner or repository name; anything else from the API is not used as one. */
const NAME_PART = /^[A-Za-z0-9_.-]{1,100}$/;
export const REPOSITORY_NAME = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export function isOwnerName(name: string): boolean {
  return NAME_PART.test(name) && name !== '.' && name !== '..';
}

export function isRepositoryName(name: string): boolean {
  return REPOSITORY_NAME.test(name) && name.split('/').every(isOwnerName);
}

const PAGE = 100;
const NAMED_BATCH = 50;

interface ApiRepository {
  nameWithOwner?: unknown;
  isArchived?: unknown;
  isFork?: unknown;
  defaultBranchRef?: { target?: { oid?: unknown } | null } | null;
}

/** A listed repository, or why what the API named cannot be one. */
function listed(raw: ApiRepository | null | undefined): Listed | Unreadable {
  const name = typeof raw?.nameWithOwner === 'string' ? raw.nameWithOwner : '';
  if (!isRepositoryName(name))
    return {
      repository: name.slice(0, 200) || '(no name)',
      reason: 'the API named it in a form GitHub does not use',
    };
  const oid = raw?.defaultBranchRef?.target?.oid;
  if (oid !== undefined && oid !== null && !(typeof oid === 'string' && COMMIT.test(oid)))
    return { repository: name, reason: 'the API gave its head commit in a form git does not use' };
  return {
    name,
    archived: raw?.isArchived === true,
    fork: raw?.isFork === true,
    commit: (oid as string) ?? null,
  };
}

/** Every repository `owner` (an organisation or a user) owns, a hundred a query. */
export async function listOwner(api: GitHubApi, owner: string): Promise<Listing> {
  const repos: Listed[] = [];
  const unreadable: Unreadable[] = [];
  let after: string | undefined;
  for (;;) {
    let answer;
    try {
      answer = await api.graphql(
        `query { rateLimit { remaining resetAt } owner: repositoryOwner(login: ${literal(owner)}) { repositories(first: ${PAGE}${after ? `, after: ${literal(after)}` : ''}, ownerAffiliations: [OWNER], orderBy: {field: NAME, direction: ASC}) { pageInfo { hasNextPage endCursor } nodes { ...Listed } } } } fragment Listed on Repository { nameWithOwner isArchived isFork defaultBranchRef { target { oid } } }`,
      );
    } catch (error) {
      if (repos.length === 0 && after === undefined)
        throw new UsageError(`${owner}'s repositories could not be listed: ${(error as Error).message}`);
      return {
        repos,
        unreadable,
        stopped: `the listing stopped after ${repos.length} repositories: ${(error as Error).message}`,
      };
    }
    const page = (
      answer.data?.owner as {
        repositories?: { pageInfo?: { hasNextPage?: unknown; endCursor?: unknown }; nodes?: unknown };
      } | null
    )?.repositories;
    if (!page) {
      const why = answer.errors[0] ? aliasReason(answer.errors[0]) : 'no organisation or user of that name';
      throw new UsageError(`${owner}'s repositories could not be listed: ${why}`);
    }
    for (const raw of Array.isArray(page.nodes) ? (page.nodes as ApiRepository[]) : []) {
      const one = listed(raw);
      if ('name' in one) repos.push(one);
      else unreadable.push(one);
    }
    if (page.pageInfo?.hasNextPage !== true || typeof page.pageInfo.endCursor !== 'string') break;
    after = page.pageInfo.endCursor;
  }
  return { repos, unreadable };
}

/** The repositories named (`owner/name`), fifty a query; one that is not there is unreadable, with the reason. */
export async function listNamed(api: GitHubApi, names: string[]): Promise<Listing> {
  const repos: Listed[] = [];
  const unreadable: Unreadable[] = [];
  const items: BatchItem[] = names.map((name) => {
    const [owner, repo] = name.split('/') as [string, string];
    return {
      fields: (alias) =>
        `${alias}: repository(owner: ${literal(owner)}, name: ${literal(repo)}) { ...Listed }`,
      take: (value, errors) => {
        if (!value) {
          unreadable.push({
            repository: name,
            reason: errors[0] ? aliasReason(errors[0]) : 'not found, or not readable with this token',
          });
          return;
        }
        const one = listed(value as ApiRepository);
        if ('name' in one) repos.push(one);
        else unreadable.push({ repository: name, reason: one.reason });
      },
      fail: (reason) => unreadable.push({ repository: name, reason }),
    };
  });
  await inBatches(api, items, NAMED_BATCH);
  return { repos, unreadable };
}
