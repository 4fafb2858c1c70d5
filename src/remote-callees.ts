import { DEFAULT_MAX_BYTES, loadFiles, type LoadOptions } from './load.js';
import { parseFile, type Parsed } from './workflow/model.js';
import { ShaCache } from './sources/cache.js';
import { GitHubContents } from './sources/github.js';
import { resolveCallees, type RemoteFailure, type RemoteLookup } from './sources/remote.js';
import type { KnownAction } from './sources/select.js';
import type { ContentSource } from './sources/source.js';

export interface RemoteSettings {
  /** `GITHUB_API_URL`. */
  apiUrl: string;
  /** `GITHUB_SERVER_URL`, for the links to remote places. */
  server: string;
  token?: string;
  timeoutMs: number;
  budget?: number;
  /** Bytes of answers the run may read, and milliseconds it may spend reading, in all (tests shorten them). */
  byteBudget?: number;
  deadlineMs?: number;
  /** The CLI keeps SHA-pinned callees here; the action reads afresh each run. */
  cacheDir?: string;
  /** Who should be given a better token, in the 404 notice: "the action", "GITHUB_TOKEN". */
  tokenHint: string;
  /** Actions known without reading them (Anthropic's own): never fetched. */
  known: KnownAction;
}

export interface RemoteResult {
  lookup: RemoteLookup;
  failures: RemoteFailure[];
  /** Notices about the run as a whole (budget spent, rate limit). */
  notes: string[];
  requests: number;
  read: number;
}

/**
 * The I/O edge of remote resolution, imported only when it is on: reads the files to scan once for their
 * remote `uses:`, then asks the GitHub API (through the SHA cache in the CLI) for the callees that matter.
 */
export async function readRemoteCallees(
  paths: string[],
  options: LoadOptions,
  settings: RemoteSettings,
): Promise<RemoteResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const api = new GitHubContents({
    apiUrl: settings.apiUrl,
    timeoutMs: settings.timeoutMs,
    maxBytes,
    tokenHint: settings.tokenHint,
    ...(settings.token ? { token: settings.token } : {}),
    ...(settings.budget ? { budget: settings.budget } : {}),
    ...(settings.byteBudget ? { byteBudget: settings.byteBudget } : {}),
    ...(settings.deadlineMs ? { deadlineMs: settings.deadlineMs } : {}),
  });
  const source: ContentSource = settings.cacheDir ? new ShaCache(settings.cacheDir, api, maxBytes) : api;
  // Each scanned file's own repository, as the loader names it (--repo, else its git origin).
  const selves = new Map<string, string | undefined>();
  const resolved = await resolveCallees(parsedFiles(paths, options, selves), source, {
    server: settings.server,
    known: settings.known,
    selfOf: (file) => selves.get(file),
  });
  return {
    lookup: resolved.lookup,
    failures: resolved.failures,
    notes: api.stopped ? [`Some remote callees were not read: ${api.stopped}.`] : [],
    requests: api.requests,
    read: resolved.read,
  };
}

/**
 * The scanned files' models, one at a time, each file's repository name kept in `selves`; problems are
 * reported by the scan itself.
 */
function* parsedFiles(
  paths: string[],
  options: LoadOptions,
  selves: Map<string, string | undefined>,
): Generator<Parsed> {
  for (const input of loadFiles(paths, options, [])) {
    selves.set(input.file, input.repo.name);
    if (input.tooLarge === undefined && !input.unreadable) yield parseFile(input.file, input.text);
  }
}
