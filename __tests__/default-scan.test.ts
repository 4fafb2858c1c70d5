import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_SCAN, defaultScanFiles, type TreeEntry } from '../src/default-scan.js';
import { loadFiles } from '../src/load.js';
import { takeWork } from '../src/meter.js';
import { describeWithCorpus, rebuild } from './corpus.js';
import { FIXTURES } from './helpers.js';

/** Every entry under `root`, as a repository's tree lists it: links are entries, never followed. */
export function treeOf(root: string, under = ''): TreeEntry[] {
  return readdirSync(join(root, under), { withFileTypes: true }).flatMap((entry): TreeEntry[] => {
    const path = under === '' ? entry.name : `${under}/${entry.name}`;
    if (entry.isSymbolicLink()) return [{ path, kind: 'link' }];
    if (entry.isDirectory()) return [{ path, kind: 'folder' }, ...treeOf(root, path)];
    return [{ path, kind: entry.isFile() ? 'file' : 'other' }];
  });
}

/** The files a local default scan of `root` reads, in its order, by their paths from the root. */
function localScanFiles(root: string): string[] {
  try {
    return [...loadFiles([], { cwd: root }, [])].map((input) => input.file);
  } catch {
    // No default folder at all: the local scan reads nothing (and says so).
    return [];
  }
}

function write(root: string, files: string[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), 'on: push\n');
  }
}

describe('the default scan, as one function of a repository tree', () => {
  it('takes the YAML files under .github/workflows and .github/actions and every action.yml, in the order the walk reads them', () => {
    const root = mkdtempSync(join(tmpdir(), 'crg-scope-'));
    write(root, [
      '.github/workflows/b.yml',
      '.github/workflows/a.yaml',
      '.github/workflows/a/nested.yml',
      '.github/workflows/setup/action.yml',
      '.github/workflows/notes.md',
      '.github/actions/x/action.yml',
      '.github/actions/x/node_modules/dep/action.yml',
      '.github/actions/.git/config.yml',
      '.github/dependabot.yml',
      '.github/review/action.yaml',
      'action.yml',
      'claude-review/action.yml',
      'claude-review/config.yml',
      'packages/a/b/c/d/e/action.yml',
      'packages/a/b/c/d/e/f/action.yml',
      'Action.yml',
      'docs/workflows/example.yml',
      'docs/action.yml',
      'examples/action.yml',
      'fixtures/action.yml',
      'src/test/action.yml',
      'tests/action.yml',
      '__tests__/action.yml',
      'vendor/acme/action.yml',
      'node_modules/acme/action.yml',
    ]);
    symlinkSync(join(root, '.github/workflows/b.yml'), join(root, '.github/workflows/linked.yml'));
    symlinkSync(join(root, 'claude-review'), join(root, 'linked-review'));
    const expected = [
      '.github/workflows/a/nested.yml',
      '.github/workflows/a.yaml',
      '.github/workflows/b.yml',
      '.github/workflows/setup/action.yml',
      '.github/actions/x/action.yml',
      '.github/review/action.yaml',
      'action.yml',
      'claude-review/action.yml',
      'packages/a/b/c/d/e/action.yml',
    ];
    expect(defaultScanFiles(treeOf(root))).toEqual(expected);
    expect(localScanFiles(root)).toEqual(expected);
    // Met, not read: GitHub runs no workflow from a sub-folder of .github/workflows.
    expect(expected.filter((file) => DEFAULT_SCAN.skips(file) !== undefined)).toEqual([
      '.github/workflows/a/nested.yml',
    ]);
  });

  it('says which folders it looks inside, so a reader of a remote tree lists only those', () => {
    const folders = {
      '': true,
      '.github': true,
      '.github/workflows': true,
      '.github/actions/x': true,
      '.github/actions/x/node_modules': false,
      src: true,
      'src/test': false,
      'a/b/c/d/e/f': true,
      'a/b/c/d/e/f/g': false,
      docs: false,
      vendor: false,
      '.git': false,
    };
    expect(Object.fromEntries(Object.keys(folders).map((f) => [f, DEFAULT_SCAN.enters(f)]))).toEqual(folders);
  });

  it('lists only the folders it searches: dependencies and test data cost no work however large', () => {
    const root = mkdtempSync(join(tmpdir(), 'crg-search-'));
    const many = (folder: string): string[] =>
      Array.from({ length: 300 }, (_, i) => `${folder}/pkg${i}/action.yml`);
    write(root, [
      '.github/workflows/a.yml',
      ...many('node_modules'),
      ...many('vendor'),
      ...many('tests'),
      'src/one.ts',
      'src/two/action.yml',
    ]);
    takeWork();
    expect(localScanFiles(root)).toEqual(['.github/workflows/a.yml', 'src/two/action.yml']);
    // The root's 5 entries, .github's 1 (its workflows are walked as a start of their own), src's 2
    // and src/two's 1: nothing below node_modules, vendor or tests is listed.
    expect(takeWork().searchEntries).toBe(5 + 1 + 2 + 1);
  });

  it('agrees with the local walk on every fixture repository', () => {
    for (const name of ['repo', 'wrapped-repo', 'settings-repo', 'sdk-repo', 'remote-repo', 'policy-repo']) {
      const root = join(FIXTURES, name);
      expect([name, defaultScanFiles(treeOf(root))]).toEqual([name, localScanFiles(root)]);
    }
  });
});

describeWithCorpus('the default scan on the corpus rebuilt into its repositories', () => {
  it('reads exactly the files the local walk reads, in its order', () => {
    for (const corpus of ['real', 'bulk'] as const) {
      const { root, files } = rebuild(corpus);
      for (const project of files.keys()) {
        const tree = join(root, project);
        expect([project, defaultScanFiles(treeOf(tree))]).toEqual([project, localScanFiles(tree)]);
      }
    }
  });
});
