import { basename, relative, sep } from 'node:path';

/**
 * Which files a scan reads when it is named none: one definition for the local walk (load.ts) and for
 * the organisation inventory, which reads the same files of each repository through the GitHub API. A
 * change of the default is made here, and both follow it.
 */

/** Where the default scan starts, from a repository's root, in the order it reads them. */
export const DEFAULT_PATHS: readonly string[] = ['.github/workflows', '.github/actions'];

const YAML_FILE = /\.ya?ml$/i;
/** Never walked into, wherever a walk starts. */
const SKIP_FOLDERS = new Set(['node_modules', '.git']);

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

/** The default scan of a repository, asked by paths from its root ('/'-separated). */
export const DEFAULT_SCAN = {
  starts: DEFAULT_PATHS,
  /** Whether the scan looks inside this folder. */
  enters(folder: string): boolean {
    const start = startOf(folder);
    if (start === undefined) return false;
    return folder.slice(start.length).split('/').filter(Boolean).every(walksInto);
  },
  /** Whether the scan reads this file. */
  reads(file: string): boolean {
    const slash = file.lastIndexOf('/');
    return slash > 0 && DEFAULT_SCAN.enters(file.slice(0, slash)) && isYamlName(file.slice(slash + 1));
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

/** Given a repository's tree entries, the files a default scan of it reads, in the order it reads them. */
export function defaultScanFiles(entries: Iterable<TreeEntry>): string[] {
  const files: string[] = [];
  for (const entry of entries)
    if (entry.kind === 'file' && DEFAULT_SCAN.reads(entry.path)) files.push(entry.path);
  return files.sort(compareWalkOrder);
}

/** What a walk of the file system goes into and reads, asked by absolute path. */
export interface Selection {
  enters(folder: string): boolean;
  reads(file: string): boolean;
}

/** A folder named on the command line: every YAML file under it. */
export const NAMED_FOLDER: Selection = {
  enters: (folder) => walksInto(basename(folder)),
  reads: (file) => isYamlName(basename(file)),
};

/** A default folder (`target`, absolute): what the default scan takes, asked from the root that holds it. */
export function defaultSelection(target: string): Selection {
  // A default folder lies in a `.github` of the root, or is the root itself.
  const parts = target.split(sep);
  const at = parts.lastIndexOf('.github');
  const root = at === -1 ? target : parts.slice(0, at).join(sep) || sep;
  const fromRoot = (path: string): string => relative(root, path).split(sep).join('/');
  return {
    enters: (folder) => DEFAULT_SCAN.enters(fromRoot(folder)),
    reads: (file) => DEFAULT_SCAN.reads(fromRoot(file)),
  };
}
