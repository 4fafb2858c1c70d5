import { DEFAULT_SCAN } from '../default-scan.js';
import { decode, DEFAULT_MAX_BYTES } from '../load.js';
import { DEFAULT_POLICY_PATH } from '../policy/policy.js';
import { ApiStopped, type GitHubApi, type GraphQLError } from '../sources/github-api.js';
import { aliasReason, inBatches, literal, type BatchItem } from '../sources/graphql-batch.js';
import { RepositoryFiles, type Entry, type EntryKind } from './files.js';

/** One repository being read at the commit its default branch points to. */
export interface Target {
  /** `owner/name`, as the listing gave it (checked). */
  name: string;
  commit: string;
  files: RepositoryFiles;
  /** Why it cannot be inventoried; the first reason stays. */
  failure?: string;
  /** Why its policy file cannot be used, as a local scan would refuse it. */
  policyProblem?: string;
  /** Answers not taken yet: some need their bytes read through REST. */
  answered?: Answered[];
}

/** Repositories per query when listing folders; files per query when reading texts. */
const FOLDER_BATCH = 40;
const FILES_PER_QUERY = 100;
/** Rounds of folder listing: each goes two levels deeper. */
const MAX_FOLDER_ROUNDS = 8;
const LINK_MODE = 0o120000;

interface ApiEntry {
  name?: unknown;
  type?: unknown;
  mode?: unknown;
  object?: {
    byteSize?: unknown;
    entries?: unknown;
    oid?: unknown;
    isBinary?: unknown;
    isTruncated?: unknown;
    text?: unknown;
  } | null;
}

function kindOf(entry: ApiEntry): EntryKind {
  if (entry.type === 'tree') return 'folder';
  if (entry.type !== 'blob') return 'other';
  return entry.mode === LINK_MODE ? 'link' : 'file';
}

function fail(target: Target, reason: string): void {
  target.failure ??= reason;
}

/** The commit of a repository answer, or undefined (and the target failed) when it is not there. */
function commitOf(
  target: Target,
  value: unknown,
  errors: GraphQLError[],
): Record<string, unknown> | undefined {
  if (
    errors.length > 0 &&
    (value === null || value === undefined || errors.some((e) => (e.path?.length ?? 0) > 2))
  ) {
    fail(target, aliasReason(errors[0]!));
    return undefined;
  }
  const commit = (value as { object?: unknown } | null | undefined)?.object;
  if (!commit || typeof commit !== 'object') {
    fail(
      target,
      value ? `its commit ${target.commit} could not be read` : 'not found, or not readable with this token',
    );
    return undefined;
  }
  return commit as Record<string, unknown>;
}

function repositoryField(target: Target, alias: string, inner: string): string {
  const [owner, repo] = target.name.split('/') as [string, string];
  return `${alias}: repository(owner: ${literal(owner)}, name: ${literal(repo)}) { object(oid: ${literal(target.commit)}) { ... on Commit { ${inner} } } }`;
}

/** A folder's entries, and those of the folders one level below it, recorded as listed whole. */
function record(files: RepositoryFiles, folder: string, entries: unknown): void {
  const listing = new Map<string, Entry>();
  files.folders.set(folder, listing);
  if (!Array.isArray(entries)) return;
  for (const raw of entries as ApiEntry[]) {
    if (typeof raw?.name !== 'string' || raw.name === '' || raw.name.includes('/')) continue;
    const kind = kindOf(raw);
    const size = typeof raw.object?.byteSize === 'number' ? raw.object.byteSize : 0;
    listing.set(raw.name, { kind, size });
    const path = folder === '' ? raw.name : `${folder}/${raw.name}`;
    if (kind === 'folder' && Array.isArray(raw.object?.entries)) record(files, path, raw.object.entries);
  }
}

/**
 * Lists the folders the default scan looks inside, two levels a round, for many repositories a query;
 * the first round also reads the policy file. A folder that is not there is listed as empty.
 */
export async function listFolders(api: GitHubApi, targets: Target[]): Promise<void> {
  const wanted = new Map<Target, string[]>(targets.map((t) => [t, [...DEFAULT_SCAN.starts]]));
  for (let round = 0; round < MAX_FOLDER_ROUNDS && wanted.size > 0; round++) {
    const items: BatchItem[] = [...wanted].map(([target, folders]) => ({
      fields: (alias) =>
        repositoryField(
          target,
          alias,
          [
            ...folders.map((folder, i) =>
              folder === ''
                ? `d${i}: tree { entries { ...Level } }`
                : `d${i}: file(path: ${literal(folder)}) { ...Folder }`,
            ),
            // The root's entries too, so what the engine asks outside them (no `.claude`, no
            // `scripts`) is known not to be there without a read.
            ...(round === 0
              ? [
                  `root: tree { entries { ...Entry } }`,
                  `policy: file(path: ${literal(DEFAULT_POLICY_PATH)}) { ...File }`,
                ]
              : []),
          ].join(' '),
        ),
      take: (value, errors) => {
        const commit = commitOf(target, value, errors);
        if (!commit) return;
        folders.forEach((folder, i) => {
          const answer = commit[`d${i}`] as ApiEntry | { entries?: unknown } | null | undefined;
          const entries =
            folder === ''
              ? (answer as { entries?: unknown } | null)?.entries
              : (answer as ApiEntry | null)?.object?.entries;
          record(
            target.files,
            folder,
            kindOf((answer ?? {}) as ApiEntry) === 'folder' || folder === '' ? entries : [],
          );
        });
        if (round === 0) {
          if (!target.files.folders.has(''))
            record(target.files, '', (commit.root as { entries?: unknown } | null)?.entries);
          takePolicy(target, commit.policy as ApiEntry | null | undefined);
        }
      },
      fail: (reason) => fail(target, reason),
    }));
    await inBatches(api, items, FOLDER_BATCH);
    wanted.clear();
    for (const target of targets) {
      if (target.failure) continue;
      const more = target.files.unlisted();
      if (more.length > 0) wanted.set(target, more);
    }
  }
  for (const [target] of wanted)
    fail(target, `its folders nest more than ${MAX_FOLDER_ROUNDS * 2} levels deep`);
}

