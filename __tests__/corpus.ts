import { describe, it } from '@jest/globals';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CORPUS } from './helpers.js';

/**
 * The bulk corpus stores each project's files flat (`github__workflows__x.yml`); MANIFEST.tsv says where
 * each came from. Rebuilding the trees lets local `uses: ./...` references resolve as in a checkout.
 * Returns the folder holding one folder per project.
 */
export function rebuildBulk(): { root: string; projects: string[] } {
  const bulk = join(CORPUS, 'bulk');
  const root = mkdtempSync(join(tmpdir(), 'crg-bulk-'));
  const projects = new Set<string>();
  const rows = readFileSync(join(bulk, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  for (const row of rows) {
    const [file, repo, path] = row.split('\t') as [string, string, string];
    const project = repo.replace('/', '__');
    projects.add(project);
    const target = join(root, project, path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(bulk, file), target);
  }
  return { root, projects: [...projects].sort() };
}

/** REQUIRE_CORPUS=1 (set by .ci/run) turns a missing corpus into a failure instead of a skip. */
export const CORPUS_REQUIRED = process.env.REQUIRE_CORPUS === '1';
/**
 * `describe` for tests that read ../shared/corpus, which only this project's own machines have. Without it
 * the block is skipped (corpus-setup.js prints the one line that says so), so a plain clone's `npm test`
 * passes; each behaviour these tests protect also has a fixture of its own in __tests__/fixtures.
 */
export function describeWithCorpus(name: string, body: () => void): void {
  if (existsSync(CORPUS)) {
    describe(name, body);
    return;
  }
  if (CORPUS_REQUIRED) {
    describe(name, () => {
      it('finds the corpus', () => {
        throw new Error(`corpus not found at ${CORPUS}, and REQUIRE_CORPUS=1 makes it mandatory`);
      });
    });
    return;
  }
  // The body is not even collected: it reads the corpus as it builds its tests.
  describe.skip(name, () => it.skip('needs the corpus', () => undefined));
}
