import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsRepo, loadFiles } from '../src/load.js';
import { scan } from '../src/scan.js';
import { parseFile } from '../src/workflow/model.js';

const ACTION = 'runs:\n  using: composite\n  steps:\n    - run: claude -p hi\n      shell: bash\n';

function repository(): string {
  const root = mkdtempSync(join(tmpdir(), 'crg-once-'));
  mkdirSync(join(root, '.github', 'actions', 'review'), { recursive: true });
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(root, '.github', 'actions', 'review', 'action.yml'), ACTION);
  writeFileSync(
    join(root, '.github', 'workflows', 'ci.yml'),
    'on: push\njobs:\n  r:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/review\n',
  );
  return root;
}

describe('a file both scanned and called', () => {
  it('is modelled once while its text is the same, and again when it is not', () => {
    const root = repository();
    const repo = fsRepo(root, root);
    const file = '.github/actions/review/action.yml';
    let made = 0;
    const make = () => (made++, parseFile(file, ACTION));
    const scanned = repo.model!(file, ACTION, make);
    expect(repo.parse(file)).toBe(scanned);
    expect(repo.model!(file, ACTION, make)).toBe(scanned);
    expect(made).toBe(1);
    const changed = `${ACTION}# edited\n`;
    expect(repo.model!(file, changed, () => (made++, parseFile(file, changed)))).not.toBe(scanned);
    expect(made).toBe(2);
  });

  it('gives the same report as when each use parses the file itself', () => {
    const root = repository();
    const shared = JSON.stringify(scan(loadFiles([], { cwd: root }, [])));
    const own = JSON.stringify(
      scan(
        [...loadFiles([], { cwd: root }, [])].map((input) => ({
          ...input,
          repo: { ...input.repo, model: undefined },
        })),
      ),
    );
    expect(shared).toEqual(own);
    expect(JSON.parse(shared).routes).toEqual([
      // Workflows are scanned first: the action is modelled as a callee, then reused when scanned.
      expect.objectContaining({ file: '.github/workflows/ci.yml', line: 6, column: 15 }),
      expect.objectContaining({ file: '.github/actions/review/action.yml', line: 4, column: 12 }),
    ]);
  });
});