/** The policy file, refused where a local scan refuses it. */
function takePolicy(target: Target, entry: ApiEntry | null | undefined): void {
  if (!entry) {
    target.files.texts.set(DEFAULT_POLICY_PATH, null);
    return;
  }
  const kind = kindOf(entry);
  const size = Number(entry.object?.byteSize ?? 0);
  if (kind === 'link')
    target.policyProblem = `${DEFAULT_POLICY_PATH}: the policy file must be a regular file, not a link`;
  else if (kind !== 'file')
    target.policyProblem = `${DEFAULT_POLICY_PATH}: cannot read the policy file (not a regular file)`;
  else if (size > DEFAULT_MAX_BYTES)
    target.policyProblem = `${DEFAULT_POLICY_PATH}: cannot read the policy file (${size} bytes, over the limit of ${DEFAULT_MAX_BYTES})`;
  else (target.answered ??= []).push({ path: DEFAULT_POLICY_PATH, entry, scanned: false });
}

interface Answered {
  path: string;
  entry: ApiEntry | null | undefined;
  /** A scanned file (its own size limit, and a problem with a place when it is no text). */
  scanned: boolean;
}

/**
 * Reads files' texts, many repositories a query: `wants` gives each repository's paths, `scanned` those
 * the scan reads (over `maxBytes` they are reported, not read). A text GraphQL cannot give whole (binary,
 * cut) is read as bytes through REST and judged as a checkout's reader judges it.
 */
export async function readFiles(
  api: GitHubApi,
  wants: Map<Target, string[]>,
  isScanned: (target: Target, path: string) => boolean,
  maxBytes: number,
): Promise<void> {
  const items: BatchItem[] = [];
  for (const [target, paths] of wants) {
    for (let i = 0; i < paths.length; i += FILES_PER_QUERY) {
      const part = paths.slice(i, i + FILES_PER_QUERY);
      items.push({
        weight: part.length,
        fields: (alias) =>
          repositoryField(
            target,
            alias,
            part.map((path, j) => `f${j}: file(path: ${literal(path)}) { ...File }`).join(' '),
          ),
        take: (value, errors) => {
          const commit = commitOf(target, value, errors);
          if (!commit) return;
          part.forEach((path, j) =>
            (target.answered ??= []).push({
              path,
              entry: commit[`f${j}`] as ApiEntry | null | undefined,
              scanned: isScanned(target, path),
            }),
          );
        },
        fail: (reason) => fail(target, reason),
      });
    }
  }
  await inBatches(api, items, FILES_PER_QUERY);
  await settle(api, [...wants.keys()], maxBytes);
}

/** Takes every pending answer: its text, or its bytes through REST when GraphQL could not give them. */
export async function settle(api: GitHubApi, targets: Target[], maxBytes: number): Promise<void> {
  await Promise.all(
    targets.map(async (target) => {
      const answers = target.answered ?? [];
      target.answered = undefined;
      for (const answer of answers) {
        if (target.failure) return;
        await take(api, target, answer, maxBytes);
      }
    }),
  );
}

async function take(
  api: GitHubApi,
  target: Target,
  { path, entry, scanned }: Answered,
  maxBytes: number,
): Promise<void> {
  const files = target.files;
  if (!entry || kindOf(entry) !== 'file') {
    files.texts.set(path, null);
    return;
  }
  const object = entry.object ?? {};
  const size = Number(object.byteSize ?? 0);
  if (scanned && size > maxBytes) {
    files.problems.set(path, { tooLarge: size });
    return;
  }
  if (!scanned && size > DEFAULT_MAX_BYTES) {
    files.texts.set(path, null);
    return;
  }
  // A text whose UTF-8 is not the blob's size is not the file's bytes (GitHub decoded another encoding).
  if (
    object.isBinary === false &&
    object.isTruncated === false &&
    typeof object.text === 'string' &&
    Buffer.byteLength(object.text) === size
  ) {
    files.texts.set(path, object.text);
    return;
  }
  const [owner, repo] = target.name.split('/') as [string, string];
  let bytes: Buffer | undefined;
  try {
    bytes =
      typeof object.oid === 'string' && /^[0-9a-f]{40,64}$/.test(object.oid)
        ? await api.restBytes(
            `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/git/blobs/${object.oid}`,
          )
        : undefined;
  } catch (error) {
    fail(
      target,
      error instanceof ApiStopped
        ? `not read: ${error.message}`
        : `${path} could not be read: ${(error as Error).message}`,
    );
    return;
  }
  if (!bytes) {
    fail(target, `${path} could not be read`);
    return;
  }
  const decoded = decode(bytes);
  if ('text' in decoded) files.texts.set(path, decoded.text);
  else {
    files.texts.set(path, null);
    if (scanned) files.problems.set(path, { unreadable: decoded });
  }
}
