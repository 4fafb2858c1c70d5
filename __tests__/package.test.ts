import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freshBundle } from './bundle.js';
import { FIXTURES, ROOT } from './helpers.js';

/*
 * The package as a user receives it: `npm pack`, installed from the tarball into throwaway prefixes, its bin
 * run through the symlinks npm makes. The tarball has no dependencies, so installing it needs no network.
 */
const SAMPLE = join(FIXTURES, 'install-repo');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
};
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--offline', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

let work: string;
let tarball: string;
let localBin: string;
let globalPrefix: string;

beforeAll(() => {
  freshBundle('cli');
  work = mkdtempSync(join(tmpdir(), 'crg-pack-'));
  npm(['pack', '--pack-destination', work], ROOT);
  tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  const project = join(work, 'project');
  mkdirSync(project);
  npm(['install', '--prefix', project, tarball], work);
  localBin = join(project, 'node_modules', '.bin', 'claude-route-guard');
  globalPrefix = join(work, 'global');
  npm(['install', '--global', '--prefix', globalPrefix, tarball], work);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(bin: string, args: string[], cwd = SAMPLE): { status: number | null; out: string; err: string } {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('the packed package', () => {
  it('holds the CLI bundle, README, LICENSE and docs, and depends on nothing', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const tops = new Set(listing.map((f) => f.replace(/^package\//, '').split('/')[0]));
    expect([...tops].sort()).toEqual(['LICENSE', 'README.md', 'dist', 'docs', 'package.json']);
    expect(listing).toContain('package/dist/cli/index.js');
    expect(listing).not.toContain('package/dist/index.js');
    expect(listing.some((f) => f.startsWith('package/src/') || f.startsWith('package/__tests__/'))).toBe(
      false,
    );
    expect(PACKAGE.dependencies ?? {}).toEqual({});
  });

  it('installs a bin that is a symlink and runs through it', () => {
    expect(lstatSync(localBin).isSymbolicLink()).toBe(true);
    const version = run(localBin, ['--version']);
    expect(version).toEqual({ status: 0, out: `${PACKAGE.version}\n`, err: '' });
  });

  it('exits 1 with the finding on a subscription-token workflow and 0 on a clean one', () => {
    const bad = run(localBin, ['.github/workflows/subscription.yml']);
    expect(bad.status).toBe(1);
    expect(bad.out).toContain('.github/workflows/subscription.yml:11:36: error[subscription-token-in-ci]: ');
    const clean = run(localBin, ['.github/workflows/clean.yml']);
    expect(clean.status).toBe(0);
    expect(clean.out).toContain('.github/workflows/clean.yml:9:15');
    expect(clean.out).toContain('0 error(s), 0 warning(s), 0 notice(s)');
  });

  it('finds the docs pages it ships for --explain', () => {
    const page = run(localBin, ['--explain', 'subscription-token-in-ci']);
    expect(page.status).toBe(0);
    expect(page.out).toMatch(/^# subscription-token-in-ci/);
    expect(page.out).toContain('## Bad');
  });
});

describe('the pre-commit hook', () => {
  interface Hook {
    id: string;
    entry: string;
    language: string;
    files: string;
    pass_filenames: boolean;
    args?: string[];
    require_serial?: boolean;
  }
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = hooks.find((h) => h.id === 'claude-route-guard')!;

  /**
   * What pre-commit does for a node hook: the package installed globally, entry + args + matching staged
   * files. Without require_serial it splits the files into one batch per core (two here, as on a 2-core
   * machine) and runs each batch as its own process.
   */
  function runHook(staged: string[]): { status: number | null; out: string; calls: number } {
    const [command, ...entryArgs] = hook.entry.split(/\s+/);
    const files = staged.filter((f) => new RegExp(hook.files).test(f));
    const half = Math.ceil(files.length / 2);
    const batches = (hook.require_serial ? [files] : [files.slice(0, half), files.slice(half)]).filter(
      (batch) => batch.length > 0,
    );
    const runs = batches.map((batch) =>
      spawnSync(command!, [...entryArgs, ...(hook.args ?? []), ...batch], {
        cwd: SAMPLE,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${join(globalPrefix, 'bin')}:${process.env.PATH ?? ''}` },
      }),
    );
    const status = Math.max(...runs.map((r) => r.status ?? 2));
    return { status, out: runs.map((r) => r.stdout).join(''), calls: runs.length };
  }

  it('is a node hook that gets the staged file names', () => {
    expect(hook.language).toBe('node');
    expect(hook.pass_filenames).toBe(true);
    expect(lstatSync(join(globalPrefix, 'bin', hook.entry.split(/\s+/)[0]!)).isSymbolicLink()).toBe(true);
  });

  it('fails the commit on a subscription token and passes a clean workflow', () => {
    const bad = runHook(['README.md', '.github/workflows/subscription.yml']);
    expect(bad.status).toBe(1);
    expect(bad.out).toContain('.github/workflows/subscription.yml:11:36: error[subscription-token-in-ci]: ');
    expect(runHook(['.github/workflows/clean.yml']).status).toBe(0);
  });

  it('reports one commit once: every staged workflow in one call, one compact line per finding', () => {
    expect(hook.require_serial).toBe(true);
    const commit = runHook([
      '.github/workflows/subscription.yml',
      'README.md',
      '.github/workflows/clean.yml',
    ]);
    expect(commit.calls).toBe(1);
    expect(commit.status).toBe(1);
    expect(commit.out).toBe(
      ".github/workflows/subscription.yml:11:36: error[subscription-token-in-ci]: Job `review` bills anthropics/claude-code-action@v1 to a personal Claude subscription through an OAuth token passed as an action input: CI then draws on that person’s plan usage limits (a weekly window and, on most plans, a 5-hour one), shared with their own use of Claude, and fails with 429 “You've hit your session limit” once one is spent; an organisation can also switch subscription access for Claude Code off. Use `ANTHROPIC_API_KEY` from a secret (or a cloud provider), or declare this route intended in .github/claude-route-guard.yml.\n",
    );
  });
});
