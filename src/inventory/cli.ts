import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { knownWithoutReading } from '../claude/actions.js';
import { readRegularFile, writeInside } from '../files.js';
import { DEFAULT_MAX_BYTES, parseSize, UsageError } from '../load.js';
import { jsonText, terminalText } from '../report/escape.js';
import { type InventoryDocument } from '../report/inventory.js';
import {
  INVENTORY_FORMATS,
  inventoryCsv,
  inventoryJsonPieces,
  inventoryMarkdown,
  inventoryText,
  type InventoryFormat,
} from '../report/inventory-formats.js';
import { sarifOutput } from '../report/sarif.js';
import { writeInBatches } from '../report/stream.js';
import { serverFor } from '../sources/address.js';
import { defaultCacheDir, ShaCache } from '../sources/cache.js';
import { GitHubApi } from '../sources/github-api.js';
import { GraphQLContents } from '../sources/graphql-contents.js';
import { VERSION } from '../version.js';
import { isOwnerName, isRepositoryName } from './listing.js';
import { documentOf, mergeInventories } from './merge.js';
import { reportOf } from './result.js';
import { runInventory, type InventoryRun } from './run.js';
import { parseShard, type Shard } from './shard.js';
import { ResultStore } from './store.js';

/** What the inventory needs of the command line's input and output (the CLI's own io fits it). */
export interface InventoryIo {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  write?: (text: string) => void;
  stderr: (text: string) => void;
  /** Set only when stderr is a terminal: a line that rewrites itself. */
  progress?: (text: string) => void;
}

export const ORG_USAGE = `Usage: claude-route-guard org OWNER [options]
       claude-route-guard merge FILE... [--format F] [--out DIR]

Reads every repository of an organisation or a user through the GitHub API (token from GITHUB_TOKEN or
GH_TOKEN; GITHUB_API_URL, GITHUB_GRAPHQL_URL and GITHUB_SERVER_URL for GitHub Enterprise Server) and says
which Claude Code runs bill whom: the same files a default scan of each repository reads, scanned by the
same engine. merge combines inventory JSON files (shards) into the report one run would have written.

Options:
  --format text|markdown|csv|json|sarif   (default text; sarif writes one file per repository under --out)
  --out DIR                 keep each repository's result there; the next run reads again only
                            repositories whose default branch moved
  --include-archived        take archived repositories too (left out and counted by default)
  --include-forks           take forks too (left out and counted by default)
  --repos FILE              only the owner/name lines of FILE
  --shard I/N               only share I of N, by repository name (merge the shards' JSON)
  --resolve-remote          read remote actions and reusable workflows too (each once a run)
  --max-requests N          at most N API requests, retries included (default 5000)
  --max-file-size BYTES     files over this size are reported, not read (default 5M)
  --cache-dir DIR           where SHA-pinned remote callees are kept
Exit status: 0 every repository taken was read, 1 some could not be (each is listed with the reason),
2 usage error or the owner could not be listed.`;

const DEFAULT_MAX_REQUESTS = 5000;
const TIMEOUT_MS = 30_000;

const ORG_OPTIONS = {
  format: { type: 'string', default: 'text' },
  out: { type: 'string' },
  'include-archived': { type: 'boolean', default: false },
  'include-forks': { type: 'boolean', default: false },
  repos: { type: 'string' },
  shard: { type: 'string' },
  'resolve-remote': { type: 'boolean', default: false },
  'max-requests': { type: 'string' },
  'max-file-size': { type: 'string' },
  'cache-dir': { type: 'string' },
  help: { type: 'boolean', default: false, short: 'h' },
} as const;

function fail(io: InventoryIo, message: string): number {
  io.stderr(terminalText(`claude-route-guard: ${message}`));
  return 2;
}

function formatOf(raw: string, out: string | undefined): InventoryFormat {
  if (!INVENTORY_FORMATS.includes(raw as InventoryFormat))
    throw new UsageError(`--format must be one of ${INVENTORY_FORMATS.join(', ')}, not "${raw}"`);
  if (raw === 'sarif' && out === undefined)
    throw new UsageError('--format sarif writes one file per repository: name the folder with --out DIR');
  return raw as InventoryFormat;
}

