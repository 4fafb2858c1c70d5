import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceHash, STAMP } from '../scripts/source-hash.mjs';
import { ROOT } from './helpers.js';

/**
 * Why dist/ cannot be trusted to be the checkout's sources, or undefined when it can. Asked once per test
 * file; off in the mutation run (DIST_CHECK=0, set by stryker.config.mjs), whose sandbox holds mutated
 * sources and the checkout's bundle.
 */
let stale: string | undefined | null = null;
function staleness(): string | undefined {
  if (stale !== null) return stale;
  if (process.env.DIST_CHECK === '0') return (stale = undefined);
  const stamp = join(ROOT, STAMP);
  const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
  const now = sourceHash(ROOT);
  stale =
    built === now
      ? undefined
      : built === undefined
        ? `dist/ has no ${STAMP.slice('dist/'.length)}, so what it was built from is not known`
        : `dist/ was built from other sources than src/, package.json, package-lock.json, tsconfig.json and scripts/bundle.mjs hold now (${STAMP} says ${built.slice(0, 12)}, the checkout is ${now.slice(0, 12)})`;
  return stale;
}

/** A bundle in dist/ (`action`: dist/index.js, `cli`: dist/cli/index.js), once it is known to be current. */
export function freshBundle(which: 'action' | 'cli' | 'folder'): string {
  const why = staleness();
  if (why !== undefined) throw new Error(`${why}: run npm run bundle, then the tests again`);
  return which === 'folder'
    ? join(ROOT, 'dist')
    : join(ROOT, 'dist', ...(which === 'cli' ? ['cli'] : []), 'index.js');
}
