// What a bundle in dist/ is built from, as one SHA-256: every file under src/, package.json,
// package-lock.json, tsconfig.json and scripts/bundle.mjs. `npm run bundle` writes it to
// dist/source.sha256; the tests that run dist/ compare it with the checkout's (__tests__/bundle.ts), so a
// bundle built from other sources fails them instead of passing. `node scripts/source-hash.mjs` prints it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STAMP = 'dist/source.sha256';
const INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs'];

function filesUnder(root, dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(root, join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The hash of the sources under `root`: each file's path and bytes, in path order. */
export function sourceHash(root) {
  const hash = createHash('sha256');
  const paths = [...filesUnder(root, 'src'), ...INPUTS].map((p) => p.split(sep).join('/')).sort();
  for (const path of paths) {
    hash.update(`${path}\0`);
    hash.update(readFileSync(join(root, path)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(sourceHash(process.cwd()));
