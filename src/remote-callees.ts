import { DEFAULT_MAX_BYTES, loadFiles, remoteName, type LoadOptions } from './load.js';
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
  });
  const source: ContentSource = settings.cacheDir ? new ShaCache(settings.cacheDir, api, maxBytes) : api;
  const self = options.repoName ?? remoteName(options.cwd);
  const resolved = await resolveCallees(parsedFiles(paths, options), source, {
    server: settings.server,
    known: settings.known,
    ...(self ? { self } : {}),
  });
  return {
    lookup: resolved.lookup,
    failures: resolved.failures,
    notes: api.stopped ? [`Some remote callees were not read: ${api.stopped}.`] : [],
    requests: api.requests,
    read: resolved.read,
  };
}

/** The scanned files' models, one at a time; problems are reported by the scan itself. */
function* parsedFiles(paths: string[], options: LoadOptions): Generator<Parsed> {
  for (const input of loadFiles(paths, options, [])) {
    if (input.tooLarge === undefined && !input.unreadable) yield parseFile(input.file, input.text);
  }
}
