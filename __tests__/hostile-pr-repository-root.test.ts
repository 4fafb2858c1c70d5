/**
 * Which repository a file belongs to: its name comes only from its own .git, and a `.github` the pull request
 * hides below .github/workflows neither moves the root nor brings a policy.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { remoteName } from '../src/load.js';
import type { RouteRow } from '../src/scan.js';
import { runAction } from './action-run.js';
import { workspace, cli } from './hostile-pr.js';

describe('the repository name comes only from its own .git', () => {
  const CONFIG = '[remote "origin"]\n\turl = https://github.com/octo/victim.git\n';
  const files = {
    '.github/workflows/a.yml':
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: octo/victim/.github/actions/x@v1\n',
    '.github/actions/x/action.yml':
      'runs:\n  using: composite\n  steps:\n    - run: claude -p hi\n      shell: bash\n      env:\n        CLAUDE_CODE_OAUTH_TOKEN: ${{ secrets.T }}\n',
  };
  /** Whether the workflow's call was followed into the local copy (a row for the workflow's run). */
  const readLocally = (ws: string): boolean =>
    (
      JSON.parse(cli(ws, ['--format', 'json', '--fail-on', 'never']).stdout) as {
        routes: { file: string }[];
      }
    ).routes.some((r) => r.file === '.github/workflows/a.yml');

  it('a .git folder of its own names the repository, so its own remote-form references are read locally', () => {
    const ws = workspace({}, { ...files, '.git/config': CONFIG });
    expect(remoteName(ws)).toBe('octo/victim');
    expect(readLocally(ws)).toBe(true);
    const inside = workspace(
      {},
      { ...files, 'modules/main/config': CONFIG, '.git': 'gitdir: modules/main\n' },
    );
    expect(remoteName(inside)).toBe('octo/victim');
  });

  it('a committed link named .git, or a gitdir: file pointing out of the repository, names nothing', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'crg-git-'));
    writeFileSync(join(elsewhere, 'config'), CONFIG);
    const linked = workspace({}, files);
    symlinkSync(elsewhere, join(linked, '.git'));
    expect(remoteName(linked)).toBeUndefined();
    expect(readLocally(linked)).toBe(false);
    const pointed = workspace({}, { ...files, '.git': `gitdir: ${elsewhere}\n` });
    expect(remoteName(pointed)).toBeUndefined();
    expect(readLocally(pointed)).toBe(false);
    const climbing = workspace({}, { ...files, '.git': 'gitdir: ../../..\n' });
    expect(remoteName(climbing)).toBeUndefined();
  });
});

