import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_SCAN, defaultScanFiles, type TreeEntry } from '../src/default-scan.js';
import { loadFiles } from '../src/load.js';
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
  it('takes the YAML files under .github/workflows and .github/actions, in the order the walk reads them', () => {
    const root = mkdtempSync(join(tmpdir(), 'crg-scope-'));
    write(root, [
      '.github/workflows/b.yml',
      '.github/workflows/a.yaml',
      '.github/workflows/a/nested.yml',
      '.github/workflows/notes.md',
      '.github/actions/x/action.yml',
      '.github/actions/x/node_modules/dep/action.yml',
      '.github/actions/.git/config.yml',
      '.github/dependabot.yml',
      'action.yml',
      'docs/workflows/example.yml',
    ]);
    symlinkSync(join(root, '.github/workflows/b.yml'), join(root, '.github/workflows/linked.yml'));
    const expected = [
      '.github/workflows/a/nested.yml',
      '.github/workflows/a.yaml',
      '.github/workflows/b.yml',
      '.github/actions/x/action.yml',
    ];
    expect(defaultScanFiles(treeOf(root))).toEqual(expected);
    expect(localScanFiles(root)).toEqual(expected);
  });

  it('says which folders it looks inside, so a reader of a remote tree lists only those', () => {
    expect(
      ['', '.github', '.github/workflows', '.github/actions/x', '.github/actions/x/node_modules', 'src'].map(
        (folder) => DEFAULT_SCAN.enters(folder),
      ),
    ).toEqual([false, false, true, true, false, false]);
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
