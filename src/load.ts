import { existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DEFAULT_PATHS, defaultSelection, NAMED_FOLDER, type Selection } from './default-scan.js';
import { meter } from './meter.js';
import { cachedRepo, type Repo } from './sources/repo.js';
import { decode, DEFAULT_MAX_BYTES } from './file-text.js';
import { isWithin, noLinkBelow, readRegularFile } from './files.js';
import { UsageError } from './usage-error.js';
import type { Policy } from './policy/policy.js';
import type { RemoteLookup } from './sources/remote.js';

/** One file to scan, as the loader hands it to the engine. */
export interface SourceInput {
  /** The path reports use: relative to the current directory. */
  file: string;
  /** The path from the file's repository root: what a policy names it by, wherever the scan started. */
  path: string;
  text: string;
  /** Named by the user (a file that is not a workflow is then an error, not a skip). */
  explicit: boolean;
  /** The repository the file belongs to, for local `uses: ./...` and `.claude/settings.json`. */
  repo: Repo;
  /** Set, in bytes, when the file was over the size limit and not read. */
  tooLarge?: number;
  /** Set when the bytes are not UTF-8 text, with where the first bad byte is. */
  unreadable?: { problem: string; line: number; column: number };
  /** Set, with the reason, for a file the default scan meets and does not read (`DEFAULT_SCAN.skips`). */
  skipped?: string;
  /** The policy of the file's own repository, when each repository keeps its own. */
  policy?: Policy;
}

export { decode, DEFAULT_MAX_BYTES, invalidUtf8 } from './file-text.js';
export { UsageError } from './usage-error.js';
export { DEFAULT_PATHS } from './default-scan.js';
const RECENT_REPOS = 4;

/** A byte count such as `5000000`, `512k` or `5M`; undefined keeps the default. */
export function parseSize(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kKmM]?)[bB]?$/.exec(raw.trim());
  if (!m || Number(m[1]) <= 0)
    throw new UsageError(`${name} must be a size in bytes such as 5000000, 512k or 5M, not "${raw}"`);
  const unit = m[2]!.toLowerCase();
  return Math.round(Number(m[1]) * (unit === 'm' ? 1024 * 1024 : unit === 'k' ? 1024 : 1));
}

export interface LoadOptions {
  cwd: string;
  maxBytes?: number;
  /**
   * `owner/name` of the one repository scanned (`--repo`, GITHUB_REPOSITORY), which then holds every path
   * named; without it each repository's name is read from its own git remote.
   */
  repoName?: string;
  /** Remote callees read before the scan (resolve-remote); without it their calls stay opaque. */
  remote?: RemoteLookup;
  /**
   * The one repository every file under it belongs to (the action's workspace), found by no walk: what
   * the checkout holds cannot move its root.
   */
  root?: string;
  /** The policy of the repository at a root; each file then carries its own repository's policy. */
  policyFor?: (root: string) => Policy;
}

export interface LoadProblem {
  file: string;
  message: string;
}

