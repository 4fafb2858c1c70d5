import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Repo } from './claude/invocations.js';
import type { SourceInput } from './scan.js';
import { parseFile, type Parsed } from './workflow/model.js';

export const DEFAULT_PATHS = ['.github/workflows', '.github/actions'];
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const YAML_FILE = /\.ya?ml$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);

export class UsageError extends Error {}

export interface LoadOptions {
  cwd: string;
  maxBytes?: number;
}

export interface LoadProblem {
  file: string;
  message: string;
}

function display(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** The repository a file belongs to: the nearest folder holding `.github`, else `.git`, else the cwd. */
function repoRootOf(absolute: string, cwd: string): string {
  let dir = dirname(absolute);
  for (;;) {
    if (existsSync(join(dir, '.github')) || existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return cwd;
    dir = parent;
  }
}

/** Reads the files around the scanned ones: local actions, reusable workflows, settings. */
export function fsRepo(root: string, cwd: string): Repo {
  const parsed = new Map<string, Parsed | undefined>();
  const read = (relPath: string): { file: string; text: string } | undefined => {
    const absolute = resolve(root, relPath);
    if (!absolute.startsWith(root)) return undefined; // never leave the repository
    try {
      const stat = lstatSync(absolute);
      if (!stat.isFile() || stat.size > DEFAULT_MAX_BYTES) return undefined;
      return { file: display(cwd, absolute), text: readFileSync(absolute, 'utf8') };
    } catch {
      return undefined;
    }
  };
  return {
    read,
    parse(relPath) {
      if (!parsed.has(relPath)) {
        const found = read(relPath);
        parsed.set(relPath, found ? parseFile(found.file, found.text) : undefined);
      }
      return parsed.get(relPath);
    },
  };
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
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const repos = new Map<string, Repo>();
  const repoFor = (absolute: string): Repo => {
    const root = repoRootOf(absolute, cwd);
    let repo = repos.get(root);
    if (!repo) repos.set(root, (repo = fsRepo(root, cwd)));
    return repo;
  };
  const useDefaults = paths.length === 0;
  const targets = useDefaults ? DEFAULT_PATHS.filter((p) => existsSync(resolve(cwd, p))) : paths;
  if (useDefaults && targets.length === 0) {
    throw new UsageError(
      `no ${DEFAULT_PATHS.join(' or ')} folder under ${cwd}; name the files or folders to scan`,
    );
  }
  for (const target of targets) {
    const absolute = resolve(cwd, target);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      throw new UsageError(`${target}: no such file or folder`);
    }
    if (stat.isDirectory()) yield* walk(absolute);
    else yield* readOne(absolute, true);
  }

  function* walk(dir: string): Generator<SourceInput> {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      problems.push({
        file: display(cwd, dir),
        message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      });
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      let entry;
      try {
        entry = lstatSync(path);
      } catch {
        continue;
      }
      if (entry.isSymbolicLink()) {
        problems.push({ file: display(cwd, path), message: 'symbolic link not followed' });
      } else if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(name)) yield* walk(path);
      } else if (entry.isFile() && YAML_FILE.test(name)) {
        yield* readOne(path, false);
      }
    }
  }

  function* readOne(absolute: string, explicit: boolean): Generator<SourceInput> {
    const file = display(cwd, absolute);
    let size: number;
    try {
      size = statSync(absolute).size;
    } catch {
      problems.push({ file, message: 'cannot read file' });
      return;
    }
    if (size > maxBytes) {
      yield { file, text: '', explicit, repo: repoFor(absolute), tooLarge: size };
      return;
    }
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (error) {
      problems.push({
        file,
        message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      });
      return;
    }
    yield { file, text, explicit, repo: repoFor(absolute) };
  }
}