/** `owner/name` lines (blank lines and `#` comments skipped), each checked. */
function readRepos(cwd: string, file: string, owner: string): string[] {
  const opened = readRegularFile(resolve(cwd, file), 16 * 1024 * 1024, { followLink: true });
  if (!('bytes' in opened)) throw new UsageError(`--repos ${file}: ${opened.problem}`);
  const names: string[] = [];
  opened.bytes
    .toString('utf8')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.replace(/#.*/, '').trim();
      if (line === '') return;
      if (!isRepositoryName(line) || line.split('/')[0]!.toLowerCase() !== owner.toLowerCase())
        throw new UsageError(
          `--repos ${file}:${i + 1}: "${line}" is not a repository of ${owner} (owner/name)`,
        );
      if (!names.some((n) => n.toLowerCase() === line.toLowerCase())) names.push(line);
    });
  return names;
}

/** `claude-route-guard org OWNER ...` */
export async function runOrg(argv: string[], io: InventoryIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: ORG_OPTIONS });
  } catch (error) {
    return fail(io, `${(error as Error).message.replace(/\.$/, '')}; org --help lists the options`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(ORG_USAGE);
    return 0;
  }
  const env = io.env ?? process.env;
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  let store: ResultStore | undefined;
  try {
    const owner = positionals[0];
    if (positionals.length !== 1 || owner === undefined || !isOwnerName(owner))
      throw new UsageError('org takes one OWNER: an organisation or a user, such as `org acme`');
    const format = formatOf(values.format, values.out);
    if (!token)
      throw new UsageError(
        'org reads through the GitHub API: set GITHUB_TOKEN or GH_TOKEN to a token that can read the repositories',
      );
    const maxRequests =
      values['max-requests'] === undefined ? DEFAULT_MAX_REQUESTS : Number(values['max-requests']);
    if (!Number.isInteger(maxRequests) || maxRequests < 1)
      throw new UsageError(
        `--max-requests must be a whole number of requests, not "${values['max-requests']}"`,
      );
    const maxBytes = parseSize(values['max-file-size'], '--max-file-size') ?? DEFAULT_MAX_BYTES;
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    const named = values.repos === undefined ? undefined : readRepos(io.cwd, values.repos, owner);
    const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
    store = ResultStore.open(out, storeKey(maxBytes, values['resolve-remote']));
    const { doc, run, api } = await inventoryOf({
      owner,
      env,
      token,
      maxRequests,
      maxBytes,
      store,
      resolveRemote: values['resolve-remote'],
      ...(values['cache-dir'] !== undefined ? { cacheDir: resolve(io.cwd, values['cache-dir']) } : {}),
      ...(named ? { named } : {}),
      includeArchived: values['include-archived'],
      includeForks: values['include-forks'],
      ...(shard ? { shard } : {}),
      ...(io.progress ? { progress: io.progress } : {}),
    });
    if (io.progress) io.progress('\n');
    emit(io, doc, format, out);
    for (const note of run.notes) io.stderr(terminalText(`claude-route-guard: ${note}`));
    io.stderr(
      terminalText(
        `claude-route-guard: ${doc.rollup.repositories} repositories taken: ${doc.rollup.read - run.reused} read, ${run.reused} unchanged since the last run, ${doc.unreadable.length} could not be read; ${api.requests} GitHub API requests.`,
      ),
    );
    return doc.unreadable.length > 0 || run.notes.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(io, error.message);
    throw error;
  } finally {
    store?.dispose();
  }
}

/** What makes a stored result: a new version, another size limit or remote callees read make it stale. */
export function storeKey(maxBytes: number, resolveRemote: boolean): string {
  return `${VERSION} max-file-size=${maxBytes} resolve-remote=${resolveRemote}`;
}

export interface OwnerSettings {
  owner: string;
  env: NodeJS.ProcessEnv;
  token: string;
  maxRequests: number;
  maxBytes: number;
  store: ResultStore;
  resolveRemote: boolean;
  /** Where SHA-pinned callees are kept; the user's cache folder when unset, none on CI. */
  cacheDir?: string;
  named?: string[];
  includeArchived: boolean;
  includeForks: boolean;
  shard?: Shard;
  /** A line that rewrites itself (a terminal's stderr). */
  progress?: (text: string) => void;
}

