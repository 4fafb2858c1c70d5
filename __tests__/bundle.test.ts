import { describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceHash } from '../scripts/source-hash.mjs';
import { ROOT } from './helpers.js';

/** A copy of what a bundle is built from, to change one file of it. */
function sources(): string {
  const root = mkdtempSync(join(tmpdir(), 'crg-sources-'));
  cpSync(join(ROOT, 'src'), join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'scripts'));
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs'])
    cpSync(join(ROOT, file), join(root, file));
  return root;
}

describe('the hash a bundle is stamped with (dist/source.sha256)', () => {
  it('is the checkout’s for a copy of its sources, and changes with one byte of src/ or the lock file', () => {
    const root = sources();
    const original = sourceHash(root);
    expect(original).toBe(sourceHash(ROOT));
    writeFileSync(join(root, 'src', 'version.ts'), "export const VERSION = '0.1.1';\n");
    const edited = sourceHash(root);
    expect(edited).not.toBe(original);
    writeFileSync(join(root, 'package-lock.json'), '{}\n');
    expect(sourceHash(root)).not.toBe(edited);
  });

  it('ignores what a bundle is not built from: tests, docs, a file beside src/', () => {
    const root = sources();
    const original = sourceHash(root);
    mkdirSync(join(root, '__tests__'));
    writeFileSync(join(root, '__tests__', 'x.test.ts'), 'x\n');
    writeFileSync(join(root, 'README.md'), 'x\n');
    expect(sourceHash(root)).toBe(original);
    // A new file under src/ is a source, even one no module imports yet.
    writeFileSync(join(root, 'src', 'new.ts'), '');
    expect(sourceHash(root)).not.toBe(original);
  });
});
