import { basename, relative, sep } from 'node:path';

/**
 * Which files a scan reads when it is named none: one definition for the local walk (load.ts) and for
 * the organisation inventory, which reads the same files of each repository through the GitHub API. A
 * change of the default is made here, and both follow it.
 */

const WORKFLOWS = '.github/workflows';
const ACTIONS = '.github/actions';
/**
 * Where the default scan starts, from a repository's root, in the order it reads them: the workflows,
 * the actions kept beside them, then the repository itself (`''`), searched for `action.yml`: action
 * repositories and monorepos of actions keep theirs at the root or in folders of their own.
 */
export const DEFAULT_PATHS: readonly string[] = [WORKFLOWS, ACTIONS, ''];

const YAML_FILE = /\.ya?ml$/i;
/** The names GitHub reads an action's metadata from. */
const ACTION_FILE = /^action\.ya?ml$/;
/** Never walked into, wherever a walk starts. */
const SKIP_FOLDERS = new Set(['node_modules', '.git']);
/**
 * Not searched for actions: dependencies and the places that keep copies of workflows and actions as
 * examples or test data, not as the repository's own (a named folder still reads them).
 */
const NOT_SEARCHED = new Set([
  ...SKIP_FOLDERS,
  'vendor',
  'test',
  'tests',
  '__tests__',
  'fixtures',
  'examples',
  'docs',
]);
/** How many folders below the root the search for actions goes: a reader of a remote tree lists them all. */
export const MAX_ACTION_DEPTH = 6;

/** Why a YAML file in a sub-folder of `.github/workflows` is met and not read. */
export const NESTED_WORKFLOW =
  'in a sub-folder of .github/workflows, where GitHub runs no workflow, so nothing in it runs';

/** Whether any walk goes into a folder of this name. */
export function walksInto(name: string): boolean {
  return !SKIP_FOLDERS.has(name);
}

/** Whether a walk of a named folder reads a file of this name. */
export function isYamlName(name: string): boolean {
  return YAML_FILE.test(name);
}

function startOf(path: string): string | undefined {
  return DEFAULT_PATHS.find((start) => start === '' || path === start || path.startsWith(`${start}/`));
}

function below(start: string, path: string): string[] {
  return path.slice(start.length).split('/').filter(Boolean);
}

function split(file: string): { folder: string; name: string } {
  const slash = file.lastIndexOf('/');
  return { folder: slash === -1 ? '' : file.slice(0, slash), name: file.slice(slash + 1) };
}

/** The default scan of a repository, asked by paths from its root ('/'-separated). */
export const DEFAULT_SCAN = {
  starts: DEFAULT_PATHS,
  /** Whether the scan looks inside this folder (`''` is the root). */
  enters(folder: string): boolean {
    const start = startOf(folder);
    if (start === undefined) return false;
    const parts = below(start, folder);
    if (start !== '') return parts.every(walksInto);
    return parts.length <= MAX_ACTION_DEPTH && parts.every((name) => !NOT_SEARCHED.has(name));
  },
  /** Whether the scan reads this file. */
  reads(file: string): boolean {
    const { folder, name } = split(file);
    if (!DEFAULT_SCAN.enters(folder)) return false;
    const start = startOf(file);
    if (start === ACTIONS || folder === WORKFLOWS) return isYamlName(name);
    // Elsewhere, and in a sub-folder of the workflows, only an action's metadata.
    return ACTION_FILE.test(name);
  },
  /** Why the scan meets this file and does not read it (listed as skipped), or undefined. */
  skips(file: string): string | undefined {
    const { folder, name } = split(file);
    return startOf(file) === WORKFLOWS &&
      folder !== WORKFLOWS &&
      DEFAULT_SCAN.enters(folder) &&
      isYamlName(name) &&
      !ACTION_FILE.test(name)
      ? NESTED_WORKFLOW
      : undefined;
  },
};

/** A repository's tree entry, by its path from the root; links are never followed. */
export interface TreeEntry {
  path: string;
  kind: 'file' | 'folder' | 'link' | 'other';
}

/**
 * The order a walk reads files in: the starts in their order, and in each folder its entries sorted by
 * name (by code unit), a folder's files at the folder's place among its siblings.
 */
export function compareWalkOrder(a: string, b: string): number {
  const start = (path: string): number => DEFAULT_PATHS.indexOf(startOf(path) ?? '');
  const byStart = start(a) - start(b);
  if (byStart !== 0) return byStart;
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

/**
 * Given a repository's tree entries, the files a default scan of it meets, in the order it meets them:
 * those it reads, and those it lists as skipped (`DEFAULT_SCAN.skips`).
 */
export function defaultScanFiles(entries: Iterable<TreeEntry>): string[] {
  const files: string[] = [];
  for (const entry of entries)
    if (entry.kind === 'file' && (DEFAULT_SCAN.reads(entry.path) || DEFAULT_SCAN.skips(entry.path)))
      files.push(entry.path);
  return files.sort(compareWalkOrder);
}

/** What a walk of the file system goes into, reads and lists as skipped, asked by absolute path. */
export interface Selection {
  enters(folder: string): boolean;
  reads(file: string): boolean;
  skips?(file: string): string | undefined;
  /** The repository-wide search, whose walk is bounded by the entries it lists. */
  search?: true;
}

/** A folder named on the command line: every YAML file under it. */
export const NAMED_FOLDER: Selection = {
  enters: (folder) => walksInto(basename(folder)),
  reads: (file) => isYamlName(basename(file)),
};

/**
 * The default scan from one of its starts (`start`, from the repository's `root`, both absolute): what
 * it takes below that start and not below a later, deeper one, so no file is met twice.
 */
export function defaultSelection(root: string, start: string): Selection {
  const fromRoot = (path: string): string => relative(root, path).split(sep).join('/');
  const own = startOf(fromRoot(start));
  const mine = (path: string): boolean => startOf(fromRoot(path)) === own;
  const selection: Selection = {
    enters: (folder) => mine(folder) && DEFAULT_SCAN.enters(fromRoot(folder)),
    reads: (file) => mine(file) && DEFAULT_SCAN.reads(fromRoot(file)),
    skips: (file) => (mine(file) ? DEFAULT_SCAN.skips(fromRoot(file)) : undefined),
  };
  if (own === '') selection.search = true;
  return selection;
}