/** The inventory of an owner, for the CLI and the action alike: the API from the environment, then the run. */
export async function inventoryOf(
  settings: OwnerSettings,
): Promise<{ doc: InventoryDocument; run: InventoryRun; api: GitHubApi }> {
  const { env, maxBytes, store } = settings;
  const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
  const server = serverFor(apiUrl, env.GITHUB_SERVER_URL);
  const api = new GitHubApi({
    apiUrl,
    graphqlUrl: graphqlUrlFor(apiUrl, env.GITHUB_GRAPHQL_URL),
    token: settings.token,
    timeoutMs: TIMEOUT_MS,
    maxRequests: settings.maxRequests,
  });
  const contents = settings.resolveRemote ? new GraphQLContents(api, maxBytes) : undefined;
  const cacheDir = settings.cacheDir ?? (env.CI ? undefined : defaultCacheDir(env, process.platform));
  const source = contents && cacheDir ? new ShaCache(cacheDir, contents, maxBytes) : contents;
  const progress = settings.progress;
  const run = await runInventory({
    owner: settings.owner,
    api,
    ...(settings.named ? { named: settings.named } : {}),
    includeArchived: settings.includeArchived,
    includeForks: settings.includeForks,
    ...(settings.shard ? { shard: settings.shard } : {}),
    maxBytes,
    ...(source ? { remote: { source, known: knownWithoutReading, server } } : {}),
    store,
    ...(progress
      ? {
          progress: (done: number, total: number) =>
            progress(
              `\rclaude-route-guard org: ${done} of ${total} repositories${api.remaining === undefined ? '' : `, ${api.remaining} of the rate limit left`}`,
            ),
        }
      : {}),
  });
  return { doc: documentOf(settings.owner, server, store, run.unreadable, run.leftOut), run, api };
}

/** GitHub's GraphQL endpoint beside a REST base: api.github.com/graphql, or a server's /api/graphql. */
export function graphqlUrlFor(apiUrl: string, named?: string): string {
  if (named) return named;
  const api = apiUrl.replace(/\/+$/, '');
  return /\/api\/v3$/i.test(api) ? api.replace(/\/v3$/i, '/graphql') : `${api}/graphql`;
}

const MERGE_OPTIONS = {
  format: { type: 'string', default: 'text' },
  out: { type: 'string' },
  help: { type: 'boolean', default: false, short: 'h' },
} as const;

/** `claude-route-guard merge FILE...`: shards' JSON into the report one run would have written. */
export async function runMerge(argv: string[], io: InventoryIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: MERGE_OPTIONS });
  } catch (error) {
    return fail(io, `${(error as Error).message.replace(/\.$/, '')}; merge --help lists the options`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(ORG_USAGE);
    return 0;
  }
  let store: ResultStore | undefined;
  try {
    if (positionals.length === 0) throw new UsageError('merge takes the inventory JSON files to combine');
    const format = formatOf(values.format, values.out);
    const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
    store = ResultStore.open(undefined, 'merge');
    const doc = mergeInventories(
      positionals.map((file) => ({ file, absolute: resolve(io.cwd, file) })),
      store,
    );
    emit(io, doc, format, out);
    return doc.unreadable.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(io, error.message);
    throw error;
  } finally {
    store?.dispose();
  }
}

function write(io: InventoryIo, pieces: Iterable<string>): void {
  if (io.write) writeInBatches(pieces, io.write);
  else io.stdout([...pieces].join(''));
}

function* lines(source: Iterable<string>): Generator<string> {
  for (const line of source) yield `${line}\n`;
}

/** The document in one format: on stdout, or for SARIF one file per repository under `out`. */
function emit(
  io: InventoryIo,
  doc: InventoryDocument,
  format: InventoryFormat,
  out: string | undefined,
): void {
  switch (format) {
    case 'json':
      write(io, jsonLines(inventoryJsonPieces(doc)));
      return;
    case 'csv':
      write(io, lines(inventoryCsv(doc)));
      return;
    case 'markdown':
      write(io, [`${inventoryMarkdown(doc, Number.MAX_SAFE_INTEGER)}\n`]);
      return;
    case 'sarif': {
      const written: string[] = [];
      for (const name of doc.names) {
        const done = writeInside(
          [out!],
          `sarif/${name}.sarif`,
          sarifOutput(reportOf(doc.get(name)), VERSION).text,
        );
        if ('refused' in done)
          throw new UsageError(`--out ${out}: sarif/${name}.sarif was not written: ${done.refused}`);
        written.push(done.written);
      }
      write(io, lines(written.map(terminalText)));
      return;
    }
    default:
      write(io, lines(inventoryText(doc)));
  }
}

/** JSON that is also safe in a runner log; a piece never splits a string, so each is escaped alone. */
function* jsonLines(pieces: Iterable<string>): Generator<string> {
  for (const piece of pieces) yield jsonText(piece);
  yield '\n';
}
