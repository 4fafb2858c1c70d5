import { DEFAULT_SCAN } from '../default-scan.js';
import type { SourceInput } from '../load.js';
import {
  DEFAULT_POLICY,
  DEFAULT_POLICY_PATH,
  parsePolicy,
  PolicyError,
  type Policy,
} from '../policy/policy.js';
import { garbageTicker } from '../memory.js';
import { withPlainEnv } from '../plain-env.js';
import { scan, type Report } from '../scan.js';
import type { GitHubApi } from '../sources/github-api.js';
import { memoryRepo } from '../sources/memory.js';
import { resolveCallees, type RemoteLookup } from '../sources/remote.js';
import type { KnownAction } from '../sources/select.js';
import type { ContentSource } from '../sources/source.js';
import { parseFile, type Parsed } from '../workflow/model.js';
import { RepositoryFiles } from './files.js';
import { listNamed, listOwner, type Listed, type Unreadable } from './listing.js';
import { listFolders, readFiles, type Target } from './read.js';
import { compareNames, resultOf } from './result.js';
import { inShard, type Shard } from './shard.js';
import type { ResultStore } from './store.js';

export interface InventorySettings {
  owner: string;
  api: GitHubApi;
  /** `--repos`: only these `owner/name`, asked for by name (archived ones and forks included: they are named). */
  named?: string[];
  includeArchived: boolean;
  includeForks: boolean;
  shard?: Shard;
  /** Scanned files over this size are reported, not read, as in a local scan. */
  maxBytes: number;
  /** `--resolve-remote`: callees in other repositories read through this source. */
  remote?: { source: ContentSource; known: KnownAction; server: string };
  store: ResultStore;
  /** Told after each group of repositories: how many are done of how many. */
  progress?: (done: number, total: number) => void;
}

export interface LeftOut {
  archived: number;
  forks: number;
}

export interface InventoryRun {
  unreadable: Unreadable[];
  leftOut: LeftOut;
  /** About the run as a whole: a listing cut short, a budget spent. */
  notes: string[];
  /** Repositories whose files were read this run (or tried); the others came from the store unchanged. */
  read: string[];
  /** Results taken from the store: their head has not moved. */
  reused: number;
}

/** Repositories read and scanned together: their reads share queries, and only their texts are held at once. */
const CHUNK = 50;
/** Files scanned between full collections: each costs a few milliseconds on a heap this size. */
const FILES_PER_COLLECTION = 200;
/** Rounds of reading what the engine asked for and scanning again; each follows one more file deep. */
const MAX_MISS_ROUNDS = 8;

/**
 * The inventory as named passes: list the repositories, take this run's share (shard, archived, forks),
 * keep the stored results whose head has not moved, then read and scan the rest a group at a time.
 */
export async function runInventory(settings: InventorySettings): Promise<InventoryRun> {
  const listing = settings.named
    ? await listNamed(settings.api, settings.named)
    : await listOwner(settings.api, settings.owner);
  const notes: string[] = [];
  if (listing.stopped) notes.push(listing.stopped);
  const { taken, leftOut } = share(listing.repos, settings);
  const unreadable = listing.unreadable.filter((u) => inShard(u.repository, settings.shard));
  const toRead: Listed[] = [];
  for (const repo of taken) {
    const previous = settings.store.previous(repo.name, repo.commit);
    if (previous) settings.store.put(previous);
    else toRead.push(repo);
  }
  let done = taken.length - toRead.length;
  settings.progress?.(done, taken.length);
  // As for a local scan: V8 sizes its heap by how fast garbage arrives, so a long run collects in full,
  // here more often: a repository's reads and models are garbage as soon as its result is stored.
  const tick = garbageTicker(FILES_PER_COLLECTION);
  for (let i = 0; i < toRead.length; i += CHUNK) {
    const chunk = toRead.slice(i, i + CHUNK);
    unreadable.push(...(await readChunk(chunk, settings, tick)));
    done += chunk.length;
    settings.progress?.(done, taken.length);
  }
  if (settings.api.stopped) notes.push(`Some repositories were not read: ${settings.api.stopped}.`);
  unreadable.sort((a, b) => compareNames(a.repository, b.repository));
  return {
    unreadable,
    leftOut,
    notes,
    read: toRead.map((r) => r.name),
    reused: taken.length - toRead.length,
  };
}

