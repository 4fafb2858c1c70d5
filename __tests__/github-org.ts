import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake GitHub for whole organisations on 127.0.0.1: GraphQL (a small interpreter of the queries a
 * client sends, over repositories held in memory, with pagination, per-alias errors and the rate limit)
 * and the REST blob endpoint beside it. Self-contained (node: imports only), so the benchmark can run it
 * too. Every request is recorded and counted.
 */

export type FileContent = string | Buffer | { link: string };

export interface FakeRepository {
  /** `owner/name` as GitHub spells it. */
  name: string;
  archived?: boolean;
  fork?: boolean;
  /** The default branch's head; absent for a repository with no commits. */
  commit?: string;
  files: Map<string, FileContent>;
  /** Answered as GitHub answers a repository the token may not read. */
  forbidden?: boolean;
}

export interface OrgRequest {
  kind: 'graphql' | 'rest';
  status: number;
  /** The repositories whose files (trees or texts) this request asked for. */
  filesOf: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---- a small GraphQL reader ---------------------------------------------------------------------------

type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | { enum: string };
interface Field {
  alias: string;
  name: string;
  args: Record<string, Value>;
  selections?: Selection[];
}
type Selection = Field | { on: string; selections: Selection[] } | { spread: string };

function tokens(text: string): string[] {
  const out: string[] = [];
  const pattern = /\s+|,|#[^\n]*|"(?:[^"\\]|\\.)*"|\.\.\.|[{}():[\]!$=@]|-?\d+(?:\.\d+)?|[_A-Za-z]\w*/gy;
  let m: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (m = pattern.exec(text))) {
    if (!/^(\s+|,|#.*)$/s.test(m[0])) out.push(m[0]);
  }
  if (pattern.lastIndex < text.length) throw new Error(`syntax error at ${pattern.lastIndex}`);
  return out;
}

class Reader {
  private at = 0;
  readonly fragments = new Map<string, { on: string; selections: Selection[] }>();
  operation: Selection[] = [];

  constructor(private readonly t: string[]) {
    while (this.at < t.length) {
      if (t[this.at] === 'fragment') {
        this.at++;
        const name = this.next();
        this.expect('on');
        const on = this.next();
        this.fragments.set(name, { on, selections: this.set() });
      } else {
        if (t[this.at] === 'query') {
          this.at++;
          if (t[this.at] !== '{') this.at++;
        }
        this.operation = this.set();
      }
    }
  }

  private next(): string {
    const token = this.t[this.at++];
    if (token === undefined) throw new Error('unexpected end of query');
    return token;
  }

  private expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new Error(`expected ${token}, got ${got}`);
  }

  private set(): Selection[] {
    this.expect('{');
    const out: Selection[] = [];
    while (this.t[this.at] !== '}') out.push(this.selection());
    this.at++;
    return out;
  }

  private selection(): Selection {
    if (this.t[this.at] === '...') {
      this.at++;
      if (this.t[this.at] === 'on') {
        this.at++;
        const on = this.next();
        return { on, selections: this.set() };
      }
      return { spread: this.next() };
    }
    let name = this.next();
    const alias = name;
    if (this.t[this.at] === ':') {
      this.at++;
      name = this.next();
    }
    const args: Record<string, Value> = {};
    if (this.t[this.at] === '(') {
      this.at++;
      while (this.t[this.at] !== ')') {
        const key = this.next();
        this.expect(':');
        args[key] = this.value();
      }
      this.at++;
    }
    const field: Field = { alias, name, args };
    if (this.t[this.at] === '{') field.selections = this.set();
    return field;
  }

  private value(): Value {
    const token = this.next();
    if (token.startsWith('"')) return JSON.parse(token) as string;
    if (/^-?\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (token === '[') {
      const list: Value[] = [];
      while (this.t[this.at] !== ']') list.push(this.value());
      this.at++;
      return list;
    }
    if (token === '{') {
      const object: Record<string, Value> = {};
      while (this.t[this.at] !== '}') {
        const key = this.next();
        this.expect(':');
        object[key] = this.value();
      }
      this.at++;
      return object;
    }
    return { enum: token };
  }
}

// ---- the fake --------------------------------------------------------------------------------------------

const LINK = 0o120000;

interface Node {
  type: string;
  value: unknown;
}

export class FakeGitHubOrg {
  readonly repositories = new Map<string, FakeRepository>();
  readonly requests: OrgRequest[] = [];
  /** Request numbers (1-based) answered with a secondary rate limit and `retry-after: 1`. */
  readonly secondaryAt = new Set<number>();
  /** Blob texts longer than this come back cut (`isTruncated`), as GitHub cuts large blobs. */
  truncateAbove = 512 * 1024;
  rateRemaining = 5000;
  /** Requests the fake itself could not answer (a query it cannot read): a test asserts there are none. */
  readonly failures: string[] = [];
  /** The owner the listing serves (an organisation). */
  owner = 'acme';
  private server: Server | undefined;
  private readonly blobs = new Map<string, Buffer>();
  private filesOf = new Set<string>();

  add(repository: FakeRepository): void {
    this.repositories.set(repository.name.toLowerCase(), repository);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) =>
      this.serve(req, res).catch((error: Error) => {
        this.requests.push({ kind: 'graphql', status: 500, filesOf: [] });
        this.failures.push(error.message);
        res.writeHead(500).end(JSON.stringify({ message: error.message }));
      }),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Requests that asked for any file of a repository, by repository. */
  fileRequestsOf(): Set<string> {
    return new Set(this.requests.flatMap((r) => r.filesOf));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const number = this.requests.length + 1;
    const url = req.url ?? '';
    const kind = url.startsWith('/graphql') ? 'graphql' : 'rest';
    this.rateRemaining--;
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(this.rateRemaining),
      'x-ratelimit-reset': '1900000000',
      'x-ratelimit-resource': kind === 'graphql' ? 'graphql' : 'core',
    };
    const send = (status: number, data: Json | Buffer, extra: Record<string, string> = {}): void => {
      this.requests.push({ kind, status, filesOf: [...this.filesOf] });
      this.filesOf = new Set();
      res.writeHead(status, { ...headers, ...extra });
      res.end(Buffer.isBuffer(data) ? data : JSON.stringify(data));
    };
    if (!/^Bearer \S+/.test(req.headers.authorization ?? ''))
      return send(401, { message: 'Bad credentials' });
    if (this.secondaryAt.has(number))
      return send(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' });
    const blob = /^\/repos\/([^/]+)\/([^/]+)\/git\/blobs\/([0-9a-f]+)$/.exec(url);
    if (req.method === 'GET' && blob) {
      const repo = this.repositories.get(
        `${decodeURIComponent(blob[1]!)}/${decodeURIComponent(blob[2]!)}`.toLowerCase(),
      );
      const bytes = this.blobs.get(blob[3]!);
      if (!repo || repo.forbidden || !bytes) return send(404, { message: 'Not Found' });
      this.filesOf.add(repo.name);
      return send(200, bytes, { 'content-type': 'application/vnd.github.raw+json' });
    }
    if (req.method !== 'POST' || kind !== 'graphql') return send(404, { message: 'Not Found' });
    let reader: Reader;
    try {
      reader = new Reader(tokens((JSON.parse(body) as { query: string }).query));
    } catch (error) {
      return send(200, { errors: [{ message: `Parse error: ${(error as Error).message}` }] });
    }
    const errors: Json[] = [];
    const data = this.select(reader, { type: 'Query', value: null }, reader.operation, [], errors);
    send(200, errors.length > 0 ? { data, errors } : { data });
  }

  private select(reader: Reader, node: Node, selections: Selection[], path: string[], errors: Json[]): Json {
    const out: { [key: string]: Json } = {};
    for (const s of selections) {
      if ('spread' in s) {
        const fragment = reader.fragments.get(s.spread);
        if (!fragment) throw new Error(`unknown fragment ${s.spread}`);
        if (fragment.on === node.type)
          Object.assign(out, this.select(reader, node, fragment.selections, path, errors));
      } else if ('on' in s) {
        if (s.on === node.type) Object.assign(out, this.select(reader, node, s.selections, path, errors));
      } else {
        const at = [...path, s.alias];
        const resolved = this.field(node, s, at, errors);
        out[s.alias] = this.shape(reader, resolved, s, at, errors);
      }
    }
    return out;
  }

  private shape(
    reader: Reader,
    resolved: Node | Node[] | Json,
    s: Field,
    path: string[],
    errors: Json[],
  ): Json {
    if (Array.isArray(resolved))
      return resolved.map((n, i) => this.shape(reader, n as Node, s, [...path, String(i)], errors));
    if (resolved && typeof resolved === 'object' && 'type' in resolved && 'value' in resolved && s.selections)
      return this.select(reader, resolved as Node, s.selections, path, errors);
    return resolved as Json;
  }

  private field(node: Node, f: Field, path: string[], errors: Json[]): Node | Node[] | Json {
    const v = node.value as Record<string, unknown>;
    const arg = (name: string): string => String(f.args[name] ?? '');
    switch (`${node.type}.${f.name}`) {
      case 'Query.rateLimit':
        return { cost: 1, remaining: this.rateRemaining, resetAt: '2030-03-17T17:46:40Z' };
      case 'Query.repositoryOwner':
        return arg('login').toLowerCase() === this.owner.toLowerCase() ? { type: 'Owner', value: {} } : null;
      case 'Query.repository': {
        const repo = this.repositories.get(`${arg('owner')}/${arg('name')}`.toLowerCase());
        if (!repo || repo.forbidden) {
          errors.push({
            type: repo ? 'FORBIDDEN' : 'NOT_FOUND',
            path,
            message: repo
              ? 'Resource not accessible by integration'
              : `Could not resolve to a Repository with the name '${arg('owner')}/${arg('name')}'.`,
          });
          return null;
        }
        return { type: 'Repository', value: repo };
      }
      case 'Owner.repositories':
        return this.page(
          Number(f.args.first ?? 30),
          typeof f.args.after === 'string' ? f.args.after : undefined,
        );
      case 'Connection.pageInfo':
      case 'Connection.totalCount':
      case 'PageInfo.hasNextPage':
      case 'PageInfo.endCursor':
        return (v[f.name] ?? null) as Json;
      case 'Connection.nodes':
        return (v.nodes as FakeRepository[]).map((r) => ({ type: 'Repository', value: r }));
      case 'Repository.nameWithOwner':
        return (v as unknown as FakeRepository).name;
      case 'Repository.isArchived':
        return (v as unknown as FakeRepository).archived === true;
      case 'Repository.isFork':
        return (v as unknown as FakeRepository).fork === true;
      case 'Repository.defaultBranchRef': {
        const repo = v as unknown as FakeRepository;
        return repo.commit ? { type: 'Ref', value: { commit: repo.commit } } : null;
      }
      case 'Ref.target':
        return { type: 'Commit', value: { repo: null, oid: v.commit } };
      case 'Commit.oid':
        return v.oid as string;
      case 'Repository.object':
        return this.object(v as unknown as FakeRepository, f.args);
      case 'Commit.tree':
        this.filesOf.add((v.repo as FakeRepository).name);
        return { type: 'Tree', value: { repo: v.repo, path: '' } };
      case 'Commit.file':
        this.filesOf.add((v.repo as FakeRepository).name);
        return this.entry(v.repo as FakeRepository, arg('path'));
      case 'Tree.entries':
        return this.entries(v.repo as FakeRepository, v.path as string);
      case 'TreeEntry.name':
      case 'TreeEntry.type':
      case 'TreeEntry.mode':
        return v[f.name] as Json;
      case 'TreeEntry.object':
        return v.object as Node;
      case 'Blob.oid':
      case 'Blob.byteSize':
      case 'Blob.isBinary':
      case 'Blob.isTruncated':
      case 'Blob.text':
        return v[f.name] as Json;
      case 'PageInfo.__typename':
      default:
        return v && f.name in v ? (v[f.name] as Json) : null;
    }
  }

  private page(first: number, after: string | undefined): Node {
    const all = [...this.repositories.values()]
      .filter((r) => r.name.toLowerCase().startsWith(`${this.owner.toLowerCase()}/`))
      .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
    const start = after === undefined ? 0 : Number(Buffer.from(after, 'base64').toString('utf8'));
    const nodes = all.slice(start, start + Math.min(first, 100));
    const end = start + nodes.length;
    return {
      type: 'Connection',
      value: {
        totalCount: all.length,
        nodes,
        pageInfo: {
          type: 'PageInfo',
          value: { hasNextPage: end < all.length, endCursor: Buffer.from(String(end)).toString('base64') },
        },
      },
    };
  }

  private object(repo: FakeRepository, args: Record<string, Value>): Node | null {
    if (typeof args.oid === 'string')
      return args.oid === repo.commit ? { type: 'Commit', value: { repo, oid: repo.commit } } : null;
    const expression = String(args.expression ?? '');
    const colon = expression.indexOf(':');
    if (colon === -1) return null;
    this.filesOf.add(repo.name);
    const entry = this.entry(repo, expression.slice(colon + 1));
    return entry ? (entry.value as { object: Node }).object : null;
  }

  /** The entry at a path: a folder when some file lies below it, else the file itself; links are blobs. */
  private entry(repo: FakeRepository, path: string): Node | null {
    const name = path.split('/').pop()!;
    const content = repo.files.get(path);
    if (content !== undefined) return this.fileEntry(repo, name, content);
    // A path through a link (or nothing) is not there, as in git.
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) if (repo.files.has(parts.slice(0, i).join('/'))) return null;
    const below = [...repo.files.keys()].some((p) => p.startsWith(`${path}/`));
    return below
      ? {
          type: 'TreeEntry',
          value: { name, type: 'tree', mode: 0o40000, object: { type: 'Tree', value: { repo, path } } },
        }
      : null;
  }

  private fileEntry(repo: FakeRepository, name: string, content: FileContent): Node {
    const link = typeof content === 'object' && !Buffer.isBuffer(content);
    const bytes = link
      ? Buffer.from(content.link)
      : Buffer.isBuffer(content)
        ? content
        : Buffer.from(content);
    const oid = createHash('sha1').update(bytes).digest('hex');
    this.blobs.set(oid, bytes);
    const binary = bytes.includes(0);
    const text = binary ? null : bytes.toString('utf8');
    const cut = text !== null && bytes.length > this.truncateAbove;
    return {
      type: 'TreeEntry',
      value: {
        name,
        type: 'blob',
        mode: link ? LINK : 0o100644,
        object: {
          type: 'Blob',
          value: {
            repo,
            oid,
            byteSize: bytes.length,
            isBinary: binary,
            isTruncated: cut,
            text: cut ? text!.slice(0, this.truncateAbove) : text,
          },
        },
      },
    };
  }

  private entries(repo: FakeRepository, folder: string): Node[] {
    const names = new Set<string>();
    for (const path of repo.files.keys()) {
      if (folder !== '' && !path.startsWith(`${folder}/`)) continue;
      names.add(path.slice(folder === '' ? 0 : folder.length + 1).split('/')[0]!);
    }
    return [...names].sort().map((name) => this.entry(repo, folder === '' ? name : `${folder}/${name}`)!);
  }
}
