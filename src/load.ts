import { existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DEFAULT_PATHS, defaultSelection, NAMED_FOLDER, type Selection } from './default-scan.js';
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
  /** `owner/name` of the repository at `cwd` (`--repo`, GITHUB_REPOSITORY); else read from its git remote. */
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
 * The folders scanned when none is named. From inside a `.github` folder they are that folder's own
 * `workflows` and `actions` (as a path from the cwd), and from inside one of those, the cwd itself: a
 * user who has `cd`-ed to the workflows means them, not a `.github/workflows` below it.
 */
function defaultTargets(cwd: string): readonly string[] {
  // A folder with its own `.git` or `.github` is a repository's root even when it is named `.github`
  // (an organisation's own `.github` repository, or the action's workspace for one).
  if (existsSync(join(cwd, '.git')) || existsSync(join(cwd, '.github'))) return DEFAULT_PATHS;
  const parts = resolve(cwd).split(sep);
  const at = parts.lastIndexOf('.github');
  if (at === -1) return DEFAULT_PATHS;
  const below = parts.slice(at + 1);
  if (below[0] === 'workflows' || below[0] === 'actions') return ['.'];
  const up = below.map(() => '..');
  return DEFAULT_PATHS.map((p) => [...up, p.slice('.github/'.length)].join('/'));
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

/** The repository a file belongs to: the nearest folder that is a root (`isRepoRoot`), else the cwd. */
function repoRootOf(absolute: string, cwd: string, known: Map<string, string>): string {
  const visited: string[] = [];
  let dir = dirname(absolute);
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
      root = cwd;
      break;
    }
    dir = parent;
  }
  // Every folder on the way shares the answer: one walk per folder, not per file.
  for (const v of visited) known.set(v, root);
  return root;
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
  return cachedRepo(
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
}

/** A file's place: its repository, its path from that repository's root, and that repository's policy. */
type Place = { repo: Repo; path: string; policy?: Policy };

/**
 * Where each file belongs, one repository per root. A repository's cache of parsed local files is only
 * needed while its files are walked; keeping every repository met would grow memory with the files scanned.
 */
function placer(options: LoadOptions): (absolute: string) => Place {
  const cwd = options.cwd;
  const repos = new Map<string, Repo>();
  const roots = new Map<string, string>();
  const fixedRoot = options.root === undefined ? undefined : resolve(options.root);
  const policies = new Map<string, Policy>();
  return (absolute) => {
    const root =
      fixedRoot !== undefined && isWithin(fixedRoot, absolute) ? fixedRoot : repoRootOf(absolute, cwd, roots);
    // What a policy names the file by, whichever folder the scan started in.
    const path = display(root, absolute);
    let repo = repos.get(root);
    if (!repo) {
      if (repos.size >= RECENT_REPOS) repos.delete(repos.keys().next().value!);
      repos.set(
        root,
        (repo = fsRepo(root, cwd, root === resolve(cwd) ? options.repoName : undefined, options.remote)),
      );
    }
    if (!options.policyFor) return { repo, path };
    let policy = policies.get(root);
    if (!policy) policies.set(root, (policy = options.policyFor(root)));
    return { repo, path, policy };
  };
}

/** What one load shares while it walks: where to report, how files are placed, and how many YAML files it met. */
interface Walk {
  cwd: string;
  maxBytes: number;
  problems: LoadProblem[];
  placeOf: (absolute: string) => Place;
  yamlFiles: number;
}

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
        ...walk.placeOf(absolute),
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
    yield { file, text: '', explicit, ...walk.placeOf(absolute), unreadable: decoded };
    return;
  }
  yield { file, text: decoded.text, explicit, ...walk.placeOf(absolute) };
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
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink())
      walk.problems.push({ file: display(walk.cwd, path), message: 'symbolic link not followed' });
    else if (entry.isDirectory()) {
      if (select.enters(path)) yield* walkFolder(walk, path, realTop, select);
    } else if (entry.isFile() && select.reads(path)) {
      walk.yamlFiles++;
      yield* readOne(walk, path, false);
    }
  }
}

/** One path to scan: a file, read whatever its name, or a folder, walked. */
function* loadTarget(walk: Walk, target: string, named: boolean): Generator<SourceInput> {
  const absolute = resolve(walk.cwd, target);
  let stat;
  try {
    stat = lstatSync(absolute);
  } catch {
    throw new UsageError(`${target}: no such file or folder`);
  }
  // A named path inside the folder being scanned may not pass through a symbolic link: the repository
  // chose it, and it could lead to /, /dev/zero or the runner's home.
  if (stat.isSymbolicLink() || (isWithin(walk.cwd, absolute) && !noLinkBelow(walk.cwd, absolute))) {
    walk.problems.push({ file: display(walk.cwd, absolute), message: 'symbolic link not followed' });
    return;
  }
  if (!stat.isDirectory()) {
    yield* readOne(walk, absolute, true);
    return;
  }
  const before = walk.yamlFiles;
  yield* walkFolder(walk, absolute, realFolder(absolute), named ? NAMED_FOLDER : defaultSelection(absolute));
  // Found by the walk: a named folder that holds no workflow would otherwise pass as a clean scan.
  if (named && walk.yamlFiles === before)
    throw new UsageError(
      `no .yml or .yaml files under ${target}; name a workflow file or a folder holding one`,
    );
}

/**
 * The files to scan, one at a time so that memory does not grow with the number of files. Folders are
 * walked for .yml/.yaml files without following symbolic links; a named file is read whatever its name.
 */
export function* loadFiles(
  paths: string[],
  options: LoadOptions,
  problems: LoadProblem[],
): Generator<SourceInput> {
  const cwd = options.cwd;
  const useDefaults = paths.length === 0;
  const targets = useDefaults ? defaultTargets(cwd).filter((p) => existsSync(resolve(cwd, p))) : paths;
  if (useDefaults && targets.length === 0) {
    throw new UsageError(
      `no ${DEFAULT_PATHS.join(' or ')} folder under ${cwd}; name the files or folders to scan`,
    );
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const walk: Walk = { cwd, maxBytes, problems, placeOf: placer(options), yamlFiles: 0 };
  for (const target of targets) yield* loadTarget(walk, target, !useDefaults);
  // The default folders together: a checkout without its workflows (a sparse or failed checkout) is not
  // a clean repository, so it is said rather than reported as "no Claude Code runs".
  if (useDefaults && walk.yamlFiles === 0)
    throw new UsageError(
      `no .yml or .yaml files under ${targets.join(' or ')}; name the files or folders to scan`,
    );
}