/** This run's share: its shard, by name; archived repositories and forks left out unless asked, and counted. */
function share(repos: Listed[], settings: InventorySettings): { taken: Listed[]; leftOut: LeftOut } {
  const leftOut: LeftOut = { archived: 0, forks: 0 };
  const taken: Listed[] = [];
  for (const repo of repos) {
    if (!inShard(repo.name, settings.shard)) continue;
    if (!settings.named && repo.archived && !settings.includeArchived) leftOut.archived++;
    else if (!settings.named && repo.fork && !settings.includeForks) leftOut.forks++;
    else taken.push(repo);
  }
  return { taken, leftOut };
}

/**
 * Lists one group of repositories' folders, then reads and scans them a few at a time, so that at most
 * as many bytes of file text as the largest file a scan takes (`--max-file-size`) are
 * held at once, or one repository that is larger alone: peak
 * memory follows the largest repository, not how many large ones sort together. Returns those that could
 * not be read, with the reason.
 */
async function readChunk(
  chunk: Listed[],
  settings: InventorySettings,
  tick: (files: number) => void,
): Promise<Unreadable[]> {
  const targets: Target[] = [];
  for (const repo of chunk) {
    // A repository with no commits has no files: nothing to read.
    if (repo.commit === null)
      settings.store.put({ repository: repo.name, commit: null, routes: [], findings: [] });
    else targets.push({ name: repo.name, commit: repo.commit, files: new RepositoryFiles() });
  }
  await listFolders(settings.api, targets);
  const wanted = new Map<Target, string[]>();
  for (const target of targets) {
    const paths: string[] = [];
    for (const path of target.files.scanned()) {
      if (DEFAULT_SCAN.skips(path) !== undefined) continue;
      const size = target.files.entry(path)?.size ?? 0;
      if (size > settings.maxBytes) target.files.problems.set(path, { tooLarge: size });
      else paths.push(path);
    }
    wanted.set(target, paths);
  }
  const unreadable: Unreadable[] = [];
  for (const group of withinBudget(targets, (t) => bytesOf(t, wanted.get(t)!), settings.maxBytes))
    unreadable.push(...(await readAndScan(group, wanted, settings, tick)));
  return unreadable;
}

const bytesOf = (target: Target, paths: string[]): number =>
  paths.reduce((sum, path) => sum + (target.files.entry(path)?.size ?? 0), 0);

/** Consecutive groups whose sizes add up to at most `budget`; an item larger than it is a group alone. */
export function* withinBudget<T>(items: T[], size: (item: T) => number, budget: number): Generator<T[]> {
  let group: T[] = [];
  let used = 0;
  for (const item of items) {
    const bytes = size(item);
    if (group.length > 0 && used + bytes > budget) {
      yield group;
      group = [];
      used = 0;
    }
    group.push(item);
    used += bytes;
  }
  if (group.length > 0) yield group;
}

/** Reads one group's files, follows what they name, scans each and stores its result. */
async function readAndScan(
  group: Target[],
  wanted: Map<Target, string[]>,
  settings: InventorySettings,
  tick: (files: number) => void,
): Promise<Unreadable[]> {
  const wants = new Map<Target, string[]>();
  for (const target of group) if (!target.failure) wants.set(target, wanted.get(target)!);
  await readFiles(settings.api, wants, () => true, settings.maxBytes);
  const remote = settings.remote
    ? await remoteCallees(group, settings.remote)
    : new Map<Target, RemoteLookup>();
  const reports = await scanUntilComplete(group, remote, settings.api, settings.maxBytes, tick);
  const unreadable: Unreadable[] = [];
  for (const target of group) {
    const report = reports.get(target);
    if (target.failure || !report)
      unreadable.push({ repository: target.name, reason: target.failure ?? 'not read' });
    else settings.store.put(resultOf(target.name, target.commit, report));
    // The chunk's later groups are read while this one is still listed: only its texts weigh.
    target.files.releaseTexts();
  }
  return unreadable;
}

