import { ApiFailure, ApiStopped, type GitHubApi, type GraphQLError } from './github-api.js';

/** A GraphQL string literal: JSON's escapes are GraphQL's, so a name from the API cannot break out of it. */
export const literal = (text: string): string => JSON.stringify(text);

/** Asked in every query, so each answer says how much of the rate limit is left. */
const RATE_LIMIT = 'rateLimit { remaining resetAt }';

/** Answers that a smaller query may not get: a timeout or an answer too large to take. */
function splittable(error: unknown): boolean {
  return (
    error instanceof ApiFailure &&
    (error.status === undefined || error.status === 413 || error.status === 502 || error.status === 504)
  );
}

/**
 * GitHub's wordings of a refusal that say which kind of token lacks access, each told in our own words.
 * Only these are recognised: the server's text is never repeated, since an error may quote names a
 * listing or a caller supplied.
 */
const FORBIDDEN_BECAUSE: readonly (readonly [RegExp, string])[] = [
  [/^resource not accessible by integration\.?$/i, 'a GitHub App installation that does not grant it'],
  [/^resource not accessible by personal access token\.?$/i, 'a fine-grained token that does not grant it'],
];

/** What an error GitHub placed under one alias says, in one line of our own words. */
export function aliasReason(error: GraphQLError): string {
  if (error.type === 'NOT_FOUND') return 'not found, or not readable with this token';
  if (error.type === 'FORBIDDEN') {
    const message = String(error.message ?? '').trim();
    const because = FORBIDDEN_BECAUSE.find(([wording]) => wording.test(message))?.[1];
    return because ? `the token may not read it (${because})` : 'the token may not read it';
  }
  const type = typeof error.type === 'string' && /^[A-Z_]{1,40}$/.test(error.type) ? ` (${error.type})` : '';
  return `GitHub gave an error for it${type}`;
}

export interface BatchItem {
  /** Its share of a query (the files it asks for); 1 when unset. */
  weight?: number;
  /** The aliased field(s) this item asks for, given its alias. */
  fields(alias: string): string;
  /** Its part of the answer; `errors` are those GitHub placed under its alias. */
  take(value: unknown, errors: GraphQLError[]): void;
  /** Why it could not be asked or answered. */
  fail(reason: string): void;
}

/**
 * Asks for `items` through aliases, up to `size` of weight to a query: an error under one alias fails
 * that item and the rest of the batch stands. A query that times out or answers too much is asked again
 * in halves; once the run can ask no more, every item left fails with the reason.
 */
export async function inBatches(api: GitHubApi, items: BatchItem[], size: number): Promise<void> {
  const batches: BatchItem[][] = [];
  let weight = 0;
  for (const item of items) {
    const w = item.weight ?? 1;
    if (batches.length === 0 || weight + w > size) {
      batches.push([]);
      weight = 0;
    }
    batches.at(-1)!.push(item);
    weight += w;
  }
  await Promise.all(batches.map((batch) => ask(api, batch)));
}

async function ask(api: GitHubApi, batch: BatchItem[]): Promise<void> {
  const fields = batch.map((item, i) => item.fields(`a${i}`)).join(' ');
  // String literals (paths, names) are left out: a file named `...File` spreads nothing.
  const fragments = [...fragmentsOf(fields.replace(/"(?:[^"\\]|\\.)*"/g, '""'))].map(
    (name) => FRAGMENTS[name]!,
  );
  const query = [`query { ${RATE_LIMIT} ${fields} }`, ...fragments].join(' ');
  let answer;
  try {
    answer = await api.graphql(query);
  } catch (error) {
    if (error instanceof ApiStopped) {
      for (const item of batch) item.fail(`not read: ${error.message}`);
      return;
    }
    if (batch.length > 1 && splittable(error)) {
      const half = Math.ceil(batch.length / 2);
      await Promise.all([ask(api, batch.slice(0, half)), ask(api, batch.slice(half))]);
      return;
    }
    for (const item of batch) item.fail((error as Error).message);
    return;
  }
  const placed = new Set<GraphQLError>();
  batch.forEach((item, i) => {
    const alias = `a${i}`;
    const errors = answer.errors.filter((e) => e.path?.[0] === alias);
    for (const e of errors) placed.add(e);
    item.take(answer.data?.[alias], errors);
  });
  // An error under no alias is about the whole query: nothing in it can be trusted to be complete.
  const whole = answer.errors.find((e) => !placed.has(e));
  if (whole && !answer.data) for (const item of batch) item.fail(aliasReason(whole));
}

/** The pieces every query may name: a folder with one level below it, an entry, a file with its text. */
const FRAGMENTS: Record<string, string> = {
  Entry: 'fragment Entry on TreeEntry { name type mode object { ... on Blob { byteSize } } }',
  Level:
    'fragment Level on TreeEntry { name type mode object { ... on Blob { byteSize } ... on Tree { entries { ...Entry } } } }',
  Folder: 'fragment Folder on TreeEntry { type mode object { ... on Tree { entries { ...Level } } } }',
  File: 'fragment File on TreeEntry { type mode object { ... on Blob { oid byteSize isBinary isTruncated text } } }',
  Listed:
    'fragment Listed on Repository { nameWithOwner isArchived isFork defaultBranchRef { target { oid } } }',
};

/** The fragments a text spreads, and those they spread in turn, each once. */
function fragmentsOf(text: string, found = new Set<string>()): Set<string> {
  for (const spread of text.match(/\.\.\.[A-Z]\w*/g) ?? []) {
    const name = spread.slice(3);
    if (found.has(name) || !FRAGMENTS[name]) continue;
    found.add(name);
    fragmentsOf(FRAGMENTS[name], found);
  }
  return found;
}
