import { posix } from 'node:path';
import type { RemoteLookup } from './remote.js';
import { cachedRepo, type Repo } from './repo.js';

/** What is known of a path: its text, `null` when it is not there (or not a readable file), undefined when not asked yet. */
export type Lookup = (path: string) => string | null | undefined;

/**
 * A path from the root as the checkout would resolve it, or undefined when it leaves the repository or
 * names its root: `./a/../b` is `b`, `../x` and `/etc/x` are nothing.
 */
export function repositoryPath(relPath: string): string | undefined {
  const path = posix.normalize(relPath).replace(/\/+$/, '');
  if (path === '.' || path === '' || path === '..' || path.startsWith('../') || path.startsWith('/'))
    return undefined;
  return path;
}

/**
 * A repository whose files are held in memory (read through an API). What the engine asks that is not
 * known yet is recorded in `misses` and answered as absent: the caller reads those and scans again, so
 * the files read are exactly those the engine asks for, not a guess of them.
 */
export function memoryRepo(lookup: Lookup, misses: Set<string>, name?: string, remote?: RemoteLookup): Repo {
  return cachedRepo(
    (relPath) => {
      const path = repositoryPath(relPath);
      if (path === undefined) return undefined;
      const text = lookup(path);
      if (text === undefined) misses.add(path);
      return typeof text === 'string' ? { file: path, text } : undefined;
    },
    name,
    remote,
  );
}