/**
 * Scans each repository in memory; what the engine asked for and was not read yet (local actions
 * elsewhere, scripts, manifests, settings) is read for all of them at once, and they are scanned again,
 * until nothing new is asked.
 */
async function scanUntilComplete(
  targets: Target[],
  remote: Map<Target, RemoteLookup>,
  api: GitHubApi,
  maxBytes: number,
  tick: (files: number) => void,
): Promise<Map<Target, Report>> {
  const reports = new Map<Target, Report>();
  let open = targets.filter((t) => !t.failure);
  for (let round = 0; open.length > 0; round++) {
    const wants = new Map<Target, string[]>();
    for (const target of open) {
      const misses = new Set<string>();
      const report = scanTarget(target, misses, remote.get(target));
      tick(target.files.texts.size);
      if (report && misses.size === 0) reports.set(target, report);
      else if (report && round === MAX_MISS_ROUNDS)
        target.failure = `its files name further files more than ${MAX_MISS_ROUNDS} reads deep`;
      else if (report) wants.set(target, [...misses]);
    }
    if (wants.size === 0) break;
    await readFiles(api, wants, () => false, maxBytes);
    open = [...wants.keys()].filter((t) => !t.failure);
  }
  return reports;
}

/** The repository's policy, as a local scan reads it; undefined (and the target failed) when it would refuse it. */
function policyOf(target: Target): Policy | undefined {
  if (target.policyProblem) {
    target.failure = target.policyProblem;
    return undefined;
  }
  const text = target.files.texts.get(DEFAULT_POLICY_PATH);
  if (typeof text !== 'string') return DEFAULT_POLICY;
  try {
    return parsePolicy(text, DEFAULT_POLICY_PATH);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    target.failure = `its policy file is not valid: ${error.message}`;
    return undefined;
  }
}

/** One scan of a repository's files in memory, as a local default scan of its checkout makes it. */
function scanTarget(target: Target, misses: Set<string>, remote?: RemoteLookup): Report | undefined {
  const policy = policyOf(target);
  if (!policy) return undefined;
  const files = target.files;
  const repo = memoryRepo((path) => files.lookup(path), misses, target.name, remote);
  const inputs: SourceInput[] = [];
  for (const path of files.scanned()) {
    const base = { file: path, path, explicit: false, repo, policy };
    const skipped = DEFAULT_SCAN.skips(path);
    if (skipped !== undefined) {
      inputs.push({ ...base, text: '', skipped });
      continue;
    }
    const problem = files.problems.get(path);
    const text = files.texts.get(path);
    if (problem) inputs.push({ ...base, text: '', ...problem });
    else if (typeof text === 'string') inputs.push({ ...base, text });
  }
  return withPlainEnv(() => scan(inputs, policy));
}

/** The scanned files' models, for the remote callees they name. */
function* models(target: Target): Generator<Parsed> {
  for (const path of target.files.scanned()) {
    const text = target.files.texts.get(path);
    if (typeof text === 'string' && !target.files.problems.has(path)) yield parseFile(path, text);
  }
}

/**
 * `--resolve-remote`: each repository's remote callees, read through one source for the whole run, so a
 * callee many repositories share is read once. A repository's own name is read from its files.
 */
async function remoteCallees(
  targets: Target[],
  remote: NonNullable<InventorySettings['remote']>,
): Promise<Map<Target, RemoteLookup>> {
  const lookups = new Map<Target, RemoteLookup>();
  await Promise.all(
    targets
      .filter((t) => !t.failure)
      .map(async (target) => {
        const resolved = await resolveCallees(models(target), remote.source, {
          server: remote.server,
          known: remote.known,
          self: target.name,
        });
        lookups.set(target, resolved.lookup);
      }),
  );
  return lookups;
}