describe('a `.github` inside .github/workflows does not move the repository root', () => {
  // The workflow calls the repository's own action, whose run bills a stored login.
  const REPO = {
    '.github/workflows/ci.yml':
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./tools/helper\n',
    'tools/helper/action.yml':
      'name: helper\nruns:\n  using: composite\n  steps:\n    - run: claude -p "summarise"\n      shell: bash\n',
    // A decoy with the same path from .github/workflows: GitHub never reads it for `./tools/helper`.
    '.github/workflows/tools/helper/action.yml':
      'name: helper\nruns:\n  using: composite\n  steps:\n    - run: echo fine\n      shell: bash\n',
  };
  // A policy the pull request hides below .github/workflows, allowing everything.
  const NESTED_POLICY = {
    '.github/workflows/.github/claude-route-guard.yml':
      'allow:\n  - workflow: "**"\n    routes: [subscription-login]\n    reason: fine\nfail-on: never\n',
  };
  const runsOf = (ws: string, args: string[] = []): { status: number; runs: string[] } => {
    const run = cli(ws, ['--format', 'json', ...args]);
    const routes = (JSON.parse(run.stdout) as { routes: RouteRow[] }).routes;
    return {
      status: run.status,
      runs: routes.map((r) => `${r.file}:${r.line}:${r.column} ${r.route} ${r.verdict} via ${r.via?.file}`),
    };
  };
  const BILLED =
    '.github/workflows/ci.yml:6:15 subscription-login error: headless-without-api-route via tools/helper/action.yml';
  // The repository's own action is scanned by default too (issue 23 item 8): its row has the caller's route.
  const HELPER =
    'tools/helper/action.yml:5:12 subscription-login error: headless-without-api-route (via caller .github/workflows/ci.yml:6) via undefined';

  it('in the CLI: an empty file, a folder holding a policy, or a link named .github there is not a root', () => {
    const file = workspace({}, { ...REPO, '.github/workflows/.github': '' });
    expect(runsOf(file)).toEqual({ status: 1, runs: [BILLED, HELPER] });
    const folder = workspace({}, { ...REPO, ...NESTED_POLICY });
    expect(runsOf(folder)).toEqual({ status: 1, runs: [BILLED, HELPER] });
    const linked = workspace({}, REPO);
    mkdirSync(join(linked, 'elsewhere', '.github'), { recursive: true });
    symlinkSync(join(linked, 'elsewhere'), join(linked, '.github', 'workflows', 'tools', '.github'));
    expect(runsOf(linked)).toEqual({ status: 1, runs: [BILLED, HELPER] });
    // Nor a `.github` inside .github itself.
    const doubled = workspace(
      {},
      {
        ...REPO,
        '.github/.github/claude-route-guard.yml':
          NESTED_POLICY['.github/workflows/.github/claude-route-guard.yml'],
      },
    );
    expect(runsOf(doubled)).toEqual({ status: 1, runs: [BILLED, HELPER] });
  });

  it('in the action: every file under the workspace is the workspace repository’s', async () => {
    const ws = workspace({}, { ...REPO, ...NESTED_POLICY });
    const run = await runAction({ 'runtime-check': 'false' }, { GITHUB_WORKSPACE: ws });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error title=claude-route-guard%3A headless-without-api-route,file=.github/workflows/ci.yml,line=6,endLine=6,col=15,',
    );
    // The organisation's own `.github` repository is checked out at .../.github/.github: still one root.
    const org = join(mkdtempSync(join(tmpdir(), 'crg-org-')), '.github', '.github');
    for (const [path, text] of Object.entries(REPO)) {
      mkdirSync(dirname(join(org, path)), { recursive: true });
      writeFileSync(join(org, path), text);
    }
    const orgRun = await runAction({ 'runtime-check': 'false' }, { GITHUB_WORKSPACE: org });
    expect(orgRun.status).toBe(1);
    expect(orgRun.stdout).toContain(
      '::error title=claude-route-guard%3A headless-without-api-route,file=.github/workflows/ci.yml,line=6,endLine=6,col=15,',
    );
  });

  it('scanning a folder that holds several repositories gives each its own root and policy', () => {
    const parent = mkdtempSync(join(tmpdir(), 'crg-repos-'));
    const tree = (root: string, files: Record<string, string>): void => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(parent, root, path)), { recursive: true });
        writeFileSync(join(parent, root, path), text);
      }
    };
    tree('alpha', {
      ...REPO,
      '.github/claude-route-guard.yml':
        'allow:\n  - workflow: .github/workflows/ci.yml\n    job: build\n    routes: [subscription-login]\n    reason: the runner is logged in on purpose\n',
    });
    tree('beta', { ...REPO, ...NESTED_POLICY });
    expect(
      runsOf(parent, ['alpha/.github/workflows', 'beta/.github/workflows', '--fail-on', 'never']).runs,
    ).toEqual([
      'alpha/.github/workflows/ci.yml:6:15 subscription-login intended: the runner is logged in on purpose via alpha/tools/helper/action.yml',
      'beta/.github/workflows/ci.yml:6:15 subscription-login error: headless-without-api-route via beta/tools/helper/action.yml',
    ]);
  });
});
