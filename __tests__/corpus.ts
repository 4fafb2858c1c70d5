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
  const { root, files } = rebuild('bulk');
  return { root, projects: [...files.keys()].sort() };
}

/**
 * Any corpus folder rebuilt the same way; `files` gives each project's files by their path in the
 * project, so a project whose only file is a root `action.yml` can still be named.
 */
export function rebuild(corpus: 'bulk' | 'real'): { root: string; files: Map<string, string[]> } {
  const folder = join(CORPUS, corpus);
  const root = mkdtempSync(join(tmpdir(), `crg-${corpus}-`));
  const files = new Map<string, string[]>();
  const rows = readFileSync(join(folder, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  for (const row of rows) {
    const [file, repo, path] = row.split('\t') as [string, string, string];
    const project = repo.replace('/', '__');
    files.set(project, [...(files.get(project) ?? []), path]);
    const target = join(root, project, path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(folder, file), target);
  }
  return { root, files };
}

export interface RealFile {
  file: string;
  repo: string;
  path: string;
  /** The folder the file's repository was rebuilt into. */
  root: string;
}

/** The real corpus rebuilt the same way: one folder per repository, each file at its original path. */
export function rebuildReal(): RealFile[] {
  const real = join(CORPUS, 'real');
  const root = mkdtempSync(join(tmpdir(), 'crg-real-'));
  const rows = readFileSync(join(real, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => {
    const [file, repo, path] = row.split('\t') as [string, string, string];
    const project = join(root, repo.replace('/', '__'));
    mkdirSync(dirname(join(project, path)), { recursive: true });
    copyFileSync(join(real, file), join(project, path));
    return { file, repo, path, root: project };
  });
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
