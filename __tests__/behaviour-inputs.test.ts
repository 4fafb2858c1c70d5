import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from './action-run.js';
import { cliAt, REPO } from './helpers.js';

/** What the CLI says, run from `cwd` with `args`. */
function cli(cwd: string, args: string[]): { code: number; out: string; err: string } {
  return cliAt(cwd, ['--fail-on', 'never', ...args]);
}

/** The files and routes of a JSON report, in order. */
function routes(out: string): string[] {
  const json = JSON.parse(out) as { routes: { file: string; line: number; column: number; route: string }[] };
  return json.routes.map((r) => `${r.file}:${r.line}:${r.column} ${r.route}`);
}

/** A folder laid out as `folders` (paths below it), with no file in any of them. */
function emptyFolders(...folders: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'crg-empty-'));
  for (const f of folders) mkdirSync(join(dir, f), { recursive: true });
  return dir;
}

describe('run from inside .github', () => {
  it('scans that folder’s workflows and actions, naming files from where it runs', () => {
    const fromRoot = routes(cli(REPO, ['--format', 'json']).out);
    const { code, out, err } = cli(join(REPO, '.github'), ['--format', 'json']);
    // Only the note on the repository's calls of other repositories' workflows, which are not followed.
    expect([code, err.trim()]).toEqual([
      0,
      'claude-route-guard: note: 3 call(s) of reusable workflows in other repositories were not followed; --resolve-remote reads them through the GitHub API (with GITHUB_TOKEN or GH_TOKEN for private ones)',
    ]);
    expect(routes(out)).toEqual(fromRoot.map((r) => r.replace(/^\.github\//, '')));
    expect(routes(out)).toContain('workflows/caller-inherit.yml:11:11 subscription-login');
  });

  it('scans the workflows folder itself from .github/workflows', () => {
    const { code, out } = cli(join(REPO, '.github', 'workflows'), ['--format', 'json']);
    expect(code).toBe(0);
    const found = routes(out);
    expect(found).toContain('caller-inherit.yml:11:11 subscription-login');
    expect(found.filter((r) => r.includes('/'))).toEqual([]);
  });

  it('scans its workflows and actions from another folder in .github', () => {
    const { code, out } = cli(join(REPO, '.github', 'scripts'), ['--format', 'json']);
    expect(code).toBe(0);
    expect(routes(out)).toContain('../workflows/caller-inherit.yml:11:11 subscription-login');
  });

  it('still means the inner .github of an organisation’s own `.github` repository', () => {
    // A clone of it: the repository's root is named `.github` and holds its own `.git`.
    const dir = emptyFolders('.github/.git', '.github/.github/workflows');
    const { code, err } = cli(join(dir, '.github'), []);
    expect(code).toBe(2);
    expect(err).toBe(
      'claude-route-guard: no .yml or .yaml files under .github/workflows and no action.yml or action.yaml in this folder; name the files or folders to scan',
    );
  });
});

describe('paths that hold nothing to scan', () => {
  it('are a usage error when a named folder holds no .yml or .yaml file', () => {
    const dir = emptyFolders('empty', 'dir.yml');
    for (const path of ['empty/', 'dir.yml']) {
      const { code, out, err } = cli(dir, [path]);
      expect([code, out]).toEqual([2, '']);
      expect(err).toBe(
        `claude-route-guard: no .yml or .yaml files under ${path}; name a workflow file or a folder holding one`,
      );
    }
  });

  it('are a usage error whichever of several named folders is empty', () => {
    const { code, err } = cli(REPO, ['.github/workflows', '.github/scripts']);
    expect(code).toBe(2);
    expect(err).toBe(
      'claude-route-guard: no .yml or .yaml files under .github/scripts; name a workflow file or a folder holding one',
    );
  });

  it('are a usage error when the default folders exist but hold none between them', () => {
    const { code, err } = cli(emptyFolders('.github/workflows', '.github/actions'), []);
    expect(code).toBe(2);
    expect(err).toBe(
      'claude-route-guard: no .yml or .yaml files under .github/workflows or .github/actions and no action.yml or action.yaml in this folder; name the files or folders to scan',
    );
  });

  it('fail the action step when its `paths` input finds nothing', async () => {
    const run = await runAction({ paths: '.github/scripts' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::no .yml or .yaml files under .github/scripts; name a workflow file or a folder holding one',
    );
  });
});