function display(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/**
 * Whether the folder a repository scan starts in is the repository's root, so its default folders are
 * its own `.github/...`: it holds `.git` or `.github`, even when it is named `.github` itself (an
 * organisation's own `.github` repository, or the action's workspace for one).
 */
function holdsRepository(dir: string): boolean {
  return existsSync(join(dir, '.git')) || existsSync(join(dir, '.github'));
}

/**
 * The folders a repository scan started in `dir` reads (absolute), and the root they are asked from. From
 * inside a `.github` folder they are that folder's own `workflows` and `actions` and the repository that
 * holds it, and from inside one of those, `dir` itself: a user who has `cd`-ed to the workflows means
 * them, not a `.github/workflows` below it.
 */
function defaultTargets(dir: string): { root: string; targets: string[] } {
  const fromRoot = (root: string): { root: string; targets: string[] } => ({
    root,
    targets: DEFAULT_PATHS.map((p) => resolve(root, p)),
  });
  if (holdsRepository(dir)) return fromRoot(dir);
  const parts = resolve(dir).split(sep);
  const at = parts.lastIndexOf('.github');
  if (at === -1) return fromRoot(dir);
  const root = parts.slice(0, at).join(sep) || sep;
  const below = parts.slice(at + 1);
  if (below[0] === 'workflows' || below[0] === 'actions') return { root, targets: [resolve(dir)] };
  return fromRoot(root);
}

/**
 * Whether `dir` is a repository's root. `.git` is (git never checks out an entry of that name, so a pull
 * request cannot plant one); `.github` is only as a real folder, never a file or a link, and never in a
 * folder that is or lies inside a `.github` itself: a pull request can commit `.github/workflows/.github`
 * or `.github/.github`, and GitHub still resolves its local actions, scripts and policy from the
 * repository's own root.
 */
function isRepoRoot(dir: string): boolean {
  if (existsSync(join(dir, '.git'))) return true;
  if (!lstatSync(join(dir, '.github'), { throwIfNoEntry: false })?.isDirectory()) return false;
  return !dir.split(sep).includes('.github');
}

/**
 * The repository the files of folder `from` belong to: the nearest folder that is a root (`isRepoRoot`),
 * `from` itself or above it, else `fallback`, the folder the scan started in (the current folder, or a
 * repository folder named from outside it). `known` remembers each folder's nearest root, or '' for none.
 */
function repoRootOf(from: string, fallback: string, known: Map<string, string>): string {
  const visited: string[] = [];
  let dir = from;
  let root: string | undefined;
  for (;;) {
    root = known.get(dir);
    if (root !== undefined) break;
    visited.push(dir);
    if (isRepoRoot(dir)) {
      root = dir;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      root = '';
      break;
    }
    dir = parent;
  }
  // Every folder on the way shares the answer: one walk per folder, not per file.
  for (const v of visited) known.set(v, root);
  return root === '' ? fallback : root;
}

const GITHUB_REMOTE = /github\.com[:/]([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?)(?:\.git)?\/?$/;

const GIT_FILE_LIMIT = 1024 * 1024;

/**
 * The repository's git folder, only where it lies inside the repository: `.git` itself (a folder, not a
 * link), or the folder a `.git` file's `gitdir:` names when that is inside too. A committed link or a
 * `gitdir:` elsewhere would let the pull request choose which repository the scan believes it is.
 */
export function gitFolder(root: string): string | undefined {
  const dotGit = join(root, '.git');
  const stat = lstatSync(dotGit, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return dotGit;
  if (!stat?.isFile()) return undefined;
  const opened = readRegularFile(dotGit, 4096);
  if (!('bytes' in opened)) return undefined;
  const target = /^gitdir:\s*(.+?)\s*$/m.exec(opened.bytes.toString('utf8'))?.[1];
  if (!target) return undefined;
  const folder = resolve(root, target);
  return noLinkBelow(root, folder) ? folder : undefined;
}

/** `owner/name` from the `origin` URL in `.git/config`, as `git remote get-url origin` prints it. */
export function remoteName(root: string): string | undefined {
  try {
    const git = gitFolder(root);
    if (git === undefined) return undefined;
    // Read like any file of the repository: regular, not through a link, bounded.
    const opened = readRegularFile(join(git, 'config'), GIT_FILE_LIMIT);
    if (!('bytes' in opened)) return undefined;
    const text = opened.bytes.toString('utf8');
    const origin = /\[remote "origin"\]([^[]*)/.exec(text)?.[1] ?? '';
    const url = /^\s*url\s*=\s*(\S+)\s*$/m.exec(origin)?.[1];
    return url ? GITHUB_REMOTE.exec(url)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the files around the scanned ones: local actions, reusable workflows, settings. */
export function fsRepo(root: string, cwd: string, name?: string, remote?: RemoteLookup): Repo {
  const repo = cachedRepo(
    (relPath) => {
      const absolute = resolve(root, relPath);
      // Never leave the repository, not even through a committed symbolic link on the way.
      if (!isWithin(root, absolute) || !noLinkBelow(root, absolute)) return undefined;
      const opened = readRegularFile(absolute, DEFAULT_MAX_BYTES);
      if ('problem' in opened) return undefined;
      const decoded = decode(opened.bytes);
      return 'text' in decoded ? { file: display(cwd, absolute), text: decoded.text } : undefined;
    },
    name ?? remoteName(root),
    remote,
  );
  return { ...repo, refused: (relPath) => refusedPath(root, relPath) };
}

/**
 * Whether a path the repository's reader gave nothing for still holds something: a link on the way (even
 * one that leads nowhere), a special or oversized file. Asked only after `read` found nothing.
 */
function refusedPath(root: string, relPath: string): boolean {
  const absolute = resolve(root, relPath);
  if (!isWithin(root, absolute) || !noLinkBelow(root, absolute)) return true;
  try {
    return lstatSync(absolute, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** A file's place: its repository, its path from that repository's root, and that repository's policy. */
type Place = { repo: Repo; path: string; policy?: Policy };

/** Which repository root the files of a folder belong to, given the folder their scan started in. */
type RootOf = (folder: string, base: string) => string;

function rootFinder(options: LoadOptions): RootOf {
  const roots = new Map<string, string>();
  const fixedRoot = options.root === undefined ? undefined : resolve(options.root);
  return (folder, base) =>
    fixedRoot !== undefined && isWithin(fixedRoot, folder) ? fixedRoot : repoRootOf(folder, base, roots);
}

/**
 * Where each file belongs, one repository per root; `named` is the root `repoName` names. A repository's
 * cache of parsed local files is only needed while its files are walked; keeping every repository met would
 * grow memory with the files scanned.
 */
function placer(options: LoadOptions, rootOf: RootOf, named: string | undefined): Walk['placeOf'] {
  const repos = new Map<string, Repo>();
  const policies = new Map<string, Policy>();
  return (absolute, base) => {
    const root = rootOf(dirname(absolute), base);
    // What a policy names the file by, whichever folder the scan started in.
    const path = display(root, absolute);
    let repo = repos.get(root);
    if (!repo) {
      if (repos.size >= RECENT_REPOS) repos.delete(repos.keys().next().value!);
      const name = root === named ? options.repoName : undefined;
      repos.set(root, (repo = fsRepo(root, options.cwd, name, options.remote)));
    }
    if (!options.policyFor) return { repo, path };
    let policy = policies.get(root);
    if (!policy) policies.set(root, (policy = options.policyFor(root)));
    return { repo, path, policy };
  };
}

/**
 * What one load shares while it walks: where to report, how files are placed, how many YAML files it met,
 * and the folder the current scan started in (a file outside every repository belongs to it).
 */
interface Walk {
  cwd: string;
  maxBytes: number;
  problems: LoadProblem[];
  placeOf: (absolute: string, base: string) => Place;
  yamlFiles: number;
  base: string;
  /** Entries the repository-wide search for actions has listed so far (`MAX_SEARCH_ENTRIES`). */
  searched: number;
}

/**
 * Entries the search of a repository for its actions lists in all: a checkout with a vendored tree of a
 * million files is searched up to here, and says where it stopped.
 */
export const MAX_SEARCH_ENTRIES = 100_000;

function realFolder(dir: string): string | undefined {
  try {
    return realpathSync.native(dir);
  } catch {
    return undefined;
  }
}

function* readOne(walk: Walk, absolute: string, explicit: boolean): Generator<SourceInput> {
  const file = display(walk.cwd, absolute);
  const opened = readRegularFile(absolute, walk.maxBytes);
  if ('problem' in opened) {
    if (opened.code === 'size')
      yield {
        file,
        text: '',
        explicit,
        ...walk.placeOf(absolute, walk.base),
        tooLarge: opened.size ?? walk.maxBytes + 1,
      };
    else
      walk.problems.push({
        file,
        message: opened.code === 'link' ? 'symbolic link not followed' : opened.problem,
      });
    return;
  }
  const decoded = decode(opened.bytes);
  if ('problem' in decoded) {
    yield { file, text: '', explicit, ...walk.placeOf(absolute, walk.base), unreadable: decoded };
    return;
  }
  yield { file, text: decoded.text, explicit, ...walk.placeOf(absolute, walk.base) };
}

/** The files `select` takes under a folder, without entering links or the folders it passes over. */
function* walkFolder(
  walk: Walk,
  dir: string,
  realTop: string | undefined,
  select: Selection,
): Generator<SourceInput> {
  // One realpath per folder: a folder swapped for a link after it was listed is not entered.
  const real = realFolder(dir);
  if (realTop === undefined || real === undefined || !(real === realTop || real.startsWith(realTop + sep))) {
    walk.problems.push({ file: display(walk.cwd, dir), message: 'folder left the scanned tree, not read' });
    return;
  }
  let entries;
  try {
    // Dirents carry the entry's type, so no lstat per entry; links are reported, never followed.
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (error) {
    walk.problems.push({
      file: display(walk.cwd, dir),
      message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    });
    return;
  }
  if (select.search && !searchMore(walk, dir, entries.length)) return;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      // The search for actions passes every link of the repository: only one named like an action is news.
      if (!select.search || select.reads(path))
        walk.problems.push({ file: display(walk.cwd, path), message: 'symbolic link not followed' });
    } else if (entry.isDirectory()) {
      if (select.enters(path)) yield* walkFolder(walk, path, realTop, select);
    } else if (entry.isFile() && select.reads(path)) {
      walk.yamlFiles++;
      yield* readOne(walk, path, false);
    } else if (entry.isFile()) {
      const skipped = select.skips?.(path);
      if (skipped === undefined) continue;
      walk.yamlFiles++;
      yield {
        file: display(walk.cwd, path),
        text: '',
        explicit: false,
        ...walk.placeOf(path, walk.base),
        skipped,
      };
    }
  }
}

/** Counts a folder's entries against the search's bound; false, said once, when the bound is passed. */
function searchMore(walk: Walk, dir: string, entries: number): boolean {
  const before = walk.searched;
  walk.searched += entries;
  meter.listed(entries);
  if (walk.searched <= MAX_SEARCH_ENTRIES) return true;
  if (before <= MAX_SEARCH_ENTRIES)
    walk.problems.push({
      file: display(walk.cwd, dir),
      message: `the search for action.yml files stopped here, after ${MAX_SEARCH_ENTRIES} entries; name the folders that hold actions to scan them`,
    });
  return false;
}

/** One path to scan: a file, read whatever its name, or a folder, walked. */
function* loadTarget(walk: Walk, target: string, selection?: Selection): Generator<SourceInput> {
  const absolute = resolve(walk.cwd, target);
  let stat;
  try {
    stat = lstatSync(absolute);
  } catch {
    throw new UsageError(`${target}: no such file or folder`);
  }
  // A named path inside the folder being scanned may not pass through a symbolic link: the repository
  // chose it, and it could lead to /, /dev/zero or the runner's home.
  const linkedFrom = (top: string): boolean => isWithin(top, absolute) && !noLinkBelow(top, absolute);
  if (stat.isSymbolicLink() || linkedFrom(walk.cwd) || linkedFrom(walk.base)) {
    walk.problems.push({ file: display(walk.cwd, absolute), message: 'symbolic link not followed' });
    return;
  }
  if (!stat.isDirectory()) {
    yield* readOne(walk, absolute, true);
    return;
  }
  const before = walk.yamlFiles;
  yield* walkFolder(walk, absolute, realFolder(absolute), selection ?? NAMED_FOLDER);
  // Found by the walk: a named folder that holds no workflow would otherwise pass as a clean scan.
  if (!selection && walk.yamlFiles === before)
    throw new UsageError(
      `no .yml or .yaml files under ${target}; name a workflow file or a folder holding one`,
    );
}

/**
 * What one path is scanned as: a repository (its default folders, as `cd path && claude-route-guard`
 * reads them), or every YAML file under it. `shown` is the repository's folder as messages name it.
 */
/** A repository read as GitHub reads it, or a path: a file, or a folder (`loose`) walked for every YAML file. */
type Scan = { repository: string; shown: string } | { path: string; loose?: boolean };

/**
 * A named folder is a repository when it is a root as files are placed (`isRepoRoot`: it holds `.git`, or a
 * real `.github` folder outside every `.github`), or `--repo` names it; in the action's workspace only the
 * workspace itself is. So a `.github` a pull request adds below `.github/workflows` changes nothing.
 * A file, a link and any other folder are scanned as they are.
 */
function scanOf(path: string, options: LoadOptions): Scan {
  const absolute = resolve(options.cwd, path);
  let folder = false;
  try {
    folder = lstatSync(absolute, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    // Said by loadTarget, which reads it.
  }
  if (!folder || (isWithin(options.cwd, absolute) && !noLinkBelow(options.cwd, absolute))) return { path };
  const repository =
    options.root !== undefined
      ? absolute === resolve(options.root)
      : options.repoName !== undefined || isRepoRoot(absolute);
  if (repository) return { repository: absolute, shown: path };
  // Inside a repository's .github, a folder is part of one: only a folder outside every repository is loose.
  return rootFinder(options)(absolute, '') === '' ? { path, loose: true } : { path };
}

/**
 * The root `repoName` names: the one repository every scanned path lies in. `--repo` with paths in several
 * repositories cannot say which of them it names.
 */
function namedRoot(scans: Scan[], options: LoadOptions, rootOf: RootOf): string | undefined {
  if (options.repoName === undefined) return undefined;
  if (options.root !== undefined) return resolve(options.root);
  const cwd = resolve(options.cwd);
  const roots = new Set(
    scans.map((s) =>
      'repository' in s ? rootOf(s.repository, s.repository) : rootOf(dirname(resolve(cwd, s.path)), cwd),
    ),
  );
  if (roots.size > 1)
    throw new UsageError(
      `--repo ${options.repoName} names one repository, but the paths lie in ${roots.size} (${[...roots].map((r) => display(cwd, r)).join(', ')}); scan them one at a time, or leave out --repo to read each one's git origin`,
    );
  return [...roots][0];
}

/** A repository's default folders, walked as a scan started in `scan.repository` walks them. */
function* loadRepository(walk: Walk, scan: { repository: string; shown: string }): Generator<SourceInput> {
  walk.base = scan.repository;
  const { root, targets } = defaultTargets(scan.repository);
  const present = targets.filter((t) => existsSync(t));
  const before = walk.yamlFiles;
  for (const target of present) yield* loadTarget(walk, target, defaultSelection(root, target));
  // The default folders together: a checkout without its workflows (a sparse or failed checkout) is not
  // a clean repository, so it is said rather than reported as "no Claude Code runs".
  if (walk.yamlFiles === before) throw new UsageError(nothingToScan(walk, present, root));
}

/** What a repository scan that met no file says: where it looked. */
function nothingToScan(walk: Walk, present: string[], root: string): string {
  const folders = present.filter((t) => t !== root).map((t) => display(walk.cwd, t));
  const folder = display(walk.cwd, root);
  const searched = present.includes(root)
    ? ` and no action.yml or action.yaml ${folder === '.' ? 'in this folder' : `in ${folder}`}`
    : '';
  const where =
    folders.length === 0
      ? `no ${DEFAULT_PATHS.filter((p) => p !== '').join(' or ')} folder${searched}`
      : `no .yml or .yaml files under ${folders.join(' or ')}${searched}`;
  return `${where}; name the files or folders to scan`;
}

/**
 * The files to scan, one at a time so that memory does not grow with the number of files. A repository
 * (the current folder when no path is named, or a named folder that is one: `scanOf`) is read as its
 * default folders; other folders are walked for .yml/.yaml files without following symbolic links; a
 * named file is read whatever its name. A repository named from outside gives what a scan inside it gives.
 */
export function* loadFiles(
  paths: string[],
  options: LoadOptions,
  problems: LoadProblem[],
): Generator<SourceInput> {
  const cwd = resolve(options.cwd);
  const scans: Scan[] =
    paths.length === 0 ? [{ repository: cwd, shown: cwd }] : paths.map((p) => scanOf(p, options));
  const rootOf = rootFinder(options);
  const named = namedRoot(scans, options, rootOf);
  const walk: Walk = {
    cwd: options.cwd,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    problems,
    placeOf: placer(options, rootOf, named),
    yamlFiles: 0,
    base: cwd,
    searched: 0,
  };
  for (const scan of scans) {
    if ('repository' in scan) yield* loadRepository(walk, scan);
    else {
      walk.base = cwd;
      const before = walk.yamlFiles;
      yield* loadTarget(walk, scan.path);
      if (scan.loose && walk.yamlFiles > before)
        problems.push(looseFolder(scan.path, walk.yamlFiles - before));
    }
  }
}

/**
 * Said when a named folder is no repository (no .git, no .github): every YAML file under it was scanned
 * wherever it lies, while GitHub runs only a repository's .github/workflows; a new user who named the
 * wrong folder, or one above several repositories, should not take the table for GitHub's view.
 */
function looseFolder(path: string, files: number): LoadProblem {
  return {
    file: path,
    message: `warning: this folder holds no .github or .git, so it was not read as a repository: all ${files} YAML file(s) under it were scanned as workflows or actions wherever they lie, while GitHub runs only .github/workflows; name a repository's root folder to scan it as GitHub does`,
  };
}
