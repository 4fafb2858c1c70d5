// Builds the two self-contained bundles: dist/index.js (the action) and dist/cli/index.js (the CLI).
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { sourceHash, STAMP } from './source-hash.mjs';

const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
const builds = [
  ['src/index.ts', 'dist'],
  ['src/bin.ts', 'dist/cli'],
];
rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of builds) {
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      entry,
      '-o',
      out,
      '--minify',
      '--no-source-map-register',
      '--license',
      'licenses.txt',
      '-q',
    ],
    {
      stdio: 'inherit',
    },
  );
}

// npm links the bin and the shell runs it directly; without the shebang /bin/sh reads it as a script.
const bin = 'dist/cli/index.js';
const code = readFileSync(bin, 'utf8');
if (!code.startsWith('#!')) writeFileSync(bin, `#!/usr/bin/env node\n${code}`);
chmodSync(bin, 0o755);

// The tests that run dist/ refuse a bundle built from other sources than the checkout's.
writeFileSync(STAMP, `${sourceHash('.')}\n`);
