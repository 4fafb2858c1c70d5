import { aliasReason, inBatches, literal } from './graphql-batch.js';
import type { GitHubApi } from './github-api.js';
import type { Content, ContentSource } from './source.js';

const PER_QUERY = 50;

interface Asked {
  owner: string;
  repo: string;
  ref: string;
  path: string;
  resolve: (content: Content) => void;
}

/**
 * Callee texts through GraphQL, many a query: the reads asked in the same turn of the event loop (every
 * repository's callees at one depth) go out together. Each (repository, ref, path) is asked once a run.
 */
export class GraphQLContents implements ContentSource {
  private readonly answers = new Map<string, Promise<Content>>();
  private waiting: Asked[] = [];

  constructor(
    private readonly api: GitHubApi,
    private readonly maxBytes: number,
  ) {}

  get(owner: string, repo: string, ref: string, path: string): Promise<Content> {
    const key = `${owner.toLowerCase()}/${repo.toLowerCase()}\0${ref}\0${path}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = new Promise<Content>((resolve) => {
        if (this.waiting.length === 0) setImmediate(() => void this.flush());
        this.waiting.push({ owner, repo, ref, path, resolve });
      });
      this.answers.set(key, answer);
    }
    return answer;
  }

  private async flush(): Promise<void> {
    const asked = this.waiting;
    this.waiting = [];
    await inBatches(
      this.api,
      asked.map((a) => ({
        fields: (alias) =>
          `${alias}: repository(owner: ${literal(a.owner)}, name: ${literal(a.repo)}) { object(expression: ${literal(`${a.ref}:${a.path}`)}) { ... on Blob { byteSize isBinary isTruncated text } } }`,
        take: (value, errors) => a.resolve(this.content(value, errors, `${a.owner}/${a.repo}`)),
        fail: (reason) => a.resolve({ why: reason }),
      })),
      PER_QUERY,
    );
  }

  private content(value: unknown, errors: { message: string; type?: string }[], repository: string): Content {
    const missing = `not found, or not readable with this token: give GITHUB_TOKEN a token that can read ${repository}`;
    if (!value)
      return errors[0] && errors[0].type !== 'NOT_FOUND'
        ? { why: aliasReason(errors[0]) }
        : { why: missing, missing: true };
    const blob = (value as { object?: Record<string, unknown> | null }).object;
    if (!blob) return { why: missing, missing: true };
    if (typeof blob.byteSize === 'number' && blob.byteSize > this.maxBytes)
      return { why: `it is over the size limit of ${this.maxBytes} bytes` };
    if (blob.isBinary !== false || typeof blob.text !== 'string') return { why: 'it is not text' };
    if (blob.isTruncated !== false) return { why: 'it is too large for the API to return whole' };
    return { text: blob.text };
  }
}
